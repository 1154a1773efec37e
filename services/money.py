"""Money: Decimal built one way, two places, never float.

The API carries money as decimal strings with two places ("1234.50"); the server stores integer fen.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation, ROUND_HALF_UP

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


class MoneyError(ValueError):
    """A value that is not a valid amount; the message is Chinese, for the clerk."""


def D(value: object) -> Decimal:
    """Build a Decimal from str/int/Decimal. Floats are refused: they cannot hold money exactly."""
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError("金额不能使用浮点数")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise MoneyError(f"金额格式不正确：{value}") from None
        if not result.is_finite():
            raise MoneyError(f"金额格式不正确：{value}")
        return result
    raise TypeError(f"cannot make money from {type(value).__name__}")


def money(value: object) -> Decimal:
    """A money amount quantized to the fen (half up), e.g. money("12.345") -> Decimal("12.35")."""
    return D(value).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_money(text: str) -> Decimal:
    """Parse an amount typed by a clerk or sent by the API; at most two decimal places."""
    value = D(text)
    if value != value.quantize(CENT):
        raise MoneyError(f"金额最多保留两位小数：{text}")
    return value.quantize(CENT)


def fmt_money(value: Decimal) -> str:
    """The API form: two places, no separators ("1234.50")."""
    return f"{money(value):.2f}"


def fmt_fen(fen: int) -> str:
    """The API form of an amount held as integer fen (as stored): fmt_fen(-1234) == "-12.34", exactly
    fmt_money(from_fen(fen)) without building a Decimal (a journal page formats 1,500 of these)."""
    return "%d.%02d" % divmod(fen, 100) if fen >= 0 else "-%d.%02d" % divmod(-fen, 100)


def fmt_money_display(value: Decimal) -> str:
    """The display form for clerks: thousands separators, two places ("1,234.50")."""
    return f"{money(value):,.2f}"


def to_fen(value: Decimal) -> int:
    """Integer fen for storage; the value must already be exact to the fen."""
    q = D(value)
    if q != q.quantize(CENT):
        raise MoneyError(f"金额精度超过分：{value}")
    return int(q * 100)


def from_fen(fen: int) -> Decimal:
    return (Decimal(int(fen)) / 100).quantize(CENT)
