"""缴存人信息变更 (SPEC 4.12): which of an employee's items a unit may change through an approved
application, how a new value is checked (a Chinese sentence saying what is wrong), and how a value is
shown (a code as its label, money with two places). The locked items (姓名, 证件, 个人账号, 缴存基数, 状态)
change elsewhere, and the message says where.

One module for both sides: the desk checks an entry before it goes into the 待变更清册, the centre checks
the application again when it arrives and when it is approved, and writes the change log with `display`.
Values travel as text: a code, the typed text, money as "1234.50"; "" is "nothing recorded"."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from .dictionaries import FIXED, Dictionaries
from .money import MoneyError, fmt_money, parse_money

MAX_ADDRESS = 200
MAX_INCOME = Decimal("9999999.99")
LOCKED_AT_COUNTER = "{label}不能在网上变更，如需变更请携带证明材料到公积金中心柜台办理"

# The locked items and where each one is changed instead.
LOCKED: dict[str, tuple[str, str]] = {
    "name": ("姓名", LOCKED_AT_COUNTER),
    "id_type": ("证件类型", LOCKED_AT_COUNTER),
    "id_number": ("证件号码", LOCKED_AT_COUNTER),
    "person_account": ("个人账号", "个人账号由公积金中心发放，不能变更"),
    "base": ("缴存基数", "缴存基数不能在缴存人信息变更中修改，请通过“基数调整”办理"),
    "status": ("状态", "个人账户状态不能在缴存人信息变更中修改，请通过“缴存人状态变更”办理封存或启封"),
}

_PHONE = re.compile(r"(0\d{2,3}-?)?[1-9]\d{6,7}(-\d{1,6})?")
_POSTCODE = re.compile(r"\d{6}")
_DASHES = str.maketrans({"－": "-", "—": "-", "–": "-", "‐": "-"})


@dataclass(frozen=True)
class InfoItem:
    name: str
    label: str
    dictionary: str | None = None     # a code of this table (fixed or centre-configurable)
    money: bool = False
    placeholder: str = ""             # what the desk's empty field says


ITEMS: tuple[InfoItem, ...] = (
    InfoItem("education", "学历", dictionary="education"),
    InfoItem("phone", "固定电话", placeholder="如 0571-88888888"),
    InfoItem("postcode", "邮政编码", placeholder="6位数字"),
    InfoItem("position", "职务", dictionary="position"),
    InfoItem("occupation", "职业", dictionary="occupation"),
    InfoItem("title", "职称", dictionary="title"),
    InfoItem("marital_status", "婚姻状况", dictionary="marital_status"),
    InfoItem("home_address", "家庭住址", placeholder=f"不超过{MAX_ADDRESS}个字"),
    InfoItem("family_income", "家庭月收入", money=True, placeholder="如 12000.00"),
)
BY_NAME: dict[str, InfoItem] = {item.name: item for item in ITEMS}
EDITABLE: tuple[str, ...] = tuple(BY_NAME)
LABELS: dict[str, str] = {**{name: label for name, (label, _m) in LOCKED.items()},
                          **{item.name: item.label for item in ITEMS}}


def locked_message(name: str) -> str:
    """What the clerk reads when an application tries to change a locked item."""
    label, message = LOCKED[name]
    return message.format(label=label)


def unknown_message(name: str) -> str:
    return f"“{name}”不是可以变更的缴存人信息项目"


@dataclass(frozen=True)
class Checked:
    value: str                 # normalised text, as it goes into the payload and is stored
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def table(dictionaries: Dictionaries | None, name: str) -> dict[str, str]:
    """A code table: the centre's (the session's dictionaries), else the fixed one of this module."""
    found = dictionaries.tables.get(name) if dictionaries is not None else None
    return dict(found) if found else dict(FIXED.get(name, {}))


def check(name: str, text: object, dictionaries: Dictionaries | None) -> Checked:
    """A new value of an editable item: (normalised value, problem or None). Text items and 家庭月收入 may
    be cleared (""); a coded item is always one of its table (each table has its 其他 / 未说明 / 无)."""
    item = BY_NAME[name]
    value = "" if text is None else str(text).strip()
    if item.dictionary:
        if not value:
            return Checked(value, f"请选择{item.label}")
        if value not in table(dictionaries, item.dictionary):
            return Checked(value, f"{item.label}代码“{value}”不在字典中，请从下拉列表中选择")
        return Checked(value)
    if item.money:
        return _income(value)
    if name == "phone":
        value = "".join(value.translate(_DASHES).split())
        if value and not _PHONE.fullmatch(value):
            return Checked(value, "固定电话格式不正确，应为区号-号码（可带分机号），如 0571-88888888")
        return Checked(value)
    if name == "postcode":
        if value and not _POSTCODE.fullmatch(value):
            return Checked(value, "邮政编码应为6位数字")
        return Checked(value)
    if name == "home_address":
        if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
            return Checked(value, "家庭住址含有换行或不可见的控制字符，请删除后重新输入")
        if len(value) > MAX_ADDRESS:
            return Checked(value, f"家庭住址不能超过{MAX_ADDRESS}个字（现为{len(value)}个字）")
        return Checked(value)
    raise KeyError(name)


def _income(value: str) -> Checked:
    if not value:
        return Checked("")
    try:
        amount = parse_money(value)
    except MoneyError as exc:
        problem = "家庭月收入最多保留两位小数" if "两位小数" in str(exc) else "家庭月收入应为金额，如 12000.00"
        return Checked(value, problem)
    if amount < 0:
        return Checked(value, "家庭月收入不能为负数")
    if amount > MAX_INCOME:
        return Checked(value, f"家庭月收入不能超过{MAX_INCOME:,}元，请核对")
    return Checked(fmt_money(amount))


def as_text(name: str, value: object) -> str:
    """A stored value as the payload carries it: None → "", Decimal → "1234.50"."""
    if value is None:
        return ""
    if BY_NAME.get(name) is not None and BY_NAME[name].money:
        return fmt_money(value if isinstance(value, Decimal) else parse_money(str(value)))
    return str(value).strip()


def same(name: str, a: object, b: object) -> bool:
    """Two texts of an item mean the same value ("12000" and "12000.00"; " 20" and "20")."""
    left, right = ("" if a is None else str(a).strip()), ("" if b is None else str(b).strip())
    item = BY_NAME.get(name)
    if item is not None and item.money and left and right:
        try:
            return parse_money(left) == parse_money(right)
        except MoneyError:
            return False
    return left == right


def stored(name: str, value: str) -> str | Decimal | None:
    """The checked text as the centre stores it (money: Decimal, cleared: None)."""
    if BY_NAME[name].money:
        return parse_money(value) if value else None
    return value


def display(name: str, value: object, dictionaries: Dictionaries | None) -> str:
    """A value as the clerk and the reviewer read it, and as the change log keeps it: 学历 "20" → "本科",
    家庭月收入 "12000.5" → "12000.50", "" stays "" (the screens say （空）)."""
    text = "" if value is None else str(value).strip()
    item = BY_NAME.get(name)
    if not text or item is None:
        return text
    if item.dictionary:
        return table(dictionaries, item.dictionary).get(text, text)
    if item.money:
        try:
            return fmt_money(parse_money(text))
        except MoneyError:
            return text
    return text


def label(name: str) -> str:
    return LABELS.get(name, name)
