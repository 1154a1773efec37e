"""Departments of a unit (单位部门): a code unique within the unit and a name."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..orm import Base, UtcDateTime


class Department(Base):
    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("unit_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class DepartmentTransfer(Base):
    """部门调动: one employee moved from one department to another. The departments are kept as code and
    name at the time (a department may later be renamed or deleted; its history stays readable)."""
    __tablename__ = "department_transfers"
    __table_args__ = (Index("ix_department_transfers_unit_transferred", "unit_id", "transferred_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="RESTRICT"), index=True)
    from_code: Mapped[str] = mapped_column(String(20), default="")
    from_name: Mapped[str] = mapped_column(String(100), default="")
    to_code: Mapped[str] = mapped_column(String(20))
    to_name: Mapped[str] = mapped_column(String(100))
    transferred_on: Mapped[dt.date]                                      # the centre's business date
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id", ondelete="RESTRICT"))
    operator_name: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
