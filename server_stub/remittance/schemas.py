"""Request and answer bodies of /remittance, POST /centre/receipts and POST /centre/allocations (money as
"1234.50")."""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field


class PersonDifference(BaseModel):
    person_account: str
    name: str
    reason: Literal["joined", "left", "base_changed"]
    reason_label: str = Field(description="新增缴存 / 停止缴存 / 基数变更")
    amount: str


class HeadcountAmount(BaseModel):
    headcount: int
    amount: str


class ExplainedPart(HeadcountAmount):
    people: list[PersonDifference] = Field(default_factory=list, description="谁造成了这项差额")


class NextPublic(BaseModel):
    """本月汇缴 (month, headcount, amount) = 上月 (last) + 本月增加 (added) − 本月减少 (removed)."""
    month: str
    headcount: int
    amount: str
    unit_amount: str
    person_amount: str
    last: HeadcountAmount
    added: ExplainedPart
    removed: ExplainedPart
    max_months: int = Field(description="一次最多可核定的月数（政策）")
    latest_month: str = Field(description="可核定的最后一个月（当前业务年月）")


class AssessCreate(BaseModel):
    months: list[str] = Field(min_length=1, max_length=24, description="连续的年月YYYY-MM，从下一个应缴年月开始")
    signature: str = ""


class Payee(BaseModel):
    name: str
    account: str
    bank: str


class AssessmentPublic(BaseModel):
    id: int
    month: str
    headcount: int
    amount: str
    unit_amount: str
    person_amount: str
    status: Literal["unallocated", "allocated"]
    assessed_at: str
    assessed_on: str
    serial: str = Field(description="汇补缴书编号")
    verification_code: str
    payee: Payee
    deadline: str
    operator: str


class RosterLine(BaseModel):
    person_account: str
    name: str
    id_number: str
    base: str
    unit_monthly: str
    person_monthly: str


class CountedPart(BaseModel):
    headcount: int
    amount: str


class AssessedBreakdown(BaseModel):
    last: CountedPart = Field(description="上月汇缴")
    added: CountedPart = Field(description="本月增加（新增缴存；基数变更的增加额，人数不计）")
    removed: CountedPart = Field(description="本月减少（停止缴存；基数变更的减少额，人数不计）")


class AssessmentDetail(AssessmentPublic):
    roster: list[RosterLine]
    breakdown: AssessedBreakdown | None = Field(default=None, description="核定时的上月/本月增加/本月减少")


class AssessedPublic(BaseModel):
    assessments: list[AssessmentPublic]
    message: str


class ReceiptCreate(BaseModel):
    unit_account: str = Field(max_length=20)
    assessment_id: int | None = Field(default=None, description="汇缴核定（与application_id二选一）")
    application_id: int | None = Field(default=None, description="审批通过的补缴申请：缴其补缴书")
    amount: str = Field(max_length=20)
    received_on: dt.date


class ReceiptPublic(BaseModel):
    id: int
    unit_account: str
    amount: str
    received_on: str
    status: Literal["allocated", "unallocated"] = Field(description="allocated 已分配；unallocated 留在暂存款")
    assessment_id: int | None
    application_id: int | None = None
    bill_id: int | None = Field(default=None, description="补缴书（补缴来款）")
    month: str | None
    note: str = Field(description="未分配的原因")
    serials: list[str] = Field(description="记入的业务流水号")
    unallocated: str = Field(description="记账后的单位暂存款")


class AllocationCreate(BaseModel):
    unit_account: str = Field(max_length=20)
    assessment_id: int | None = Field(default=None, description="汇缴核定（与application_id二选一）")
    application_id: int | None = Field(default=None, description="审批通过的补缴申请：缴其补缴书")


class AllocationPublic(BaseModel):
    unit_account: str
    assessment_id: int | None
    application_id: int | None
    bill_id: int | None
    month: str | None = Field(description="汇缴年月（汇缴核定）")
    amount: str = Field(description="从暂存款分配的金额")
    serial: str = Field(description="分配的业务流水号")
    booked_on: str
    unallocated: str = Field(description="分配后的单位暂存款")


class InterestSettleCreate(BaseModel):
    date: dt.date = Field(description="结息日（6月30日）")


class InterestSettledPublic(BaseModel):
    date: str
    rate: str = Field(description="年利率（%）")
    units: int
    persons: int
    interest: str = Field(description="利息合计")
    serials: list[str] = Field(description="各单位的结息业务流水号")
