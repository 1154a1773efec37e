"""Request and answer bodies of /employees. Row cells are taken loosely (text or whole numbers) and
checked by the service, so that every problem comes back with its row number and a Chinese message."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

SIGNATURE_HELP = "UKey签名（base64），对 gjj-sign|POST|{path}|{不含signature、键排序的JSON} 签名；缺少或不符则403 bad_signature"
Cell = str | int | None


class OpenRow(BaseModel):
    name: str | None = Field(None, description="姓名")
    id_type: str | None = Field(None, description="证件类型代码（字典 id_type），缺省01居民身份证")
    id_number: str | None = Field(None, description="证件号码")
    mobile: str | None = Field(None, description="手机号码（可空）")
    department: str | None = Field(None, description="部门代码（可空）")
    base: Cell = Field(None, description="缴存基数，如\"5000.00\"")
    unit_ratio: Cell = Field(None, description="单位缴存比例（百分数），缺省为单位比例")
    person_ratio: Cell = Field(None, description="个人缴存比例（百分数），缺省为单位的个人比例")
    first_month: str | None = Field(None, description="首次缴存年月YYYY-MM，缺省为单位缴至年月的次月")


class OpenCreate(BaseModel):
    rows: list[OpenRow]
    signature: str | None = Field(None, description=SIGNATURE_HELP)


class SealRow(BaseModel):
    person_account: str | None = None
    reason: str | None = Field(None, description="封存原因代码（字典 seal_reason）")
    effective_month: str | None = Field(None, description="封存年月YYYY-MM：自该月起停止缴存，应晚于缴至年月")


class SealCreate(BaseModel):
    rows: list[SealRow]
    signature: str | None = Field(None, description=SIGNATURE_HELP)


class UnsealRow(BaseModel):
    person_account: str | None = None
    reason: str | None = Field(None, description="启封原因代码（字典 unseal_reason）")
    effective_month: str | None = Field(None, description="启封年月YYYY-MM：自该月起恢复缴存，应晚于缴至年月")
    base: Cell = Field(None, description="启封后的缴存基数")


class UnsealCreate(BaseModel):
    rows: list[UnsealRow]
    signature: str | None = Field(None, description=SIGNATURE_HELP)


class OpenedRow(BaseModel):
    row: int = Field(description="请求中的行号（从1开始）")
    person_account: str


class OpenedPublic(BaseModel):
    opened: list[OpenedRow]


class StatusChangedRow(BaseModel):
    row: int
    person_account: str
    name: str


class SealedPublic(BaseModel):
    sealed: list[StatusChangedRow]


class UnsealedPublic(BaseModel):
    unsealed: list[StatusChangedRow]


class EmployeePublic(BaseModel):
    person_account: str
    name: str
    id_type: str
    id_number: str
    gender: str
    birth_date: str | None
    mobile: str
    department: str | None = Field(description="部门代码")
    department_name: str | None
    status: str = Field(description="个人账户状态代码（01正常、02封存…）")
    base: str
    unit_ratio: str
    person_ratio: str
    unit_monthly: str
    person_monthly: str
    balance: str
    first_month: str
    paid_through: str | None
    opened_on: str
    # 缴存人信息变更 (SPEC 4.12) items: codes as stored ("" = not recorded), money as "1234.50" or null
    education: str = Field("", description="学历代码（字典 education）")
    phone: str = Field("", description="固定电话")
    postcode: str = Field("", description="邮政编码")
    position: str = Field("", description="职务代码（字典 position）")
    occupation: str = Field("", description="职业代码（字典 occupation）")
    title: str = Field("", description="职称代码（字典 title）")
    marital_status: str = Field("", description="婚姻状况代码（字典 marital_status）")
    home_address: str = Field("", description="家庭住址")
    family_income: str | None = Field(None, description="家庭月收入，如\"12000.00\"；未登记为null")


class StatusChangePublic(BaseModel):
    changed_on: str
    person_account: str
    name: str
    id_number: str
    type: str = Field(description="open 开户 / seal 封存 / unseal 启封")
    reason: str = Field(description="原因代码（字典 seal_reason / unseal_reason）")
    reason_label: str
    effective_month: str
    old_status: str
    new_status: str
    base: str | None
    operator: str


class ChangePublic(BaseModel):
    changed_on: str
    person_account: str
    name: str
    item: str
    old: str
    new: str
    operator: str
    channel: str


class RosterPublic(BaseModel):
    """This unit's people (正常 and 封存…) for the client's offline checks, rows as arrays in the order of
    `fields`. Fetch with If-None-Match: 304 when unchanged."""
    model_config = ConfigDict(json_schema_extra={"example": {
        "version": "9f2c…", "count": 1, "fields": ["person_account", "name", "…"], "rows": [["200100000001", "…"]]}})

    version: str = Field(description="与ETag相同")
    count: int
    fields: list[str]
    rows: list[list[str | None]]
