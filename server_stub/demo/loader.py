"""Demo data for `gjj-centre init --demo`: two units, deterministic (seeded random).

Unit 1 is a company of ~200 employees in 4 departments with 18 months of paid history: a balance
carried forward for those who joined earlier, one remittance entry per month with a detail per person,
some employees sealed along the way, a little 暂存款 not yet allocated, and messages (some unread).
Unit 2 is a small restaurant with a handful of employees: the other unit in cross-unit refusal tests.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from services.money import ZERO
from services.policy import Policy
from services.yearmonth import YearMonth, month_range
from stdnum.cn import uscc as uscc_check

from ..auth.models import Operator
from ..auth.passwords import Passwords
from ..departments.models import Department
from ..employees.models import STATUS_ACTIVE, STATUS_SEALED, Employee, EmployeeChange, EmployeeStatusChange
from ..ledger.service import Posting, post_entry
from ..messages import service as messages
from ..messages.models import CHANNEL_CENTRE
from ..numbering.service import next_person_account
from ..units.models import Unit
from ..units.service import create_unit
from .people import PeopleFactory

SEED = 20240701


@dataclass(frozen=True)
class DemoSpec:
    """How much demo data; tests use a smaller one with the same shape."""
    unit1_employees: int = 200
    unit1_months: int = 18
    unit2_employees: int = 5
    unit2_months: int = 3


@dataclass(frozen=True)
class DemoUnit:
    key: str
    name: str
    uscc_body: str          # the first 17 characters; the check character is computed
    address: str
    postcode: str
    email: str
    legal_rep: str
    pay_day: int
    industry: str
    economic_type: str
    ratio: Decimal
    operator_name: str
    login_name: str
    password: str
    departments: tuple[tuple[str, str], ...]
    payee_bank: str
    payee_account: str


UNIT1 = DemoUnit(
    key="unit1", name="示范市智联科技有限公司", uscc_body="91330106MA2H7K3P5", address="示范市高新区创新路88号智联大厦",
    postcode="310012", email="hr@zhilian-demo.cn", legal_rep="陈志远", pay_day=15, industry="I", economic_type="140",
    ratio=Decimal("12"), operator_name="张丽", login_name="zhangli", password="Demo1234",
    departments=(("01", "综合管理部"), ("02", "研发中心"), ("03", "市场销售部"), ("04", "财务部")),
    payee_bank="中国建设银行示范市高新支行", payee_account="33050161672700001234",
)
UNIT2 = DemoUnit(
    key="unit2", name="示范市惠民餐饮管理有限公司", uscc_body="92330106MA2J8L4Q6", address="示范市西湖区文三路123号",
    postcode="310013", email="huimin@canyin-demo.cn", legal_rep="刘建华", pay_day=10, industry="F", economic_type="170",
    ratio=Decimal("5"), operator_name="王强", login_name="wangqiang", password="Demo5678",
    departments=(("01", "门店"),),
    payee_bank="中国工商银行示范市文三路支行", payee_account="1202020109900005678",
)


def demo_first_month(business_date: dt.date, spec: DemoSpec = DemoSpec()) -> YearMonth:
    """The earliest month of paid history in the demo data (its policy year needs a policy row)."""
    return YearMonth.of(business_date) - max(spec.unit1_months, spec.unit2_months)


def load_demo(*, session: Session, business_date: dt.date, now: dt.datetime, passwords: Passwords,
              policy: Policy, spec: DemoSpec = DemoSpec()) -> list[dict]:
    """Create the demo units; returns their logins [{"unit_account", "login_name", "password"}]."""
    rng = random.Random(SEED)
    people = PeopleFactory(rng)
    logins = []
    for demo, size, months in ((UNIT1, spec.unit1_employees, spec.unit1_months),
                               (UNIT2, spec.unit2_employees, spec.unit2_months)):
        history = month_range(YearMonth.of(business_date) - months, YearMonth.of(business_date) - 1)
        unit = _create_unit(session=session, demo=demo, history=history, people=people, rng=rng, now=now)
        operator = Operator(unit_id=unit.id, login_name=demo.login_name, name=demo.operator_name,
                            mobile=people.mobile(), id_number=people.resident_id(
                                people.birth_date(business_date, min_age=25, max_age=45), "2"),
                            password_hash=passwords.hash(demo.password), password_changed_at=now, created_at=now)
        session.add(operator)
        departments = [Department(unit_id=unit.id, code=code, name=name, created_at=now)
                       for code, name in demo.departments]
        session.add_all(departments)
        session.flush()
        staff = _hire(session=session, unit=unit, departments=departments, size=size, history=history,
                      people=people, rng=rng, business_date=business_date, policy=policy, now=now)
        _book_history(session=session, unit=unit, staff=staff, history=history, now=now)
        _log_seals(session=session, staff=staff, operator=operator, now=now)
        _send_messages(session=session, unit=unit, history=history, now=now)
        logins.append({"unit_account": unit.unit_account, "login_name": demo.login_name, "password": demo.password})
    return logins


def _create_unit(*, session: Session, demo: DemoUnit, history: list[YearMonth], people: PeopleFactory,
                 rng: random.Random, now: dt.datetime) -> Unit:
    opened = (history[0] - rng.randint(48, 96)).first_day() + dt.timedelta(days=rng.randrange(20))
    return create_unit(
        session=session, now=now, name=demo.name, uscc=demo.uscc_body + uscc_check.calc_check_digit(demo.uscc_body),
        status="01", address=demo.address, postcode=demo.postcode, email=demo.email, legal_rep_name=demo.legal_rep,
        legal_rep_id_type="01", legal_rep_id_number=people.resident_id(dt.date(1975, 3, 18), "1"),
        contact_name=demo.operator_name, contact_mobile=people.mobile(),
        contact_phone=f"0571-8{rng.randrange(1000000, 9999999)}",
        pay_day=demo.pay_day, industry=demo.industry, economic_type=demo.economic_type, opened_on=opened,
        unit_ratio=demo.ratio, person_ratio=demo.ratio, paid_through=history[-1],
        payee_bank=demo.payee_bank, payee_account=demo.payee_account,
    )


@dataclass
class _Staff:
    employee: Employee
    sealed_from: YearMonth | None     # the first month not paid any more


def _hire(*, session: Session, unit: Unit, departments: list[Department], size: int, history: list[YearMonth],
          people: PeopleFactory, rng: random.Random, business_date: dt.date, policy: Policy,
          now: dt.datetime) -> list[_Staff]:
    unit_first = YearMonth.of(unit.opened_on)
    staff = []
    for _ in range(size):
        gender = people.gender()
        birth = people.birth_date(business_date)
        if len(history) > 1 and rng.random() < 0.15:      # joined during the history
            first = history[rng.randrange(1, len(history))]
        else:
            first = max(history[0] - rng.randint(0, 60), unit_first)
        sealed_from = None
        if first < history[-1] and rng.random() < 0.06:
            later = [m for m in history if m > first]
            sealed_from = rng.choice(later)
        base = Decimal(rng.randrange(3000, 26000, 50))
        contribution = policy.monthly(base, unit.unit_ratio, unit.person_ratio)
        employee = Employee(
            unit_id=unit.id, person_account=next_person_account(session=session), name=people.name(gender),
            id_type="01", id_number=people.resident_id(birth, gender), gender=gender, birth_date=birth, mobile=people.mobile(),
            department_id=rng.choices(departments, weights=[1, 4, 3, 1][:len(departments)])[0].id,
            status=STATUS_SEALED if sealed_from else STATUS_ACTIVE, base=base, unit_ratio=unit.unit_ratio,
            person_ratio=unit.person_ratio, unit_monthly=contribution.unit, person_monthly=contribution.person,
            balance=ZERO, first_month=first, paid_through=(sealed_from - 1) if sealed_from else history[-1],
            opened_on=first.first_day() - dt.timedelta(days=rng.randrange(0, 10)), created_at=now, updated_at=now,
        )
        staff.append(_Staff(employee, sealed_from))
    session.add_all([s.employee for s in staff])
    session.flush()
    return staff


def _log_seals(*, session: Session, staff: list[_Staff], operator: Operator, now: dt.datetime) -> None:
    """The status and change log rows of the employees sealed along the history (离职, on the 1st of the
    first month not paid any more), so 账户状态变更查询 shows why they are 封存."""
    for s in staff:
        if s.sealed_from is None:
            continue
        who = {"unit_id": s.employee.unit_id, "employee_id": s.employee.id, "changed_on": s.sealed_from.first_day(),
               "operator_id": operator.id, "operator_name": operator.name, "created_at": now}
        session.add(EmployeeStatusChange(type="seal", effective_month=s.sealed_from, reason="2",
                                         old_status=STATUS_ACTIVE, new_status=STATUS_SEALED, **who))
        session.add(EmployeeChange(item="个人账户状态", old="正常", new="封存", **who))


def _book_history(*, session: Session, unit: Unit, staff: list[_Staff], history: list[YearMonth],
                  now: dt.datetime) -> None:
    earlier = [s for s in staff if s.employee.first_month < history[0]]
    if earlier:  # what they paid before the history shown, as one carried-forward balance
        post_entry(session=session, unit_id=unit.id, type="carry_forward", summary="历史余额结转",
                   booked_on=history[0].first_day() - dt.timedelta(days=1), now=now,
                   postings=[Posting(s.employee, s.employee.monthly_total * (history[0] - s.employee.first_month),
                                     type="carry_forward") for s in earlier])
    for month in history:
        payers = [s for s in staff if s.employee.first_month <= month
                  and (s.sealed_from is None or month < s.sealed_from)]
        if payers:
            post_entry(session=session, unit_id=unit.id, type="remittance", summary=f"{month.display()}汇缴", month=month,
                       booked_on=month.first_day() + dt.timedelta(days=unit.pay_day - 1), now=now,
                       postings=[Posting(s.employee, s.employee.monthly_total) for s in payers])
    received = history[-1].last_day()
    post_entry(session=session, unit_id=unit.id, type="receipt", summary="单位来款（暂存，待分配）", booked_on=received,
               unallocated_change=Decimal("1000.00") if len(staff) > 20 else Decimal("200.00"), now=now)


def _send_messages(*, session: Session, unit: Unit, history: list[YearMonth], now: dt.datetime) -> None:
    """A welcome (read), a remittance notice per recent month (the latest unread), a centre notice (unread)."""
    def at(days_ago: int) -> dt.datetime:
        return now - dt.timedelta(days=days_ago)

    sent = messages.send(session=session, unit_ids=[unit.id], title="欢迎使用住房公积金网上服务大厅",
                         body=f"尊敬的{unit.name}：贵单位已开通网上服务大厅，请妥善保管UKey及登录密码。",
                         business="系统通知", now=at(40))
    sent[0].read_at = at(39)
    for i, month in enumerate(history[-2:]):
        notice = messages.send(session=session, unit_ids=[unit.id], title=f"{month.display()}汇缴已到账",
                               body=f"尊敬的{unit.name}，您已完成办理{month.display()}汇缴，款项已分配至职工个人账户。",
                               business="汇缴", now=at(10 - 5 * i))
        if i == 0:
            notice[0].read_at = at(9)
    messages.send(session=session, unit_ids=[unit.id], title="关于开展住房公积金年度缴存基数调整工作的通知",
                  body="各缴存单位：请于每年7月按规定调整职工住房公积金缴存基数，基数上限35811元，下限2420元。",
                  business="中心通知", channel=CHANNEL_CENTRE, now=at(2))
