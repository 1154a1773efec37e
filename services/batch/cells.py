"""Reading one cell as a clerk meant it: harmless noise repaired (full-width digits and letters, NBSP,
zero-width and ideographic spaces, a trailing lowercase x), numbers turned into Decimal without float
error, months in every common spelling. A bad cell raises `CellError(code, message)`; an empty one gives
None. Every parser takes the raw value python-calamine returns (str, int, float, bool, date, datetime)."""
from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation

from services.money import CENT
from services.yearmonth import YearMonth, YearMonthError

from .problems import ID_AS_NUMBER, OTHER_ID_AS_NUMBER


class CellError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# Full-width ASCII (！ … ～) → ASCII; odd spaces → a space; zero-width characters and soft hyphens removed.
_TABLE: dict[int, str | None] = {c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_TABLE.update({ord(c): " " for c in "\u00a0\u3000\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                                    "\u202f\u205f\t\r\n\v\f"})
_TABLE.update({ord(c): None for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"})
_SPACES = re.compile(r" {2,}")
_NOISE = re.compile("[\u00a0\u3000\u2000-\u200f\u2028-\u202f\u205f-\u2064\ufeff\uff01-\uff5e\u00ad\\s]")
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])")
_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?E\+?\d+$", re.IGNORECASE)


def text(value: object) -> str:
    """Any cell as clean text: spaces at the ends gone, runs of spaces made one, no spaces between Chinese
    characters ("张 三" → "张三"), full-width letters and digits made half-width."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return display(value)
    if value.isascii():
        if value.isprintable():                     # the usual cell: nothing to repair
            value = value.strip()
            return _SPACES.sub(" ", value) if "  " in value else value
    elif not _NOISE.search(value):                  # Chinese text without odd spaces or full-width letters
        return value
    value = value.translate(_TABLE).strip()
    if "  " in value:
        value = _SPACES.sub(" ", value)
    if " " in value and not value.isascii():
        value = _CJK_GAP.sub("", value)
    return value


def code(value: object) -> str:
    """Text that has no spaces at all (a number, a code, an account): every space removed."""
    if value.__class__ is str and value.isascii() and value.isprintable() and " " not in value:
        return value                                # the usual cell: nothing to remove or repair
    value = text(value)
    return value.replace(" ", "") if " " in value else value


def display(value: object) -> str:
    """A raw cell as the clerk would read it (for messages and the error workbook)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer():
            return format(Decimal(repr(value)), "f") if abs(value) >= 1e15 else str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def is_blank(value: object) -> bool:
    if value is None or value == "":
        return True
    return isinstance(value, str) and not text(value)


# -- numbers -------------------------------------------------------------------------------------------
_PLAIN = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")


def decimal_of_float(value: float) -> Decimal:
    """The decimal a clerk typed, from the float calamine returns: the shortest repr that round-trips;
    if that has more than two places but Excel's own 15 significant digits do not (a formula result such
    as 2662.0000000000005), Excel's reading."""
    exact = Decimal(repr(value))
    if exact.as_tuple().exponent >= -2:
        return exact
    shown = Decimal(format(value, ".15g"))
    return shown if shown == shown.quantize(CENT) else exact


def amount(value: object, label: str) -> Decimal | None:
    """A money amount: a number or text ("12,345.60", "￥5000", "5000元"); at most two places."""
    if value.__class__ is float and math.isfinite(value):   # the usual number cell: at most two places
        shortest = repr(value)
        if len(shortest) - shortest.find(".") <= 3 and "e" not in shortest:
            return Decimal(shortest).quantize(CENT)
    if isinstance(value, bool):
        raise CellError("money_format", f"{label}格式不正确：{display(value)}（应为金额，如5000.00）")
    if isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise CellError("money_format", f"{label}格式不正确（应为金额，如5000.00）")
        result = decimal_of_float(value)
    elif isinstance(value, str):
        raw = code(value)
        if not raw:
            return None
        cleaned = raw.lstrip("¥￥").removesuffix("元")
        if _PLAIN.match(cleaned):
            result = Decimal(cleaned)
        elif _GROUPED.match(cleaned):
            result = Decimal(cleaned.replace(",", ""))
        else:
            raise CellError("money_format", f"{label}格式不正确：{raw}（应为金额，如5000.00）")
    elif value is None:
        return None
    else:
        raise CellError("money_format", f"{label}格式不正确：{display(value)}（应为金额，如5000.00）")
    cents = result.quantize(CENT)
    if cents != result:
        raise CellError("money_format", f"{label}最多保留两位小数：{display(value)}")
    return cents


# -- months --------------------------------------------------------------------------------------------
_DATE_TEXT = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_MONTH_FLOAT = re.compile(r"^\d{4}\.\d\d$")


def month(value: object, label: str) -> YearMonth | None:
    """202407, 2024-07, 2024/7, 2024.07, 2024年7月, a date cell, or a date typed as text."""
    if isinstance(value, (dt.date, dt.datetime)):
        return YearMonth(value.year, value.month)
    if isinstance(value, bool):
        raise CellError("month_format", _month_message(label, display(value)))
    if isinstance(value, float):
        if value.is_integer():
            value = str(int(value))
        elif _MONTH_FLOAT.match(repr(value)):   # 2024.07 typed into a number cell; 2024.1 is ambiguous
            value = repr(value)
        else:
            raise CellError("month_format", _month_message(label, display(value)))
    elif isinstance(value, int):
        value = str(value)
    raw = code(value)
    if not raw:
        return None
    try:
        return YearMonth.parse(raw)
    except YearMonthError:
        pass
    m = _DATE_TEXT.match(raw)
    if m:
        try:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return YearMonth(day.year, day.month)
        except ValueError:
            pass
    raise CellError("month_format", _month_message(label, raw))


def _month_message(label: str, raw: str) -> str:
    return f"{label}格式不正确：{raw}（应为YYYY-MM，如2025-03）"


# -- identifiers ---------------------------------------------------------------------------------------
def id_number(value: object, resident: bool) -> str | None:
    """The ID text; a number cell (or its scientific text "1.10101E+17") has lost digits: say so."""
    if value.__class__ is not str and isinstance(value, (int, float)) and not isinstance(value, bool):
        if abs(value) >= 1e14 or resident and isinstance(value, float) and not value.is_integer():
            raise CellError("id_stored_as_number", ID_AS_NUMBER if resident else OTHER_ID_AS_NUMBER)
        if isinstance(value, float) and not value.is_integer():
            raise CellError("id_format", f"证件号码格式不正确：{display(value)}")
        return str(int(value))
    raw = code(value)
    if not raw:
        return None
    if ("E" in raw or "e" in raw) and _SCIENTIFIC.match(raw):
        raise CellError("id_stored_as_number", ID_AS_NUMBER if resident else OTHER_ID_AS_NUMBER)
    return raw.upper() if raw[-1] == "x" else raw


def account(value: object, label: str = "个人账号") -> str | None:
    """An account number: text; a whole number cell is accepted while it is exact (< 15 digits)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if abs(value) >= 1e15 or isinstance(value, float) and not value.is_integer():
            raise CellError("stored_as_number",
                            f"{label}被Excel存为数字，可能已丢失数字：请将该列设为文本后重新录入")
        return str(int(value))
    raw = code(value)
    return raw or None


def digits(value: object) -> str | None:
    """A phone number or code typed into a number cell comes back as 13800138000.0: make it text."""
    if value.__class__ is str:
        return code(value) or None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raw = code(value)
    return raw or None


def ratio_of(value: object) -> Decimal:
    """A ratio given by the caller (Decimal, int or text); floats refused like money."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        raise TypeError("比例不能使用浮点数")
    try:
        return Decimal(str(value).strip().rstrip("%％"))
    except InvalidOperation:
        raise ValueError(f"比例格式不正确：{value}") from None
