"""补缴 made payable: an approved `supplementary` application becomes a bill (补缴书 number, verification code,
amounts) with one line per person and month; a centre receipt pays it and the money is allocated to the
personal accounts (SPEC 4.6)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.yearmonth import YearMonth

from ..orm import Base, Money, UtcDateTime, YearMonthType

STATUS_UNALLOCATED = "unallocated"   # 待缴款: approved, money not yet allocated
STATUS_ALLOCATED = "allocated"       # 已分配


class SupplementaryBill(Base):
    """One approved 补缴 application, payable."""
    __tablename__ = "supplementary_bills"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="RESTRICT"), unique=True)
    serial: Mapped[str] = mapped_column(String(20), unique=True)          # 补缴书 number
    verification_code: Mapped[str] = mapped_column(String(8))
    headcount: Mapped[int]
    unit_amount: Mapped[Decimal] = mapped_column(Money)
    person_amount: Mapped[Decimal] = mapped_column(Money)
    amount: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(12), default=STATUS_UNALLOCATED)
    approved_on: Mapped[dt.date]                                           # the business date
    deadline: Mapped[dt.date]
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    allocated_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class SupplementaryLine(Base):
    """One person-month of an approved 补缴. Unique per (employee, month): one 补缴 per person per month."""
    __tablename__ = "supplementary_lines"
    __table_args__ = (UniqueConstraint("employee_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("supplementary_bills.id", ondelete="CASCADE"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="RESTRICT"))
    person_account: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(String(20))
    month: Mapped[YearMonth] = mapped_column(YearMonthType)
    unit_amount: Mapped[Decimal] = mapped_column(Money)
    person_amount: Mapped[Decimal] = mapped_column(Money)
