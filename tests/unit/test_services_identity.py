import datetime as dt

import pytest
from hypothesis import given, strategies as st
from stdnum.cn import ric

from services.identity import (check_id, check_mobile, check_resident_id, check_uscc, normal_mobile,
                               parse_resident_id)

TODAY = dt.date(2026, 11, 29)


def make_id(region="110105", birth=dt.date(1990, 3, 7), seq="123"):
    body = f"{region}{birth:%Y%m%d}{seq}"
    return body + ric.calc_check_digit(body + "0")


def test_valid_id_and_derived_fields():
    number = make_id(seq="123")  # odd sequence digit → male
    person = parse_resident_id(number, TODAY)
    assert person.birth_date == dt.date(1990, 3, 7) and person.gender == "1"
    assert parse_resident_id(make_id(seq="124"), TODAY).gender == "2"


def test_lowercase_x_and_spaces_are_accepted():
    for seq in range(1000):
        candidate = f"11010519900307{seq:03d}"
        if ric.calc_check_digit(candidate + "0") == "X":
            break
    number = candidate + "X"
    result = check_resident_id(" " + number[:-1] + "x ", TODAY)
    assert result.ok and result.value == number


@pytest.mark.parametrize("mutate,code,words", [
    (lambda n: n[:-1] + ("0" if n[-1] != "0" else "1"), "id_checksum", "校验位错误"),
    (lambda n: n[:17], "id_length", "应为18位，当前为17位"),
    (lambda n: n[:5] + "A" + n[6:], "id_format", "只能包含数字"),
])
def test_bad_ids_say_what_is_wrong(mutate, code, words):
    result = check_resident_id(mutate(make_id()), TODAY)
    assert not result.ok and result.code == code and words in result.message


def test_impossible_birth_date():
    body = "11010519900230123"
    result = check_resident_id(body + ric.calc_check_digit(body + "0"), TODAY)
    assert result.code == "id_birth_date"


@pytest.mark.parametrize("birth,ok", [
    (dt.date(2010, 11, 29), True),    # 16 today
    (dt.date(2010, 11, 30), False),   # 16 tomorrow
    (dt.date(1956, 11, 30), True),    # 70 still
    (dt.date(1955, 11, 29), False),   # 71
])
def test_age_range_on_the_business_date(birth, ok):
    result = check_resident_id(make_id(birth=birth), TODAY)
    assert result.ok is ok
    if not ok:
        assert result.code == "id_age"


@given(st.dates(min_value=dt.date(1957, 1, 1), max_value=dt.date(2010, 1, 1)), st.integers(0, 999))
def test_generated_ids_validate(birth, seq):
    assert check_resident_id(make_id(birth=birth, seq=f"{seq:03d}"), TODAY).ok


def test_other_id_types_are_format_checked_only():
    assert check_id("03", "E12345678", TODAY).ok
    assert not check_id("03", "E1", TODAY).ok
    assert check_id("77", "E12345678", TODAY).code == "id_type"


def test_uscc_checksum_is_a_warning():
    assert check_uscc("91350100M000100Y43").ok
    bad = check_uscc("91350100M000100Y44")
    assert not bad.ok and bad.level == "warning" and "可确认后继续" in bad.message
    assert check_uscc("123").level == "error"


@pytest.mark.parametrize("mobile,ok", [("13800138000", True), ("138 0013 8000", True), ("12800138000", False),
                                       ("1380013800", False)])
def test_mobile(mobile, ok):
    assert check_mobile(mobile).ok is ok


@given(st.text(alphabet="0123456789Xx ", min_size=17, max_size=20))
def test_the_inline_check_digit_is_python_stdnums(text):
    """A batch checks 10^5 IDs, so the check digit is computed inline: it must say what python-stdnum says."""
    number = text.replace(" ", "").upper()
    result = check_resident_id(text, TODAY)
    if len(number) == 18 and number[:17].isdigit():
        assert (result.code == "id_checksum") == (number[-1] != ric.calc_check_digit(number))
        assert result.value == number


@given(st.text(alphabet="0123456789 -١", max_size=14))
def test_normal_mobile_is_check_mobile_without_the_check_object(text):
    result = check_mobile(text)
    assert normal_mobile(text) == (result.value if result.ok else None)
