"""缴存人 and 部门 on the desk (SPEC 4.8–4.11), without Qt: the centre's Employees and Departments calls,
the roster cached with its ETag, the checks a clerk's entry gets before it goes into a 清册, the signed
batch submissions through the outbox, and the 分享 export (xlsx / CSV, formula injection neutralised).

Everything here may block (network, disk, the UKey): the UI calls it from its background helper.
"""
from __future__ import annotations

import csv
import datetime as dt
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from services.dictionaries import Dictionaries
from services.identity import ID_TYPE_RESIDENT, ID_TYPES, check_id, check_mobile
from services.money import D, MoneyError, fmt_money, parse_money
from services.policy import Policy, fmt_ratio, monthly_contribution
from services.yearmonth import YearMonth, YearMonthError

from .errors import ApiError, Cancelled, CentreUnreachable, ClientError
from .outbox import Submitter
from .roster import ACTIVE, SEALED, Roster

log = logging.getLogger(__name__)

# drafts (清册) in the local store, one per business
OPEN_DRAFT, SEAL_DRAFT, UNSEAL_DRAFT, TRANSFER_DRAFT = ("employees.open", "employees.seal", "employees.unseal",
                                                        "departments.transfer")
PAGE_SIZE = 500
MAX_QUERY_ROWS = 200_000
MAX_NAME = 50
DEPARTMENT_CODE = re.compile(r"[A-Za-z0-9_-]{1,20}")
MAX_DEPARTMENT_NAME = 100
# The centre's row `field` names as the clerk reads them.
FIELD_LABELS = {
    "name": "姓名", "id_type": "证件类型", "id_number": "证件号码", "mobile": "手机号码", "department": "部门",
    "base": "缴存基数", "unit_ratio": "单位缴存比例", "person_ratio": "个人缴存比例", "first_month": "首次缴存年月",
    "person_account": "个人账号", "reason": "原因", "effective_month": "年月", "to_department": "调入部门",
}
SENT_MESSAGE = ("无法连接公积金中心服务器：本次提交已保存在本机，清册保留。恢复连接后再次点击【{button}】，"
                "将重新发送同一笔提交（不会重复办理）")


def roster_cache_key(unit_account: str) -> str:
    return f"employees.roster:{unit_account}"


class SubmissionPending(ClientError):
    """The centre did not answer a submission: it waits in the outbox under `key` (same Idempotency-Key
    on the next try, so it is applied once)."""

    def __init__(self, key: str, button: str) -> None:
        self.key = key
        super().__init__(SENT_MESSAGE.format(button=button))


# -- the centre calls ------------------------------------------------------------------------------------
class EmployeesClient:
    """One unit's employees and departments. `sign(bytes) -> bytes` is the UKey (hsm.TokenClient.sign)."""

    def __init__(self, api, store, unit_account: str, *, sign: Callable[[bytes], bytes] | None = None) -> None:
        self.api = api
        self.store = store
        self.unit_account = unit_account
        self.sign = sign
        self.submitter = Submitter(api, store)

    # -- the roster ---------------------------------------------------------------------------------
    def cached_roster(self) -> Roster | None:
        entry = self.store.get_cache(roster_cache_key(self.unit_account))
        return Roster.from_api(entry.data) if entry is not None else None

    def fetch_roster(self) -> Roster:
        """The roster, fetched only when it changed at the centre (If-None-Match with the cached ETag)."""
        key = roster_cache_key(self.unit_account)
        cached = self.store.get_cache(key)
        etag = cached.etag if cached is not None else None
        data, new_etag = self._get_if_changed("/employees/roster", etag)
        if data is None and cached is not None:
            return Roster.from_api(cached.data)
        if data is None:  # 304 without a cache: cannot happen unless the cache was dropped meanwhile
            data, new_etag = self._get_if_changed("/employees/roster", None)
        roster = Roster.from_api(data)
        self.store.put_cache(key, data, version=roster.version, etag=new_etag)
        return roster

    def roster(self) -> Roster:
        """The freshest roster there is: the centre's, or the cached one while it cannot be reached."""
        try:
            return self.fetch_roster()
        except CentreUnreachable:
            cached = self.cached_roster()
            if cached is None:
                raise
            return cached

    def _get_if_changed(self, path: str, etag: str | None) -> tuple[Any | None, str | None]:
        """(answer, ETag), or (None, etag) for 304 Not Modified."""
        data, new_etag = self.api.get_if_changed(path, etag)
        if data is None:
            return None, etag
        return data, new_etag or _etag_of(data)

    # -- departments -------------------------------------------------------------------------------
    def departments(self) -> list[dict]:
        """[{"code", "name", "active_count", "sealed_count"}] in the centre's order."""
        return self.all_pages("/departments")

    def create_department(self, code: str, name: str) -> dict:
        code, name = check_department(code, name)
        return self.api.request("POST", "/departments", json={"code": code, "name": name})

    def rename_department(self, code: str, name: str) -> dict:
        _code, name = check_department(code, name)
        return self.api.request("PATCH", f"/departments/{code}", json={"name": name})

    def delete_department(self, code: str) -> None:
        self.api.request("DELETE", f"/departments/{code}")

    def transfer(self, accounts: Sequence[str], to_department: str) -> dict:
        """部门调动, all or none (not signed: API.md)."""
        if not to_department:
            raise ClientError("请选择调入部门")
        if not accounts:
            raise ClientError("调动清册中没有职工，请先选择要调动的职工")
        return self.submitter.submit("POST", "/departments/transfers",
                                     {"person_accounts": list(accounts), "to_department": to_department},
                                     unit_account=self.unit_account, label=f"部门调动（{len(accounts)}人）")

    def transfers(self, date_from: dt.date | None = None, date_to: dt.date | None = None,
                  person_account: str | None = None, **kw) -> list[dict]:
        return self.all_pages("/departments/transfers", {"from": date_from, "to": date_to,
                                                         "person_account": person_account or None}, **kw)

    # -- queries -----------------------------------------------------------------------------------
    def employees(self, *, opened_from: dt.date | None = None, opened_to: dt.date | None = None,
                  person_account: str | None = None, status: str | None = None, department: str | None = None,
                  q: str | None = None, **kw) -> list[dict]:
        return self.all_pages("/employees", {"opened_from": opened_from, "opened_to": opened_to,
                                             "person_account": person_account or None, "status": status or None,
                                             "department": department or None, "q": q or None}, **kw)

    def status_changes(self, *, date_from: dt.date | None = None, date_to: dt.date | None = None,
                       person_account: str | None = None, type: str | None = None, **kw) -> list[dict]:
        return self.all_pages("/employees/status-changes", {"from": date_from, "to": date_to,
                                                            "person_account": person_account or None,
                                                            "type": type or None}, **kw)

    def changes(self, *, date_from: dt.date | None = None, date_to: dt.date | None = None,
                person_account: str | None = None, **kw) -> list[dict]:
        return self.all_pages("/employees/changes", {"from": date_from, "to": date_to,
                                                     "person_account": person_account or None}, **kw)

    def all_pages(self, path: str, params: Mapping[str, Any] | None = None, *, limit: int = MAX_QUERY_ROWS,
                  cancel=None, progress: Callable[[int, int], None] | None = None) -> list[dict]:
        """Every item of a paged list (at most `limit`), page after page."""
        return self.api.all_pages(path, dict(params or {}), page_size=PAGE_SIZE, limit=limit, cancel=cancel,
                                  progress=progress)

    # -- the signed batches ------------------------------------------------------------------------
    def open_employees(self, rows: Sequence[Mapping[str, Any]]) -> dict:
        """缴存人登记: {"opened": [{"row", "person_account"}]}. ApiError rows_invalid: nothing was opened."""
        return self._submit("/employees/open", [open_api_row(r) for r in rows], f"缴存人登记（{len(rows)}人）",
                            "完成办理")

    def seal(self, rows: Sequence[Mapping[str, Any]]) -> dict:
        return self._submit("/employees/seal", [seal_api_row(r) for r in rows], f"缴存人封存（{len(rows)}人）",
                            "确定封存")

    def unseal(self, rows: Sequence[Mapping[str, Any]]) -> dict:
        return self._submit("/employees/unseal", [unseal_api_row(r) for r in rows], f"缴存人启封（{len(rows)}人）",
                            "确定启封")

    def _submit(self, path: str, rows: list[dict], label: str, button: str) -> dict:
        if not rows:
            raise ClientError("清册中没有可办理的记录")
        try:
            return self.submitter.submit("POST", path, {"rows": rows}, unit_account=self.unit_account,
                                         sign=self.sign, label=label)
        except CentreUnreachable:
            key = self._pending_key(path, rows)
            if key is None:
                raise
            raise SubmissionPending(key, button) from None

    def _pending_key(self, path: str, rows: list[dict]) -> str | None:
        for item in reversed(self.store.pending(self.unit_account)):
            if item.path.endswith(path) and isinstance(item.body, dict) and item.body.get("rows") == rows:
                return item.idempotency_key
        return None

    def resend(self, key: str, button: str) -> dict:
        """Send a pending submission again with its own Idempotency-Key: the centre applies it once. Its
        answer, or the refusal (ApiError), as on the first try."""
        if self.store.outbox_item(key) is None:
            raise ClientError("找不到待确认的提交记录，请在信息查询中核对是否已办理")
        try:
            return self.submitter.send(key)   # done: its stored answer; failed: its reason; else sent again
        except CentreUnreachable:
            raise SubmissionPending(key, button) from None


def _etag_of(data: Any) -> str | None:
    version = data.get("version") if isinstance(data, dict) else None
    return f'"{version}"' if version else None


def check_department(code: str, name: str) -> tuple[str, str]:
    code, name = (code or "").strip(), (name or "").strip()
    if not code:
        raise ClientError("请填写部门代码")
    if not DEPARTMENT_CODE.fullmatch(code):
        raise ClientError("部门代码应为1–20位字母、数字、-或_，请修改")
    if not name:
        raise ClientError("请填写部门名称")
    if len(name) > MAX_DEPARTMENT_NAME:
        raise ClientError(f"部门名称不能超过{MAX_DEPARTMENT_NAME}个字")
    return code, name


# -- what a refusal says about each row ---------------------------------------------------------------
def row_problems(exc: ApiError, count: int) -> tuple[dict[int, list[str]], list[str]]:
    """The centre's per-row problems by 0-based 清册 position, and those about no row (e.g. the target
    department). Rows are 1-based positions in the request."""
    by_row: dict[int, list[str]] = {}
    general: list[str] = []
    for err in exc.errors:
        message = str(err.get("message") or err.get("code") or "")
        label = FIELD_LABELS.get(str(err.get("field") or ""))
        text = f"{label}：{message}" if label and not message.startswith(label) else message
        row = err.get("row")
        if isinstance(row, int) and 1 <= row <= count:
            by_row.setdefault(row - 1, []).append(text)
        else:
            general.append(text)
    return by_row, general


# -- single entry: the checks before a row goes into a 清册 ---------------------------------------------
@dataclass(frozen=True)
class EntryContext:
    """What the checks of a clerk's entry need: the policy, the dictionaries, the centre's business date,
    the unit (ratios, 缴至年月, opening date), its departments and the cached roster."""
    policy: Policy
    dictionaries: Dictionaries
    business_date: dt.date
    unit: Mapping[str, Any] = field(default_factory=dict)
    departments: Mapping[str, str] = field(default_factory=dict)   # code → name
    roster: Roster | None = None

    @property
    def month(self) -> YearMonth:
        return YearMonth.of(self.business_date)

    def unit_ratios(self) -> tuple[Decimal | None, Decimal | None]:
        return _decimal(self.unit.get("unit_ratio")), _decimal(self.unit.get("person_ratio"))

    def default_first_month(self) -> YearMonth:
        """The month after the unit's 缴至年月 (the centre's default), else the business month."""
        paid = _month(self.unit.get("paid_through"))
        return paid + 1 if paid is not None else self.month

    def open_bounds(self) -> tuple[YearMonth, YearMonth]:
        earliest = self.month - self.policy.max_supplement_months
        opened = self.unit.get("opened_on")
        if opened:
            try:
                earliest = max(earliest, YearMonth.of(dt.date.fromisoformat(str(opened)[:10])))
            except ValueError:
                pass
        return earliest, self.month + 1

    def batch_context(self, unit_ratio: Decimal | None = None, person_ratio: Decimal | None = None):
        """The import engine's context (services.batch.BatchContext) for this unit."""
        from services.batch import BatchContext  # noqa: PLC0415 - the engine is loaded when importing

        opened = self.unit.get("opened_on")
        return BatchContext(policy=self.policy, dictionaries=self.dictionaries, business_date=self.business_date,
                            roster=self.roster.batch_roster() if self.roster is not None else None,
                            departments=dict(self.departments), unit_ratio=unit_ratio, person_ratio=person_ratio,
                            unit_opened_on=dt.date.fromisoformat(str(opened)[:10]) if opened else None)


@dataclass(frozen=True)
class IdInfo:
    """What the form shows as the clerk types an ID: the checked number, 性别 and 出生日期, or why not."""
    ok: bool
    number: str = ""
    gender: str = ""          # "男" / "女" ("" for other document types)
    birth_date: str = ""      # "1990-01-01"
    message: str = ""


def id_info(id_type: str, text: str, business_date: dt.date) -> IdInfo:
    text = (text or "").strip()
    if not text:
        return IdInfo(False)
    check = check_id(id_type or ID_TYPE_RESIDENT, text, business_date)
    if not check.ok:
        return IdInfo(False, check.value, message=check.message)
    number = check.value
    if (id_type or ID_TYPE_RESIDENT) != ID_TYPE_RESIDENT:
        return IdInfo(True, number)
    gender = "男" if int(number[16]) % 2 else "女"
    return IdInfo(True, number, gender, f"{number[6:10]}-{number[10:12]}-{number[12:14]}")


def check_open_entry(values: Mapping[str, str], ctx: EntryContext,
                     draft_rows: Sequence[Mapping[str, Any]] = ()) -> tuple[dict | None, dict[str, str]]:
    """One 缴存人登记 entry → (the 清册 row, {}), or (None, {field: what is wrong and what to do})."""
    problems: dict[str, str] = {}
    name = (values.get("name") or "").strip()
    if not name:
        problems["name"] = "请填写姓名"
    elif len(name) > MAX_NAME:
        problems["name"] = f"姓名不能超过{MAX_NAME}个字"
    id_type = (values.get("id_type") or ID_TYPE_RESIDENT).strip()
    if id_type not in ID_TYPES:
        problems["id_type"] = f"证件类型代码不正确：{id_type}"
    info = id_info(id_type, values.get("id_number") or "", ctx.business_date)
    if not (values.get("id_number") or "").strip():
        problems["id_number"] = "请填写证件号码"
    elif not info.ok:
        problems["id_number"] = info.message
    else:
        for i, row in enumerate(draft_rows):
            if row.get("id_number") == info.number and row.get("id_type", ID_TYPE_RESIDENT) == id_type:
                problems["id_number"] = f"证件号码与清册第{i + 1}行重复，同一人只能登记一次"
                break
        else:
            holder = _holder(ctx.roster, info.number)
            if holder is not None and holder.status == ACTIVE:
                problems["id_number"] = f"该职工已在本单位正常缴存（个人账号{holder.person_account}），无需重复登记"
            elif holder is not None and holder.status == SEALED:
                problems["id_number"] = (f"该职工在本单位已有封存账户（个人账号{holder.person_account}），"
                                         "请到缴存人状态变更办理启封，不能重复登记")
    mobile = (values.get("mobile") or "").strip()
    if mobile:
        check = check_mobile(mobile)
        if check.ok:
            mobile = check.value
        else:
            problems["mobile"] = check.message
    department = (values.get("department") or "").strip()
    if department and department not in ctx.departments:
        problems["department"] = f"部门代码{department}不存在，请先在单位部门管理中设立该部门"
    base = _money_field(values.get("base"), "缴存基数", problems, "base")
    if base is not None and (reason := ctx.policy.check_base(base)):
        problems["base"] = reason
    default_unit, default_person = ctx.unit_ratios()
    unit_ratio = _ratio_field(values.get("unit_ratio"), default_unit, "单位缴存比例", problems, "unit_ratio")
    person_ratio = _ratio_field(values.get("person_ratio"), default_person, "个人缴存比例", problems, "person_ratio")
    if unit_ratio is not None and person_ratio is not None and "unit_ratio" not in problems \
            and "person_ratio" not in problems and (reason := ctx.policy.check_ratios(unit_ratio, person_ratio)):
        problems["unit_ratio" if reason.startswith("单位") else "person_ratio"] = reason + "，请修改"
    first_month = _first_month(values.get("first_month"), ctx, problems)
    if problems:
        return None, problems
    parts = monthly_contribution(base, unit_ratio, person_ratio, ctx.policy)
    return {
        "name": name, "id_type": id_type, "id_number": info.number, "gender": info.gender,
        "birth_date": info.birth_date, "mobile": mobile, "department": department, "base": fmt_money(base),
        "unit_ratio": fmt_ratio(unit_ratio), "person_ratio": fmt_ratio(person_ratio),
        "unit_monthly": fmt_money(parts.unit), "person_monthly": fmt_money(parts.person),
        "monthly": fmt_money(parts.total), "first_month": str(first_month), "source": "录入",
    }, {}


def check_status_entry(kind: str, values: Mapping[str, str], ctx: EntryContext,
                       draft_rows: Sequence[Mapping[str, Any]] = ()) -> tuple[dict | None, dict[str, str]]:
    """One 封存 (`kind` "seal") or 启封 ("unseal") entry → (the 清册 row, {}) or (None, problems)."""
    problems: dict[str, str] = {}
    label = "封存" if kind == "seal" else "启封"
    account = (values.get("person_account") or "").strip()
    person = ctx.roster.get(account) if ctx.roster is not None else None
    if not account:
        problems["person_account"] = f"请选择需{label}的职工"
    elif ctx.roster is not None and person is None:
        problems["person_account"] = f"个人账号{account}不存在或不属于本单位，请核对"
    elif any(r.get("person_account") == account for r in draft_rows):
        index = next(i for i, r in enumerate(draft_rows) if r.get("person_account") == account)
        problems["person_account"] = f"该职工已在清册第{index + 1}行，不能重复录入"
    elif person is not None and kind == "seal" and person.status != ACTIVE:
        problems["person_account"] = f"该职工当前状态为{person.status_label}，只有正常状态的职工可以封存"
    elif person is not None and kind == "unseal" and person.status != SEALED:
        problems["person_account"] = f"该职工当前状态为{person.status_label}，只有封存状态的职工可以启封"
    dictionary = "seal_reason" if kind == "seal" else "unseal_reason"
    reason = (values.get("reason") or "").strip()
    if not reason:
        problems["reason"] = f"请选择{label}原因"
    elif ctx.dictionaries.code_for(dictionary, reason) is None:
        problems["reason"] = f"{label}原因不正确，请从列表中选择"
    else:
        reason = ctx.dictionaries.code_for(dictionary, reason) or reason
    month = None
    text = (values.get("effective_month") or "").strip()
    if not text:
        problems["effective_month"] = f"请填写{label}年月"
    else:
        try:
            month = YearMonth.parse(text)
        except YearMonthError:
            problems["effective_month"] = f"{label}年月格式不正确：{text}（应为YYYY-MM，如2025-03）"
    if month is not None:
        paid = _month(person.paid_through) if person is not None else None
        latest = ctx.month + 1
        if month > latest:
            problems["effective_month"] = f"{label}年月{month}不能晚于{latest}，请核对"
        elif paid is not None and month <= paid:
            problems["effective_month"] = f"{label}年月{month}应晚于该职工的缴至年月{paid}，请核对"
    base = None
    if kind == "unseal":
        base = _money_field(values.get("base"), "缴存基数", problems, "base")
        if base is not None and (why := ctx.policy.check_base(base)):
            problems["base"] = why
    if problems:
        return None, problems
    row = {"person_account": account, "name": person.name if person else "", "id_number":
           person.id_number if person else "", "department": person.department if person else "",
           "paid_through": person.paid_through if person else "", "reason": reason,
           "reason_label": ctx.dictionaries.label(dictionary, reason), "effective_month": str(month), "source": "录入"}
    if kind == "unseal":
        row["old_base"] = person.base if person else ""
        row["base"] = fmt_money(base)
    return row, {}


def _holder(roster: Roster | None, number: str):
    if roster is None:
        return None
    held = roster.holders(number)
    for status in (ACTIVE, SEALED):
        for entry in held:
            if entry.status == status:
                return entry
    return None


def _money_field(value: Any, label: str, problems: dict[str, str], key: str) -> Decimal | None:
    text = str(value or "").strip()
    if not text:
        problems[key] = f"请填写{label}"
        return None
    try:
        amount = parse_money(text)
    except (MoneyError, TypeError):
        problems[key] = f"{label}格式不正确：{text}（应为金额，如5000.00）"
        return None
    if amount <= 0:
        problems[key] = f"{label}应大于0"
        return None
    return amount


def _ratio_field(value: Any, default: Decimal | None, label: str, problems: dict[str, str], key: str) -> Decimal | None:
    text = str(value or "").strip().rstrip("%％")
    if not text:
        if default is None:
            problems[key] = f"请填写{label}"
        return default
    try:
        ratio = D(text)
    except (MoneyError, TypeError, ValueError, InvalidOperation):
        problems[key] = f"{label}格式不正确：{text}（应为百分数，如12）"
        return None
    return ratio


def _first_month(value: Any, ctx: EntryContext, problems: dict[str, str]) -> YearMonth | None:
    text = str(value or "").strip()
    if not text:
        return ctx.default_first_month()
    try:
        month = YearMonth.parse(text)
    except YearMonthError:
        problems["first_month"] = f"首次缴存年月格式不正确：{text}（应为YYYY-MM，如2025-03）"
        return None
    earliest, latest = ctx.open_bounds()
    if month < earliest:
        problems["first_month"] = f"首次缴存年月{month}不能早于{earliest}（单位开户年月及补缴追溯期限），请核对"
    elif month > latest:
        problems["first_month"] = f"首次缴存年月{month}不能晚于{latest}，请核对"
    return month


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return D(str(value))
    except (MoneyError, ValueError, InvalidOperation):
        return None


def _month(value: Any) -> YearMonth | None:
    if not value:
        return None
    try:
        return YearMonth.parse(str(value))
    except YearMonthError:
        return None


# -- the API bodies of the 清册 rows ---------------------------------------------------------------------
def open_api_row(row: Mapping[str, Any]) -> dict:
    out = {k: row.get(k) for k in ("name", "id_type", "id_number", "mobile", "department", "base", "unit_ratio",
                                   "person_ratio", "first_month")}
    return {k: v for k, v in out.items() if v not in (None, "")}


def seal_api_row(row: Mapping[str, Any]) -> dict:
    return {k: row.get(k) for k in ("person_account", "reason", "effective_month")}


def unseal_api_row(row: Mapping[str, Any]) -> dict:
    return {k: row.get(k) for k in ("person_account", "reason", "effective_month", "base")}


# -- batch import: good rows of a workbook into a 清册 ------------------------------------------------------
def import_rows(path: str | Path, business: str, ctx: EntryContext, *, unit_ratio: Decimal | None = None,
                person_ratio: Decimal | None = None, progress=None, cancel=None):
    """Read and check a filled template with the import engine → (ImportResult, the 清册 rows of its good
    lines). The engine's refusals become ClientError; a cancel becomes Cancelled (the UI says nothing)."""
    from services.batch import BatchError, ImportCancelled, import_workbook  # noqa: PLC0415

    context = ctx.batch_context(unit_ratio, person_ratio)
    try:
        result = import_workbook(path, business, context, progress=progress, cancel=cancel)
    except ImportCancelled:
        raise Cancelled() from None
    except BatchError as exc:
        raise ClientError(f"{Path(path).name}无法导入：{exc.message}") from None
    convert = {"open": _open_row, "seal": _seal_row, "unseal": _unseal_row}[business]
    return result, [convert(r, ctx) for r in result.rows]


def _open_row(r, ctx: EntryContext) -> dict:
    info = id_info(r.id_type, r.id_number, ctx.business_date)
    first = r.first_month or ctx.default_first_month()
    unit_ratio, person_ratio = r.unit_ratio, r.person_ratio
    if unit_ratio is None or person_ratio is None:
        unit_ratio, person_ratio = ctx.unit_ratios()
    parts = monthly_contribution(r.base, unit_ratio, person_ratio, ctx.policy)
    return {"name": r.name, "id_type": r.id_type, "id_number": r.id_number, "gender": info.gender,
            "birth_date": info.birth_date, "mobile": r.mobile, "department": _department_code(r.department, ctx),
            "base": fmt_money(r.base), "unit_ratio": fmt_ratio(unit_ratio), "person_ratio": fmt_ratio(person_ratio),
            "unit_monthly": fmt_money(parts.unit), "person_monthly": fmt_money(parts.person),
            "monthly": fmt_money(parts.total), "first_month": str(first), "source": f"导入第{r.row}行"}


def _department_code(value: str, ctx: EntryContext) -> str:
    if not value or value in ctx.departments:
        return value
    return next((code for code, name in ctx.departments.items() if name == value), value)


def _person_fields(r, ctx: EntryContext) -> dict:
    person = ctx.roster.get(r.person_account) if ctx.roster is not None else None
    return {"person_account": r.person_account, "name": r.name or (person.name if person else ""),
            "id_number": r.id_number or (person.id_number if person else ""),
            "department": person.department if person else "", "paid_through": person.paid_through if person else ""}


def _seal_row(r, ctx: EntryContext) -> dict:
    return {**_person_fields(r, ctx), "reason": r.reason,
            "reason_label": ctx.dictionaries.label("seal_reason", r.reason),
            "effective_month": str(r.effective_month), "source": f"导入第{r.row}行"}


def _unseal_row(r, ctx: EntryContext) -> dict:
    person = ctx.roster.get(r.person_account) if ctx.roster is not None else None
    return {**_person_fields(r, ctx), "reason": r.reason,
            "reason_label": ctx.dictionaries.label("unseal_reason", r.reason),
            "effective_month": str(r.effective_month), "old_base": person.base if person else "",
            "base": fmt_money(r.base), "source": f"导入第{r.row}行"}


# -- 分享: the list as xlsx or CSV -------------------------------------------------------------------------
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportColumn:
    key: str
    title: str
    kind: str = "text"         # text | money (Decimal, "#,##0.00") | int
    width: int = 14
    value: Callable[[Mapping[str, Any]], Any] | None = None   # how to get it from an item (default: item[key])

    def get(self, item: Mapping[str, Any]) -> Any:
        return self.value(item) if self.value is not None else item.get(self.key)


def neutralise(text: str) -> str:
    """A text cell that a spreadsheet would read as a formula (= + - @, tab, CR first) made plain text by
    a leading apostrophe (OWASP's advice for CSV)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(column: ExportColumn, item: Mapping[str, Any]) -> Any:
    value = column.get(item)
    if value in (None, ""):
        return ""
    if column.kind == "money":
        try:
            return D(value) if not isinstance(value, Decimal) else value
        except (MoneyError, TypeError, ValueError, InvalidOperation):
            return str(value)
    if column.kind == "int" and isinstance(value, int):
        return value
    return str(value)


def export_csv(path: str | Path, columns: Sequence[ExportColumn], items: Iterable[Mapping[str, Any]]) -> Path:
    """UTF-8 with BOM (Excel reads the Chinese right); every text cell neutralised; money as 1234.50."""
    path = Path(path)
    with _atomic(path, "w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow([c.title for c in columns])
        for item in items:
            row = []
            for column in columns:
                value = _cell(column, item)
                row.append(fmt_money(value) if isinstance(value, Decimal) else
                           value if isinstance(value, int) else neutralise(str(value)))
            writer.writerow(row)
    return path


def export_xlsx(path: str | Path, columns: Sequence[ExportColumn], items: Iterable[Mapping[str, Any]], *,
                title: str = "查询结果", header_lines: Sequence[str] = ()) -> Path:
    """One sheet: optional lines above (unit, conditions), a bold header, the rows. Text cells are stored
    as text (never a formula: a value starting with = + - @ is written as a string with the quote prefix);
    money as numbers with two places."""
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for i, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = column.width
    bold = Font(bold=True)
    for line in header_lines:
        sheet.append([_text_cell(sheet, WriteOnlyCell, line)])
    heads = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.title)
        cell.font = bold
        heads.append(cell)
    sheet.append(heads)
    for item in items:
        row = []
        for column in columns:
            value = _cell(column, item)
            if isinstance(value, Decimal):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "#,##0.00"
            elif isinstance(value, int):
                cell = WriteOnlyCell(sheet, value=value)
            else:
                cell = _text_cell(sheet, WriteOnlyCell, value)
            row.append(cell)
        sheet.append(row)
    with _atomic(Path(path), "wb") as out:
        book.save(out)
    return Path(path)


def _text_cell(sheet, cell_type, value: str):
    cell = cell_type(sheet, value=None)
    cell.value = value
    cell.data_type = "s"          # openpyxl would store "=…" as a formula
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True   # Excel shows and keeps it as text when the cell is edited
    return cell


class _atomic:
    """Write to a temporary file beside `path`, then rename: a half-written export is never left behind."""

    def __init__(self, path: Path, mode: str, **kwargs) -> None:
        self.path, self.mode, self.kwargs = path, mode, kwargs

    def __enter__(self):
        fd, self.tmp = tempfile.mkstemp(prefix=".gjj-", suffix=self.path.suffix, dir=self.path.parent)
        self.file = os.fdopen(fd, self.mode, **self.kwargs)
        return self.file

    def __exit__(self, exc_type, exc, tb) -> None:
        self.file.close()
        if exc_type is None:
            os.replace(self.tmp, self.path)
        else:
            os.unlink(self.tmp)
