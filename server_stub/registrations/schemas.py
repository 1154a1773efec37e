"""Bodies of /registrations (自主开户, no login)."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ..applications.schemas import AttachmentPublic, StepPublic


class RegistrationOperator(BaseModel):
    """The unit's first operator (经办人): logs in after approval, with the UKey the centre issues."""
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=50)
    id_type: str = Field(default="01", max_length=2, description="证件类型代码，01 居民身份证")
    id_number: str = Field(max_length=30)
    mobile: str = Field(max_length=20)
    login_name: str = Field(max_length=40, description="3–40位字母、数字、下划线、点或减号，以字母开头")
    password: str = Field(max_length=128, description="8–64位，同时包含字母和数字；只保存其argon2摘要")


class RegistrationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200, description="单位名称")
    uscc: str = Field(max_length=30, description="统一社会信用代码")
    uscc_confirmed: bool = Field(default=False, description="统一社会信用代码校验位不符时，经核对营业执照确认无误后置为true")
    address: str = Field(max_length=200)
    postcode: str = Field(max_length=6)
    email: str = Field(default="", max_length=100)
    legal_rep_name: str = Field(max_length=50)
    legal_rep_id_type: str = Field(default="01", max_length=2)
    legal_rep_id_number: str = Field(max_length=30)
    contact_name: str = Field(default="", max_length=50, description="联系人，缺省为经办人")
    contact_mobile: str = Field(default="", max_length=20, description="联系人手机，缺省为经办人手机")
    contact_phone: str = Field(default="", max_length=30)
    pay_day: int = Field(ge=1, le=31, description="发薪日")
    industry: str = Field(max_length=10, description="所属行业代码（字典 industry）")
    economic_type: str = Field(max_length=10, description="经济类型代码（字典 economic_type）")
    unit_ratio: str = Field(max_length=8, description="拟定单位缴存比例（%），如\"12\"")
    person_ratio: str = Field(max_length=8, description="拟定个人缴存比例（%）")
    operator: RegistrationOperator


class RegistrationCreated(BaseModel):
    application_no: str = Field(description="申请编号")
    query_code: str = Field(description="查询码：凭申请编号和查询码查询进度、上传营业执照、提交（只显示这一次）")
    status: str


class RegistrationStatus(BaseModel):
    application_no: str
    status: str = Field(description="draft | pending | returned | approved | rejected | ended")
    status_label: str
    current_node: str
    opinion: str = Field(description="最近一次中心审批意见")
    submitted_at: str | None
    updated_at: str
    unit_account: str | None = Field(description="审批通过后的单位账号")
    login_name: str = Field(description="经办人登录名")
    steps: list[StepPublic]
    attachments: list[AttachmentPublic]
