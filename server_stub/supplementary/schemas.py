"""Answer bodies of /supplementary/bills (money as "1234.50")."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ..remittance.schemas import Payee


class BillPublic(BaseModel):
    id: int
    application_id: int
    application_no: str = Field(description="补缴申请的业务编号")
    serial: str = Field(description="补缴书编号")
    verification_code: str
    headcount: int
    unit_amount: str
    person_amount: str
    amount: str
    status: Literal["unallocated", "allocated"] = Field(description="unallocated 待缴款/未分配；allocated 已分配")
    approved_on: str
    deadline: str = Field(description="缴款截止日期")
    allocated_at: str | None
    payee: Payee


class BillLine(BaseModel):
    person_account: str
    name: str
    id_number: str
    reason: str
    reason_label: str
    month: str
    unit_amount: str
    person_amount: str


class BillDetail(BillPublic):
    lines: list[BillLine] = Field(description="每人每月一行")
