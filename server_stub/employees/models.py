"""Employees (缴存人/职工) and their personal accounts (个人账户)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from services.money import ZERO
from services.yearmonth import YearMonth

from ..orm import Base, Money, Ratio, UtcDateTime, YearMonthType

STATUS_ACTIVE = "01"   # 正常
STATUS_SEALED = "02"   # 封存


class Employee(Base):
    __tablename__ = "employees"
    __table_args__ = (
        Index("ix_employees_unit_status", "unit_id", "status"),
        # An ID may have at most one 正常 account anywhere (SPEC 4.8).
        Index("uq_employees_active_id", "id_type", "id_number", unique=True,
              sqlite_where=text("status = '01'"), postgresql_where=text("status = '01'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    person_account: Mapped[str] = mapped_column(String(20), unique=True)   # 个人账号, server-issued
    name: Mapped[str] = mapped_column(String(50))
    id_type: Mapped[str] = mapped_column(String(2))
    id_number: Mapped[str] = mapped_column(String(30), index=True)
    gender: Mapped[str] = mapped_column(String(1), default="")
    birth_date: Mapped[dt.date | None]
    mobile: Mapped[str] = mapped_column(String(20), default="")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id", ondelete="RESTRICT"),
                                                      index=True)
    status: Mapped[str] = mapped_column(String(2), default=STATUS_ACTIVE)
    base: Mapped[Decimal] = mapped_column(Money)
    unit_ratio: Mapped[Decimal] = mapped_column(Ratio)
    person_ratio: Mapped[Decimal] = mapped_column(Ratio)
    unit_monthly: Mapped[Decimal] = mapped_column(Money)
    person_monthly: Mapped[Decimal] = mapped_column(Money)
    balance: Mapped[Decimal] = mapped_column(Money, default=ZERO)
    first_month: Mapped[YearMonth] = mapped_column(YearMonthType)
    paid_through: Mapped[YearMonth | None] = mapped_column(YearMonthType)
    opened_on: Mapped[dt.date]
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    @property
    def monthly_total(self) -> Decimal:
        return self.unit_monthly + self.person_monthly
