"""The contribution policy of one policy year (1 July – 30 June) and the monthly-contribution rule.

The server keeps one row per policy year and publishes it with a version; the client caches it and
validates offline against the same rules.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from .money import D, fmt_money, parse_money
from .rounding import Precision, RoundingMode, round_amount


@dataclass(frozen=True)
class Policy:
    year: int                       # the policy year starting 1 July of `year`
    version: int
    unit_ratio_min: Decimal         # percent, e.g. Decimal("5")
    unit_ratio_max: Decimal
    person_ratio_min: Decimal
    person_ratio_max: Decimal
    base_min: Decimal
    base_max: Decimal
    precision: Precision
    mode: RoundingMode
    adjustment_month: int
    max_remit_months: int
    max_supplement_months: int
    interest_rate: Decimal          # percent per year, e.g. Decimal("1.50")

    # -- API form -------------------------------------------------------------------------------
    def to_api(self) -> dict:
        return {
            "year": self.year, "version": self.version,
            "unit_ratio_min": _ratio_str(self.unit_ratio_min), "unit_ratio_max": _ratio_str(self.unit_ratio_max),
            "person_ratio_min": _ratio_str(self.person_ratio_min),
            "person_ratio_max": _ratio_str(self.person_ratio_max),
            "base_min": fmt_money(self.base_min), "base_max": fmt_money(self.base_max),
            "rounding": {"precision": self.precision.value, "mode": self.mode.value},
            "adjustment_month": self.adjustment_month, "max_remit_months": self.max_remit_months,
            "max_supplement_months": self.max_supplement_months,
            "interest_rate": _ratio_str(self.interest_rate),
        }

    @classmethod
    def from_api(cls, data: dict) -> "Policy":
        return cls(
            year=int(data["year"]), version=int(data["version"]),
            unit_ratio_min=D(data["unit_ratio_min"]), unit_ratio_max=D(data["unit_ratio_max"]),
            person_ratio_min=D(data["person_ratio_min"]), person_ratio_max=D(data["person_ratio_max"]),
            base_min=parse_money(data["base_min"]), base_max=parse_money(data["base_max"]),
            precision=Precision(data["rounding"]["precision"]), mode=RoundingMode(data["rounding"]["mode"]),
            adjustment_month=int(data["adjustment_month"]), max_remit_months=int(data["max_remit_months"]),
            max_supplement_months=int(data["max_supplement_months"]),
            interest_rate=D(data["interest_rate"]),
        )

    # -- rules ----------------------------------------------------------------------------------
    def check_base(self, base: Decimal) -> str | None:
        """None if the base is allowed, else the Chinese reason."""
        if base < self.base_min:
            return f"缴存基数{fmt_money(base)}低于下限{fmt_money(self.base_min)}，请核对"
        if base > self.base_max:
            return f"缴存基数{fmt_money(base)}高于上限{fmt_money(self.base_max)}，请核对"
        return None

    def check_ratios(self, unit_ratio: Decimal, person_ratio: Decimal) -> str | None:
        if not self.unit_ratio_min <= unit_ratio <= self.unit_ratio_max:
            return (f"单位缴存比例{_ratio_str(unit_ratio)}%不在{_ratio_str(self.unit_ratio_min)}%–"
                    f"{_ratio_str(self.unit_ratio_max)}%之间")
        if not self.person_ratio_min <= person_ratio <= self.person_ratio_max:
            return (f"个人缴存比例{_ratio_str(person_ratio)}%不在{_ratio_str(self.person_ratio_min)}%–"
                    f"{_ratio_str(self.person_ratio_max)}%之间")
        return None

    def monthly(self, base: Decimal, unit_ratio: Decimal, person_ratio: Decimal) -> "Contribution":
        return monthly_contribution(base, unit_ratio, person_ratio, self)


@dataclass(frozen=True)
class Contribution:
    unit: Decimal
    person: Decimal

    @property
    def total(self) -> Decimal:
        return self.unit + self.person


def monthly_contribution(base: Decimal, unit_ratio: Decimal, person_ratio: Decimal, policy: Policy) -> Contribution:
    """unit part = round(base × unit ratio), individual part = round(base × individual ratio); each
    part rounded separately by the policy's precision and mode; total = their sum."""
    unit = round_amount(base * unit_ratio / 100, policy.precision, policy.mode)
    person = round_amount(base * person_ratio / 100, policy.precision, policy.mode)
    return Contribution(unit, person)


def policy_year_of(day: dt.date) -> int:
    """The policy year runs 1 July – 30 June and is named by the year it starts in."""
    return day.year if day.month >= 7 else day.year - 1


def _ratio_str(value: Decimal) -> str:
    text = format(D(value).normalize(), "f")
    return text


def fmt_ratio(value: Decimal) -> str:
    """The API form of a percentage: no trailing zeros ("12", "7.5", "1.5")."""
    return _ratio_str(value)


DEMO_POLICY = Policy(
    year=2026, version=1,
    unit_ratio_min=D("5"), unit_ratio_max=D("12"), person_ratio_min=D("5"), person_ratio_max=D("12"),
    base_min=D("2420.00"), base_max=D("35811.00"),
    precision=Precision.YUAN, mode=RoundingMode.HALF_UP,
    adjustment_month=7, max_remit_months=3, max_supplement_months=24,
    interest_rate=D("1.50"),
)


def demo_policy(year: int) -> Policy:
    return replace(DEMO_POLICY, year=year)
