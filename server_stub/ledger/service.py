"""Posting to the ledger. One entry moves personal balances (its details) and/or the unit's 暂存款; the
unit balance always moves by the same total, which keeps the invariant

    unit balance = Σ personal balances + unallocated

true at every commit. `check_ledger` recomputes everything from the journal to prove it."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import BigInteger, Row, String, func, select, type_coerce
from sqlalchemy.orm import Session

from services.money import ZERO, fmt_money, from_fen
from services.yearmonth import YearMonth

from ..employees.models import Employee
from ..numbering.service import next_journal_serial
from ..orm import money_sum
from ..paging import PageParams
from ..units.models import Unit
from .models import JournalDayCount, JournalDetail, JournalEntry, JournalTypeCount, UnitAccount

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
    day = session.get(JournalDayCount, (unit_id, booked_on, type))   # under the account's lock: no race
    if day is None:
        session.add(JournalDayCount(unit_id=unit_id, booked_on=booked_on, type=type, entries=1))
    else:
        day.entries += 1
    kind = session.get(JournalTypeCount, (unit_id, type))
    if kind is None:
        session.add(JournalTypeCount(unit_id=unit_id, type=type, entries=1))
    else:
        kind.entries += 1
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
    if account is None:
        return ["没有单位账户记录"]
    personal = session.scalar(select(money_sum(Employee.balance)).where(Employee.unit_id == unit_id))
    if account.balance != account.unallocated + personal:
        problems.append(f"单位余额{fmt_money(account.balance)}元 ≠ 个人余额合计{fmt_money(personal)}元 + "
                        f"暂存款{fmt_money(account.unallocated)}元")
    journal_unallocated = session.scalar(select(money_sum(JournalEntry.unallocated_change))
                                         .where(JournalEntry.unit_id == unit_id))
    if journal_unallocated != account.unallocated:
        problems.append(f"暂存款{fmt_money(account.unallocated)}元 ≠ 流水记载的暂存款{fmt_money(journal_unallocated)}元")
    by_employee = dict(session.execute(
        select(JournalDetail.employee_id, money_sum(JournalDetail.amount + JournalDetail.interest))
        .join(Employee, Employee.id == JournalDetail.employee_id).where(Employee.unit_id == unit_id)
        .group_by(JournalDetail.employee_id)).all())
    for employee in session.scalars(select(Employee).where(Employee.unit_id == unit_id)):
        journal = by_employee.get(employee.id, ZERO)
        if journal != employee.balance:
            problems.append(f"个人账号{employee.person_account}：余额{fmt_money(employee.balance)}元 ≠ "
                            f"流水明细合计{fmt_money(journal)}元")
    counted = {(day, kind): n for day, kind, n in session.execute(
        select(JournalDayCount.booked_on, JournalDayCount.type, JournalDayCount.entries)
        .where(JournalDayCount.unit_id == unit_id))}
    entries = {(day, kind): n for day, kind, n in session.execute(
        select(JournalEntry.booked_on, JournalEntry.type, func.count()).where(JournalEntry.unit_id == unit_id)
        .group_by(JournalEntry.booked_on, JournalEntry.type))}
    for day, kind in sorted(set(counted) | set(entries)):
        if counted.get((day, kind), 0) != entries.get((day, kind), 0):
            problems.append(f"{day}{JOURNAL_TYPES.get(kind, kind)}：流水{entries.get((day, kind), 0)}笔 ≠ "
                            f"流水笔数记录{counted.get((day, kind), 0)}笔")
    by_type = dict(session.execute(select(JournalTypeCount.type, JournalTypeCount.entries)
                                   .where(JournalTypeCount.unit_id == unit_id)).all())
    of_type = {}
    for (_day, kind), n in entries.items():
        of_type[kind] = of_type.get(kind, 0) + n
    for kind in sorted(set(by_type) | set(of_type)):
        if by_type.get(kind, 0) != of_type.get(kind, 0):
            problems.append(f"{JOURNAL_TYPES.get(kind, kind)}：流水{of_type.get(kind, 0)}笔 ≠ "
                            f"流水笔数合计{by_type.get(kind, 0)}笔")
    return problems


@dataclass(frozen=True)
class UnitCheck:
    unit_account: str
    name: str
    balance: Decimal
    unallocated: Decimal
    problems: list[str]


def check_all(*, session: Session) -> list[UnitCheck]:
    """`check_ledger` for every unit (what `gjj-centre check-ledger` reports)."""
    results = []
    for unit in session.scalars(select(Unit).order_by(Unit.unit_account)):
        account = session.get(UnitAccount, unit.id)
        results.append(UnitCheck(unit.unit_account, unit.name, account.balance if account else ZERO,
                                 account.unallocated if account else ZERO,
                                 check_ledger(session=session, unit_id=unit.id)))
    return results


# -- queries (单位信息查询, SPEC 4.7) ------------------------------------------------------------------

@dataclass(frozen=True)
class AccountSummary:
    opening_balance: Decimal
    increase: Decimal
    decrease: Decimal
    closing_balance: Decimal
    unallocated: Decimal


def _entry_changes(session: Session, unit_id: int, *where):
    """(booked_on, change of the unit balance, change of 暂存款) of each entry: Σ details + 暂存款 change."""
    details = (select(JournalDetail.entry_id.label("entry_id"),
                      func.sum(JournalDetail.amount + JournalDetail.interest).label("total"))
               .group_by(JournalDetail.entry_id).subquery())
    rows = session.execute(
        select(JournalEntry.booked_on, func.coalesce(details.c.total, 0), JournalEntry.unallocated_change)
        .outerjoin(details, details.c.entry_id == JournalEntry.id)
        .where(JournalEntry.unit_id == unit_id, *where))
    for booked_on, personal_fen, unallocated in rows:
        yield booked_on, from_fen(int(personal_fen)) + unallocated, unallocated


def account_summary(*, session: Session, unit_id: int, day_from: dt.date | None,
                    day_to: dt.date | None) -> AccountSummary:
    """期初余额, 本期增加, 本期减少, 期末余额 of the unit account over [from, to] (booking dates, inclusive), and
    the 暂存款 at the end of it. closing = opening + increase − decrease."""
    opening = increase = decrease = unallocated = ZERO
    for booked_on, change, unallocated_change in _entry_changes(session, unit_id):
        if day_to is not None and booked_on > day_to:
            continue
        unallocated += unallocated_change
        if day_from is not None and booked_on < day_from:
            opening += change
        elif change > ZERO:
            increase += change
        else:
            decrease -= change
    return AccountSummary(opening, increase, decrease, opening + increase - decrease, unallocated)


# The money columns as stored (integer fen) and the month as stored ("YYYY-MM"): a page of 500 rows through
# Money/YearMonthType costs ~2 ms of Decimal and YearMonth building only to be formatted again (services.money.fmt_fen).
JOURNAL_PAGE_COLUMNS = (JournalEntry.serial, JournalEntry.booked_on, JournalEntry.summary,
                        type_coerce(JournalEntry.amount, BigInteger).label("amount"),
                        type_coerce(JournalEntry.interest, BigInteger).label("interest"), JournalEntry.headcount,
                        JournalEntry.type, type_coerce(JournalEntry.month, String).label("month"),
                        type_coerce(JournalEntry.unallocated_change, BigInteger).label("unallocated_change"))


def list_journal(*, session: Session, unit_id: int, params: PageParams, type: str | None, day_from: dt.date | None,
                 day_to: dt.date | None) -> tuple[list[Row], int]:
    """One page of the unit's journal, newest first (rows with the JOURNAL_PAGE_COLUMNS: amounts in integer
    fen, month a "YYYY-MM" string or None), and the total. The page walks the (unit, booking day) index
    backwards; the total adds up JournalTypeCount rows (no dates given) or JournalDayCount rows (a range of
    days) instead of counting a large journal entry by entry."""
    page = select(*JOURNAL_PAGE_COLUMNS).where(JournalEntry.unit_id == unit_id)
    counts = JournalDayCount if day_from or day_to else JournalTypeCount
    total = select(func.coalesce(func.sum(counts.entries), 0)).where(counts.unit_id == unit_id)
    if type:
        page = page.where(JournalEntry.type == type)
        total = total.where(counts.type == type)
    if day_from:
        page = page.where(JournalEntry.booked_on >= day_from)
        total = total.where(JournalDayCount.booked_on >= day_from)
    if day_to:
        page = page.where(JournalEntry.booked_on <= day_to)
        total = total.where(JournalDayCount.booked_on <= day_to)
    connection = session.connection()   # plain columns: Core rows, not the ORM's row loading (~0.4 ms a page)
    rows = connection.execute(page.order_by(JournalEntry.booked_on.desc(), JournalEntry.id.desc())
                              .offset((params.page - 1) * params.page_size).limit(params.page_size)).all()
    return rows, int(connection.execute(total).scalar())


def journal_entry(*, session: Session, unit_id: int, serial: str):
    """The entry and its details [(detail, person account, name)], or None (also for another unit's)."""
    entry = session.scalar(select(JournalEntry).where(JournalEntry.serial == serial, JournalEntry.unit_id == unit_id))
    if entry is None:
        return None, []
    details = session.execute(select(JournalDetail, Employee.person_account, Employee.name)
                              .join(Employee, Employee.id == JournalDetail.employee_id)
                              .where(JournalDetail.entry_id == entry.id).order_by(Employee.person_account)).all()
    return entry, details
