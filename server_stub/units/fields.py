"""The unit's registered fields a clerk may change online (单位信息变更, SPEC 4.3) and how each new value
is checked; the locked ones (单位账号, 单位名称, 统一社会信用代码, 开户日期) change only at the centre's counter.
Also used to check a self-registration's unit fields."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from services.dictionaries import Dictionaries
from services.identity import ID_TYPES, check_id, check_mobile

LOCKED = {"unit_account": "单位账号", "name": "单位名称", "uscc": "统一社会信用代码", "opened_on": "开户日期"}


@dataclass(frozen=True)
class Context:
    values: Mapping[str, str]          # the unit's values as they would be after the change
    dictionaries: Dictionaries
    business_date: dt.date


Check = Callable[[str, Context], tuple[str, str | None]]   # value → (normalised value, Chinese problem or None)


@dataclass(frozen=True)
class UnitField:
    name: str
    label: str
    check: Check
    dictionary: str | None = None      # shown as "code label"


def _text(label: str, max_length: int, *, required: bool = True) -> Check:
    def check(value: str, _ctx: Context) -> tuple[str, str | None]:
        value = value.strip()
        if required and not value:
            return value, f"{label}不能为空"
        if len(value) > max_length:
            return value, f"{label}不能超过{max_length}个字"
        return value, None
    return check


def _pattern(label: str, regex: str, hint: str, *, required: bool = True) -> Check:
    def check(value: str, _ctx: Context) -> tuple[str, str | None]:
        value = value.strip()
        if not value and not required:
            return value, None
        return value, None if re.fullmatch(regex, value) else f"{label}{hint}"
    return check


def _code(label: str, dictionary: str) -> Check:
    def check(value: str, ctx: Context) -> tuple[str, str | None]:
        value = value.strip()
        if value not in ctx.dictionaries.tables.get(dictionary, {}):
            return value, f"{label}代码“{value}”不在字典中，请从下拉列表中选择"
        return value, None
    return check


def _id_type(value: str, _ctx: Context) -> tuple[str, str | None]:
    value = value.strip()
    return value, None if value in ID_TYPES else f"法定代表人证件类型代码“{value}”不正确"


def _legal_rep_id(value: str, ctx: Context) -> tuple[str, str | None]:
    result = check_id(ctx.values.get("legal_rep_id_type", "01"), value, ctx.business_date)
    if result.ok or result.code == "id_age":          # a legal representative may be any age
        return result.value, None
    return result.value, f"法定代表人{result.message}"


def _mobile(value: str, _ctx: Context) -> tuple[str, str | None]:
    result = check_mobile(value)
    return result.value, None if result.ok else f"经办人{result.message}"


def _pay_day(value: str, _ctx: Context) -> tuple[str, str | None]:
    value = value.strip()
    if not value.isdigit() or not 1 <= int(value) <= 31:
        return value, "发薪日应为1–31之间的整数"
    return str(int(value)), None


EDITABLE: dict[str, UnitField] = {f.name: f for f in (
    UnitField("address", "单位地址", _text("单位地址", 200)),
    UnitField("postcode", "邮政编码", _pattern("邮政编码", r"\d{6}", "应为6位数字")),
    UnitField("email", "电子信箱", _pattern("电子信箱", r"[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}", "格式不正确，如 hr@example.cn",
                                          required=False)),
    UnitField("legal_rep_name", "法定代表人姓名", _text("法定代表人姓名", 50)),
    UnitField("legal_rep_id_type", "法定代表人证件类型", _id_type, dictionary="id_type"),
    UnitField("legal_rep_id_number", "法定代表人证件号码", _legal_rep_id),
    UnitField("contact_name", "经办人姓名", _text("经办人姓名", 50)),
    UnitField("contact_mobile", "经办人手机", _mobile),
    UnitField("contact_phone", "经办人固定电话", _pattern("经办人固定电话", r"[0-9][0-9\-]{6,19}", "格式不正确，如 0571-88888888",
                                                 required=False)),
    UnitField("pay_day", "发薪日", _pay_day),
    UnitField("industry", "所属行业", _code("所属行业", "industry"), dictionary="industry"),
    UnitField("economic_type", "经济类型", _code("经济类型", "economic_type"), dictionary="economic_type"),
)}

LABELS = {**LOCKED, **{name: f.label for name, f in EDITABLE.items()}}


def as_text(value: object) -> str:
    """How a field's value is compared and logged: pay_day 15 → "15", None → ""."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def display(field: str, value: str, dictionaries: Dictionaries) -> str:
    """A value as a reviewer reads it: codes with their labels ("I 信息传输、软件和信息技术服务业")."""
    unit_field = EDITABLE.get(field)
    if unit_field is None or unit_field.dictionary is None or not value:
        return value
    label = dictionaries.label(unit_field.dictionary, value)
    return value if label == value else f"{value} {label}"
