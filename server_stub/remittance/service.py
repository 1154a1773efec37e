"""汇缴 (SPEC 4.5): the next month with its 上月 / 本月增加 / 本月减少 / 本月汇缴 breakdown, assessments of one or
several consecutive months (each with its roster snapshot), deletion of the latest unpaid one, and the
centre's receipts: money into 暂存款, then allocated to the personal accounts (ledger.service.post_entry
keeps unit balance = Σ personal balances + 暂存款)."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.money import ZERO, fmt_money
from services.yearmonth import YearMonth

from ..employees.models import STATUS_ACTIVE, STATUS_SEALED, Employee, EmployeeStatusChange
from ..employees.signatures import SignedSubmission
from ..errors import Problem
from ..ledger.models import JournalDetail, JournalEntry
from ..ledger.service import Posting, post_entry
from ..messages import service as messages
from ..numbering.service import next_value
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
    """Who pays `month`: opened by then (首次缴存年月 ≤ month) and in 正常 status that month — an active
    employee unless a later-effective 启封 starts after it, a sealed one while the 封存 takes effect after it."""
    latest: dict[int, tuple[str, YearMonth]] = {}
    for employee_id, kind, effective in session.execute(
            select(EmployeeStatusChange.employee_id, EmployeeStatusChange.type, EmployeeStatusChange.effective_month)
            .where(EmployeeStatusChange.unit_id == unit_id, EmployeeStatusChange.type.in_(("seal", "unseal")))
            .order_by(EmployeeStatusChange.id)):
        latest[employee_id] = (kind, effective)
    payers = []
    for e in session.scalars(select(Employee).where(Employee.unit_id == unit_id,
                                                    Employee.status.in_((STATUS_ACTIVE, STATUS_SEALED)),
                                                    Employee.first_month <= str(month))
                             .order_by(Employee.person_account)):
        kind, effective = latest.get(e.id, (None, None))
        if e.status == STATUS_ACTIVE:
            pays = not (kind == "unseal" and effective > month)
        else:
            pays = kind == "seal" and effective > month
        if pays:
            payers.append(Payer(e.id, e.person_account, e.name, e.id_number, e.base, e.unit_monthly,
                                e.person_monthly))
    return payers


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
    return Breakdown(month, current, last, added, removed)


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
        payers = roster_for(session=session, unit_id=unit.id, month=month)
        if not payers:
            raise Problem(422, "nobody_to_pay", f"{month}没有正常缴存的职工，无需核定")
        number = next_value(session=session, name=f"remittance:{today:%Y%m%d}")
        serial = f"HJ{today:%Y%m%d}{number:06d}"
        unit_amount = sum((p.unit_monthly for p in payers), ZERO)
        person_amount = sum((p.person_monthly for p in payers), ZERO)
        assessment = RemittanceAssessment(
            unit_id=unit.id, month=month, headcount=len(payers), unit_amount=unit_amount, person_amount=person_amount,
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
        session.add_all([AssessmentLine(assessment_id=assessment.id, employee_id=p.employee_id,
                                        person_account=p.person_account, name=p.name, id_number=p.id_number,
                                        base=p.base, unit_monthly=p.unit_monthly, person_monthly=p.person_monthly)
                         for p in payers])
        created.append(assessment)
    session.flush()
    messages.send(session=session, unit_ids=[unit.id], title="汇缴核定成功", business="汇缴", now=now,
                  body=ASSESSED_MESSAGE.format(name=unit.name)
                  + f"（{months[0].display()}{'至' + months[-1].display() if len(months) > 1 else ''}，"
                    f"合计{fmt_money(sum((a.amount for a in created), ZERO))}元）。")
    return created


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


# -- receipts -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReceiptResult:
    receipt: Receipt
    assessment: RemittanceAssessment | None
    serials: list[str]


def record_receipt(*, session: Session, unit: Unit, assessment_id: int | None, amount: Decimal,
                   received_on: dt.date, recorded_by: str, now: dt.datetime) -> ReceiptResult:
    """The money always lands in 暂存款 first; when it matches the earliest unallocated assessment to the
    fen it is allocated at once to that assessment's roster (unit part + personal part per person), 缴至年月
    advances, and the unit gets a message. Otherwise it stays in 暂存款 and the answer says why."""
    if amount <= ZERO:
        raise Problem(422, "amount_invalid", "来款金额应大于0")
    deposit = post_entry(session=session, unit_id=unit.id, type="receipt", booked_on=received_on, now=now,
                         summary="单位来款（暂存）", unallocated_change=amount)
    serials = [deposit.serial]
    reason = _mismatch(session=session, unit=unit, assessment_id=assessment_id, amount=amount)
    assessment = None if reason else session.get(RemittanceAssessment, assessment_id, with_for_update=True)
    if reason:
        receipt = Receipt(unit_id=unit.id, assessment_id=assessment_id if _exists(session, unit, assessment_id)
                          else None, amount=amount, received_on=received_on, status=STATUS_UNALLOCATED, note=reason,
                          recorded_by=recorded_by, created_at=now)
        messages.send(session=session, unit_ids=[unit.id], title="单位来款已暂存", business="汇缴", now=now,
                      body=f"尊敬的{unit.name}，贵单位来款{fmt_money(amount)}元已存入暂存款，未分配：{reason}")
    else:
        lines = lines_of(session=session, assessment_id=assessment.id)
        employees = {e.id: e for e in session.scalars(select(Employee).where(
            Employee.id.in_([line.employee_id for line in lines])))}
        entry = post_entry(session=session, unit_id=unit.id, type="remittance", booked_on=received_on, now=now,
                           summary=f"{assessment.month.display()}汇缴", month=assessment.month,
                           unallocated_change=-amount, amount=amount,
                           postings=[Posting(employees[line.employee_id], line.unit_monthly + line.person_monthly)
                                     for line in lines])
        serials.append(entry.serial)
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
        receipt = Receipt(unit_id=unit.id, assessment_id=assessment.id, amount=amount, received_on=received_on,
                          status=STATUS_ALLOCATED, note="", recorded_by=recorded_by, created_at=now)
        messages.send(session=session, unit_ids=[unit.id], title=f"{assessment.month.display()}汇缴已到账",
                      business="汇缴", now=now,
                      body=f"尊敬的{unit.name}，您已完成办理{assessment.month.display()}汇缴，款项已分配至职工个人账户。")
    session.add(receipt)
    session.flush()
    return ReceiptResult(receipt, assessment, serials)


def _exists(session: Session, unit: Unit, assessment_id: int | None) -> bool:
    if assessment_id is None:
        return False
    row = session.get(RemittanceAssessment, assessment_id)
    return row is not None and row.unit_id == unit.id


def _mismatch(*, session: Session, unit: Unit, assessment_id: int | None, amount: Decimal) -> str | None:
    if assessment_id is None:
        return "未指明汇缴核定"
    row = session.get(RemittanceAssessment, assessment_id)
    if row is None or row.unit_id != unit.id:
        return "未找到该单位的对应汇缴核定"
    if row.status != STATUS_UNALLOCATED:
        return f"{row.month}的汇缴已分配"
    earliest = session.scalar(select(func.min(RemittanceAssessment.month)).where(
        RemittanceAssessment.unit_id == unit.id, RemittanceAssessment.status == STATUS_UNALLOCATED))
    if str(earliest) != str(row.month):
        return f"应先缴纳{earliest}的汇缴"
    if amount != row.amount:
        return f"来款金额{fmt_money(amount)}元与核定金额{fmt_money(row.amount)}元不符"
    return None
