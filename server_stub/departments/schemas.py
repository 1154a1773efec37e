"""Request and answer bodies of /departments."""
from __future__ import annotations

from pydantic import BaseModel, Field


class DepartmentCreate(BaseModel):
    code: str = Field(max_length=40, description="部门代码：本单位内唯一，1–20位字母、数字、-或_")
    name: str = Field(max_length=200, description="部门名称")


class DepartmentUpdate(BaseModel):
    name: str = Field(max_length=200)


class DepartmentPublic(BaseModel):
    code: str
    name: str
    active_count: int = Field(description="正常缴存人数")
    sealed_count: int = Field(description="封存人数")


class TransferCreate(BaseModel):
    person_accounts: list[str | None] = Field(description="要调动的个人账号")
    to_department: str | None = Field(description="调入部门代码")


class TransferredRow(BaseModel):
    row: int = Field(description="person_accounts中的位置（从1开始）")
    person_account: str
    name: str
    from_department: str | None
    to_department: str


class TransferredPublic(BaseModel):
    transferred: list[TransferredRow]


class TransferPublic(BaseModel):
    transferred_on: str = Field(description="调动日期（中心业务日期）")
    person_account: str
    name: str
    from_department: str | None = Field(description="调出部门代码（原无部门为null）")
    from_department_name: str | None
    to_department: str
    to_department_name: str
    operator: str
