"""缴存人信息变更 (SPEC 4.12) on the desk, without Qt: the person's current record (fetched from the centre
when picked: the cached roster is compact and does not carry these items), the 待变更清册 kept in a
`BusinessDraft` of type `employee_info_change` ({"person_account", "changes": [{"field", "old", "new"}]}),
and the checks an entry gets before it goes into the 清册 (services.employee_info: the same rules the centre
applies). 【保存】 is `client.applications.Applications.finish` with this draft.

Everything that calls the centre may block: the UI runs it in its background helper."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services import employee_info as items
from services.dictionaries import PERSON_STATUS, Dictionaries
from services.identity import ID_TYPES
from services.money import fmt_money_display, parse_money

from .applications import BusinessDraft
from .employees import EmployeesClient
from .errors import ClientError

EMPLOYEE_INFO_CHANGE = "employee_info_change"
DRAFT_MODULE = EMPLOYEE_INFO_CHANGE      # the module name of the draft in the local store
# The read-only part of the form: what identifies the person and what changes through other businesses.
LOCKED_ITEMS: tuple[tuple[str, str], ...] = (
    ("person_account", "个人账号"), ("name", "姓名"), ("status", "状态"), ("id_type", "证件类型"),
    ("id_number", "证件号码"), ("base", "缴存基数"))
LOCKED_HINT = "灰色项目不在此变更：姓名、证件请到中心柜台办理；缴存基数请办理基数调整；状态请办理状态变更"
NOTHING_CHANGED = "未修改任何项目：请先修改需要变更的项目，再点击“录入清册”"
NO_PERSON = "请先选择缴存人（输入姓名、证件号码或个人账号查找）"


def new_draft(person_account: str = "") -> BusinessDraft:
    return BusinessDraft(EMPLOYEE_INFO_CHANGE, {"person_account": person_account, "changes": []})


def fetch_person(employees: EmployeesClient, person_account: str) -> dict:
    """The person's record as `GET /employees?person_account=` has it (the nine items included)."""
    found = [p for p in employees.employees(person_account=person_account)
             if p.get("person_account") == person_account]
    if not found:
        raise ClientError(f"个人账号{person_account}不存在或不属于本单位，请刷新职工名单后重新选择")
    return found[0]


def current_values(person: Mapping[str, Any]) -> dict[str, str]:
    """The nine items of a person record as text ("" = not recorded; money "1234.50")."""
    return {name: items.as_text(name, person.get(name)) for name in items.EDITABLE}


def locked_text(name: str, person: Mapping[str, Any]) -> str:
    """A read-only item as the form shows it."""
    value = person.get(name)
    if value in (None, ""):
        return ""
    if name == "id_type":
        return ID_TYPES.get(str(value), str(value))
    if name == "base":
        return f"{fmt_money_display(parse_money(str(value)))}元"
    if name == "status":
        return PERSON_STATUS.get(str(value), str(value))
    return str(value)


@dataclass(frozen=True)
class Entry:
    """What 录入清册 found: the changes to put into the 清册, or the problems by item."""
    changes: list[dict]
    problems: dict[str, str]


def entry(current: Mapping[str, str], values: Mapping[str, str], dictionaries: Dictionaries | None) -> Entry:
    """The form's values against the person's record: each item whose value differs is checked; a good one
    becomes {"field", "old", "new"} (old = the record's value, new = the normalised value)."""
    changes, problems = [], {}
    for name in items.EDITABLE:
        old = current.get(name, "")
        value = values.get(name, old)
        if items.same(name, value, old):
            continue
        checked = items.check(name, value, dictionaries)
        if not checked.ok:
            problems[name] = checked.problem
        elif not items.same(name, checked.value, old):
            changes.append({"field": name, "old": old, "new": checked.value})
    return Entry(changes, problems)


class InfoDraft:
    """The 待变更清册 of one person inside a BusinessDraft: one row per item, in the order of the form."""

    def __init__(self, draft: BusinessDraft) -> None:
        self.draft = draft

    @property
    def person_account(self) -> str:
        return str(self.draft.payload.get("person_account") or "")

    def changes(self) -> list[dict]:
        return list(self.draft.payload.get("changes") or [])

    def fields(self) -> list[str]:
        return [c["field"] for c in self.changes()]

    def get(self, name: str) -> dict | None:
        return next((c for c in self.changes() if c["field"] == name), None)

    def start(self, person_account: str) -> None:
        """A new person: the 清册 is emptied (it is one person's)."""
        self.draft.payload = {"person_account": person_account, "changes": []}

    def set_changes(self, changes: list[dict]) -> None:
        """The 清册 becomes what the form differs in from the record (an item set back leaves it), in the
        order of the form."""
        rows = {c["field"]: dict(c) for c in changes}
        self.draft.payload["changes"] = [rows[n] for n in items.EDITABLE if n in rows]

    def remove(self, name: str) -> None:
        self.draft.payload["changes"] = [c for c in self.changes() if c["field"] != name]

    def rows(self, dictionaries: Dictionaries | None) -> list[tuple[str, str, str, str]]:
        """(field, 变更项目, 原值, 新值) as the clerk reads them."""
        return [(c["field"], items.label(c["field"]), items.display(c["field"], c.get("old"), dictionaries),
                 items.display(c["field"], c.get("new"), dictionaries)) for c in self.changes()]

    def stale(self, current: Mapping[str, str]) -> list[str]:
        """Labels of the rows whose 原值 is no longer the centre's record (changed since they were entered)."""
        return [items.label(c["field"]) for c in self.changes()
                if not items.same(c["field"], c.get("old"), current.get(c["field"], ""))]

    def is_empty(self) -> bool:
        return not self.changes() and not self.draft.files and not self.draft.remote \
            and self.draft.application_id is None
