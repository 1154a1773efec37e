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


class UnitChangePublic(BaseModel):
    changed_on: str = Field(description="生效日期（业务日期）YYYY-MM-DD")
    item: str = Field(description="变更项目（中文）")
    field: str = Field(description="字段名，如 address")
    old: str
    new: str
    operator: str = Field(description="经办人")
    channel: str = Field(description="渠道：网上服务大厅 / 中心柜台")
    application_id: int | None = Field(description="引起变更的审批业务")
