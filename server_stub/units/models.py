"""The employer unit (缴存单位) with every registered field (SPEC 4.3, 4.13)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from services.yearmonth import YearMonth

from ..orm import Base, Ratio, UtcDateTime, YearMonthType


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_account: Mapped[str] = mapped_column(String(20), unique=True)    # 单位账号, server-issued
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)            # 统一社会信用代码
    status: Mapped[str] = mapped_column(String(2), default="01")          # 单位账户状态
    address: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(6), default="")
    email: Mapped[str] = mapped_column(String(100), default="")
    legal_rep_name: Mapped[str] = mapped_column(String(50), default="")
    legal_rep_id_type: Mapped[str] = mapped_column(String(2), default="01")
    legal_rep_id_number: Mapped[str] = mapped_column(String(30), default="")
    contact_name: Mapped[str] = mapped_column(String(50), default="")
    contact_mobile: Mapped[str] = mapped_column(String(20), default="")
    contact_phone: Mapped[str] = mapped_column(String(30), default="")
    pay_day: Mapped[int] = mapped_column(default=15)                      # 发薪日
    industry: Mapped[str] = mapped_column(String(10), default="")         # dictionary "industry"
    economic_type: Mapped[str] = mapped_column(String(10), default="")    # dictionary "economic_type"
    opened_on: Mapped[dt.date]
    unit_ratio: Mapped[Decimal] = mapped_column(Ratio)
    person_ratio: Mapped[Decimal] = mapped_column(Ratio)
    paid_through: Mapped[YearMonth | None] = mapped_column(YearMonthType)  # 缴至年月
    payee_bank: Mapped[str] = mapped_column(String(100), default="")      # for the 汇补缴书 (later)
    payee_account: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class UnitChange(Base):
    """客户信息变更: one changed registered field of a unit (old → new), written when a change takes effect."""
    __tablename__ = "unit_changes"
    __table_args__ = (Index("ix_unit_changes_unit_changed", "unit_id", "changed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    changed_on: Mapped[dt.date]                               # the business date it took effect
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    field: Mapped[str] = mapped_column(String(40))
    item: Mapped[str] = mapped_column(String(50))             # the field's Chinese name
    old: Mapped[str] = mapped_column(String(200))
    new: Mapped[str] = mapped_column(String(200))
    operator: Mapped[str] = mapped_column(String(100))        # who asked for it (经办人)
    channel: Mapped[str] = mapped_column(String(20))          # 网上服务大厅 | 中心柜台
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id", ondelete="RESTRICT"))
