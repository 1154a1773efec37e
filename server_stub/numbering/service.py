"""Server-issued numbers: 单位账号, 个人账号 and 业务流水号 (unique, monotonic per day)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from .models import NumberSequence

UNIT_ACCOUNT_PREFIX = "1001"     # 12 digits: 1001 + 8-digit sequence
PERSON_ACCOUNT_PREFIX = "2001"   # 12 digits: 2001 + 8-digit sequence


def next_value(*, session: Session, name: str) -> int:
    """The next value of a named counter. Creating the counter cannot race (insert-or-ignore) and the
    increment is one UPDATE … RETURNING, so the row stays locked until the transaction ends."""
    insert = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}[session.get_bind().dialect.name]
    session.execute(insert(NumberSequence).values(name=name, last_value=0).on_conflict_do_nothing(
        index_elements=["name"]))
    return session.execute(update(NumberSequence).where(NumberSequence.name == name)
                           .values(last_value=NumberSequence.last_value + 1)
                           .returning(NumberSequence.last_value)).scalar_one()


def next_values(*, session: Session, name: str, count: int) -> range:
    """`count` consecutive values of a named counter, reserved by one UPDATE (a batch of 10,000 个人账号
    costs one round trip, not 10,000)."""
    if count < 1:
        return range(0)
    insert = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}[session.get_bind().dialect.name]
    session.execute(insert(NumberSequence).values(name=name, last_value=0).on_conflict_do_nothing(
        index_elements=["name"]))
    last = session.execute(update(NumberSequence).where(NumberSequence.name == name)
                           .values(last_value=NumberSequence.last_value + count)
                           .returning(NumberSequence.last_value)).scalar_one()
    return range(last - count + 1, last + 1)


def next_unit_account(*, session: Session) -> str:
    return f"{UNIT_ACCOUNT_PREFIX}{next_value(session=session, name='unit_account'):08d}"


def next_person_account(*, session: Session) -> str:
    return f"{PERSON_ACCOUNT_PREFIX}{next_value(session=session, name='person_account'):08d}"


def next_person_accounts(*, session: Session, count: int) -> list[str]:
    return [f"{PERSON_ACCOUNT_PREFIX}{value:08d}" for value in next_values(session=session, name="person_account",
                                                                           count=count)]


def next_journal_serial(*, session: Session, booked_on: dt.date) -> str:
    day = booked_on.strftime("%Y%m%d")
    return f"{day}{next_value(session=session, name=f'journal:{day}'):06d}"
