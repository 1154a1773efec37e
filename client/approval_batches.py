"""Approval batch businesses on the desk — 基数调整 (SPEC 4.4) and 补缴 (SPEC 4.6) — without Qt: the checks a
single entry gets before it goes into the 清册 (services.contribution_rules, which the batch engine and the
centre call too, so a row refused here reads like one refused in a workbook or by the centre), the 清册 rows of
an import, the application payload built from the 清册
(API.md "Applications"), the rows of a returned application, and where the submission's progress lives.

A 清册 is a client.draft_list.DraftList (kept by the tab); submitting it is client.applications.finish with a
BusinessDraft whose payload is built from the rows here. The BusinessDraft is kept in the local store under
its own module name (`ApprovalBatch.submission_module`), beside the 清册, so that 完成办理 resumes after a crash
without creating a second application.

The checks are pure; what reads a file, the store or the centre says "Background"."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from services.contribution_rules import (RuleProblem, adjustment_month_problem, new_base_problem, overlapping_row,
                                         split_total, supplement_amount_problem, supplement_cap_problems,
                                         supplement_month_problems)
from services.money import MoneyError, fmt_money, parse_money
from services.policy import Contribution, Policy, monthly_contribution
from services.yearmonth import YearMonth, YearMonthError

from .applications import BusinessDraft
from .employees import EntryContext
from .errors import Cancelled, ClientError
from .roster import ACTIVE, RosterEntry

BASE, SUPPLEMENTARY = "base", "supplementary"
BASE_ADJUSTMENT_TYPE, SUPPLEMENTARY_TYPE = "base_adjustment", "supplementary"
ENTERED_SOURCE = "录入"
SPLIT_BY_RATIO = "合计按比例拆分"
SPLIT_RULE = "单位部分 = 合计 × 单位比例 ÷（单位比例 + 个人比例），四舍五入到分；其余为个人部分"
PARTS_ENTERED = "分别填写"


@dataclass(frozen=True)
class ApprovalBatch:
    """One approval batch business: the engine's key, the application type, the names the clerk reads, where
    its 清册 lives and which of its row fields are money (summed under the 清册)."""
    key: str                      # services.batch business key
    type: str                     # the application type (API.md)
    title: str                    # 基数调整 / 补缴
    draft_module: str             # the 清册 in the local store
    money_keys: tuple[str, ...]
    api_fields: tuple[str, ...]   # a payload row's fields, taken from the 清册 row

    @property
    def submission_module(self) -> str:
        """Where the BusinessDraft (application id, keys, scans) of this 清册 lives."""
        return self.draft_module + ".submission"

    def payload(self, rows: Sequence[Mapping[str, Any]]) -> dict:
        """The application payload of the 清册: {"rows": [...]} with exactly the API's fields."""
        if not rows:
            raise ClientError(f"{self.title}清册中没有记录，请先录入清册或批量导入")
        out = []
        for i, row in enumerate(rows, start=1):
            missing = [f for f in self.api_fields if row.get(f) in (None, "")]
            if missing:
                raise ClientError(f"{self.title}清册第{i}行缺少{'、'.join(FIELD_LABELS.get(f, f) for f in missing)}，"
                                  "请删除该行后重新录入")
            out.append({f: str(row[f]) for f in self.api_fields})
        return {"rows": out}


BATCHES: dict[str, ApprovalBatch] = {
    BASE: ApprovalBatch(BASE, BASE_ADJUSTMENT_TYPE, "基数调整", "approvals.base_adjustment",
                        ("old_base", "new_base", "old_monthly", "new_monthly"),
                        ("person_account", "old_base", "new_base")),
    SUPPLEMENTARY: ApprovalBatch(SUPPLEMENTARY, SUPPLEMENTARY_TYPE, "补缴", "approvals.supplementary",
                                 ("unit_amount", "person_amount", "total"),
                                 ("person_account", "reason", "from_month", "to_month", "unit_amount",
                                  "person_amount")),
}
FIELD_LABELS = {"person_account": "个人账号", "old_base": "现缴存基数", "new_base": "调整后缴存基数",
                "reason": "补缴原因", "from_month": "补缴起始年月", "to_month": "补缴终止年月",
                "unit_amount": "单位补缴金额", "person_amount": "个人补缴金额", "total": "补缴金额合计",
                "month": "办理月份"}


# -- 基数调整 only in the adjustment month ----------------------------------------------------------------
def adjustment_notice(policy: Policy, business_date: dt.date) -> str | None:
    """The notice at the top of the 基数调整 tab outside the adjustment month (None inside it)."""
    problem = adjustment_month_problem(policy, business_date)
    if problem is None:
        return None
    return (f"{problem}（业务日期{business_date.year}年{business_date.month}月{business_date.day}日），"
            "现在不能录入、导入或提交基数调整；清册中已有的记录会保留，可在调整月份提交。")


# -- what a person pays now, and would pay ----------------------------------------------------------------
def person_ratios(entry: RosterEntry | None) -> tuple[Decimal, Decimal] | None:
    if entry is None or not entry.unit_ratio or not entry.person_ratio:
        return None
    try:
        return Decimal(entry.unit_ratio), Decimal(entry.person_ratio)
    except ArithmeticError:
        return None


def monthly_of(entry: RosterEntry | None, base: Decimal | None, policy: Policy) -> Contribution | None:
    """月缴存额 at `base` with the person's ratios, each part rounded by the policy (None when unknown)."""
    ratios = person_ratios(entry)
    if ratios is None or base is None:
        return None
    return monthly_contribution(base, ratios[0], ratios[1], policy)


def current_base(entry: RosterEntry | None) -> Decimal | None:
    if entry is None or not entry.base:
        return None
    try:
        return parse_money(entry.base)
    except (MoneyError, ArithmeticError):
        return None


# -- single entry: the rules of services.contribution_rules (the engine's and the centre's) ---------------
def _parsed(text: Any, label: str, problems: dict[str, str], key: str, *, required: bool,
            parse: Callable[[str], Any], refused: tuple[type[Exception], ...], expected: str) -> Any:
    """The typed value, or None: blank (a problem when `required`) or not readable (`expected` says how)."""
    raw = str(text or "").strip()
    if not raw:
        if required:
            problems[key] = f"请填写{label}"
        return None
    try:
        return parse(raw)
    except refused:
        problems[key] = f"{label}格式不正确：{raw}（应为{expected}）"
        return None


def _money(text: Any, label: str, problems: dict[str, str], key: str, *, required: bool) -> Decimal | None:
    amount = _parsed(text, label, problems, key, required=required, parse=parse_money,
                     refused=(MoneyError, TypeError, ArithmeticError), expected="金额，如5000.00")
    if amount is not None and amount < 0:
        problems[key] = f"{label}不能为负数"
        return None
    return amount


def _month(text: Any, label: str, problems: dict[str, str], key: str, *, required: bool) -> YearMonth | None:
    return _parsed(text, label, problems, key, required=required, parse=YearMonth.parse, refused=(YearMonthError,),
                   expected="YYYY-MM，如2025-03")


def _person(values: Mapping[str, Any], ctx: EntryContext, problems: dict[str, str], what: str
            ) -> tuple[str, RosterEntry | None]:
    account = str(values.get("person_account") or "").strip()
    person = ctx.roster.get(account) if ctx.roster is not None and account else None
    if not account:
        problems["person_account"] = f"请选择需{what}的职工"
    elif ctx.roster is not None and person is None:
        problems["person_account"] = f"个人账号{account}不存在或不属于本单位，请核对"
    return account, person


def _note(problems: dict[str, str], found: RuleProblem | None) -> None:
    if found is not None:
        problems.setdefault(found.field, found.message)


def _person_row(account: str, person: RosterEntry | None) -> dict:
    return {"person_account": account, "name": person.name if person else "",
            "id_number": person.id_number if person else "", "department": person.department if person else "",
            "unit_ratio": person.unit_ratio if person else "", "person_ratio": person.person_ratio if person else ""}


def check_base_entry(values: Mapping[str, Any], ctx: EntryContext,
                     draft_rows: Sequence[Mapping[str, Any]] = ()) -> tuple[dict | None, dict[str, str]]:
    """One 基数调整 entry ({"person_account", "new_base"}) → (the 清册 row, {}), or (None, {field: what is
    wrong and what to do}); "month" when it is not the adjustment month."""
    problems: dict[str, str] = {}
    if (why := adjustment_month_problem(ctx.policy, ctx.business_date)) is not None:
        problems["month"] = why
    account, person = _person(values, ctx, problems, "调整基数")
    if person is not None and person.status != ACTIVE:
        problems["person_account"] = f"该职工当前状态为{person.status_label}，只有正常状态的职工可以调整基数"
    if "person_account" not in problems:
        at = next((i for i, r in enumerate(draft_rows) if r.get("person_account") == account), None)
        if at is not None:
            problems["person_account"] = f"该职工已在清册第{at + 1}行，不能重复录入；如需修改请先删除该行"
    new_base = _money(values.get("new_base"), "调整后缴存基数", problems, "new_base", required=True)
    if new_base is not None and new_base == 0:
        problems["new_base"] = "调整后缴存基数应大于0"
    elif new_base is not None and "person_account" not in problems:
        _note(problems, new_base_problem(new_base, current_base(person), ctx.policy))
    elif new_base is not None:
        _note(problems, new_base_problem(new_base, None, ctx.policy))
    if problems or new_base is None:
        return None, problems
    return base_row(account, person, current_base(person), new_base, ctx.policy, ENTERED_SOURCE), {}


def base_row(account: str, person: RosterEntry | None, old_base: Decimal | None, new_base: Decimal, policy: Policy,
             source: str) -> dict:
    """The 清册 row of one 基数调整 (money as API text; monthly amounts by the person's ratios)."""
    old = monthly_of(person, old_base, policy)
    new = monthly_of(person, new_base, policy)
    return {**_person_row(account, person), "old_base": fmt_money(old_base) if old_base is not None else "",
            "new_base": fmt_money(new_base), "old_monthly": fmt_money(old.total) if old else "",
            "new_unit_monthly": fmt_money(new.unit) if new else "",
            "new_person_monthly": fmt_money(new.person) if new else "",
            "new_monthly": fmt_money(new.total) if new else "", "source": source}


def check_supplementary_entry(values: Mapping[str, Any], ctx: EntryContext,
                              draft_rows: Sequence[Mapping[str, Any]] = ()) -> tuple[dict | None, dict[str, str]]:
    """One 补缴 entry → (the 清册 row, {}) or (None, problems). `values`: person_account, reason (code or label),
    from_month, to_month (blank: that one month), and either unit_amount / person_amount (a blank part is
    0) or — with mode "total" — total, split by the person's ratios (contribution_rules.split_total)."""
    problems: dict[str, str] = {}
    account, person = _person(values, ctx, problems, "补缴")
    reason_text = str(values.get("reason") or "").strip()
    reason = ctx.dictionaries.code_for("supplement_reason", reason_text) if reason_text else None
    if not reason_text:
        problems["reason"] = "请选择补缴原因"
    elif reason is None:
        problems["reason"] = "补缴原因不正确，请从列表中选择"
    first = _month(values.get("from_month"), "补缴起始年月", problems, "from_month", required=True)
    last = _month(values.get("to_month"), "补缴终止年月", problems, "to_month", required=False)
    if first is not None and last is None and "to_month" not in problems:
        last = first
    months_ok = first is not None and last is not None
    if months_ok:
        found = supplement_month_problems(first, last, business_month=ctx.month, policy=ctx.policy,
                                          opened_on=_opened(person))
        for problem in found:
            _note(problems, problem)
        months_ok = not found
    if months_ok and "person_account" not in problems:
        taken = []
        for i, row in enumerate(draft_rows):
            if row.get("person_account") == account:
                try:
                    taken.append((YearMonth.parse(row["from_month"]), YearMonth.parse(row["to_month"]), i + 1))
                except (KeyError, YearMonthError):
                    continue
        other = overlapping_row(first, last, taken)
        if other is not None:
            a, b, _ = taken[[t[2] for t in taken].index(other)]
            problems["from_month"] = f"补缴年月与清册第{other}行（{a}至{b}）重叠：同一职工同一月份只能补缴一次"
    by_total = values.get("mode") == "total"
    ratios = person_ratios(person)
    unit = own = None
    if by_total:
        total = _money(values.get("total"), "补缴金额合计", problems, "total", required=True)
        if total is not None and ratios is None:
            problems["total"] = "不知道该职工的缴存比例，无法拆分补缴金额合计：请分别填写单位补缴金额和个人补缴金额"
        elif total is not None:
            unit, own = split_total(total, *ratios)
    else:
        unit = _money(values.get("unit_amount"), "单位补缴金额", problems, "unit_amount", required=False)
        own = _money(values.get("person_amount"), "个人补缴金额", problems, "person_amount", required=False)
        if unit is None and own is None and not problems.keys() & {"unit_amount", "person_amount"}:
            problems["unit_amount"] = "请填写单位补缴金额和个人补缴金额（没有的一方填0）"
        elif not problems.keys() & {"unit_amount", "person_amount"}:
            unit, own = unit or Decimal("0.00"), own or Decimal("0.00")
    if unit is not None and own is not None:
        amount_problem = supplement_amount_problem(unit, own)
        _note(problems, amount_problem)
        if amount_problem is None and months_ok:
            for problem in supplement_cap_problems(unit, own, last - first + 1, ctx.policy, ratios):
                _note(problems, problem)
    if problems or unit is None or own is None or not months_ok:
        return None, problems or {"": "该记录不完整，请核对"}
    return supplementary_row(account, person, reason, first, last, unit, own, ctx, ENTERED_SOURCE,
                             split=by_total), {}


def _opened(person: RosterEntry | None) -> dt.date | None:
    if person is None or not person.opened_on:
        return None
    try:
        return dt.date.fromisoformat(person.opened_on[:10])
    except ValueError:
        return None


def supplementary_row(account: str, person: RosterEntry | None, reason: str, first: YearMonth, last: YearMonth,
                      unit_amount: Decimal, person_amount: Decimal, ctx: EntryContext, source: str, *,
                      split: bool = False) -> dict:
    """The 清册 row of one 补缴 (amounts for the whole month range)."""
    return {**_person_row(account, person), "reason": reason,
            "reason_label": ctx.dictionaries.label("supplement_reason", reason), "from_month": str(first),
            "to_month": str(last), "months": last - first + 1, "unit_amount": fmt_money(unit_amount),
            "person_amount": fmt_money(person_amount), "total": fmt_money(unit_amount + person_amount),
            "entered_as": SPLIT_BY_RATIO if split else PARTS_ENTERED, "source": source}


def split_preview(entry: RosterEntry | None, text: str) -> tuple[Decimal, Decimal] | None:
    """What a typed 补缴金额合计 becomes (unit, individual) with the person's ratios; None when it cannot
    be split yet (no person, no ratios, not an amount)."""
    ratios = person_ratios(entry)
    if ratios is None:
        return None
    try:
        total = parse_money(str(text or "").strip())
    except (MoneyError, TypeError, ArithmeticError):
        return None
    if total <= 0:
        return None
    return split_total(total, *ratios)


def supplement_cap(entry: RosterEntry | None, policy: Policy) -> Contribution:
    """A month's most at the base cap: the person's ratios, else the policy's highest (the engine's rule)."""
    ratios = person_ratios(entry) or (policy.unit_ratio_max, policy.person_ratio_max)
    return monthly_contribution(policy.base_max, ratios[0], ratios[1], policy)


# -- 批量导入 ---------------------------------------------------------------------------------------------
def import_rows(path: str | Path, key: str, ctx: EntryContext, *, progress=None, cancel=None):
    """Read and check a filled template (the engine, with the cached roster) → (ImportResult, the 清册 rows
    of its good lines). Background. Without the roster the current bases and ratios are unknown: refused."""
    from services.batch import BatchError, ImportCancelled, import_workbook  # noqa: PLC0415

    if ctx.roster is None:
        raise ClientError("职工名单尚未加载完成，请稍后再导入")
    try:
        result = import_workbook(path, key, ctx.batch_context(), progress=progress, cancel=cancel)
    except ImportCancelled:
        raise Cancelled() from None
    except BatchError as exc:
        raise ClientError(f"{Path(path).name}无法导入：{exc.message}") from None
    rows = []
    for record in result.rows:
        person = ctx.roster.get(record.person_account)
        source = f"导入第{record.row}行"
        if key == BASE:
            rows.append(base_row(record.person_account, person, record.old_base, record.new_base, ctx.policy, source))
        else:
            rows.append(supplementary_row(record.person_account, person, record.reason, record.from_month,
                                          record.to_month, record.unit_amount, record.person_amount, ctx, source))
    return result, rows


def excel_row(row: Mapping[str, Any]) -> int:
    text = str(row.get("source") or "")
    digits = text.removeprefix("导入第").removesuffix("行")
    return int(digits) if digits.isdigit() else 0


def merge_rows(key: str, rows: Sequence[dict], existing: Sequence[Mapping[str, Any]]
               ) -> tuple[list[dict], list[tuple[int, str]]]:
    """Imported rows against the 清册: (rows to add, (Excel row, reason) for each refused one). 基数调整: a
    person already in the 清册; 补缴: months overlapping a 清册 row of the same person."""
    good: list[dict] = []
    refused: list[tuple[int, str]] = []
    if key == BASE:
        there = {r.get("person_account"): i for i, r in enumerate(existing)}
        for row in rows:
            at = there.get(row.get("person_account"))
            if at is not None:
                refused.append((excel_row(row), f"该职工已在基数调整清册第{at + 1}行，未重复加入"))
            else:
                good.append(row)
        return good, refused
    spans: dict[str, list[tuple[YearMonth, YearMonth, int]]] = {}
    for i, r in enumerate(existing):
        try:
            spans.setdefault(str(r.get("person_account")), []).append(
                (YearMonth.parse(r["from_month"]), YearMonth.parse(r["to_month"]), i))
        except (KeyError, YearMonthError):
            continue
    for row in rows:
        first, last = YearMonth.parse(row["from_month"]), YearMonth.parse(row["to_month"])
        hit = next((i for a, b, i in spans.get(row["person_account"], ()) if first <= b and a <= last), None)
        if hit is not None:
            refused.append((excel_row(row), f"补缴年月与补缴清册第{hit + 1}行重叠：同一职工同一月份只能补缴一次，未加入"))
        else:
            good.append(row)
    return good, refused


# -- a returned application back into the 清册 -----------------------------------------------------------
def rows_from_payload(key: str, payload: Mapping[str, Any], ctx: EntryContext) -> list[dict]:
    """修改后重新提交: the 清册 rows of a returned application's payload (names, IDs and ratios from the
    roster)."""
    source = "退回的申请"
    rows = []
    roster = ctx.roster
    for item in payload.get("rows") or ():
        account = str(item.get("person_account") or "")
        person = roster.get(account) if roster is not None else None
        if key == BASE:
            old = item.get("old_base")
            rows.append(base_row(account, person, parse_money(str(old)) if old not in (None, "") else None,
                                 parse_money(str(item["new_base"])), ctx.policy, source))
        else:
            rows.append(supplementary_row(account, person, str(item.get("reason") or ""),
                                          YearMonth.parse(str(item["from_month"])),
                                          YearMonth.parse(str(item.get("to_month") or item["from_month"])),
                                          parse_money(str(item["unit_amount"])),
                                          parse_money(str(item["person_amount"])), ctx, source))
    return rows


# -- the submission's progress in the local store ------------------------------------------------------
class SubmissionPlace:
    """Where the BusinessDraft of one 清册 lives (unit, operator, module). Background: it opens the store."""

    def __init__(self, store, unit_account: str, operator: str, batch: ApprovalBatch) -> None:
        self.store, self.unit_account, self.operator, self.batch = store, unit_account, operator, batch

    def _key(self) -> tuple[str, str, str]:
        return self.unit_account, self.operator, self.batch.submission_module

    def load(self) -> BusinessDraft:
        saved = self.store.load_draft(*self._key())
        if isinstance(saved, dict) and saved.get("type") == self.batch.type:
            try:
                return BusinessDraft.from_json(saved)
            except (KeyError, TypeError, ValueError):
                pass
        return BusinessDraft(self.batch.type, {"rows": []})

    def save(self, draft: BusinessDraft) -> None:
        if draft.files or draft.remote or draft.application_id is not None or draft.keys:
            self.store.save_draft(*self._key(), draft.to_json())
        else:
            self.store.delete_draft(*self._key())

    def clear(self) -> None:
        self.store.delete_draft(*self._key())


def prepare(draft: BusinessDraft, batch: ApprovalBatch, rows: Sequence[Mapping[str, Any]]) -> BusinessDraft:
    """The draft about to be submitted: its payload is the 清册 as it is now (after 退回 or a failed try the
    centre gets the changed payload by PUT: client.applications.finish compares it with the one it has)."""
    draft.payload = batch.payload(rows)
    return draft


def attachment_rule(types: Sequence[Mapping[str, Any]], type_code: str) -> dict:
    """From GET /applications/types: {"label", "required" (the required attachment's label or ""),
    "supported", "second_review"} of one type (empty values when the centre does not list it)."""
    for item in types or ():
        if item.get("type") == type_code:
            required = [a for a in item.get("attachments") or () if a.get("required")]
            return {"label": item.get("label") or "", "required": required[0].get("label", "") if required else "",
                    "kind": required[0].get("kind", "") if required else "",
                    "supported": bool(item.get("supported")), "second_review": bool(item.get("second_review"))}
    return {"label": "", "required": "", "kind": "", "supported": True, "second_review": False}


# -- 补缴书查询 (approved 补缴, payable) --------------------------------------------------------------------
BILLS_PATH = "/supplementary/bills"
BILL_STATUS = {"unallocated": "待缴款", "allocated": "已分配"}


def unpaid_bills(api) -> list[dict]:
    """Background: the approved 补缴 not yet paid and allocated (GET /supplementary/bills?status=unallocated,
    every page), newest first."""
    return api.all_pages(BILLS_PATH, {"status": "unallocated"}, page_size=100)


def bill_detail(api, bill_id: int) -> dict:
    """Background: one 补缴书 with its lines (one per person and month)."""
    return api.request("GET", f"{BILLS_PATH}/{int(bill_id)}")


def bill_reasons(detail: Mapping[str, Any]) -> str:
    """The 补缴原因 of a bill's lines, each once, in order ("漏缴、其他")."""
    labels = [str(line.get("reason_label") or line.get("reason") or "") for line in detail.get("lines") or ()]
    return "、".join(dict.fromkeys(label for label in labels if label))

