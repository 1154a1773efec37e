"""Checking the rows of a batch (登记, 封存, 启封, 部门调动): every problem of every row is collected as
`{"row", "field", "code", "message"}` (row = 1-based position in the request), then the whole batch is
refused at once (422 `rows_invalid`) or done at once. Messages are Chinese and say what to do; the
client prefixes them with its own row numbers ("第3行 …")."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from services.money import MoneyError, parse_money
from services.yearmonth import YearMonth, YearMonthError

from ..errors import Problem
from .lookup import unit_employees
from .models import Employee

SHOWN_IN_DETAIL = 5   # problems quoted in `detail`; all of them are in `errors`


@dataclass
class RowErrors:
    items: list[dict] = field(default_factory=list)

    def add(self, row: int | None, field_name: str, code: str, message: str) -> None:
        self.items.append({"row": row, "field": field_name, "code": code, "message": message})

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, business: str) -> None:
        if not self.items:
            return
        rows = sorted({e["row"] for e in self.items if e["row"] is not None})
        quoted = "；".join(f"第{e['row']}行 {e['message']}" if e["row"] is not None else e["message"]
                          for e in self.items[:SHOWN_IN_DETAIL])
        more = f"等{len(self.items)}处" if len(self.items) > SHOWN_IN_DETAIL else ""
        where = f"共{len(rows)}行有误" if rows else "提交的内容有误"
        raise Problem(422, "rows_invalid",
                      f"{business}未办理（全部行均未生效）：{where}，请修改后重新提交。{quoted}{more}",
                      errors=self.items)


@dataclass
class EmployeeRows:
    """The rows of an approval batch (基数调整, 补缴: each names a `person_account`) with this unit's employees
    they name, read in one query, and the problems found so far. Iterating gives (row number, row, employee or
    None) — an account that is not this unit's already noted; `clean()` says whether the row being looked at
    has no problem so far (it goes into the batch)."""
    rows: list[dict]
    employees: dict[str, Employee]
    errors: RowErrors = field(default_factory=RowErrors)
    _before: int = 0

    @classmethod
    def load(cls, *, session: Session, unit_id: int, rows: list[dict]) -> EmployeeRows:
        return cls(rows, unit_employees(session=session, unit_id=unit_id, accounts={r["person_account"] for r in rows}))

    def __iter__(self) -> Iterator[tuple[int, dict, Employee | None]]:
        for row_no, row in enumerate(self.rows, start=1):
            self._before = len(self.errors.items)
            account = row["person_account"]
            employee = self.employees.get(account)
            if employee is None:
                self.errors.add(row_no, "person_account", "not_found", f"个人账号{account}不存在或不属于本单位，请核对")
            yield row_no, row, employee

    def clean(self) -> bool:
        return len(self.errors.items) == self._before


def text(value: object) -> str:
    """A submitted text cell: None → "", surrounding white space (full-width and NBSP too) removed."""
    return "" if value is None else str(value).strip()


def money_cell(value: object, *, row: int, field_name: str, label: str, errors: RowErrors) -> Decimal | None:
    """A positive amount with at most two places, or None after recording why not."""
    raw = text(value)
    if not raw:
        errors.add(row, field_name, "required", f"{label}不能为空")
        return None
    try:
        amount = parse_money(raw)
    except (MoneyError, TypeError):
        errors.add(row, field_name, "money_format", f"{label}格式不正确：{raw}（应为金额，如5000.00）")
        return None
    if amount <= 0:
        errors.add(row, field_name, "money_positive", f"{label}应大于0")
        return None
    return amount


def ratio_cell(value: object, *, row: int, field_name: str, label: str, errors: RowErrors) -> Decimal | None:
    """A percentage such as "12" or "7.5" (at most four decimal places), or None after recording why not."""
    raw = text(value).rstrip("%％")
    try:
        ratio = Decimal(raw)
    except InvalidOperation:
        errors.add(row, field_name, "ratio_format", f"{label}格式不正确：{text(value)}（应为百分数，如12）")
        return None
    if not ratio.is_finite() or ratio != ratio.quantize(Decimal("0.0001")):
        errors.add(row, field_name, "ratio_format", f"{label}格式不正确：{text(value)}（最多四位小数）")
        return None
    return ratio.normalize()


def month_cell(value: object, *, row: int, field_name: str, label: str, errors: RowErrors) -> YearMonth | None:
    raw = text(value)
    if not raw:
        errors.add(row, field_name, "required", f"{label}不能为空")
        return None
    try:
        return YearMonth.parse(raw)
    except YearMonthError:
        errors.add(row, field_name, "month_format", f"{label}格式不正确：{raw}（应为YYYY-MM，如2025-03）")
        return None


def latest_month(business_date: dt.date) -> YearMonth:
    """The latest month a registration or status change may take effect in: the month after today's."""
    return YearMonth.of(business_date) + 1
