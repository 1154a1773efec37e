import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from services.dictionaries import Dictionaries, default_dictionaries
from services.policy import DEMO_POLICY, Policy, monthly_contribution, policy_year_of
from services.rounding import Precision, RoundingMode
from services.signing import canonical_json, login_message, submission_message
from services.yearmonth import YearMonth, YearMonthError, month_range


def test_policy_api_round_trip():
    assert Policy.from_api(DEMO_POLICY.to_api()) == DEMO_POLICY


def test_monthly_contribution_rounds_each_part_separately():
    # base 3333.33 × 7.5% = 249.99975 per part: to the yuan half up each part is 250, the sum 500
    policy = dataclasses.replace(DEMO_POLICY, precision=Precision.YUAN, mode=RoundingMode.HALF_UP)
    c = monthly_contribution(Decimal("3333.33"), Decimal("7.5"), Decimal("7.5"), policy)
    assert (c.unit, c.person, c.total) == (Decimal("250.00"), Decimal("250.00"), Decimal("500.00"))
    # rounding the total instead would give round(499.9995) = 500 too; use parts that differ:
    # base 2425 × 5% = 121.25 and × 7% = 169.75: yuan half up → 121 + 170 = 291 (total-first: 291)
    # down → 121 + 169 = 290 while rounding the sum 291.00 down would be 291
    down = dataclasses.replace(policy, mode=RoundingMode.DOWN)
    c = monthly_contribution(Decimal("2425"), Decimal("5"), Decimal("7"), down)
    assert (c.unit, c.person, c.total) == (Decimal("121.00"), Decimal("169.00"), Decimal("290.00"))


def test_policy_checks_say_what_is_wrong():
    assert "低于下限2420.00" in DEMO_POLICY.check_base(Decimal("2000"))
    assert "高于上限35811.00" in DEMO_POLICY.check_base(Decimal("40000"))
    assert DEMO_POLICY.check_base(Decimal("5000")) is None
    assert "单位缴存比例13%" in DEMO_POLICY.check_ratios(Decimal("13"), Decimal("12"))
    assert "个人缴存比例4.5%" in DEMO_POLICY.check_ratios(Decimal("12"), Decimal("4.5"))
    assert DEMO_POLICY.check_ratios(Decimal("7.5"), Decimal("12")) is None


def test_policy_year_runs_july_to_june():
    assert policy_year_of(dt.date(2026, 6, 30)) == 2025
    assert policy_year_of(dt.date(2026, 7, 1)) == 2026


@pytest.mark.parametrize("text", ["2024-07", "202407", "2024年7月", "2024/7", " 2024-7 "])
def test_yearmonth_parse(text):
    assert YearMonth.parse(text) == YearMonth(2024, 7)


def test_yearmonth_arithmetic_and_errors():
    ym = YearMonth(2024, 11)
    assert str(ym + 3) == "2025-02"
    assert (ym + 3) - ym == 3
    assert str(ym - 11) == "2023-12"
    assert YearMonth(2025, 2).last_day() == dt.date(2025, 2, 28)
    assert month_range(YearMonth(2024, 11), YearMonth(2025, 1)) == [YearMonth(2024, 11), YearMonth(2024, 12),
                                                                    YearMonth(2025, 1)]
    with pytest.raises(YearMonthError, match="格式不正确"):
        YearMonth.parse("24-7")
    with pytest.raises(YearMonthError):
        YearMonth(2024, 13)


def test_dictionaries_round_trip_and_lookup():
    d = default_dictionaries(3)
    assert Dictionaries.from_api(d.to_api()) == d
    assert d.label("seal_reason", "2") == "离职/解除劳动合同"
    assert d.code_for("seal_reason", "离职/解除劳动合同") == "2"
    assert d.code_for("seal_reason", "2 离职/解除劳动合同") == "2"
    assert d.code_for("seal_reason", "不存在") is None


def test_canonical_body_is_the_api_md_form():
    body = {"rows": [{"name": "张三", "base": "5000.00"}], "signature": "xxx", "a": 1}
    assert canonical_json(body) == '{"a":1,"rows":[{"base":"5000.00","name":"张三"}]}'
    assert submission_message("post", "/api/v1/employees/open", body) == (
        'gjj-sign|POST|/api/v1/employees/open|{"a":1,"rows":[{"base":"5000.00","name":"张三"}]}'.encode())
    assert login_message("n1", "U1", "op") == b"gjj-login|n1|U1|op"
