"""Plausible people for demo data, from a seeded random generator: Chinese names, resident IDs with a
correct GB 11643 check digit, mobiles. Deterministic for a given `random.Random`."""
from __future__ import annotations

import datetime as dt
import random

# Common surnames, most frequent first (weights roughly follow their share of the population).
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
            "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
MALE_CHARS = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳建国志文博晨峰成亮振海东睿哲"
FEMALE_CHARS = "芳娜敏静丽艳娟霞燕玲桂丹萍红玉兰琳晶雪慧莉倩婷颖佳梅琴云洁蕾欣悦怡璐瑶晓月春菲宁思"
# County codes valid for every birth year 1960–2006 in python-stdnum's register (which the centre's ID
# check uses): districts of Beijing, Shanghai and Tianjin. Many other codes were created or renamed later.
REGIONS = ("110101", "110102", "110105", "110108", "310101", "310104", "310105", "310106", "310110",
           "120101", "120103")


class PeopleFactory:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._ids: set[str] = set()
        self._names: set[str] = set()

    def gender(self) -> str:
        return self.rng.choice("12")

    def name(self, gender: str) -> str:
        """A realistic name, unique within this factory (a roster with twins of names confuses clerks)."""
        chars = MALE_CHARS if gender == "1" else FEMALE_CHARS
        weights = [max(len(SURNAMES) - i, 8) for i in range(len(SURNAMES))]
        while True:
            given = "".join(self.rng.choice(chars) for _ in range(self.rng.choice((1, 2, 2, 2))))
            name = self.rng.choices(SURNAMES, weights=weights)[0] + given
            if name not in self._names:
                self._names.add(name)
                return name

    def birth_date(self, business_date: dt.date, *, min_age: int = 20, max_age: int = 60) -> dt.date:
        """A birthday making the person min_age–max_age years old on the business date."""
        latest = _years_before(business_date, min_age)
        earliest = _years_before(business_date, max_age + 1) + dt.timedelta(days=1)
        return earliest + dt.timedelta(days=self.rng.randrange((latest - earliest).days + 1))

    def resident_id(self, birth: dt.date, gender: str) -> str:
        """18 digits: region, birth date, sequence (odd for men, even for women), MOD 11-2 check digit."""
        while True:
            sequence = self.rng.randrange(0, 1000)
            if sequence % 2 != (1 if gender == "1" else 0):
                sequence = (sequence + 1) % 1000
            body = f"{self.rng.choice(REGIONS)}{birth:%Y%m%d}{sequence:03d}"
            number = body + mod11_2_check(body)
            if number not in self._ids:
                self._ids.add(number)
                return number

    def mobile(self) -> str:
        return "1" + self.rng.choice("3456789") + "".join(self.rng.choice("0123456789") for _ in range(9))


def mod11_2_check(body17: str) -> str:
    """The GB 11643 check character (ISO 7064 MOD 11-2) of the first 17 digits."""
    total = sum(int(digit) * (2 ** (17 - i) % 11) for i, digit in enumerate(body17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
