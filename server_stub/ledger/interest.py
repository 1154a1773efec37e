"""年终结息 (SPEC §3): on 30 June each personal account earns Σ daily balance × yearly rate / 360 over the
policy year (1 July – 30 June), rounded half up to the fen; one 结息 entry per unit, a message per unit.

The daily balance is the balance at the end of each day, so a posting booked on day d counts for the days
d … 30 June: 积数 = Σ amount × (30 June − max(d, 1 July) + 1)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.money import ZERO, fmt_money
from services.policy import policy_year_of

from ..employees.models import Employee
from ..errors import Problem
from ..messages import service as messages
from ..reference import service as reference
from ..units.models import Unit
from .models import JournalDetail, JournalEntry
from .service import Posting, post_entry

SETTLEMENT_MONTH_DAY = (6, 30)
FEN = Decimal("0.01")


@dataclass(frozen=True)
class Settlement:
    day: dt.date
    rate: Decimal
    units: int
    persons: int
    interest: Decimal
    serials: list[str]


def interest_of(product: Decimal, rate_percent: Decimal) -> Decimal:
    """积数 × rate / 360, rounded half up to the fen."""
    return (product * rate_percent / 100 / 360).quantize(FEN, rounding=ROUND_HALF_UP)


def settle(*, session: Session, day: dt.date, now: dt.datetime) -> Settlement:
    if (day.month, day.day) != SETTLEMENT_MONTH_DAY:
        raise Problem(422, "not_settlement_day", f"结息日应为6月30日，{day.isoformat()}不是结息日")
    today = reference.business_date(session=session)
    if day > today:
        raise Problem(422, "date_in_future", f"结息日{day.isoformat()}晚于当前业务日期{today.isoformat()}，不能提前结息")
    if session.scalar(select(JournalEntry.id).where(JournalEntry.type == "interest", JournalEntry.booked_on == day)
                      .limit(1)) is not None:
        raise Problem(409, "already_settled", f"{day.year - 1}–{day.year}年度（结息日{day.isoformat()}）已结息，不能重复结息")
    rate = reference.policy_for(session=session, day=day).interest_rate
    start = dt.date(policy_year_of(day), 7, 1)
    units = persons = 0
    total = ZERO
    serials = []
    for unit in session.scalars(select(Unit).order_by(Unit.id)):
        products: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for employee_id, booked_on, amount, interest in session.execute(
                select(JournalDetail.employee_id, JournalDetail.booked_on, JournalDetail.amount, JournalDetail.interest)
                .join(Employee, Employee.id == JournalDetail.employee_id)
                .where(Employee.unit_id == unit.id, JournalDetail.booked_on <= day)):
            products[employee_id] += (amount + interest) * ((day - max(booked_on, start)).days + 1)
        earned = {employee_id: interest_of(p, rate) for employee_id, p in products.items()}
        earned = {k: v for k, v in earned.items() if v != ZERO}
        if not earned:
            continue
        employees = {e.id: e for e in session.scalars(select(Employee).where(Employee.id.in_(list(earned))))}
        entry = post_entry(session=session, unit_id=unit.id, type="interest", summary="年终结息", booked_on=day, now=now,
                           amount=ZERO, postings=[Posting(employees[k], ZERO, interest=v, type="interest")
                                                  for k, v in sorted(earned.items())])
        unit_total = sum(earned.values(), ZERO)
        messages.send(session=session, unit_ids=[unit.id], title=f"{day.year}年度结息", business="结息", now=now,
                      body=f"尊敬的{unit.name}，{day.year - 1}–{day.year}年度住房公积金已于{day.isoformat()}结息，"
                           f"共{len(earned)}人，利息合计{fmt_money(unit_total)}元，已记入职工个人账户。")
        units += 1
        persons += len(earned)
        total += unit_total
        serials.append(entry.serial)
    return Settlement(day, rate, units, persons, total, serials)
