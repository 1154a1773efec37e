"""The rules of 基数调整 (SPEC 4.4) and 补缴 (SPEC 4.6) that both sides check: the client's batch engine
offline (services/batch/businesses.py) and the centre when an application is created, submitted and
approved (server_stub/employees/adjustment.py, server_stub/supplementary/service.py). One place, so that a
row refused offline reads exactly as the centre refuses it: same `code`, same Chinese `message`.

Each check returns `RuleProblem`s naming the field by its API name (`from_month`, `to_month`,
`unit_amount`, `person_amount`, `total` for the sum of the two parts, `new_base`); the batch engine shows
the template column of the same key, the centre puts it in `errors[].field`. Money is Decimal."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .money import CENT, fmt_money
from .policy import Policy, monthly_contribution
from .yearmonth import YearMonth

UNIT_AMOUNT_LABEL, PERSON_AMOUNT_LABEL = "单位补缴金额", "个人补缴金额"


@dataclass(frozen=True, slots=True)
class RuleProblem:
    field: str       # the API field (and the template column key)
    code: str
    message: str


# -- 基数调整 -------------------------------------------------------------------------------------------

def adjustment_month_problem(policy: Policy, business_date: dt.date) -> str | None:
    """基数调整 is allowed only in the policy's adjustment month (SPEC 4.4): None, or why not."""
    if business_date.month == policy.adjustment_month:
        return None
    return f"基数调整只能在每年{policy.adjustment_month}月办理，当前为{business_date.month}月"


def new_base_problem(new_base: Decimal, current_base: Decimal | None, policy: Policy) -> RuleProblem | None:
    """The new base: within [base_min, base_max] of the policy year, and different from the current one."""
    out_of_range = policy.check_base(new_base)
    if out_of_range:
        return RuleProblem("new_base", "base_out_of_range", out_of_range)
    if current_base is not None and new_base == current_base:
        return RuleProblem("new_base", "base_unchanged",
                           f"调整后缴存基数与现缴存基数{fmt_money(current_base)}相同，无需调整，请删除该行")
    return None


# -- 补缴: months ------------------------------------------------------------------------------------

def supplement_month_problems(first: YearMonth, last: YearMonth, *, business_month: YearMonth, policy: Policy,
                              opened_on: dt.date | None) -> list[RuleProblem]:
    """The months of one row: an ordered range, all in the past (before the business month), within the
    policy's look-back, not before the person's account was opened. [] when they are fine."""
    if last < first:
        return [RuleProblem("to_month", "month_range", f"补缴终止年月{last}早于起始年月{first}，请核对")]
    problems = []
    if last >= business_month:
        problems.append(RuleProblem(
            "to_month" if last != first else "from_month", "month_not_past",
            f"补缴年月{last}不是已过去的月份（当前为{business_month}），只能补缴{business_month - 1}及以前的月份"))
    earliest = business_month - policy.max_supplement_months
    if first < earliest:
        problems.append(RuleProblem(
            "from_month", "month_too_early",
            f"补缴起始年月{first}超过最长补缴期限{policy.max_supplement_months}个月（最早{earliest}），请核对"))
    if opened_on is not None and first < YearMonth.of(opened_on):
        problems.append(RuleProblem("from_month", "before_opening",
                                    f"补缴起始年月{first}早于该职工的开户年月{YearMonth.of(opened_on)}，请核对"))
    return problems


def overlapping_row(first: YearMonth, last: YearMonth,
                    taken: Iterable[tuple[YearMonth, YearMonth, int]]) -> int | None:
    """The row (of `taken`: (first, last, row) of the same person's earlier rows) whose months overlap."""
    for other_first, other_last, other_row in taken:
        if first <= other_last and other_first <= last:
            return other_row
    return None


def duplicate_month(other_row: int) -> RuleProblem:
    return RuleProblem("from_month", "duplicate_month", f"补缴年月与第{other_row}行重叠：同一职工同一月份只能补缴一次")


# -- 补缴: amounts -----------------------------------------------------------------------------------

def split_total(total: Decimal, unit_ratio: Decimal, person_ratio: Decimal) -> tuple[Decimal, Decimal]:
    """A total split by the person's ratios: the unit part rounded half up to the fen, the rest personal."""
    unit = (total * unit_ratio / (unit_ratio + person_ratio)).quantize(CENT, rounding=ROUND_HALF_UP)
    return unit, total - unit


def supplement_amount_problem(unit: Decimal, person: Decimal) -> RuleProblem | None:
    """Neither part negative, and more than 0 together."""
    for field, label, value in (("unit_amount", UNIT_AMOUNT_LABEL, unit), ("person_amount", PERSON_AMOUNT_LABEL, person)):
        if value < 0:
            return RuleProblem(field, "money_negative", f"{label}不能为负数")
    if unit + person <= 0:
        return RuleProblem("total", "money_positive", "补缴金额应大于0")
    return None


def supplement_cap_problems(unit: Decimal, person: Decimal, months: int, policy: Policy,
                            ratios: tuple[Decimal, Decimal] | None = None) -> list[RuleProblem]:
    """Each part at most what the base cap allows for the months: months × the monthly part of base_max
    (each part rounded by the policy), with the person's ratios if known, else the policy's highest."""
    unit_ratio, person_ratio = ratios or (policy.unit_ratio_max, policy.person_ratio_max)
    cap = monthly_contribution(policy.base_max, unit_ratio, person_ratio, policy)
    problems = []
    for field, label, value, per_month in (("unit_amount", UNIT_AMOUNT_LABEL, unit, cap.unit),
                                           ("person_amount", PERSON_AMOUNT_LABEL, person, cap.person)):
        limit = per_month * months
        if value > limit:
            problems.append(RuleProblem(
                field, "amount_over_cap",
                f"{label}{fmt_money(value)}超过按缴存基数上限{fmt_money(policy.base_max)}计算的"
                f"{months}个月最高额{fmt_money(limit)}，请核对"))
    return problems


def split_over_months(amount: Decimal, months: int) -> list[Decimal]:
    """`amount` spread over `months` to the fen: equal shares rounded down, the remainder on the last month,
    so the shares add up to `amount` exactly."""
    if months < 1:
        raise ValueError("months must be at least 1")
    fen = int((amount / CENT).to_integral_value())
    share, rest = divmod(fen, months)
    return [Decimal(share) * CENT] * (months - 1) + [Decimal(share + rest) * CENT]
