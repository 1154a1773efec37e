"""单位信息查询 (SPEC 4.7) as the desk asks the centre: 客户信息变更查询 (GET /unit/changes), 账户信息查询
(GET /unit/account-summary) with the month-end balances worked out from the journal, and 业务流水查询
(GET /unit/journal, GET /unit/journal/{serial}). No widgets, no threads: the tab runs these through ui.ops.
Money is Decimal (services.money); the API's decimal strings are read with `D`."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from services.money import D, money
from services.yearmonth import YearMonth

from .api import CentreClient
from .errors import ClientError

PAGE_SIZE = 500
MAX_ROWS = 200_000
# GET /unit/journal?type= (server_stub JOURNAL_TYPES); "" is every type.
JOURNAL_TYPES = {"": "全部", "remittance": "汇缴", "supplementary": "补缴", "interest": "结息",
                 "receipt": "单位来款", "carry_forward": "余额结转", "reversal": "冲正"}
DETAIL_TYPES = {"remittance": "汇缴", "supplementary": "补缴", "interest": "结息", "carry_forward": "余额结转",
                "reversal": "冲正", "receipt": "单位来款"}
SUMMARY_KEYS = ("opening_balance", "increase", "decrease", "closing_balance", "unallocated")


def check_range(day_from: dt.date, day_to: dt.date) -> None:
    if day_to < day_from:
        raise ClientError("截止日期不能早于起始日期，请重新选择")


def default_range(business_date: dt.date, months: int = 12) -> tuple[dt.date, dt.date]:
    """From the first day of the month `months - 1` months before the business month to the business date."""
    first = YearMonth(business_date.year, business_date.month) - (months - 1)
    return dt.date(first.year, first.month, 1), business_date


@dataclass(frozen=True)
class MonthBalance:
    month: YearMonth
    balance: Decimal     # the unit balance at the month's end (or at the range's end for its last month)


def entry_change(entry: Mapping[str, Any]) -> Decimal:
    """What one journal entry did to the unit balance: the personal amounts and interest (an entry with
    people) plus the 暂存款 change — as the centre's account summary counts it (a receipt then its
    allocation moves the balance once)."""
    personal = D(entry.get("amount") or "0") if int(entry.get("headcount") or 0) > 0 else Decimal("0")
    return money(personal + D(entry.get("interest") or "0") + D(entry.get("unallocated_change") or "0"))


def month_end_balances(opening: Decimal, entries: Iterable[Mapping[str, Any]], day_from: dt.date,
                       day_to: dt.date) -> list[MonthBalance]:
    """One point per month of [day_from, day_to]: the opening balance (before day_from) plus every entry
    booked up to that month's end. `entries` are GET /unit/journal items of the range (any order)."""
    check_range(day_from, day_to)
    by_month: dict[YearMonth, Decimal] = {}
    for entry in entries:
        booked = dt.date.fromisoformat(str(entry["booked_on"])[:10])
        if not day_from <= booked <= day_to:
            continue
        key = YearMonth(booked.year, booked.month)
        by_month[key] = by_month.get(key, Decimal("0")) + entry_change(entry)
    points: list[MonthBalance] = []
    balance = money(opening)
    month, last = YearMonth(day_from.year, day_from.month), YearMonth(day_to.year, day_to.month)
    while month.index <= last.index:
        balance = money(balance + by_month.get(month, Decimal("0")))
        points.append(MonthBalance(month, balance))
        month = month + 1
    return points


@dataclass(frozen=True)
class AccountOverview:
    """账户信息查询: the centre's summary of the range and the month-end balances."""
    summary: dict[str, Decimal]
    months: list[MonthBalance]


class UnitQueries:
    def __init__(self, api: CentreClient) -> None:
        self.api = api

    def all_pages(self, path: str, params: Mapping[str, Any] | None = None, *, limit: int = MAX_ROWS,
                  cancel=None) -> list[dict]:
        return self.api.all_pages(path, dict(params or {}), page_size=PAGE_SIZE, limit=limit, cancel=cancel)

    # -- 客户信息变更查询 ------------------------------------------------------------------------------
    def changes(self, day_from: dt.date, day_to: dt.date, **kw) -> list[dict]:
        check_range(day_from, day_to)
        return self.all_pages("/unit/changes", {"from": day_from, "to": day_to}, **kw)

    # -- 账户信息查询 --------------------------------------------------------------------------------
    def account_summary(self, day_from: dt.date, day_to: dt.date) -> dict[str, Decimal]:
        check_range(day_from, day_to)
        answer = self.api.request("GET", "/unit/account-summary", params={"from": day_from, "to": day_to})
        return {k: D(answer.get(k) or "0") for k in SUMMARY_KEYS}

    def account_overview(self, day_from: dt.date, day_to: dt.date, **kw) -> AccountOverview:
        summary = self.account_summary(day_from, day_to)
        entries = self.journal(day_from, day_to, **kw)
        months = month_end_balances(summary["opening_balance"], entries, day_from, day_to)
        return AccountOverview(summary, months)

    # -- 业务流水查询 --------------------------------------------------------------------------------
    def journal(self, day_from: dt.date, day_to: dt.date, type: str = "", **kw) -> list[dict]:
        check_range(day_from, day_to)
        return self.all_pages("/unit/journal", {"from": day_from, "to": day_to, "type": type or None}, **kw)

    def journal_entry(self, serial: str) -> dict:
        """The entry with `details` (per person), each with `type_label` (业务明细类型)."""
        entry = dict(self.api.request("GET", f"/unit/journal/{quote(str(serial), safe='')}"))
        entry["details"] = [{**d, "type_label": DETAIL_TYPES.get(str(d.get("type")), str(d.get("type") or ""))}
                            for d in entry.get("details") or []]
        return entry
