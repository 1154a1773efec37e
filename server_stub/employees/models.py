"""Employees (缴存人/职工) and their personal accounts (个人账户)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text, text
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
    # 缴存人信息变更 (SPEC 4.12): the items a unit may change through an approved application
    education: Mapped[str] = mapped_column(String(2), default="")          # 学历 (EDUCATION code)
    phone: Mapped[str] = mapped_column(String(20), default="")             # 固定电话
    postcode: Mapped[str] = mapped_column(String(6), default="")           # 邮政编码
    position: Mapped[str] = mapped_column(String(20), default="")          # 职务 (dictionary code)
    occupation: Mapped[str] = mapped_column(String(20), default="")        # 职业 (dictionary code)
    title: Mapped[str] = mapped_column(String(20), default="")             # 职称 (dictionary code)
    marital_status: Mapped[str] = mapped_column(String(2), default="")     # 婚姻状况 (MARITAL code)
    home_address: Mapped[str] = mapped_column(String(200), default="")     # 家庭住址
    family_income: Mapped[Decimal | None] = mapped_column(Money)           # 家庭月收入
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    @property
    def monthly_total(self) -> Decimal:
        return self.unit_monthly + self.person_monthly


# -- the logs --------------------------------------------------------------------------------------

BATCH_OPEN = "open"       # 缴存人登记
BATCH_SEAL = "seal"       # 封存
BATCH_UNSEAL = "unseal"   # 启封
CHANNEL_ONLINE = "网上服务大厅"


class EmployeeBatch(Base):
    """One signed submission (登记/封存/启封): who sent it, with which UKey certificate, and the exact
    bytes of the canonical body with its signature, kept as evidence (API.md "Signed submissions")."""
    __tablename__ = "employee_batches"
    __table_args__ = (Index("ix_employee_batches_unit_created", "unit_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id", ondelete="RESTRICT"))
    certificate_id: Mapped[int] = mapped_column(ForeignKey("ukey_certificates.id", ondelete="RESTRICT"))
    type: Mapped[str] = mapped_column(String(10))
    row_count: Mapped[int]
    business_date: Mapped[dt.date]
    signed_path: Mapped[str] = mapped_column(String(100))
    signed_body: Mapped[str] = mapped_column(Text)        # canonical JSON without "signature"
    signature: Mapped[str] = mapped_column(Text)          # base64, as sent
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class EmployeeStatusChange(Base):
    """The status log (账户状态变更): 开户 (→ 正常), 封存 (正常 → 封存), 启封 (封存 → 正常)."""
    __tablename__ = "employee_status_changes"
    __table_args__ = (Index("ix_employee_status_changes_unit_changed", "unit_id", "changed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="RESTRICT"), index=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("employee_batches.id", ondelete="RESTRICT"))
    type: Mapped[str] = mapped_column(String(10))                       # open / seal / unseal
    changed_on: Mapped[dt.date]                                          # the centre's business date
    effective_month: Mapped[YearMonth] = mapped_column(YearMonthType)
    reason: Mapped[str] = mapped_column(String(20), default="")          # seal_reason / unseal_reason code
    old_status: Mapped[str] = mapped_column(String(2), default="")
    new_status: Mapped[str] = mapped_column(String(2))
    base: Mapped[Decimal | None] = mapped_column(Money)                  # the base from this change on
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id", ondelete="RESTRICT"))
    operator_name: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class EmployeeChange(Base):
    """The change log (客户信息变更): one row per changed item of one employee, old → new as the clerk
    reads them."""
    __tablename__ = "employee_changes"
    __table_args__ = (Index("ix_employee_changes_unit_changed", "unit_id", "changed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="RESTRICT"), index=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("employee_batches.id", ondelete="RESTRICT"))
    changed_on: Mapped[dt.date]
    item: Mapped[str] = mapped_column(String(40))
    old: Mapped[str] = mapped_column(String(200), default="")
    new: Mapped[str] = mapped_column(String(200), default="")
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id", ondelete="RESTRICT"))
    operator_name: Mapped[str] = mapped_column(String(50), default="")
    channel: Mapped[str] = mapped_column(String(20), default=CHANNEL_ONLINE)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
