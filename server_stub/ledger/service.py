"""Posting to the ledger. One entry moves personal balances (its details) and/or the unit's 暂存款; the
unit balance always moves by the same total, which keeps the invariant

    unit balance = Σ personal balances + unallocated

true at every commit. `check_ledger` recomputes everything from the journal to prove it."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.money import ZERO
from services.yearmonth import YearMonth

from ..employees.models import Employee
from ..numbering.service import next_journal_serial
from ..orm import money_sum
from .models import JournalDetail, JournalEntry, UnitAccount

JOURNAL_TYPES = {
    "remittance": "汇缴", "supplementary": "补缴", "interest": "结息", "receipt": "单位来款",
    "carry_forward": "余额结转", "reversal": "冲正",
}


@dataclass(frozen=True)
class Posting:
    """One person's part of an entry."""
    employee: Employee
    amount: Decimal
    interest: Decimal = ZERO
    type: str = "remittance"


def post_entry(*, session: Session, unit_id: int, type: str, summary: str, booked_on: dt.date,
               postings: Sequence[Posting] = (), unallocated_change: Decimal = ZERO, amount: Decimal | None = None,
               month: YearMonth | None = None, reverses_id: int | None = None, now: dt.datetime) -> JournalEntry:
    """Append an entry with its details and move the balances. `amount` (发生额) defaults to the sum of
    the personal amounts, or to the 暂存款 change for an entry without details."""
    if type not in JOURNAL_TYPES:
        raise ValueError(f"unknown journal type {type!r}")
    account = session.get(UnitAccount, unit_id, with_for_update=True)
    if any(p.employee.unit_id != unit_id for p in postings):
        raise ValueError("a posting names an employee of another unit")
    personal_amount = sum((p.amount for p in postings), ZERO)
    interest = sum((p.interest for p in postings), ZERO)
    if amount is None:
        amount = personal_amount if postings else unallocated_change
    entry = JournalEntry(
        serial=next_journal_serial(session=session, booked_on=booked_on), unit_id=unit_id, booked_on=booked_on,
        type=type, summary=summary, amount=amount, interest=interest, headcount=len({p.employee.id for p in postings}),
        month=month, unallocated_change=unallocated_change, reverses_id=reverses_id, created_at=now)
    session.add(entry)
    session.flush()
    session.add_all([JournalDetail(entry_id=entry.id, employee_id=p.employee.id, booked_on=booked_on, type=p.type,
                                   amount=p.amount, interest=p.interest) for p in postings])
    for p in postings:
        p.employee.balance += p.amount + p.interest
    account.balance += personal_amount + interest + unallocated_change
    account.unallocated += unallocated_change
    account.updated_at = now
    if account.unallocated < ZERO:
        raise ValueError("暂存款不足")
    return entry


def check_ledger(*, session: Session, unit_id: int) -> list[str]:
    """Every way the stored balances disagree with each other or with the journal; [] when sound."""
    session.flush()
    problems = []
    account = session.get(UnitAccount, unit_id)
    personal = session.scalar(select(money_sum(Employee.balance)).where(Employee.unit_id == unit_id))
    if account.balance != account.unallocated + personal:
        problems.append(f"unit balance {account.balance} != Σ personal {personal} + unallocated {account.unallocated}")
    journal_unallocated = session.scalar(select(money_sum(JournalEntry.unallocated_change))
                                         .where(JournalEntry.unit_id == unit_id))
    if journal_unallocated != account.unallocated:
        problems.append(f"unallocated {account.unallocated} != journal {journal_unallocated}")
    by_employee = dict(session.execute(
        select(JournalDetail.employee_id, money_sum(JournalDetail.amount + JournalDetail.interest))
        .join(Employee, Employee.id == JournalDetail.employee_id).where(Employee.unit_id == unit_id)
        .group_by(JournalDetail.employee_id)).all())
    for employee in session.scalars(select(Employee).where(Employee.unit_id == unit_id)):
        journal = by_employee.get(employee.id, ZERO)
        if journal != employee.balance:
            problems.append(f"{employee.person_account}: balance {employee.balance} != journal {journal}")
    return problems
