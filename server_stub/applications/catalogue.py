"""What each application type is: its name, payload shape, attachments, what it holds while in flight,
how a reviewer sees it (old → new), the checks against current data, and the hook that applies it on
approval. A type without an apply hook is refused at submit (409 `type_not_supported`). The hooks of the
employee businesses live with their domain: 基数调整 employees/adjustment.py, 补缴 supplementary/service.py
(the approved 补缴 becomes a payable bill), 缴存人信息变更 employees/info_change.py.

Which types have a 中心复审 step is configuration (`CentreConfig.second_review_types`,
GJJ_SECOND_REVIEW_TYPES); which attachments a type requires is the `attachments` table below."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import BaseModel
from sqlalchemy import select

from services.dictionaries import Dictionaries

from ..attachments.service import OTHER, AttachmentRule
from ..config import CentreConfig
from ..employees import info_change as employee_info
from ..employees.models import Employee
from ..errors import Problem
from ..employees import adjustment as base_adjustment
from ..registrations import apply as registration
from ..supplementary import service as supplementary
from ..units import fields as unit_fields
from ..units import service as units
from . import payloads
from .hooks import Approval, ChangeRow, Situation

UNIT_INFO_CHANGE, BASE_ADJUSTMENT, SUPPLEMENTARY = "unit_info_change", "base_adjustment", "supplementary"
EMPLOYEE_INFO_CHANGE, REGISTRATION = "employee_info_change", "registration"


@dataclass(frozen=True)
class ApplicationType:
    code: str
    label: str
    payload_model: type[BaseModel] | None           # None: checked by its own service (registrations)
    attachments: tuple[AttachmentRule, ...]
    title: Callable[[dict], str]
    subjects: Callable[[int | None, dict], list[str]]
    describe: Callable[[dict, Dictionaries], list[ChangeRow]]
    check: Callable[[Situation, dict], object] | None = None    # refuses (Problem) what current data forbids
    apply: Callable[[Approval], str | None] | None = None       # the effect; returns a note for the message
    unit_business: bool = True                      # False: submitted without a login (自主开户)
    in_flight_message: str = "该缴存人存在未审批完成的变更业务，请待审批完成后再提交"
    attachment_kinds: dict[str, AttachmentRule] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "attachment_kinds", {rule.kind: rule for rule in (*self.attachments, OTHER)})

    @property
    def default_kind(self) -> str:
        return self.attachments[0].kind if self.attachments else OTHER.kind

    def second_review(self, config: CentreConfig) -> bool:
        return self.code in {t.strip() for t in config.second_review_types.split(",") if t.strip()}

    def not_supported(self) -> Problem:
        return Problem(409, "type_not_supported",
                       f"{self.label}业务的审批生效功能尚未开通，暂不能提交审批；请到公积金中心柜台办理")


# -- 单位信息变更 -------------------------------------------------------------------------------------

def _unit_changes(situation: Situation, payload: dict) -> list[units.FieldChange]:
    return units.check_changes(unit=situation.unit, changes=payload["changes"], dictionaries=situation.dictionaries,
                               business_date=situation.business_date)


def _apply_unit_changes(approval: Approval) -> None:
    situation = approval.situation
    changes = _unit_changes(situation, approval.payload)
    units.apply_changes(session=situation.session, unit_id=approval.application.unit_id, changes=changes,
                        operator=approval.initiator, channel=units.CHANNEL_ONLINE,
                        changed_on=situation.business_date, now=situation.now,
                        application_id=approval.application.id)


def _describe_unit_changes(payload: dict, dictionaries: Dictionaries) -> list[ChangeRow]:
    return [ChangeRow(unit_fields.LABELS.get(c["field"], c["field"]),
                      unit_fields.display(c["field"], unit_fields.as_text(c.get("old")), dictionaries),
                      unit_fields.display(c["field"], unit_fields.as_text(c.get("new")), dictionaries))
            for c in payload.get("changes", [])]


# -- businesses about employees (their apply hooks come with their issues) ----------------------------

def _person_accounts(payload: dict) -> list[str]:
    if "person_account" in payload:
        return [payload["person_account"]]
    return [row["person_account"] for row in payload.get("rows", [])]


def _persons(code: str) -> Callable[[int | None, dict], list[str]]:
    def subjects(_unit_id: int | None, payload: dict) -> list[str]:
        return [f"person:{account}:{code}" for account in dict.fromkeys(_person_accounts(payload))]
    return subjects


def _check_employees_of_unit(situation: Situation, payload: dict) -> None:
    accounts = _person_accounts(payload)
    known = set(situation.session.scalars(select(Employee.person_account).where(
        Employee.unit_id == situation.unit.id, Employee.person_account.in_(set(accounts)))))
    errors = [{"row": row, "field": "person_account", "code": "person_unknown",
               "message": f"个人账号{account}不存在或不属于本单位"}
              for row, account in enumerate(accounts, start=1) if account not in known]
    if errors:
        raise Problem(422, "person_unknown", "；".join(f"第{e['row']}行 {e['message']}" for e in errors), errors=errors)


def _describe_bases(payload: dict, _d: Dictionaries) -> list[ChangeRow]:
    return [ChangeRow(f"{r['person_account']} 缴存基数", r["old_base"], r["new_base"]) for r in payload.get("rows", [])]


def _describe_supplements(payload: dict, d: Dictionaries) -> list[ChangeRow]:
    return [ChangeRow(f"{r['person_account']} 补缴{r['from_month']}至{r['to_month']}"
                      f"（{d.label('supplement_reason', r['reason'])}）", "",
                      f"单位{r['unit_amount']} 个人{r['person_amount']}") for r in payload.get("rows", [])]


def _describe_employee_changes(payload: dict, d: Dictionaries) -> list[ChangeRow]:
    """Labels and displayed values (学历 本科 → 研究生), from employees/info_change.py."""
    return employee_info.describe(payload, d)


def _rows_title(label: str) -> Callable[[dict], str]:
    return lambda payload: f"{label}（{len(payload.get('rows', []))}人）"


TYPES: dict[str, ApplicationType] = {t.code: t for t in (
    ApplicationType(
        UNIT_INFO_CHANGE, "单位信息变更", payloads.UnitInfoChangePayload,
        attachments=(AttachmentRule("supporting", "变更证明材料", required=True),),
        title=lambda p: "单位信息变更：" + "、".join(unit_fields.LABELS.get(c["field"], c["field"])
                                               for c in p.get("changes", []))[:180],
        subjects=lambda unit_id, _p: [f"unit:{unit_id}:{UNIT_INFO_CHANGE}"],
        describe=_describe_unit_changes, check=_unit_changes,
        apply=_apply_unit_changes,
        in_flight_message="本单位存在未审批完成的单位信息变更业务，请待审批完成后再提交"),
    ApplicationType(
        BASE_ADJUSTMENT, "基数调整", payloads.BaseAdjustmentPayload,
        attachments=(AttachmentRule("wage_proof", "工资发放明细或基数调整审批表", required=True),),
        title=_rows_title("基数调整"), subjects=_persons(BASE_ADJUSTMENT), describe=_describe_bases,
        check=base_adjustment.check, apply=base_adjustment.apply),
    ApplicationType(
        SUPPLEMENTARY, "补缴", payloads.SupplementaryPayload,
        attachments=(AttachmentRule("supplement_proof", "补缴证明材料（工资发放明细等）", required=True),),
        title=_rows_title("补缴"), subjects=_persons(SUPPLEMENTARY), describe=_describe_supplements,
        check=supplementary.check, apply=supplementary.apply),
    ApplicationType(
        EMPLOYEE_INFO_CHANGE, "缴存人信息变更", payloads.EmployeeInfoChangePayload,
        attachments=(AttachmentRule("supporting", "变更证明材料"),),
        title=employee_info.title, subjects=_persons(EMPLOYEE_INFO_CHANGE),
        describe=_describe_employee_changes, check=employee_info.check, apply=employee_info.apply),
    ApplicationType(
        REGISTRATION, "自主开户", None,
        attachments=(AttachmentRule("business_licence", "营业执照扫描件", required=True),),
        title=lambda p: f"自主开户：{p.get('name', '')}"[:200],
        subjects=lambda _unit_id, p: [f"uscc:{p.get('uscc', '')}:{REGISTRATION}"],
        describe=registration.describe, apply=registration.approve, unit_business=False,
        in_flight_message="该统一社会信用代码已有待审批的开户申请，请勿重复提交；可凭申请编号和查询码查询进度"),
)}

UNIT_TYPES = tuple(code for code, t in TYPES.items() if t.unit_business)


def of(code: str) -> ApplicationType:
    return TYPES[code]


def load_payload(text: str) -> dict:
    return json.loads(text)


def dump_payload(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)
