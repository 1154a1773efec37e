"""The unit's registered fields on the 单位信息变更 tab: which are locked (changed only at the centre's
counter), which the clerk may change, and the checks made before a change enters the 待变更清册 (the
centre checks again when the application arrives)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from services.dictionaries import Dictionaries
from services.identity import ID_TYPES, check_id, check_mobile

Check = Callable[[str, dict[str, str], dt.date], str | None]   # value, all new values, business date → problem


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    locked: bool = False
    dictionary: str | None = None   # a drop-down of this code table
    check: Check | None = None
    wide: bool = False              # spans the whole row


def _required(label: str, max_length: int) -> Check:
    def check(value: str, _values: dict[str, str], _day: dt.date) -> str | None:
        if not value:
            return f"{label}不能为空"
        return f"{label}不能超过{max_length}个字" if len(value) > max_length else None
    return check


def _pattern(label: str, regex: str, hint: str, required: bool = True) -> Check:
    def check(value: str, _values: dict[str, str], _day: dt.date) -> str | None:
        if not value:
            return f"{label}不能为空" if required else None
        return None if re.fullmatch(regex, value) else f"{label}{hint}"
    return check


def _mobile(value: str, _values: dict[str, str], _day: dt.date) -> str | None:
    result = check_mobile(value)
    return None if result.ok else f"经办人{result.message}"


def _legal_rep_id(value: str, values: dict[str, str], day: dt.date) -> str | None:
    result = check_id(values.get("legal_rep_id_type") or "01", value, day)
    return None if result.ok or result.code == "id_age" else f"法定代表人{result.message}"


def _pay_day(value: str, _values: dict[str, str], _day: dt.date) -> str | None:
    return None if value.isdigit() and 1 <= int(value) <= 31 else "发薪日应为1–31之间的整数"


def _code(label: str) -> Check:
    def check(value: str, _values: dict[str, str], _day: dt.date) -> str | None:
        return None if value else f"请选择{label}"
    return check


FIELDS: list[Field] = [
    Field("unit_account", "单位账号", locked=True),
    Field("name", "单位名称", locked=True),
    Field("uscc", "统一社会信用代码", locked=True),
    Field("opened_on", "开户日期", locked=True),
    Field("address", "单位地址", check=_required("单位地址", 200), wide=True),
    Field("postcode", "邮政编码", check=_pattern("邮政编码", r"\d{6}", "应为6位数字")),
    Field("email", "电子信箱", check=_pattern("电子信箱", r"[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}", "格式不正确，如 hr@example.cn",
                                         required=False)),
    Field("legal_rep_name", "法定代表人姓名", check=_required("法定代表人姓名", 50)),
    Field("legal_rep_id_type", "法定代表人证件类型", dictionary="id_type", check=_code("法定代表人证件类型")),
    Field("legal_rep_id_number", "法定代表人证件号码", check=_legal_rep_id),
    Field("pay_day", "发薪日", check=_pay_day),
    Field("contact_name", "经办人姓名", check=_required("经办人姓名", 50)),
    Field("contact_mobile", "经办人手机", check=_mobile),
    Field("contact_phone", "经办人固定电话", check=_pattern("经办人固定电话", r"[0-9][0-9\-]{6,19}",
                                                      "格式不正确，如 0571-88888888", required=False)),
    Field("industry", "所属行业", dictionary="industry", check=_code("所属行业")),
    Field("economic_type", "经济类型", dictionary="economic_type", check=_code("经济类型")),
]
BY_NAME = {f.name: f for f in FIELDS}
EDITABLE = [f for f in FIELDS if not f.locked]
LOCKED_HINT = "灰色项目不能在网上变更，如需变更请携带证明材料到公积金中心柜台办理"


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def display(name: str, value: str, dictionaries: Dictionaries | None) -> str:
    """A value as the clerk reads it: a code with its label ("I 信息传输、软件和信息技术服务业")."""
    field = BY_NAME.get(name)
    if not value or field is None or field.dictionary is None:
        return value
    table = (dictionaries.tables.get(field.dictionary, {}) if dictionaries else {}) or \
        (ID_TYPES if field.dictionary == "id_type" else {})
    label = table.get(value)
    return f"{value} {label}" if label else value


def problems(values: dict[str, str], changed: list[str], day: dt.date) -> dict[str, str]:
    """{field: problem} of the `changed` fields, checked with all the values as they would become."""
    found = {}
    for name in changed:
        field = BY_NAME[name]
        problem = field.check(values[name], values, day) if field.check else None
        if problem:
            found[name] = problem
    return found
