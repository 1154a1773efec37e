"""Units: creating one (issuing its 单位账号 and opening its account) and the home-page figures."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from services.money import ZERO

from ..employees.models import STATUS_ACTIVE, STATUS_SEALED, Employee
from ..ledger.models import UnitAccount
from ..numbering.service import next_unit_account
from ..orm import money_sum
from .models import Unit


@dataclass(frozen=True)
class UnitFigures:
    balance: Decimal
    unallocated: Decimal
    active_count: int
    sealed_count: int
    monthly_total: Decimal


def create_unit(*, session: Session, now: dt.datetime, **fields) -> Unit:
    """A new unit with a server-issued 单位账号 and an empty account."""
    unit = Unit(unit_account=next_unit_account(session=session), created_at=now, updated_at=now, **fields)
    session.add(unit)
    session.flush()
    session.add(UnitAccount(unit_id=unit.id, balance=ZERO, unallocated=ZERO, updated_at=now))
    session.flush()
    return unit


def find_unit(*, session: Session, unit_account: str) -> Unit | None:
    return session.scalars(select(Unit).where(Unit.unit_account == unit_account)).first()


def figures(*, session: Session, unit_id: int) -> UnitFigures:
    """余额, 暂存款, 缴存人数, 封存人数, 月缴存额合计, from the tables."""
    active = Employee.status == STATUS_ACTIVE
    active_count, sealed_count, monthly_total = session.execute(select(
        func.count().filter(active),
        func.count().filter(Employee.status == STATUS_SEALED),
        money_sum(case((active, Employee.unit_monthly + Employee.person_monthly), else_=0)),
    ).where(Employee.unit_id == unit_id)).one()
    account = session.get(UnitAccount, unit_id)
    return UnitFigures(
        balance=account.balance if account else ZERO, unallocated=account.unallocated if account else ZERO,
        active_count=active_count, sealed_count=sealed_count, monthly_total=monthly_total,
    )
