"""What printed documents carry, as plain data. Each class reads the centre API's JSON shape (API.md) with
``from_api``; money is Decimal (decimal strings in the API), months "YYYY-MM", dates "YYYY-MM-DD"."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from services.money import ZERO, D, money


def _money(value: Any) -> Decimal:
    return ZERO if value is None or value == "" else money(value if isinstance(value, Decimal) else D(str(value)))


def _opt_money(value: Any) -> Decimal | None:
    return None if value is None or value == "" else _money(value)


def _int(value: Any) -> int:
    return 0 if value is None or value == "" else int(value)


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class PrintContext:
    """Who prints for which unit: the frame of every document."""
    unit_name: str
    unit_account: str
    operator: str = ""                      # 经办人 (the logged-in operator's name)
    printed_at: dt.datetime | None = None   # None: the moment the document is built

    @classmethod
    def from_api(cls, unit: Mapping[str, Any], operator: str = "") -> PrintContext:
        """From ``GET /unit`` (its ``operator.name`` unless given)."""
        op = operator or _str((unit.get("operator") or {}).get("name"))
        return cls(_str(unit.get("name")), _str(unit.get("unit_account")), op)


# -- 汇缴 (assessments, the roster, the 汇补缴书) --------------------------------------------------------------

@dataclass(frozen=True)
class HeadcountAmount:
    headcount: int = 0
    amount: Decimal = ZERO

    @classmethod
    def from_api(cls, data: Mapping[str, Any] | None) -> HeadcountAmount:
        data = data or {}
        return cls(_int(data.get("headcount")), _money(data.get("amount")))


@dataclass(frozen=True)
class RosterRow:
    """One employee of an assessment's 清册 (``roster`` of ``GET /remittance/assessments/{id}``)."""
    person_account: str
    name: str
    id_number: str
    base: Decimal
    unit_monthly: Decimal
    person_monthly: Decimal

    @property
    def monthly(self) -> Decimal:
        return self.unit_monthly + self.person_monthly

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> RosterRow:
        return cls(_str(data.get("person_account")), _str(data.get("name")), _str(data.get("id_number")),
                   _money(data.get("base")), _money(data.get("unit_monthly")), _money(data.get("person_monthly")))


@dataclass(frozen=True)
class Assessment:
    """An 汇缴核定 (``GET /remittance/assessments`` item or ``/{id}`` with its roster)."""
    id: str
    month: str
    headcount: int
    amount: Decimal
    status: str = ""
    assessed_at: str = ""
    serial: str = ""              # 业务流水号, when the centre sends one
    verification_code: str = ""
    roster: tuple[RosterRow, ...] = ()

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Assessment:
        return cls(_str(data.get("id")), _str(data.get("month")), _int(data.get("headcount")),
                   _money(data.get("amount")), _str(data.get("status")), _str(data.get("assessed_at")),
                   _str(data.get("serial")), _str(data.get("verification_code")),
                   tuple(RosterRow.from_api(r) for r in data.get("roster") or ()))


@dataclass(frozen=True)
class SupplementPart:
    """The 补缴 on a 汇补缴书: how many people, how much, why."""
    headcount: int
    amount: Decimal
    reason: str = ""


@dataclass(frozen=True)
class Payee:
    """Where the unit pays: the centre's collection account."""
    name: str
    account: str
    bank: str


@dataclass(frozen=True)
class RemittanceSlip:
    """The 汇补缴书 the clerk takes to the bank (SPEC 4.5, 4.6): one or more consecutive months of 汇缴
    and/or a 补缴, the total in figures and capitals, the payee, the deadline, and the serial number with its
    verification code (also in the QR code)."""
    unit_name: str
    unit_account: str
    months: tuple[str, ...]                   # "YYYY-MM", consecutive; empty for a 补缴-only slip
    last: HeadcountAmount = HeadcountAmount()     # 上月汇缴
    added: HeadcountAmount = HeadcountAmount()    # 本月增加
    removed: HeadcountAmount = HeadcountAmount()  # 本月减少
    current: HeadcountAmount = HeadcountAmount()  # 本月汇缴 (per month)
    remittance_amount: Decimal | None = None  # 汇缴 over all months; None: current.amount × months
    supplement: SupplementPart | None = None
    payee: Payee = Payee("", "", "")
    deadline: dt.date | None = None
    clerk: str = ""                           # 经办人
    assessed_on: dt.date | None = None        # 核定日期
    serial: str = ""                          # 业务流水号
    verification_code: str = ""

    @property
    def remittance_total(self) -> Decimal:
        if self.remittance_amount is not None:
            return self.remittance_amount
        return self.current.amount * len(self.months)

    @property
    def total(self) -> Decimal:
        return self.remittance_total + (self.supplement.amount if self.supplement else ZERO)

    @classmethod
    def from_api(cls, unit: Mapping[str, Any], assessments: list[Mapping[str, Any]],
                 breakdown: Mapping[str, Any] | None = None, *, payee: Mapping[str, Any] | None = None,
                 supplement: SupplementPart | None = None, clerk: str = "",
                 deadline: Any = None) -> RemittanceSlip:
        """From ``GET /unit``, the assessments of one 核定 (``POST /remittance/assessments`` answer or the
        ``GET`` items) and the ``GET /remittance/next`` breakdown (上月 / 增加 / 减少) taken before assessing.
        Serial number, verification code, payee and deadline come with the first assessment when the centre
        sends them (``serial``, ``verification_code``, ``payee {name, account, bank}``, ``deadline``)."""
        items = sorted(assessments, key=lambda a: str(a.get("month")))
        first = items[0] if items else {}
        breakdown = breakdown or {}
        payee_data = payee or first.get("payee") or {}
        current = HeadcountAmount(_int(first.get("headcount", breakdown.get("headcount"))),
                                  _money(first.get("amount", breakdown.get("amount"))))
        assessed = first.get("assessed_at") or first.get("assessed_on")
        return cls(
            unit_name=_str(unit.get("name")), unit_account=_str(unit.get("unit_account")),
            months=tuple(_str(a.get("month")) for a in items),
            last=HeadcountAmount.from_api(breakdown.get("last")),
            added=HeadcountAmount.from_api(breakdown.get("added")),
            removed=HeadcountAmount.from_api(breakdown.get("removed")),
            current=current,
            remittance_amount=sum((_money(a.get("amount")) for a in items), ZERO) if items else None,
            supplement=supplement,
            payee=Payee(_str(payee_data.get("name")), _str(payee_data.get("account")), _str(payee_data.get("bank"))),
            deadline=_date(deadline or first.get("deadline")),
            clerk=clerk or _str((unit.get("operator") or {}).get("name")),
            assessed_on=_date(assessed),
            serial=_str(first.get("serial") or first.get("id")),
            verification_code=_str(first.get("verification_code")),
        )


# -- 补缴 ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SupplementaryRow:
    """A row of a 补缴 application (payload ``supplementary.rows``; the name from the roster)."""
    person_account: str
    name: str
    reason: str
    from_month: str
    to_month: str
    unit_amount: Decimal
    person_amount: Decimal

    @property
    def amount(self) -> Decimal:
        return self.unit_amount + self.person_amount

    @property
    def months(self) -> str:
        if not self.to_month or self.to_month == self.from_month:
            return self.from_month
        return f"{self.from_month} 至 {self.to_month}"

    @classmethod
    def from_api(cls, data: Mapping[str, Any], name: str = "") -> SupplementaryRow:
        return cls(_str(data.get("person_account")), name or _str(data.get("name")), _str(data.get("reason")),
                   _str(data.get("from_month")), _str(data.get("to_month")),
                   _money(data.get("unit_amount")), _money(data.get("person_amount")))


@dataclass(frozen=True)
class SupplementarySlip:
    """The 补缴凭条 printed after 完成办理 of a 补缴 (SPEC 4.6): the application, its rows, the total."""
    application_id: str
    rows: tuple[SupplementaryRow, ...]
    submitted_at: str = ""        # ISO timestamp
    status: str = "pending"

    @property
    def total(self) -> Decimal:
        return sum((r.amount for r in self.rows), ZERO)

    @classmethod
    def from_api(cls, application: Mapping[str, Any], names: Mapping[str, str] | None = None) -> SupplementarySlip:
        """From ``GET /applications/{id}`` (type ``supplementary``); ``names``: 个人账号 → 姓名."""
        names = names or {}
        payload = application.get("payload") or {}
        rows = tuple(SupplementaryRow.from_api(r, names.get(_str(r.get("person_account")), ""))
                     for r in payload.get("rows") or ())
        return cls(_str(application.get("id")), rows,
                   _str(application.get("submitted_at") or application.get("updated_at")),
                   _str(application.get("status") or "pending"))


# -- 完成办理 receipts ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChangeRow:
    """One item of a 待变更清册 or a change log: item, old value, new value."""
    item: str
    old: str
    new: str

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> ChangeRow:
        return cls(_str(data.get("item") or data.get("field")), _str(data.get("old")), _str(data.get("new")))


@dataclass(frozen=True)
class BusinessReceipt:
    """The 业务回执 of 完成办理: what was done, its number, the outcome, and what it contained.

    ``details`` is a table: ``detail_columns`` are (key, header, kind) with kind as in ``report.Column``
    ("text", "money", "int", …) and each row a mapping from key to value."""
    business: str                                  # e.g. 单位信息变更, 缴存人登记, 汇缴核定
    number: str                                    # 申请编号 or 业务流水号
    result: str                                    # e.g. 已提交，待中心审批 / 办理成功
    submitted_at: str = ""                         # ISO timestamp
    number_label: str = "业务编号"
    fields: tuple[tuple[str, str], ...] = ()       # further label / value pairs
    changes: tuple[ChangeRow, ...] = ()            # 变更项目 / 变更前 / 变更后
    detail_columns: tuple[tuple[str, str, str], ...] = ()
    details: tuple[Mapping[str, Any], ...] = ()
    detail_unit: str = "条"                        # 合计（共 n 条 / 人）
    note: str = ""

    @classmethod
    def from_application(cls, application: Mapping[str, Any], business: str) -> BusinessReceipt:
        """From ``GET /applications/{id}`` of an approval business (its payload's changes, if any)."""
        status = _str(application.get("status"))
        result = {"pending": "已提交，待中心审批", "approved": "中心已审批通过", "returned": "已退回，请修改后重新提交",
                  "rejected": "中心未予通过", "draft": "尚未提交", "ended": "流程已结束"}.get(status, status)
        payload = application.get("payload") or {}
        changes = tuple(ChangeRow.from_api(c) for c in payload.get("changes") or ())
        return cls(business, _str(application.get("id")), result, _str(application.get("submitted_at")),
                   number_label="申请编号", changes=changes)


# -- queries ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AccountSummary:
    """``GET /unit/account-summary``."""
    opening_balance: Decimal
    increase: Decimal
    decrease: Decimal
    closing_balance: Decimal
    unallocated: Decimal

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> AccountSummary:
        return cls(*(_money(data.get(k)) for k in
                     ("opening_balance", "increase", "decrease", "closing_balance", "unallocated")))


@dataclass(frozen=True)
class JournalEntry:
    """``GET /unit/journal`` item."""
    serial: str
    booked_on: str
    summary: str
    amount: Decimal
    interest: Decimal
    headcount: int
    type: str = ""

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> JournalEntry:
        return cls(_str(data.get("serial")), _str(data.get("booked_on")), _str(data.get("summary")),
                   _money(data.get("amount")), _money(data.get("interest")), _int(data.get("headcount")),
                   _str(data.get("type")))


@dataclass(frozen=True)
class JournalDetail:
    """``GET /unit/journal/{serial}`` ``details`` item."""
    person_account: str
    name: str
    booked_on: str
    amount: Decimal
    interest: Decimal
    type: str = ""

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> JournalDetail:
        return cls(_str(data.get("person_account")), _str(data.get("name")), _str(data.get("booked_on")),
                   _money(data.get("amount")), _money(data.get("interest")), _str(data.get("type")))


@dataclass(frozen=True)
class ChangeLogEntry:
    """``GET /unit/changes`` and ``GET /employees/changes`` items (the latter with the person)."""
    changed_on: str
    item: str
    old: str
    new: str
    operator: str = ""
    channel: str = ""
    person_account: str = ""
    name: str = ""

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> ChangeLogEntry:
        return cls(*(_str(data.get(k)) for k in
                     ("changed_on", "item", "old", "new", "operator", "channel", "person_account", "name")))


@dataclass(frozen=True)
class EmployeeRow:
    """``GET /employees`` item (缴存人账户信息)."""
    person_account: str
    name: str
    id_number: str
    department: str
    status: str
    base: Decimal
    unit_ratio: str
    person_ratio: str
    unit_monthly: Decimal
    person_monthly: Decimal
    balance: Decimal
    paid_through: str
    opened_on: str
    id_type: str = ""

    @property
    def monthly(self) -> Decimal:
        return self.unit_monthly + self.person_monthly

    @property
    def ratios(self) -> str:
        return f"{self.unit_ratio}% / {self.person_ratio}%" if self.unit_ratio or self.person_ratio else ""

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> EmployeeRow:
        return cls(_str(data.get("person_account")), _str(data.get("name")), _str(data.get("id_number")),
                   _str(data.get("department")), _str(data.get("status")), _money(data.get("base")),
                   _str(data.get("unit_ratio")), _str(data.get("person_ratio")), _money(data.get("unit_monthly")),
                   _money(data.get("person_monthly")), _money(data.get("balance")), _str(data.get("paid_through")),
                   _str(data.get("opened_on")), _str(data.get("id_type")))


@dataclass(frozen=True)
class StatusChange:
    """``GET /employees/status-changes`` item (启封 / 封存)."""
    person_account: str
    name: str
    type: str                 # seal | unseal
    reason: str
    effective_month: str
    changed_on: str = ""
    operator: str = ""

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> StatusChange:
        return cls(_str(data.get("person_account")), _str(data.get("name")), _str(data.get("type")),
                   _str(data.get("reason")), _str(data.get("effective_month")),
                   _str(data.get("changed_on") or data.get("created_at")), _str(data.get("operator")))


@dataclass(frozen=True)
class DepartmentTransfer:
    """``GET /departments/transfers`` item (部门调动查询)."""
    person_account: str
    name: str
    from_department: str
    to_department: str
    transferred_on: str
    operator: str = ""

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> DepartmentTransfer:
        return cls(_str(data.get("person_account")), _str(data.get("name")),
                   _str(data.get("from_department") or data.get("from")),
                   _str(data.get("to_department") or data.get("to")),
                   _str(data.get("transferred_on") or data.get("date") or data.get("created_at")),
                   _str(data.get("operator")))
