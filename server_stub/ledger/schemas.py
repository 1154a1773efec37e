"""Answers of GET /unit/account-summary, /unit/journal and /unit/journal/{serial}."""
from __future__ import annotations

from pydantic import BaseModel, Field


class AccountSummaryPublic(BaseModel):
    opening_balance: str = Field(description="期初余额（起始日期之前）")
    increase: str = Field(description="本期增加")
    decrease: str = Field(description="本期减少")
    closing_balance: str = Field(description="期末余额 = 期初 + 增加 − 减少")
    unallocated: str = Field(description="截止日期的暂存款（单位未分配金额）")


class JournalEntryPublic(BaseModel):
    serial: str = Field(description="业务流水号")
    booked_on: str
    summary: str
    amount: str = Field(description="发生额")
    interest: str
    headcount: int
    type: str = Field(description="remittance 汇缴 / supplementary 补缴 / interest 结息 / receipt 单位来款 / "
                                  "carry_forward 余额结转 / reversal 冲正")
    type_label: str
    month: str | None = Field(description="所属年月（汇缴、补缴）")
    unallocated_change: str = Field(description="暂存款变动")


class JournalDetailPublic(BaseModel):
    person_account: str
    name: str
    booked_on: str
    amount: str
    interest: str
    type: str


class JournalEntryDetail(JournalEntryPublic):
    details: list[JournalDetailPublic]
