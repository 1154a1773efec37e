"""大写金额: the table of cases slips and receipts depend on (services.chinese_amount)."""
from decimal import Decimal

import pytest

from services.chinese_amount import chinese_amount
from services.money import MoneyError

CASES = [
    # zero, fen only, jiao only
    ("0", "零元整"),
    ("0.00", "零元整"),
    ("0.01", "壹分"),
    ("0.05", "伍分"),
    ("0.10", "壹角整"),
    ("0.50", "伍角整"),
    ("0.56", "伍角陆分"),
    # whole yuan
    ("1", "壹元整"),
    ("9.00", "玖元整"),
    ("10", "壹拾元整"),
    ("15", "壹拾伍元整"),
    ("20", "贰拾元整"),
    ("100", "壹佰元整"),
    ("101", "壹佰零壹元整"),
    ("110", "壹佰壹拾元整"),
    ("1000", "壹仟元整"),
    ("1001", "壹仟零壹元整"),
    ("1010", "壹仟零壹拾元整"),
    ("1100", "壹仟壹佰元整"),
    # yuan with jiao / fen
    ("1.05", "壹元零伍分"),
    ("1.50", "壹元伍角整"),
    ("10.05", "壹拾元零伍分"),
    ("325.04", "叁佰贰拾伍元零肆分"),
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ("10020.50", "壹万零贰拾元伍角整"),
    ("107000.53", "壹拾万零柒仟元伍角叁分"),
    ("2420.00", "贰仟肆佰贰拾元整"),
    ("35811.00", "叁万伍仟捌佰壹拾壹元整"),
    ("8500.75", "捌仟伍佰元柒角伍分"),
    # 万 and 亿
    ("10000", "壹万元整"),
    ("10001", "壹万零壹元整"),
    ("100000", "壹拾万元整"),
    ("105000", "壹拾万零伍仟元整"),  # 万位 0, 千位 not: one 零 (allowed; as 107000.53)
    ("110000", "壹拾壹万元整"),
    ("1000001", "壹佰万零壹元整"),
    ("1004000", "壹佰万零肆仟元整"),
    ("1000000.01", "壹佰万元零壹分"),
    ("10000001", "壹仟万零壹元整"),
    ("12340678", "壹仟贰佰叁拾肆万零陆佰柒拾捌元整"),
    ("100000000", "壹亿元整"),
    ("100000001", "壹亿零壹元整"),
    ("100010000", "壹亿零壹万元整"),
    ("100001000", "壹亿零壹仟元整"),
    ("201000000", "贰亿零壹佰万元整"),
    ("2000000000", "贰拾亿元整"),
    ("123456789.12", "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分"),
    ("1000000000000", "壹万亿元整"),
    ("9999999999999999.99", "玖仟玖佰玖拾玖万亿玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    # a reversal
    ("-5", "负伍元整"),
    ("-0.30", "负叁角整"),
]


@pytest.mark.parametrize(("amount", "expected"), CASES)
def test_capitals(amount, expected):
    assert chinese_amount(Decimal(amount)) == expected


def test_table_has_at_least_30_cases():
    assert len(CASES) >= 30


def test_accepts_int_and_str():
    assert chinese_amount(1700) == "壹仟柒佰元整"
    assert chinese_amount("1,700.50") == "壹仟柒佰元伍角整"


def test_refuses_float():
    with pytest.raises(TypeError):
        chinese_amount(1.5)


@pytest.mark.parametrize("bad", ["0.001", "1.234", "10000000000000000", "abc"])
def test_refuses_what_is_not_an_amount_to_the_fen(bad):
    with pytest.raises(MoneyError):
        chinese_amount(bad)


def test_every_result_uses_only_capital_characters():
    allowed = set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整负")
    for amount, _ in CASES:
        assert set(chinese_amount(amount)) <= allowed
