"""汇缴 (SPEC 4.5): the next month with its 上月 / 本月增加 / 本月减少 / 本月汇缴 breakdown, assessments of one or
several consecutive months (each with its roster snapshot), deletion of the latest unpaid one, and the
centre's receipts: money into 暂存款, then allocated to the personal accounts of an assessment or a 补缴
bill, at once or later from 暂存款 (ledger.service.post_entry keeps unit balance = Σ personal balances +
暂存款)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Select, and_, case, exists, func, insert, literal, or_, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from services.money import ZERO, fmt_money
from services.yearmonth import YearMonth

from ..employees.models import STATUS_ACTIVE, STATUS_SEALED, Employee, EmployeeStatusChange
from ..employees.signatures import SignedSubmission
from ..errors import Problem
from ..ledger.models import JournalDetail, JournalEntry, UnitAccount
from ..ledger.service import Posting, post_entry
from ..messages import service as messages
from ..numbering.service import next_value
from ..orm import money_sum
from ..paging import PageParams, paginate
from ..reference import service as reference
from ..units.models import Unit
from .models import STATUS_ALLOCATED, STATUS_UNALLOCATED, AssessmentLine, Receipt, RemittanceAssessment

ASSESSED_MESSAGE = "尊敬的{name}，您已完成办理汇缴核定"
DEADLINE_DAYS = 15     # the 汇补缴书 is valid this many days from the assessment (not past the month's end)


# -- who pays a month -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Payer:
    employee_id: int
    person_account: str
    name: str
    id_number: str
    base: Decimal
    unit_monthly: Decimal
    person_monthly: Decimal

    @property
    def amount(self) -> Decimal:
        return self.unit_monthly + self.person_monthly


def roster_for(*, session: Session, unit_id: int, month: YearMonth) -> list[Payer]:
    """Who pays `month` (see `_paying`), in 个人账号 order."""
    return [Payer(*row) for row in session.execute(
        _paying(unit_id, month).add_columns(Employee.id, Employee.person_account, Employee.name, Employee.id_number,
                                            Employee.base, Employee.unit_monthly, Employee.person_monthly)
        .order_by(Employee.person_account))]


def _paying(unit_id: int, month: YearMonth) -> Select:
    """The employees who pay `month`, as a query without columns: opened by then (首次缴存年月 ≤ month) and in
    正常 status that month — an active employee unless their latest 封存/启封 is a 启封 effective after the
    month, a sealed one while their latest is a 封存 effective after it.

    Only a change effective after the month can matter, and there are few of those: the query keeps only
    those (each checked to be the employee's latest through the employee index) rather than working out
    every employee's latest change, so that the roster snapshot of 100,000 people is one INSERT … SELECT
    (see `assess`), not 100,000 rows through Python."""
    change, later = EmployeeStatusChange, aliased(EmployeeStatusChange)
    kinds = ("seal", "unseal")
    pending = (select(change.employee_id, change.type)
               .where(change.unit_id == unit_id, change.type.in_(kinds), change.effective_month > month,
                      ~exists().where(later.employee_id == change.employee_id, later.unit_id == unit_id,
                                      later.type.in_(kinds), later.id > change.id))
               .subquery())
    return (select().select_from(Employee).outerjoin(pending, pending.c.employee_id == Employee.id)
            .where(Employee.unit_id == unit_id, Employee.first_month <= month,
                   or_(and_(Employee.status == STATUS_ACTIVE,
                            or_(pending.c.type.is_(None), pending.c.type != "unseal")),
                       and_(Employee.status == STATUS_SEALED, pending.c.type == "seal"))))


# -- the next month and its breakdown -------------------------------------------------------------

@dataclass
class Part:
    headcount: int = 0
    amount: Decimal = ZERO
    people: list[dict] = field(default_factory=list)


@dataclass
class Breakdown:
    month: YearMonth
    current: Part
    last: Part
    added: Part
    removed: Part
    unit_amount: Decimal = ZERO      # the current month's unit part and individual part
    person_amount: Decimal = ZERO


def next_month(*, session: Session, unit: Unit) -> YearMonth:
    """The next payable month: after the latest assessment, else after the unit's 缴至年月."""
    latest = session.scalar(select(func.max(RemittanceAssessment.month)).where(RemittanceAssessment.unit_id == unit.id))
    if latest is not None:
        return YearMonth.parse(str(latest)) + 1
    if unit.paid_through is not None:
        return unit.paid_through + 1
    return YearMonth.of(unit.opened_on)


def _previous(*, session: Session, unit_id: int, month: YearMonth) -> dict[int, tuple[Decimal, str, str]]:
    """employee id → (amount, person account, name) of what was assessed (or, before assessments, paid) for
    `month`."""
    assessment = session.scalar(select(RemittanceAssessment).where(RemittanceAssessment.unit_id == unit_id,
                                                                   RemittanceAssessment.month == str(month)))
    if assessment is not None:
        return {line.employee_id: (line.unit_monthly + line.person_monthly, line.person_account, line.name)
                for line in lines_of(session=session, assessment_id=assessment.id)}
    rows = session.execute(
        select(JournalDetail.employee_id, JournalDetail.amount, Employee.person_account, Employee.name)
        .join(JournalEntry, JournalEntry.id == JournalDetail.entry_id)
        .join(Employee, Employee.id == JournalDetail.employee_id)
        .where(JournalEntry.unit_id == unit_id, JournalEntry.type == "remittance", JournalEntry.month == str(month),
               JournalEntry.reverses_id.is_(None)))
    previous: dict[int, tuple[Decimal, str, str]] = {}
    for employee_id, amount, account, name in rows:
        held = previous.get(employee_id)
        previous[employee_id] = ((held[0] if held else ZERO) + amount, account, name)
    return previous


def breakdown(*, session: Session, unit: Unit, month: YearMonth | None = None) -> Breakdown:
    """上月 / 本月增加 / 本月减少 / 本月汇缴 of `month` (default: the next payable month), and who explains each
    difference: joined (增加), left (减少), base changed (the difference in 增加 or 减少, headcount 0).
    Always: current = last + added − removed, for headcount and amount."""
    month = month or next_month(session=session, unit=unit)
    payers = roster_for(session=session, unit_id=unit.id, month=month)
    previous = _previous(session=session, unit_id=unit.id, month=month - 1)
    current = Part(len(payers), sum((p.amount for p in payers), ZERO))
    last = Part(len(previous), sum((v[0] for v in previous.values()), ZERO))
    added, removed = Part(), Part()
    now_ids = {p.employee_id for p in payers}
    for p in payers:
        before = previous.get(p.employee_id)
        if before is None:
            _explain(added, p.person_account, p.name, "joined", p.amount, count=True)
        elif before[0] != p.amount:
            target = added if p.amount > before[0] else removed
            _explain(target, p.person_account, p.name, "base_changed", abs(p.amount - before[0]), count=False)
    for employee_id, (amount, account, name) in previous.items():
        if employee_id not in now_ids:
            _explain(removed, account, name, "left", amount, count=True)
    return Breakdown(month, current, last, added, removed, sum((p.unit_monthly for p in payers), ZERO),
                     sum((p.person_monthly for p in payers), ZERO))


REASON_LABELS = {"joined": "新增缴存", "left": "停止缴存", "base_changed": "基数变更"}


def _explain(part: Part, account: str, name: str, reason: str, amount: Decimal, *, count: bool) -> None:
    part.headcount += 1 if count else 0
    part.amount += amount
    part.people.append({"person_account": account, "name": name, "reason": reason,
                        "reason_label": REASON_LABELS[reason], "amount": fmt_money(amount)})


# -- assessing ------------------------------------------------------------------------------------

def assess(*, session: Session, unit: Unit, months: list[YearMonth], operator_id: int | None, operator_name: str,
           submission: SignedSubmission, now: dt.datetime) -> list[RemittanceAssessment]:
    if not months:
        raise Problem(422, "months_empty", "请选择要核定的汇缴年月")
    today = reference.business_date(session=session)
    policy = reference.policy_for(session=session, day=today)
    first = next_month(session=session, unit=unit)
    if months[0] != first:
        raise Problem(422, "not_next_month", f"汇缴年月应从{first}开始（下一个应缴年月），请核对")
    for previous, month in zip(months, months[1:]):
        if month != previous + 1:
            raise Problem(422, "months_not_consecutive", f"汇缴年月应连续：{previous}之后应为{previous + 1}，请核对")
    if len(months) > policy.max_remit_months:
        raise Problem(422, "too_many_months", f"一次最多核定{policy.max_remit_months}个月，请减少月数")
    business_month = YearMonth.of(today)
    if months[-1] > business_month:
        raise Problem(422, "month_in_future", f"汇缴年月{months[-1]}晚于当前业务年月{business_month}，不能提前核定")
    deadline = min(today + dt.timedelta(days=DEADLINE_DAYS), business_month.last_day())
    created = []
    for month in months:
        paying = _paying(unit.id, month)
        headcount, unit_amount, person_amount = session.execute(paying.add_columns(
            func.count(), money_sum(Employee.unit_monthly), money_sum(Employee.person_monthly))).one()
        if not headcount:
            raise Problem(422, "nobody_to_pay", f"{month}没有正常缴存的职工，无需核定")
        number = next_value(session=session, name=f"remittance:{today:%Y%m%d}")
        serial = f"HJ{today:%Y%m%d}{number:06d}"
        assessment = RemittanceAssessment(
            unit_id=unit.id, month=month, headcount=headcount, unit_amount=unit_amount, person_amount=person_amount,
            amount=unit_amount + person_amount, status=STATUS_UNALLOCATED, serial=serial,
            verification_code=verification_code(serial, unit.unit_account, unit_amount + person_amount),
            assessed_on=today, deadline=deadline, operator_id=operator_id, operator_name=operator_name,
            certificate_id=submission.certificate_id, signed_body=submission.signed_body,
            signature=submission.signature, assessed_at=now)
        session.add(assessment)
        try:
            session.flush()
        except IntegrityError:
            raise Problem(409, "conflict", f"{month}已由本单位其他会话核定，请刷新后重试") from None
        # the roster snapshot, copied inside the database (100,000 people: no row passes through Python)
        line = AssessmentLine.__table__
        session.execute(insert(line).from_select(
            ["assessment_id", "employee_id", "person_account", "name", "id_number", "base", "unit_monthly",
             "person_monthly"],
            paying.add_columns(literal(assessment.id, line.c.assessment_id.type), Employee.id, Employee.person_account,
                               Employee.name, Employee.id_number, Employee.base, Employee.unit_monthly,
                               Employee.person_monthly).order_by(Employee.person_account)))
        assessment.breakdown = json.dumps(_snapshot_breakdown(session=session, unit_id=unit.id,
                                                              assessment_id=assessment.id, month=month))
        created.append(assessment)
    session.flush()
    messages.send(session=session, unit_ids=[unit.id], title="汇缴核定成功", business="汇缴", now=now,
                  body=ASSESSED_MESSAGE.format(name=unit.name)
                  + f"（{months[0].display()}{'至' + months[-1].display() if len(months) > 1 else ''}，"
                    f"合计{fmt_money(sum((a.amount for a in created), ZERO))}元）。")
    return created


def _amounts_of(assessment_id: int, *, current: bool) -> Select:
    """(employee, this month's total, last month's total, in this month, in last month) of an assessment's
    roster snapshot, as the current or the previous side of `_snapshot_breakdown`."""
    line = AssessmentLine
    amount = line.unit_monthly + line.person_monthly
    zero = literal(0)
    return (select(line.employee_id.label("employee_id"), (amount if current else zero).label("cur"),
                   (zero if current else amount).label("prev"), literal(1 if current else 0).label("in_cur"),
                   literal(0 if current else 1).label("in_prev"))
            .where(line.assessment_id == assessment_id))


def _snapshot_breakdown(*, session: Session, unit_id: int, assessment_id: int, month: YearMonth) -> dict:
    """上月 / 本月增加 / 本月减少 of an assessment as it is made, kept with it so that its 汇补缴书 printed later
    (on any PC) shows them: the same figures as `breakdown` (joined and left by headcount and amount, a base
    change by its difference), counted inside the database in one pass over both snapshots (person by
    person in Python would cost more than the assessment itself at 100,000 people). 上月 is the previous
    month's assessment, or before the first one what the journal paid for that month."""
    before = session.scalar(select(RemittanceAssessment.id).where(RemittanceAssessment.unit_id == unit_id,
                                                                 RemittanceAssessment.month == str(month - 1)))
    if before is not None:
        previous = _amounts_of(before, current=False)
    else:
        detail, entry = JournalDetail, JournalEntry
        previous = (select(detail.employee_id.label("employee_id"), literal(0).label("cur"),
                           detail.amount.label("prev"), literal(0).label("in_cur"), literal(1).label("in_prev"))
                    .join(entry, entry.id == detail.entry_id)
                    .where(entry.unit_id == unit_id, entry.type == "remittance", entry.month == str(month - 1),
                           entry.reverses_id.is_(None)))
    both = union_all(_amounts_of(assessment_id, current=True), previous).subquery()
    person = (select(both.c.employee_id, func.sum(both.c.cur).label("cur"), func.sum(both.c.prev).label("prev"),
                     func.max(both.c.in_cur).label("in_cur"), func.max(both.c.in_prev).label("in_prev"))
              .group_by(both.c.employee_id).subquery())
    c = person.c
    stayed = and_(c.in_cur == 1, c.in_prev == 1)
    row = session.execute(select(
        func.coalesce(func.sum(c.in_prev), 0), money_sum(c.prev),
        func.coalesce(func.sum(case((c.in_prev == 0, 1), else_=0)), 0),
        money_sum(case((c.in_prev == 0, c.cur), (and_(stayed, c.cur > c.prev), c.cur - c.prev), else_=0)),
        func.coalesce(func.sum(case((c.in_cur == 0, 1), else_=0)), 0),
        money_sum(case((c.in_cur == 0, c.prev), (and_(stayed, c.cur < c.prev), c.prev - c.cur), else_=0)),
    )).one()

    def part(headcount: int, amount: Decimal) -> dict:
        return {"headcount": int(headcount), "amount": fmt_money(amount)}

    return {"last": part(row[0], row[1]), "added": part(row[2], row[3]), "removed": part(row[4], row[5])}


def stored_breakdown(assessment: RemittanceAssessment) -> dict | None:
    """The breakdown kept with an assessment (None for one made before it was kept)."""
    return json.loads(assessment.breakdown) if assessment.breakdown else None


def verification_code(serial: str, unit_account: str, amount: Decimal) -> str:
    """8 digits the bank can check against the slip: derived from serial, unit and amount."""
    digest = hashlib.sha256(f"{serial}|{unit_account}|{fmt_money(amount)}".encode()).hexdigest()
    return f"{int(digest[:12], 16) % 100_000_000:08d}"


def list_assessments(*, session: Session, unit_id: int, params: PageParams, status: str | None
                     ) -> tuple[list[RemittanceAssessment], int]:
    where = [RemittanceAssessment.unit_id == unit_id]
    if status:
        where.append(RemittanceAssessment.status == status)
    return paginate(session=session, statement=select(RemittanceAssessment).where(*where)
                    .order_by(RemittanceAssessment.month), params=params)


def get_assessment(*, session: Session, unit_id: int, assessment_id: int,
                   for_update: bool = False) -> RemittanceAssessment:
    query = select(RemittanceAssessment).where(RemittanceAssessment.id == assessment_id,
                                               RemittanceAssessment.unit_id == unit_id)
    row = session.scalar(query.with_for_update() if for_update else query)
    if row is None:
        raise Problem(404, "not_found", "未找到该汇缴核定记录")
    return row


def lines_of(*, session: Session, assessment_id: int) -> list[AssessmentLine]:
    return list(session.scalars(select(AssessmentLine).where(AssessmentLine.assessment_id == assessment_id)
                                .order_by(AssessmentLine.person_account)))


def delete_assessment(*, session: Session, unit_id: int, assessment_id: int) -> None:
    row = get_assessment(session=session, unit_id=unit_id, assessment_id=assessment_id, for_update=True)
    if row.status != STATUS_UNALLOCATED:
        raise Problem(409, "assessment_paid", f"{row.month}的汇缴已到账分配，不能删除")
    latest = session.scalar(select(func.max(RemittanceAssessment.month))
                            .where(RemittanceAssessment.unit_id == unit_id))
    if str(latest) != str(row.month):
        raise Problem(409, "not_latest", f"只能删除最近一次未分配的汇缴核定（{latest}），请先删除之后月份的核定")
    session.execute(AssessmentLine.__table__.delete().where(AssessmentLine.assessment_id == row.id))
    session.delete(row)
    session.flush()


# -- receipts and allocation ----------------------------------------------------------------------
#
# Money for a unit always lands in 暂存款 first (`deposit`); allocating moves it from 暂存款 to the personal
# accounts of one `Payable` — an assessment here, a 补缴 bill in supplementary.service. A receipt allocates
# at once when it matches its payable to the fen; `allocate_unallocated` allocates money already held.

@dataclass(frozen=True)
class Payable:
    """Something a unit owes that money in 暂存款 can pay: an unallocated assessment or 补缴 bill."""
    business: str                   # 汇缴 / 补缴: the business of the messages
    what: str                       # how a note names it: "2025-03的汇缴", "补缴书BJ…"
    amount_label: str               # 核定金额 / 补缴金额
    amount: Decimal
    links: dict                     # the receipt's columns naming it (assessment_id / bill_id)
    allocate: Callable[[dt.date, dt.datetime], JournalEntry]   # (booked_on, now): 暂存款 → personal accounts
    month: YearMonth | None = None  # an assessment's month


@dataclass(frozen=True)
class Unpayable:
    """Why money cannot be allocated to what was named: a receipt keeps `reason` as its note (the money stays
    in 暂存款); POST /centre/allocations refuses with `status`, `code` and `reason`."""
    status: int
    code: str
    reason: str
    business: str
    links: dict = field(default_factory=dict)


def assessment_payable(*, session: Session, unit: Unit, assessment_id: int | None) -> Payable | Unpayable:
    """An assessment is payable when it is this unit's, unallocated, and the earliest unallocated one (the
    months are paid in order, as 缴至年月 advances)."""
    if assessment_id is None:
        return Unpayable(422, "target_missing", "未指明汇缴核定", "汇缴")
    row = session.get(RemittanceAssessment, assessment_id, with_for_update=True)
    if row is None or row.unit_id != unit.id:
        return Unpayable(404, "not_found", "未找到该单位的对应汇缴核定", "汇缴")
    links = {"assessment_id": row.id}
    if row.status != STATUS_UNALLOCATED:
        return Unpayable(409, "already_allocated", f"{row.month}的汇缴已分配", "汇缴", links)
    earliest = session.scalar(select(func.min(RemittanceAssessment.month)).where(
        RemittanceAssessment.unit_id == unit.id, RemittanceAssessment.status == STATUS_UNALLOCATED))
    if str(earliest) != str(row.month):
        return Unpayable(409, "not_earliest", f"应先缴纳{earliest}的汇缴", "汇缴", links)
    return Payable("汇缴", f"{row.month}的汇缴", "核定金额", row.amount, links,
                   lambda booked_on, now: _allocate_assessment(session=session, unit=unit, assessment=row,
                                                               booked_on=booked_on, now=now),
                   month=row.month)


def _allocate_assessment(*, session: Session, unit: Unit, assessment: RemittanceAssessment, booked_on: dt.date,
                         now: dt.datetime) -> JournalEntry:
    """The assessment's roster is paid from 暂存款 (unit part + personal part per person), 缴至年月 of the
    unit and of each person advances to the month, and the unit is told."""
    lines = lines_of(session=session, assessment_id=assessment.id)
    employees = {e.id: e for e in session.scalars(select(Employee).where(
        Employee.id.in_([line.employee_id for line in lines])))}
    entry = post_entry(session=session, unit_id=unit.id, type="remittance", booked_on=booked_on, now=now,
                       summary=f"{assessment.month.display()}汇缴", month=assessment.month,
                       unallocated_change=-assessment.amount, amount=assessment.amount,
                       postings=[Posting(employees[line.employee_id], line.unit_monthly + line.person_monthly)
                                 for line in lines])
    for line in lines:
        employee = employees[line.employee_id]
        if employee.paid_through is None or employee.paid_through < assessment.month:
            employee.paid_through = assessment.month
            employee.updated_at = now
    if unit.paid_through is None or unit.paid_through < assessment.month:
        unit.paid_through = assessment.month
        unit.updated_at = now
    assessment.status = STATUS_ALLOCATED
    assessment.allocated_at = now
    messages.send(session=session, unit_ids=[unit.id], title=f"{assessment.month.display()}汇缴已到账",
                  business="汇缴", now=now,
                  body=f"尊敬的{unit.name}，您已完成办理{assessment.month.display()}汇缴，款项已分配至职工个人账户。")
    return entry


def payable_for(*, session: Session, unit: Unit, assessment_id: int | None,
                application_id: int | None) -> Payable | Unpayable:
    """What money for the unit is meant for: an assessment (汇缴) or the bill of an approved 补缴 application
    (supplementary.service, imported here: it builds on this module)."""
    if assessment_id is not None and application_id is not None:
        raise Problem(422, "target_ambiguous",
                      "一笔款项只能对应一笔汇缴核定或一笔补缴，请只填写assessment_id或application_id之一")
    if application_id is not None:
        from ..supplementary.service import bill_payable
        return bill_payable(session=session, unit=unit, application_id=application_id)
    return assessment_payable(session=session, unit=unit, assessment_id=assessment_id)


def deposit(*, session: Session, unit: Unit, amount: Decimal, received_on: dt.date, now: dt.datetime) -> JournalEntry:
    """单位来款 into 暂存款 (unit balance and 暂存款 both + amount)."""
    if amount <= ZERO:
        raise Problem(422, "amount_invalid", "来款金额应大于0")
    return post_entry(session=session, unit_id=unit.id, type="receipt", booked_on=received_on, now=now,
                      summary="单位来款（暂存）", unallocated_change=amount)


@dataclass(frozen=True)
class ReceiptResult:
    receipt: Receipt
    payable: Payable | None          # what the money was allocated to (None: it stays in 暂存款)
    serials: list[str]


def record_receipt(*, session: Session, unit: Unit, target: Payable | Unpayable, amount: Decimal,
                   received_on: dt.date, recorded_by: str, now: dt.datetime) -> ReceiptResult:
    """The money always lands in 暂存款 first; when `target` is payable and the amount matches it to the fen
    it is allocated at once and the unit gets that business's message. Otherwise it stays in 暂存款, the
    receipt's note says why, and the unit is told so."""
    serials = [deposit(session=session, unit=unit, amount=amount, received_on=received_on, now=now).serial]
    if isinstance(target, Unpayable):
        reason = target.reason
    elif amount != target.amount:
        reason = f"来款金额{fmt_money(amount)}元与{target.amount_label}{fmt_money(target.amount)}元不符"
    else:
        reason = None
    if reason is None:
        serials.append(target.allocate(received_on, now).serial)
        status, payable = STATUS_ALLOCATED, target
    else:
        status, payable = STATUS_UNALLOCATED, None
        messages.send(session=session, unit_ids=[unit.id], title="单位来款已暂存", business=target.business, now=now,
                      body=f"尊敬的{unit.name}，贵单位来款{fmt_money(amount)}元已存入暂存款，未分配：{reason}")
    receipt = Receipt(unit_id=unit.id, amount=amount, received_on=received_on, status=status, note=reason or "",
                      recorded_by=recorded_by, created_at=now, **target.links)
    session.add(receipt)
    session.flush()
    return ReceiptResult(receipt, payable, serials)


def allocate_unallocated(*, session: Session, unit: Unit, target: Payable | Unpayable, today: dt.date,
                         now: dt.datetime) -> JournalEntry:
    """Pay `target` from money already in 暂存款 (after a short or unmatched receipt): refused unless it is
    payable and 暂存款 holds at least its amount. Booked on the business date, or on the unit's latest
    booking if that is later (a receipt dated ahead): money is never allocated before it arrived."""
    if isinstance(target, Unpayable):
        raise Problem(target.status, target.code, target.reason)
    account = session.get(UnitAccount, unit.id, with_for_update=True)
    held = account.unallocated if account is not None else ZERO
    if held < target.amount:
        raise Problem(409, "unallocated_insufficient",
                      f"暂存款余额{fmt_money(held)}元不足以分配{target.what}（{target.amount_label}"
                      f"{fmt_money(target.amount)}元），还差{fmt_money(target.amount - held)}元")
    latest = session.scalar(select(func.max(JournalEntry.booked_on)).where(JournalEntry.unit_id == unit.id))
    return target.allocate(max(today, latest) if latest is not None else today, now)
