"""Rounding by policy: precision 元/角/分 × mode 四舍五入/进/舍 (applied to each part separately)."""
from __future__ import annotations

from decimal import Decimal, ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP
from enum import Enum


class Precision(str, Enum):
    YUAN = "yuan"
    JIAO = "jiao"
    FEN = "fen"

    @property
    def quantum(self) -> Decimal:
        return {"yuan": Decimal("1"), "jiao": Decimal("0.1"), "fen": Decimal("0.01")}[self.value]

    @property
    def label(self) -> str:
        return {"yuan": "元", "jiao": "角", "fen": "分"}[self.value]


class RoundingMode(str, Enum):
    HALF_UP = "half_up"
    UP = "up"
    DOWN = "down"

    @property
    def label(self) -> str:
        return {"half_up": "四舍五入", "up": "进", "down": "舍"}[self.value]


# Amounts are never negative here (contributions), but define 进/舍 away from/toward zero anyway
# through ceiling/floor on the absolute value, so that a negative correction mirrors a positive one.
_MODES = {RoundingMode.HALF_UP: ROUND_HALF_UP, RoundingMode.UP: ROUND_CEILING, RoundingMode.DOWN: ROUND_FLOOR}


def round_amount(value: Decimal, precision: Precision | str, mode: RoundingMode | str) -> Decimal:
    """Round `value` to the policy precision by the policy mode; the result always has two places."""
    precision = Precision(precision)
    mode = RoundingMode(mode)
    if isinstance(value, float):
        raise TypeError("金额不能使用浮点数")
    sign = -1 if value < 0 else 1
    rounded = abs(value).quantize(precision.quantum, rounding=_MODES[mode])
    return (sign * rounded).quantize(Decimal("0.01"))
