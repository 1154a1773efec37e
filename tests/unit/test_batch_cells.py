"""Reading one cell as the clerk meant it (services.batch.cells): harmless noise repaired, numbers as
Decimal without float error, months in every common spelling, the ID-as-number trap."""
import datetime as dt
from decimal import Decimal

import pytest

from services.batch import ID_AS_NUMBER, cells
from services.batch.cells import CellError
from services.yearmonth import YearMonth


@pytest.mark.parametrize("raw, expected", [
    ("  张三 ", "张三"),
    ("\u00a0周 杰\u200b", "周杰"),              # NBSP, zero-width space, a space between Chinese characters
    ("吴\u3000敏", "吴敏"),                      # ideographic space
    (" Zhang  San ", "Zhang San"),
    ("ＡＢＣ１２３", "ABC123"),                   # full-width letters and digits
    ("\ufeff\u200d李四\u2060", "李四"),
    ("", ""),
    (None, ""),
])
def test_text_repairs_harmless_noise(raw, expected):
    assert cells.text(raw) == expected


def test_code_removes_every_space():
    assert cells.code(" 139 1234\u00a05678 ") == "13912345678"


@pytest.mark.parametrize("raw, expected", [
    ("12,345.60", Decimal("12345.60")),
    ("１２，３４５．６", Decimal("12345.60")),      # full-width digits and comma
    ("￥6,000.00", Decimal("6000.00")),
    ("5000元", Decimal("5000.00")),
    (5000.0, Decimal("5000.00")),
    (1234.56, Decimal("1234.56")),
    (0.1, Decimal("0.10")),
    (2662.0000000000005, Decimal("2662.00")),       # a formula result: Excel shows 15 significant digits
    (5000, Decimal("5000.00")),
    ("  ", None),
])
def test_amounts_are_decimal_never_float(raw, expected):
    value = cells.amount(raw, "缴存基数")
    assert value == expected
    assert value is None or isinstance(value, Decimal) and value.as_tuple().exponent == -2


@pytest.mark.parametrize("raw", ["1,234.567", 1234.567, "12,34", "abc", True, "1.2.3"])
def test_bad_amounts_are_refused_with_the_reason(raw):
    with pytest.raises(CellError) as caught:
        cells.amount(raw, "缴存基数")
    assert caught.value.code == "money_format"
    assert caught.value.message.startswith("缴存基数")


def test_more_than_two_places_is_said_so():
    with pytest.raises(CellError, match="缴存基数最多保留两位小数：1234.567"):
        cells.amount("1234.567", "缴存基数")


@pytest.mark.parametrize("raw", ["202407", "2024-07", "2024-7", "2024年7月", "2024年07月", "2024/07", "2024.07",
                                 202407, 202407.0, 2024.07, dt.date(2024, 7, 1), dt.datetime(2024, 7, 31, 12),
                                 "２０２４０７", "2024-07-15"])
def test_months_in_every_spelling(raw):
    assert cells.month(raw, "首次缴存年月") == YearMonth(2024, 7)


@pytest.mark.parametrize("raw", ["2024-13", "七月", 2024.1, "2024", True])
def test_bad_months(raw):
    with pytest.raises(CellError) as caught:
        cells.month(raw, "首次缴存年月")
    assert caught.value.code == "month_format"
    assert "应为YYYY-MM" in caught.value.message


def test_id_trailing_lowercase_x_and_fullwidth_digits():
    assert cells.id_number("11010519880808004x", resident=True) == "11010519880808004X"
    assert cells.id_number("１１０１０５１９８８０８０８００４Ｘ", resident=True) == "11010519880808004X"


@pytest.mark.parametrize("raw", [1.10101199001011e17, 110101199001011234, "1.10101E+17", "1.1010119900101E17"])
def test_an_id_stored_as_a_number_has_lost_digits(raw):
    with pytest.raises(CellError) as caught:
        cells.id_number(raw, resident=True)
    assert (caught.value.code, caught.value.message) == ("id_stored_as_number", ID_AS_NUMBER)


def test_a_short_number_in_an_id_cell_becomes_text():
    assert cells.id_number(12345678.0, resident=False) == "12345678"


def test_phone_and_account_number_cells():
    assert cells.digits(13912345678.0) == "13912345678"
    assert cells.account(310100000123.0) == "310100000123"
    with pytest.raises(CellError, match="个人账号被Excel存为数字"):
        cells.account(3.101000001234567e18)


def test_display_shows_what_excel_would():
    assert cells.display(1.10101199001011e17) == "110101199001011000"
    assert cells.display(5000.0) == "5000"
    assert cells.display(1234.5) == "1234.5"
    assert cells.display(dt.date(2026, 7, 1)) == "2026-07-01"
