"""汇缴核定 (assessments with their roster snapshots) and the centre's receipts (单位来款)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.yearmonth import YearMonth

from ..orm import Base, Money, UtcDateTime, YearMonthType

STATUS_UNALLOCATED = "unallocated"   # 未分配: assessed, money not yet allocated
STATUS_ALLOCATED = "allocated"       # 已分配: paid and allocated to the personal accounts


class RemittanceAssessment(Base):
    """One month's 汇缴核定 of one unit. One row per (unit, month): two sessions assessing the same month
    at once cannot both succeed."""
    __tablename__ = "remittance_assessments"
    __table_args__ = (UniqueConstraint("unit_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    month: Mapped[YearMonth] = mapped_column(YearMonthType)
    headcount: Mapped[int]
    unit_amount: Mapped[Decimal] = mapped_column(Money)
    person_amount: Mapped[Decimal] = mapped_column(Money)
    amount: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(12), default=STATUS_UNALLOCATED)
    serial: Mapped[str] = mapped_column(String(20), unique=True)          # 汇补缴书 number
    verification_code: Mapped[str] = mapped_column(String(8))
    assessed_on: Mapped[dt.date]                                           # the business date
    deadline: Mapped[dt.date]
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id", ondelete="RESTRICT"))
    operator_name: Mapped[str] = mapped_column(String(50), default="")
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("ukey_certificates.id", ondelete="RESTRICT"))
    signed_body: Mapped[str] = mapped_column(Text, default="")
    signature: Mapped[str] = mapped_column(Text, default="")
    assessed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    breakdown: Mapped[str] = mapped_column(Text, default="")   # JSON: 上月/本月增加/本月减少 as assessed
    allocated_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class AssessmentLine(Base):
    """One person of an assessment's roster, as it was when assessed."""
    __tablename__ = "remittance_assessment_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("remittance_assessments.id", ondelete="CASCADE"),
                                               index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="RESTRICT"))
    person_account: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str] = mapped_column(String(30))
    base: Mapped[Decimal] = mapped_column(Money)
    unit_monthly: Mapped[Decimal] = mapped_column(Money)
    person_monthly: Mapped[Decimal] = mapped_column(Money)


class Receipt(Base):
    """A bank receipt the centre recorded (单位来款): allocated to an assessment or a 补缴 bill, or left in 暂存款."""
    __tablename__ = "remittance_receipts"
    __table_args__ = (Index("ix_remittance_receipts_unit", "unit_id", "received_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("remittance_assessments.id", ondelete="SET NULL"))
    bill_id: Mapped[int | None] = mapped_column(ForeignKey("supplementary_bills.id", ondelete="SET NULL"))
    amount: Mapped[Decimal] = mapped_column(Money)
    received_on: Mapped[dt.date]
    status: Mapped[str] = mapped_column(String(12))          # allocated / unallocated
    note: Mapped[str] = mapped_column(String(200), default="")
    recorded_by: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
