"""The declarative base and the column types every domain uses.

Money is stored as integer fen (BIGINT) and read back as `Decimal`; ratios as integer ten-thousandths of
a percent; year-months as "YYYY-MM"; timestamps as UTC and always read back timezone-aware (SQLite
forgets the zone, PostgreSQL keeps it: this type makes both the same).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from services.money import from_fen, to_fen
from services.yearmonth import YearMonth

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Money(TypeDecorator[Decimal]):
    """Decimal yuan in Python, integer fen in the database."""
    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else to_fen(value)

    def process_result_value(self, value, dialect):
        return None if value is None else from_fen(value)


RATIO_SCALE = Decimal("10000")  # 12% -> 120000; 1.5% -> 15000


class Ratio(TypeDecorator[Decimal]):
    """A percentage (Decimal("12"), Decimal("7.5")) stored exactly as an integer."""
    impl = Integer
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        scaled = Decimal(value) * RATIO_SCALE
        if scaled != scaled.to_integral_value():
            raise ValueError(f"比例精度过高：{value}")
        return int(scaled)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return (Decimal(value) / RATIO_SCALE).normalize()


class YearMonthType(TypeDecorator[YearMonth]):
    impl = String(7)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return str(value if isinstance(value, YearMonth) else YearMonth.parse(value))

    def process_result_value(self, value, dialect):
        return None if value is None else YearMonth.parse(value)


class UtcDateTime(TypeDecorator[dt.datetime]):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: use an aware UTC timestamp")
        value = value.astimezone(dt.timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


def money_sum(expression):
    """SUM of a money expression as Decimal yuan (0.00 when there are no rows). Arithmetic on Money
    columns yields plain fen in SQL; coercing the sum says explicitly how to read it back."""
    from sqlalchemy import func, type_coerce
    return type_coerce(func.coalesce(func.sum(expression), 0), Money())
