"""补缴 (SPEC 4.6) on the centre: the checks of a `supplementary` application (at create, submit and
approval), the bill an approval makes payable (补缴书: number, verification code, deadline, one line per
person and month), paying it from 暂存款 (a `Payable` of remittance.service: by a matching receipt, or
later from money already held), and the unit's read of its bills.

The month and amount rules are services.contribution_rules, the ones the desk checks offline, so that a
row reads the same refused here as refused in the batch import. One 补缴 per person per month: a month
of an earlier approved 补缴 (a SupplementaryLine) is refused, and the unique (employee, month) index of
the lines settles two approvals racing."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.contribution_rules import (duplicate_month, overlapping_row, split_over_months,
                                         supplement_amount_problem, supplement_cap_problems,
                                         supplement_month_problems)
from services.money import ZERO, fmt_money, parse_money
from services.yearmonth import YearMonth, month_range

from ..applications.hooks import Approval, Situation
from ..applications.models import Application
from ..employees.bulk import insert_rows
from ..employees.models import Employee
from ..employees.rows import EmployeeRows
from ..errors import Problem
from ..ledger.models import JournalEntry
from ..ledger.service import Posting, post_entry
from ..messages import service as messages
from ..numbering.service import next_value
from ..paging import PageParams, paginate
from ..reference import service as reference
from ..remittance.service import Payable, Unpayable, verification_code
from ..units.models import Unit
from .models import STATUS_ALLOCATED, STATUS_UNALLOCATED, SupplementaryBill, SupplementaryLine

BUSINESS = "补缴"
DEADLINE_DAYS = 15      # the 补缴书 is payable this many days from the approval
LOOK_BACK = "month_too_early"


# -- the checks ---------------------------------------------------------------------------------------

@dataclass(slots=True)
class Supplement:
    """One checked row of the payload."""
    row: int
    employee: Employee
    reason: str                     # supplement_reason code
    first: YearMonth
    last: YearMonth
    unit_amount: Decimal
    person_amount: Decimal


def check(situation: Situation, payload: dict) -> list[Supplement]:
    """At create, edit and submit: every problem of every row at once (422 `rows_invalid`)."""
    return _checked(situation, payload, approving=False)


def _checked(situation: Situation, payload: dict, *, approving: bool) -> list[Supplement]:
    """The rows, or 422 listing each problem (`row` = 1-based position in `rows`). At approval the look-back
    is not counted again: it was met when the unit submitted, and a slow review must not undo that."""
    session, unit = situation.session, situation.unit
    policy = reference.policy_for(session=session, day=situation.business_date)
    business_month = YearMonth.of(situation.business_date)
    batch = EmployeeRows.load(session=session, unit_id=unit.id, rows=payload["rows"])
    supplemented = _supplemented(session=session, employee_ids=[e.id for e in batch.employees.values()])
    errors = batch.errors
    taken: dict[str, list[tuple[YearMonth, YearMonth, int]]] = {}
    checked = []
    for row_no, row, employee in batch:
        account = row["person_account"]
        reason = situation.dictionaries.code_for("supplement_reason", row["reason"])
        if reason is None:
            errors.add(row_no, "reason", "reason_unknown", f"补缴原因不正确：{row['reason']}（请从下拉列表中选择）")
        first, last = YearMonth.parse(row["from_month"]), YearMonth.parse(row["to_month"])
        problems = [p for p in supplement_month_problems(
            first, last, business_month=business_month, policy=policy,
            opened_on=employee.opened_on if employee is not None else None) if not (approving and p.code == LOOK_BACK)]
        for p in problems:
            errors.add(row_no, p.field, p.code, p.message)
        if not problems and employee is not None:
            done = [(m, serial) for m, serial in supplemented.get(employee.id, ()) if first <= m <= last]
            if done:
                month, serial = min(done)
                errors.add(row_no, "from_month", "month_supplemented",
                           f"{month}已补缴（补缴书{serial}），同一职工同一月份只能补缴一次")
            other_row = overlapping_row(first, last, taken.get(account, ()))
            if other_row is not None:
                p = duplicate_month(other_row)
                errors.add(row_no, p.field, p.code, p.message)
            else:
                taken.setdefault(account, []).append((first, last, row_no))
        unit_amount, person_amount = parse_money(row["unit_amount"]), parse_money(row["person_amount"])
        amount_problem = supplement_amount_problem(unit_amount, person_amount)
        if amount_problem is not None:
            errors.add(row_no, amount_problem.field, amount_problem.code, amount_problem.message)
        elif not problems and last >= first:
            ratios = (employee.unit_ratio, employee.person_ratio) if employee is not None else None
            for p in supplement_cap_problems(unit_amount, person_amount, last - first + 1, policy, ratios):
                errors.add(row_no, p.field, p.code, p.message)
        if batch.clean():
            checked.append(Supplement(row_no, employee, reason, first, last, unit_amount, person_amount))
    errors.raise_if_any(BUSINESS)
    return checked


def _supplemented(*, session: Session, employee_ids: list[int]) -> dict[int, list[tuple[YearMonth, str]]]:
    """The months already in an approved 补缴 of each employee, with the 补缴书 number."""
    found: dict[int, list[tuple[YearMonth, str]]] = {}
    if not employee_ids:
        return found
    for employee_id, month, serial in session.execute(
            select(SupplementaryLine.employee_id, SupplementaryLine.month, SupplementaryBill.serial)
            .join(SupplementaryBill, SupplementaryBill.id == SupplementaryLine.bill_id)
            .where(SupplementaryLine.employee_id.in_(employee_ids))):
        found.setdefault(employee_id, []).append((month, serial))
    return found


# -- approval: the bill ---------------------------------------------------------------------------------

def apply(approval: Approval) -> str:
    """The approved 补缴 becomes payable: a bill (补缴书 BJ + business date + counter, verification code,
    deadline business date + 15 days) and one line per person and month. Each row's parts are spread over
    its months to the fen (equal shares, the remainder on the last month), so the lines add up to the row
    exactly. The note goes into the approval message to the unit."""
    situation = approval.situation
    session, unit, today = situation.session, situation.unit, situation.business_date
    supplements = _checked(situation, approval.payload, approving=True)
    serial = f"BJ{today:%Y%m%d}{next_value(session=session, name=f'supplementary:{today:%Y%m%d}'):06d}"
    unit_amount = sum((s.unit_amount for s in supplements), ZERO)
    person_amount = sum((s.person_amount for s in supplements), ZERO)
    amount = unit_amount + person_amount
    bill = SupplementaryBill(
        unit_id=unit.id, application_id=approval.application.id, serial=serial,
        verification_code=verification_code(serial, unit.unit_account, amount),
        headcount=len({s.employee.id for s in supplements}), unit_amount=unit_amount, person_amount=person_amount,
        amount=amount, status=STATUS_UNALLOCATED, approved_on=today,
        deadline=today + dt.timedelta(days=DEADLINE_DAYS), created_at=situation.now)
    session.add(bill)
    session.flush()
    try:
        with session.begin_nested():
            insert_rows(session=session, table=SupplementaryLine.__table__,
                        columns=("employee_id", "person_account", "name", "id_number", "reason", "month",
                                 "unit_amount", "person_amount"),
                        rows=_lines(supplements), same={"bill_id": bill.id})
    except IntegrityError:
        raise Problem(409, "conflict", "其中有职工的补缴月份已由另一笔补缴审批通过，请刷新后重试") from None
    return (f"补缴书号{serial}，补缴金额{fmt_money(amount)}元（单位{fmt_money(unit_amount)}元、个人"
            f"{fmt_money(person_amount)}元），请于{_day(bill.deadline)}前缴款。")


def _lines(supplements: list[Supplement]):
    for s in supplements:
        months = month_range(s.first, s.last)
        units, persons = split_over_months(s.unit_amount, len(months)), split_over_months(s.person_amount, len(months))
        for month, unit_part, person_part in zip(months, units, persons):
            e = s.employee
            yield e.id, e.person_account, e.name, e.id_number, s.reason, month, unit_part, person_part


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# -- paying the bill ------------------------------------------------------------------------------------

def bill_payable(*, session: Session, unit: Unit, application_id: int) -> Payable | Unpayable:
    """The bill of an approved 补缴 application of this unit, if still unallocated."""
    application = session.get(Application, application_id)
    if application is None or application.unit_id != unit.id:
        return Unpayable(404, "not_found", "未找到该单位的对应补缴申请", BUSINESS)
    if application.type != "supplementary":
        return Unpayable(422, "not_supplementary", f"业务申请{application.application_no}不是补缴业务", BUSINESS)
    bill = session.scalar(select(SupplementaryBill).where(SupplementaryBill.application_id == application.id)
                          .with_for_update())
    if bill is None:
        return Unpayable(409, "bill_not_approved",
                         f"补缴申请{application.application_no}尚未审批通过，没有可缴款的补缴书", BUSINESS)
    links = {"bill_id": bill.id}
    if bill.status != STATUS_UNALLOCATED:
        return Unpayable(409, "already_allocated", f"补缴书{bill.serial}的补缴已分配", BUSINESS, links)
    return Payable(BUSINESS, f"补缴书{bill.serial}的补缴", "补缴金额", bill.amount, links,
                   lambda booked_on, now: _allocate_bill(session=session, unit=unit, bill=bill, booked_on=booked_on,
                                                         now=now))


def _allocate_bill(*, session: Session, unit: Unit, bill: SupplementaryBill, booked_on: dt.date,
                   now: dt.datetime) -> JournalEntry:
    """From 暂存款 to the personal accounts: one `supplementary` entry, one detail per person (all their
    months, unit + personal parts). 缴至年月 does not move: 补缴 fills months already behind it."""
    lines = lines_of(session=session, bill_id=bill.id)
    per_person: dict[int, Decimal] = {}
    for line in lines:
        per_person[line.employee_id] = per_person.get(line.employee_id, ZERO) + line.unit_amount + line.person_amount
    employees = {e.id: e for e in session.scalars(select(Employee).where(Employee.id.in_(per_person)))}
    period = period_of(lines)
    entry = post_entry(session=session, unit_id=unit.id, type="supplementary", booked_on=booked_on, now=now,
                       summary=f"{period}补缴", unallocated_change=-bill.amount, amount=bill.amount,
                       postings=[Posting(employees[i], total, type="supplementary")
                                 for i, total in sorted(per_person.items())])
    bill.status, bill.allocated_at = STATUS_ALLOCATED, now
    messages.send(session=session, unit_ids=[unit.id], title="补缴已到账", business=BUSINESS, now=now,
                  body=f"尊敬的{unit.name}，您已完成办理补缴（补缴书号{bill.serial}，{period}，{bill.headcount}人，"
                       f"合计{fmt_money(bill.amount)}元），款项已分配至职工个人账户。")
    return entry


def period_of(lines: list[SupplementaryLine]) -> str:
    """"2025年03月至2025年05月" (or one month) over the bill's lines."""
    first, last = min(line.month for line in lines), max(line.month for line in lines)
    return first.display() if first == last else f"{first.display()}至{last.display()}"


# -- the unit's read ------------------------------------------------------------------------------------

def list_bills(*, session: Session, unit_id: int, params: PageParams,
               status: str | None) -> tuple[list[SupplementaryBill], int]:
    where = [SupplementaryBill.unit_id == unit_id]
    if status:
        where.append(SupplementaryBill.status == status)
    return paginate(session=session, statement=select(SupplementaryBill).where(*where)
                    .order_by(SupplementaryBill.id.desc()), params=params)


def get_bill(*, session: Session, unit_id: int, bill_id: int) -> SupplementaryBill:
    bill = session.get(SupplementaryBill, bill_id)
    if bill is None or bill.unit_id != unit_id:
        raise Problem(404, "not_found", "未找到该补缴书")
    return bill


def lines_of(*, session: Session, bill_id: int) -> list[SupplementaryLine]:
    return list(session.scalars(select(SupplementaryLine).where(SupplementaryLine.bill_id == bill_id)
                                .order_by(SupplementaryLine.person_account, SupplementaryLine.month)))
