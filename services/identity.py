"""Identity checks: 18-digit resident ID (GB 11643), unified social credit code (GB 32100), mobile.

Each check returns a `Check` with a stable code and a Chinese message saying what is wrong and what to do;
`level` is "error" (refuse) or "warning" (the clerk may confirm, e.g. a USCC of an early registration).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, ValidationError

ID_TYPE_RESIDENT = "01"
ID_TYPES = {
    "01": "居民身份证",
    "02": "军官证",
    "03": "护照",
    "04": "港澳居民来往内地通行证",
    "05": "台湾居民来往大陆通行证",
    "06": "外国人永久居留身份证",
    "99": "其他",
}
MIN_AGE, MAX_AGE = 16, 70

# Compiled once: a batch import checks 10^5 IDs and mobiles.
_SPACES = re.compile(r"\s+")
_RESIDENT_ID = re.compile(r"\d{17}[\dX]")
_OTHER_ID = re.compile(r"[A-Z0-9()（）\-]{5,30}")
_MOBILE_NOISE = re.compile(r"[\s-]+")
_MOBILE = re.compile(r"1[3-9]\d{9}")


@dataclass(frozen=True)
class Check:
    ok: bool
    value: str = ""
    code: str = ""
    message: str = ""
    level: str = "error"


OK = Check(True)


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: dt.date
    gender: str  # "1" 男 / "2" 女


def normalise_id(text: str) -> str:
    """Remove spaces and make a trailing check letter upper case (a lowercase x is accepted)."""
    cleaned = _SPACES.sub("", str(text)).upper()
    return cleaned


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def check_resident_id(text: str, business_date: dt.date) -> Check:
    """GB 11643 check digit (ISO 7064 MOD 11-2), a real birth date, age 16–70 on the business date."""
    number, problem = resident_id_problem(text, business_date)
    return problem or Check(True, number)


def resident_id_problem(text: str, business_date: dt.date) -> tuple[str, Check | None]:
    """(the normalised number, the failed Check or None when the ID is valid): `check_resident_id` without
    building a Check for a good ID — a batch of 10^5 rows calls this once per row."""
    if text.__class__ is str and len(text) == 18 and (text.isdecimal() or text[17] == "X" and
                                                      text[:17].isdecimal()):
        number = text                       # already normal (_RESIDENT_ID: \d is isdecimal); no regex
    else:
        number = normalise_id(text)
        if not number:
            return number, Check(False, number, "id_required", "证件号码不能为空")
        if len(number) != 18:
            return number, Check(False, number, "id_length", f"身份证号码应为18位，当前为{len(number)}位，请核对")
        if not _RESIDENT_ID.fullmatch(number):
            return number, Check(False, number, "id_format", "身份证号码只能包含数字，最后一位可为X，请核对")
    # python-stdnum's ric.calc_check_digit, inline: int(…, 13) works because 13 ≡ 2 (mod 11)
    if number[17] != _CHECK_CHARACTERS[(1 - 2 * int(number[:17], 13)) % 11]:
        return number, Check(False, number, "id_checksum", "身份证号码校验位错误，请核对")
    known = _BIRTHS.get((number[6:14], business_date))
    if known is None:
        known = _birth(number[6:14], business_date)
    exists, problem = known
    if exists:                              # python-stdnum's order: the region before the age
        region = _REGIONS.get(number[:10])
        if region is None:
            region = _region(number[:10])
        if not region:
            return number, Check(False, number, "id_region", "身份证号码中的地区码不正确，请核对")
    return number, None if problem is None else replace(problem, value=number)


_CHECK_CHARACTERS = "0123456789X"
# Memos for batches (10^5 IDs, a few ten thousand birthdays, a few thousand counties): plain dicts, read
# inline (an lru_cache call costs more than the lookup), emptied when they grow past CACHE_LIMIT.
CACHE_LIMIT = 65_536
_BIRTHS: dict[tuple[str, dt.date], tuple[bool, Check | None]] = {}
_REGIONS: dict[str, bool] = {}


def _birth(digits: str, business_date: dt.date) -> tuple[bool, Check | None]:
    """The birth date digits (YYYYMMDD) of an ID: (is it a real date, the problem: not a date, after the
    business date, an age outside 16–70 — or None), remembered in _BIRTHS."""
    try:
        birth = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        known = False, Check(False, "", "id_birth_date", "身份证号码中的出生日期不存在，请核对")
    else:
        age = age_on(birth, business_date)
        if birth > business_date:
            known = True, Check(False, "", "id_birth_date", "身份证号码中的出生日期晚于当前业务日期，请核对")
        elif age < MIN_AGE or age > MAX_AGE:
            known = True, Check(False, "", "id_age",
                                f"按身份证号码计算年龄为{age}周岁，不在{MIN_AGE}–{MAX_AGE}周岁范围内，请核对")
        else:
            known = True, None
    if len(_BIRTHS) >= CACHE_LIMIT:
        _BIRTHS.clear()
    _BIRTHS[(digits, business_date)] = known
    return known


def _region(region_year: str) -> bool:
    """The county code (6 digits) was assigned in the birth year (4 digits): python-stdnum's register,
    remembered in _REGIONS."""
    try:
        ric.get_birth_place(f"{region_year}01010000")
        existed = True
    except (ValidationError, KeyError):   # KeyError: a province code with no county (python-stdnum 2.x)
        existed = False
    if len(_REGIONS) >= CACHE_LIMIT:
        _REGIONS.clear()
    _REGIONS[region_year] = existed
    return existed


def parse_resident_id(text: str, business_date: dt.date) -> ResidentId:
    result = check_resident_id(text, business_date)
    if not result.ok:
        raise ValueError(result.message)
    number = result.value
    gender = "1" if int(number[16]) % 2 == 1 else "2"
    return ResidentId(number, ric.get_birth_date(number), gender)


def check_id(id_type: str, text: str, business_date: dt.date) -> Check:
    """Resident IDs fully; other document types format-checked only (letters, digits, brackets, 5–30)."""
    if id_type == ID_TYPE_RESIDENT:
        return check_resident_id(text, business_date)
    if id_type not in ID_TYPES:
        return Check(False, str(text), "id_type", f"证件类型代码不正确：{id_type}")
    number = normalise_id(text)
    if not _OTHER_ID.fullmatch(number):
        return Check(False, number, "id_format", f"{ID_TYPES[id_type]}号码格式不正确（5–30位字母或数字），请核对")
    return Check(True, number)


def check_uscc(text: str) -> Check:
    """GB 32100. A failed checksum is a warning only: some early legal codes fail it."""
    code = _SPACES.sub("", str(text)).upper()
    if len(code) != 18:
        return Check(False, code, "uscc_length", f"统一社会信用代码应为18位，当前为{len(code)}位，请核对")
    try:
        uscc.validate(code)
    except InvalidChecksum:
        return Check(False, code, "uscc_checksum",
                     "统一社会信用代码校验位不符，请核对；如确认与营业执照一致，可确认后继续", level="warning")
    except ValidationError:
        return Check(False, code, "uscc_format", "统一社会信用代码格式不正确，请核对营业执照")
    return Check(True, code)


def check_mobile(text: str) -> Check:
    number = _MOBILE_NOISE.sub("", str(text))
    if not _MOBILE.fullmatch(number):
        return Check(False, number, "mobile_format", "手机号码应为以1开头的11位数字，请核对")
    return Check(True, number)


def normal_mobile(text: str) -> str | None:
    """`check_mobile(text).value` when the number is good, else None — without building a Check (a batch
    checks 10^5 numbers); a number already written plainly is not cleaned again."""
    if text.__class__ is str and len(text) == 11 and text[0] == "1" and text[1] in "3456789" and text.isdecimal():
        return text                         # _MOBILE without the regex (\d is isdecimal)
    number = _MOBILE_NOISE.sub("", str(text))
    return number if _MOBILE.fullmatch(number) else None
