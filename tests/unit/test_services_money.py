from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from services.money import (D, MoneyError, fmt_fen, fmt_money, fmt_money_display, from_fen, money, parse_money,
                            to_fen)
from services.rounding import Precision, RoundingMode, round_amount


def test_D_refuses_float():
    with pytest.raises(TypeError):
        D(0.1)


def test_parse_money_accepts_separators_and_refuses_three_places():
    assert parse_money("1,234.5") == Decimal("1234.50")
    assert parse_money(" ￥12 ") == Decimal("12.00")
    with pytest.raises(MoneyError, match="两位小数"):
        parse_money("1.005")
    with pytest.raises(MoneyError, match="格式不正确"):
        parse_money("abc")
    with pytest.raises(MoneyError):
        parse_money("NaN")


def test_formats():
    assert fmt_money(Decimal("1234.5")) == "1234.50"
    assert fmt_money_display(Decimal("1234567.5")) == "1,234,567.50"
    assert money("12.345") == Decimal("12.35")


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_fen_round_trip(fen):
    assert to_fen(from_fen(fen)) == fen


@given(st.integers(min_value=-2**63, max_value=2**63 - 1))
def test_fmt_fen_is_fmt_money_of_the_stored_fen(fen):
    assert fmt_fen(fen) == fmt_money(from_fen(fen))


def test_fmt_fen_small_and_negative():
    assert [fmt_fen(x) for x in (0, 5, -5, 100, -1234, 123456)] == [
        "0.00", "0.05", "-0.05", "1.00", "-12.34", "1234.56"]


def test_to_fen_refuses_sub_fen():
    with pytest.raises(MoneyError):
        to_fen(Decimal("1.001"))


# The 9 precision × mode combinations, on values that distinguish every one of them.
ROUNDING_CASES = [
    # value, precision, mode, expected
    ("1234.56", "yuan", "half_up", "1235.00"), ("1234.49", "yuan", "half_up", "1234.00"),
    ("1234.50", "yuan", "half_up", "1235.00"),
    ("1234.01", "yuan", "up", "1235.00"), ("1234.00", "yuan", "up", "1234.00"),
    ("1234.99", "yuan", "down", "1234.00"),
    ("1234.55", "jiao", "half_up", "1234.60"), ("1234.54", "jiao", "half_up", "1234.50"),
    ("1234.51", "jiao", "up", "1234.60"), ("1234.50", "jiao", "up", "1234.50"),
    ("1234.59", "jiao", "down", "1234.50"),
    ("1234.565", "fen", "half_up", "1234.57"), ("1234.564", "fen", "half_up", "1234.56"),
    ("1234.561", "fen", "up", "1234.57"), ("1234.569", "fen", "down", "1234.56"),
    ("1234.56", "fen", "down", "1234.56"),
]


@pytest.mark.parametrize("value,precision,mode,expected", ROUNDING_CASES)
def test_rounding_table(value, precision, mode, expected):
    result = round_amount(Decimal(value), precision, mode)
    assert result == Decimal(expected)
    assert result.as_tuple().exponent == -2


def test_every_combination_is_covered():
    seen = {(p, m) for _, p, m, _ in ROUNDING_CASES}
    assert seen == {(p.value, m.value) for p in Precision for m in RoundingMode}


amounts = st.decimals(min_value=Decimal("0"), max_value=Decimal("1000000"), places=4, allow_nan=False)


@given(amounts, st.sampled_from(list(Precision)))
def test_rounding_properties(value, precision):
    down = round_amount(value, precision, RoundingMode.DOWN)
    up = round_amount(value, precision, RoundingMode.UP)
    half = round_amount(value, precision, RoundingMode.HALF_UP)
    q = precision.quantum
    assert down <= value <= up
    assert up - down in (Decimal(0), q)
    assert down <= half <= up
    assert abs(half - value) <= q / 2
    assert half % q == 0 and up % q == 0 and down % q == 0


@given(amounts, st.sampled_from(list(Precision)), st.sampled_from(list(RoundingMode)))
def test_rounding_is_idempotent(value, precision, mode):
    once = round_amount(value, precision, mode)
    assert round_amount(once, precision, mode) == once
