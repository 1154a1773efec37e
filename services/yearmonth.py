"""Year-month (缴至年月, 补缴年月, 汇缴月份): an ordered value type, "YYYY-MM" in the API."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import total_ordering

_PATTERNS = [
    re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$"),
    re.compile(r"^\s*(\d{4})(\d{2})\s*$"),
    re.compile(r"^\s*(\d{4})年(\d{1,2})月?\s*$"),
    re.compile(r"^\s*(\d{4})[/.](\d{1,2})\s*$"),
]


class YearMonthError(ValueError):
    pass


@total_ordering
@dataclass(frozen=True, slots=True)
class YearMonth:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1900 <= self.year <= 9999:
            raise YearMonthError(f"年月不正确：{self.year}-{self.month}")

    @classmethod
    def parse(cls, text: str) -> "YearMonth":
        """Accepts 2024-07, 202407, 2024年7月, 2024/07."""
        for pattern in _PATTERNS:
            m = pattern.match(str(text))
            if m:
                return cls(int(m.group(1)), int(m.group(2)))
        raise YearMonthError(f"年月格式不正确：{text}（应为YYYY-MM，如2024-07）")

    @classmethod
    def of(cls, day: dt.date) -> "YearMonth":
        return cls(day.year, day.month)

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1

    @classmethod
    def from_index(cls, index: int) -> "YearMonth":
        return cls(index // 12, index % 12 + 1)

    def __add__(self, months: int) -> "YearMonth":
        return YearMonth.from_index(self.index + int(months))

    def __sub__(self, other):
        if isinstance(other, YearMonth):
            return self.index - other.index
        return YearMonth.from_index(self.index - int(other))

    def __lt__(self, other: "YearMonth") -> bool:
        return self.index < other.index

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def last_day(self) -> dt.date:
        return (self + 1).first_day() - dt.timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def display(self) -> str:
        return f"{self.year}年{self.month:02d}月"


def month_range(first: YearMonth, last: YearMonth) -> list[YearMonth]:
    return [first + i for i in range(last - first + 1)]
