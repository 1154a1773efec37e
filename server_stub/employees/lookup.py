"""Set-at-a-time lookups for batches: one query whatever the number of rows (no per-row round trips).

A list of values travels as ONE bound parameter (a JSON array on SQLite, an array on PostgreSQL), so
10,000 IDs neither hit SQLite's limit on bound variables nor make a statement with 10,000 placeholders."""
from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import String, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from services.yearmonth import YearMonth

from .models import STATUS_ACTIVE, STATUS_SEALED, Employee


def among(session: Session, column, values: Collection[str]):
    """`column IN values` as a one-parameter condition."""
    values = list(values)
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(String)))
    return column.in_(select(func.json_each(json.dumps(values, ensure_ascii=False)).table_valued("value").c.value))


def unit_employees(*, session: Session, unit_id: int, accounts: Collection[str]) -> dict[str, Employee]:
    """This unit's employees among `accounts` (another unit's are simply not found), in one query."""
    if not accounts:
        return {}
    return {e.person_account: e for e in session.scalars(select(Employee).where(
        Employee.unit_id == unit_id, among(session, Employee.person_account, set(accounts))))}


@dataclass(slots=True)
class Holder:
    """An account held by an ID somewhere (正常 or 封存)."""
    unit_id: int
    person_account: str
    status: str


def accounts_by_id(*, session: Session, ids: Collection[tuple[str, str]]) -> dict[tuple[str, str], list[Holder]]:
    """Every 正常 or 封存 account, in any unit, of the given (id_type, id_number) pairs."""
    if not ids:
        return {}
    wanted = set(ids)
    statement = select(Employee.id_type, Employee.id_number, Employee.unit_id, Employee.person_account,
                       Employee.status).where(among(session, Employee.id_number, {n for _, n in wanted}),
                                              Employee.status.in_((STATUS_ACTIVE, STATUS_SEALED)))
    found: dict[tuple[str, str], list[Holder]] = {}
    for id_type, id_number, unit_id, account, status in session.execute(statement):
        if (id_type, id_number) in wanted:
            found.setdefault((id_type, id_number), []).append(Holder(unit_id, account, status))
    return found


@dataclass(slots=True)
class Account:
    """The fields of one of this unit's employees a status change or transfer needs."""
    id: int
    person_account: str
    name: str
    id_type: str
    id_number: str
    status: str
    base: Decimal
    unit_ratio: Decimal
    person_ratio: Decimal
    paid_through: YearMonth | None
    department_id: int | None


def unit_accounts(*, session: Session, unit_id: int, person_accounts: Collection[str],
                  lock: bool = True) -> dict[str, Account]:
    """This unit's employees among `person_accounts` (another unit's accounts are simply not found),
    locked for the rest of the transaction."""
    if not person_accounts:
        return {}
    statement = select(Employee.id, Employee.person_account, Employee.name, Employee.id_type, Employee.id_number,
                       Employee.status, Employee.base, Employee.unit_ratio, Employee.person_ratio,
                       Employee.paid_through, Employee.department_id).where(
        Employee.unit_id == unit_id, among(session, Employee.person_account, set(person_accounts)))
    if lock:
        statement = statement.with_for_update()
    return {row.person_account: Account(*row) for row in session.execute(statement)}
