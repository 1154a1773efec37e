"""缴存人信息变更 (SPEC 4.12) at the centre: the hooks of the `employee_info_change` application type.

`check` runs when the application is created, edited, submitted and approved: the person is one of the
unit's, every item may be changed online (services.employee_info), every new value is valid, every `old`
is still what the centre holds (the clerk saw the current record), nothing is "changed" to itself, and no
item comes twice. Every problem is listed at once (422 `employee_change_invalid`, one error per change row).
`apply` (on the final approval, in the reviewer's transaction) stores the values and writes one change-log
row per item (客户信息变更查询, `GET /employees/changes`) in the words the clerk reads: the item's label
and the values as displayed (学历 本科 → 研究生), by the operator who asked, channel 网上服务大厅."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from services import employee_info as items

from ..applications.hooks import Approval, ChangeRow, Situation
from ..auth.models import Operator
from ..errors import Problem
from .logs import ChangeEntry, Clerk, write_change_log
from .models import CHANNEL_ONLINE, Employee


@dataclass(frozen=True)
class InfoChange:
    field: str
    old: str          # the centre's value as text ("" = none)
    new: str          # the checked new value as text


def _error(errors: list[dict], row: int | None, field: str, code: str, message: str) -> None:
    errors.append({"row": row, "field": field, "code": code, "message": message})


def _employee(situation: Situation, account: str, *, lock: bool = False) -> Employee:
    statement = select(Employee).where(Employee.unit_id == situation.unit.id, Employee.person_account == account)
    employee = situation.session.scalars(statement.with_for_update() if lock else statement).first()
    if employee is None:
        message = f"个人账号{account}不存在或不属于本单位"
        raise Problem(422, "person_unknown", message,
                      errors=[{"row": None, "field": "person_account", "code": "person_unknown", "message": message}])
    return employee


def check_changes(employee: Employee, changes: list[dict], situation: Situation) -> list[InfoChange]:
    """The change list against this employee's record, normalised; 422 naming every bad row."""
    errors: list[dict] = []
    seen: set[str] = set()
    result: list[InfoChange] = []
    for row, change in enumerate(changes, start=1):
        name = str(change.get("field", ""))
        if name in items.LOCKED:
            _error(errors, row, name, "field_locked", items.locked_message(name))
            continue
        if name not in items.BY_NAME:
            _error(errors, row, name, "field_unknown", items.unknown_message(name))
            continue
        label = items.label(name)
        if name in seen:
            _error(errors, row, name, "field_repeated", f"{label}重复填写，请只保留一项")
            continue
        seen.add(name)
        current = items.as_text(name, getattr(employee, name))
        if not items.same(name, change.get("old"), current):
            _error(errors, row, name, "old_value_changed", f"{label}的原值与中心记录不符，请刷新后重新录入")
            continue
        checked = items.check(name, change.get("new"), situation.dictionaries)
        if checked.ok and items.same(name, checked.value, current):
            _error(errors, row, name, "value_unchanged", f"{label}的新值与原值相同，无需变更")
        elif not checked.ok:
            _error(errors, row, name, "value_invalid", checked.problem)
        else:
            result.append(InfoChange(name, current, checked.value))
    if errors:
        raise Problem(422, "employee_change_invalid",
                      "缴存人信息变更内容有误：" + "；".join(e["message"] for e in errors), errors=errors)
    return result


def check(situation: Situation, payload: dict) -> list[InfoChange]:
    """The catalogue's `check` hook (the payload's shape is already checked)."""
    employee = _employee(situation, payload["person_account"])
    return check_changes(employee, payload["changes"], situation)


def apply(approval: Approval) -> str:
    """The catalogue's `apply` hook: checked once more against the locked record, then stored and logged."""
    situation, application = approval.situation, approval.application
    employee = _employee(situation, approval.payload["person_account"], lock=True)
    changes = check_changes(employee, approval.payload["changes"], situation)
    log = []
    for change in changes:
        setattr(employee, change.field, items.stored(change.field, change.new))
        log.append(ChangeEntry(employee.id, items.label(change.field),
                               items.display(change.field, change.old, situation.dictionaries),
                               items.display(change.field, change.new, situation.dictionaries)))
    employee.updated_at = situation.now
    operator = situation.session.get(Operator, application.operator_id)
    clerk = Clerk(situation.unit, operator, f"{situation.unit.unit_account}/{operator.login_name}",
                  situation.business_date, situation.now)
    situation.session.flush()
    write_change_log(session=situation.session, clerk=clerk, batch_id=None, entries=log, channel=CHANNEL_ONLINE)
    what = "、".join(items.label(c.field) for c in changes)
    return f"{employee.name}（个人账号{employee.person_account}）的{what}已变更。"


def describe(payload: dict, dictionaries) -> list[ChangeRow]:
    """What the reviewer and the clerk read in the detail: the item's label, old → new as displayed."""
    account = payload.get("person_account", "")
    return [ChangeRow(f"{account} {items.label(str(c.get('field', '')))}".strip(),
                      items.display(str(c.get("field", "")), c.get("old"), dictionaries),
                      items.display(str(c.get("field", "")), c.get("new"), dictionaries))
            for c in payload.get("changes", [])]


def title(payload: dict) -> str:
    """The application's title in the boxes and the queue: who, and which items."""
    what = "、".join(dict.fromkeys(items.label(str(c.get("field", ""))) for c in payload.get("changes", [])))
    return f"缴存人信息变更：{payload.get('person_account', '')}（{what}）" if what else \
        f"缴存人信息变更：{payload.get('person_account', '')}"
