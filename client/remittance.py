"""汇缴 on the desk (SPEC 4.5), without Qt: the next payable month with its breakdown (上月 / 本月增加 / 本月减少 /
本月汇缴 and who explains each difference), the signed 汇缴核定 of 1..max_months consecutive months through the
outbox, the unallocated assessments, one assessment with its roster, and deleting the latest unpaid one.

Everything here may block (network, disk, the UKey): the UI calls it from its background helper.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from services.money import D
from services.yearmonth import YearMonth, YearMonthError

from .errors import CentreUnreachable, ClientError
from .outbox import Submitter

ASSESS_PATH = "/remittance/assessments"
ASSESS_BUTTON = "汇缴核定"
PAGE_SIZE = 500
PENDING_MESSAGE = ("无法连接公积金中心服务器：本次汇缴核定已保存在本机。恢复连接后再次点击【汇缴核定】，"
                   "将重新发送同一笔提交（不会重复核定）")


class AssessmentPending(ClientError):
    """The centre did not answer an 汇缴核定: it waits in the outbox under `key`; sending it again (same
    Idempotency-Key) is applied once."""

    def __init__(self, key: str, months: Sequence[str]) -> None:
        self.key = key
        self.months = list(months)
        super().__init__(PENDING_MESSAGE)


@dataclass(frozen=True)
class Person:
    """One person behind a difference: 新增缴存 / 停止缴存 / 基数变更, with the amount it adds or removes."""
    person_account: str
    name: str
    reason: str
    reason_label: str
    amount: Decimal


@dataclass(frozen=True)
class Part:
    headcount: int
    amount: Decimal
    people: tuple[Person, ...] = ()

    @classmethod
    def from_api(cls, data: Mapping[str, Any] | None) -> Part:
        data = data or {}
        people = tuple(Person(str(p.get("person_account", "")), str(p.get("name", "")), str(p.get("reason", "")),
                              str(p.get("reason_label", "")), D(p.get("amount", "0")))
                       for p in data.get("people") or ())
        return cls(int(data.get("headcount") or 0), D(data.get("amount", "0")), people)


@dataclass(frozen=True)
class NextRemittance:
    """`GET /remittance/next`: 本月汇缴 (month, headcount, amount) = 上月 + 本月增加 − 本月减少."""
    month: YearMonth
    headcount: int
    amount: Decimal
    unit_amount: Decimal
    person_amount: Decimal
    last: Part
    added: Part
    removed: Part
    max_months: int
    latest_month: YearMonth
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> NextRemittance:
        return cls(YearMonth.parse(str(data["month"])), int(data.get("headcount") or 0), D(data.get("amount", "0")),
                   D(data.get("unit_amount", "0")), D(data.get("person_amount", "0")), Part.from_api(data.get("last")),
                   Part.from_api(data.get("added")), Part.from_api(data.get("removed")),
                   int(data.get("max_months") or 1), YearMonth.parse(str(data["latest_month"])), dict(data))

    @property
    def choosable(self) -> int:
        """How many consecutive months may be assessed at once: at most max_months, never beyond the
        business month (0 when the next month is still in the future)."""
        if self.latest_month < self.month:
            return 0
        return max(0, min(self.max_months, self.latest_month - self.month + 1))

    def months(self, count: int) -> list[str]:
        """The first `count` payable months as "YYYY-MM", checked against what may be chosen."""
        if self.choosable == 0:
            raise ClientError(f"{self.month}晚于当前业务年月{self.latest_month}，不能提前核定")
        if not 1 <= count <= self.choosable:
            raise ClientError(f"核定月数应为1–{self.choosable}个月")
        return [str(self.month + i) for i in range(count)]

    def total(self, count: int) -> Decimal:
        """What `count` months of this 汇缴 come to (each month the same roster)."""
        return self.amount * count


def month_label(text: str) -> str:
    """"2025-03" → "2025年03月" (anything else as it is)."""
    try:
        return YearMonth.parse(text).display()
    except (YearMonthError, TypeError, ValueError):
        return str(text or "")


class RemittanceClient:
    """One unit's 汇缴. `sign(bytes) -> bytes` is the UKey (hsm.TokenClient.sign)."""

    def __init__(self, api, store, unit_account: str, *, sign: Callable[[bytes], bytes] | None = None) -> None:
        self.api = api
        self.store = store
        self.unit_account = unit_account
        self.sign = sign
        self.submitter = Submitter(api, store)

    def next(self) -> NextRemittance:
        return NextRemittance.from_api(self.api.request("GET", "/remittance/next"))

    def assess(self, months: Sequence[str]) -> dict:
        """汇缴核定 of consecutive months, signed on the UKey and sent through the outbox:
        {"assessments": [...], "message": "核定成功"}. ApiError: the centre's refusal (nothing assessed);
        AssessmentPending: the centre did not answer (re-send with `resend`)."""
        months = [str(m) for m in months]
        if not months:
            raise ClientError("请选择要核定的月数")
        body = {"months": months}
        label = f"汇缴核定（{month_label(months[0])}" + (f"–{month_label(months[-1])}" if len(months) > 1 else "") + "）"
        try:
            answer = self.submitter.submit("POST", ASSESS_PATH, body, unit_account=self.unit_account, sign=self.sign,
                                           label=label)
        except CentreUnreachable:
            key = self._pending_key(months)
            if key is None:
                raise
            raise AssessmentPending(key, months) from None
        return answer

    def _pending_key(self, months: list[str]) -> str | None:
        for item in reversed(self.store.pending(self.unit_account)):
            if item.path.endswith(ASSESS_PATH) and isinstance(item.body, dict) and item.body.get("months") == months:
                return item.idempotency_key
        return None

    def resend(self, key: str, months: Sequence[str] = ()) -> dict:
        """Send a waiting 汇缴核定 again with its own Idempotency-Key (applied once)."""
        if self.store.outbox_item(key) is None:
            raise ClientError("找不到待确认的汇缴核定，请在汇缴核定查询中核对是否已核定")
        try:
            answer = self.submitter.send(key)
        except CentreUnreachable:
            raise AssessmentPending(key, months) from None
        return answer

    def assessments(self, status: str | None = "unallocated") -> list[dict]:
        """The unit's assessments (by month), every page."""
        items: list[dict] = []
        page = 1
        while True:
            params: dict[str, Any] = {"page": page, "page_size": PAGE_SIZE}
            if status:
                params["status"] = status
            answer = self.api.request("GET", ASSESS_PATH, params=params)
            chunk = answer.get("items") or []
            items.extend(chunk)
            if not chunk or len(items) >= int(answer.get("total") or 0):
                return items
            page += 1

    def assessment(self, assessment_id: int | str) -> dict:
        """One assessment with its `roster`."""
        return self.api.request("GET", f"{ASSESS_PATH}/{assessment_id}")

    def delete(self, assessment_id: int | str) -> None:
        """Delete an unpaid assessment (only the latest one: the centre refuses the others with its reason).
        Not through the outbox: a delete is not replayed later behind the clerk's back."""
        self.api.request("DELETE", f"{ASSESS_PATH}/{assessment_id}")

    def unit(self) -> dict:
        return self.api.unit()
