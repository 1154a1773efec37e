"""GET /unit: the registered unit, its account figures and the operator."""
from __future__ import annotations

from pydantic import BaseModel, Field

from ..auth.schemas import OperatorPublic


class UnitPublic(BaseModel):
    unit_account: str
    name: str
    uscc: str
    status: str = Field(description="单位账户状态代码（字典 unit_status）")
    paid_through: str | None = Field(description="缴至年月 YYYY-MM")
    address: str
    postcode: str
    email: str
    legal_rep_name: str
    legal_rep_id_type: str
    legal_rep_id_number: str
    contact_name: str
    contact_mobile: str
    contact_phone: str
    pay_day: int
    industry: str
    economic_type: str
    opened_on: str
    payee_bank: str
    payee_account: str
    unit_ratio: str
    person_ratio: str
    balance: str
    unallocated: str = Field(description="单位未分配金额（暂存款）")
    active_count: int
    sealed_count: int
    monthly_total: str
    operator: OperatorPublic
