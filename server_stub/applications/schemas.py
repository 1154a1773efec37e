"""Request and answer bodies of /applications (and the parts /centre/applications shares)."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

UnitTypeCode = Literal["unit_info_change", "base_adjustment", "supplementary", "employee_info_change"]


class ApplicationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: UnitTypeCode
    payload: dict[str, Any] = Field(description="按业务类型：unit_info_change {changes: [{field, old, new}]}；"
                                                "base_adjustment {rows: [{person_account, old_base, new_base}]}；"
                                                "supplementary {rows: [{person_account, reason, from_month, to_month, "
                                                "unit_amount, person_amount}]}；employee_info_change "
                                                "{person_account, changes: [{field, old, new}]}")
    signature: str = Field(default="", max_length=4000, description="UKey签名（base64），见“Signed submissions”：签名内容为 "
                                                        "gjj-sign|POST|/api/v1/applications|{规范化JSON}")


class ApplicationUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    payload: dict[str, Any] = Field(description="新的业务内容（与创建时同一格式）")
    signature: str = Field(default="", max_length=4000, description="UKey签名（base64），签名内容为 "
                                                        "gjj-sign|PUT|/api/v1/applications/{id}|{规范化JSON}")


class ApplicationState(BaseModel):
    id: int
    application_no: str = Field(description="业务编号")
    type: str
    status: str = Field(description="draft | pending | returned | approved | rejected | ended")
    current_node: str = Field(description="当前所在（或结束于）的流程节点")


class ApplicationSummary(BaseModel):
    id: int
    application_no: str
    type: str
    type_label: str
    title: str
    status: str
    status_label: str
    current_node: str
    initiator: str = Field(description="发起的经办人")
    submitted_at: str | None
    updated_at: str


class CentreApplicationSummary(ApplicationSummary):
    unit_account: str | None = Field(description="单位账号（自主开户在审批通过前为空）")
    unit_name: str


class StepPublic(BaseModel):
    node: str = Field(description="经办人提交 | 中心初审 | 中心复审 | 办结 | 结束流程")
    actor: str
    actor_kind: str = Field(description="unit | centre | applicant")
    decision: str = Field(description="submit | resubmit | approve | return | reject | done | end")
    decision_label: str
    opinion: str
    at: str


class AttachmentPublic(BaseModel):
    attachment_id: int
    kind: str
    kind_label: str
    label: str = Field(description="上传时的文件名（仅作标签）")
    media_type: str
    size: int
    sha256: str
    uploaded_at: str


class SignaturePublic(BaseModel):
    """The UKey signature kept with the current payload version: verified when it arrived."""
    signed: bool
    verified: bool
    signer: str = Field(description="签名时登录的经办人")
    certificate_serial: str
    certificate_fingerprint: str = Field(description="证书SHA-256指纹（hex）")
    certificate_subject: str
    signed_at: str
    version: int = Field(description="业务内容版本（退回后重新提交会增加）")
    signature: str
    signed_data: str = Field(description="被签名的原文 gjj-sign|METHOD|path|规范化JSON")


class AttachmentRulePublic(BaseModel):
    kind: str
    label: str
    required: bool


class ChangeRowPublic(BaseModel):
    item: str
    old: str
    new: str


class ApplicationDetail(BaseModel):
    id: int
    application_no: str
    type: str
    type_label: str
    title: str
    status: str
    status_label: str
    current_node: str
    flow: list[str] = Field(description="流程图的节点，依次为 经办人提交、中心初审、（中心复审）、办结/不予受理/结束流程")
    payload: dict[str, Any]
    changes: list[ChangeRowPublic] = Field(description="变更内容（项目、原值、新值），供显示")
    steps: list[StepPublic]
    opinion: str = Field(description="最近一次中心审批意见")
    attachments: list[AttachmentPublic]
    required_attachments: list[AttachmentRulePublic]
    signature: SignaturePublic | None
    initiator: str
    created_at: str
    submitted_at: str | None
    updated_at: str
    finished_at: str | None


class CentreApplicationDetail(ApplicationDetail):
    unit_account: str | None
    unit_name: str


class ApplicationTypePublic(BaseModel):
    type: str
    label: str
    supported: bool = Field(description="false：审批生效尚未开通，提交时409 type_not_supported")
    second_review: bool = Field(description="是否有中心复审")
    attachments: list[AttachmentRulePublic]


class DecisionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "return", "reject"]
    opinion: str = Field(default="", max_length=1000, description="审批意见；退回和不予受理时必填")
