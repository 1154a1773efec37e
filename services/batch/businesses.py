"""The five batch businesses: their template columns, the row each good line becomes (with its API form),
and the rules of SPEC 4.4/4.6/4.8/4.9 that can be checked offline. Codes and messages follow the centre's
(server_stub/employees) so that a row refused offline reads the same as one the centre refuses."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from services.contribution_rules import (RuleProblem, adjustment_month_problem, duplicate_month, new_base_problem,
                                         overlapping_row, split_total, supplement_amount_problem,
                                         supplement_cap_problems, supplement_month_problems)
from services.dictionaries import PERSON_STATUS
from services.identity import ID_TYPE_RESIDENT, check_id, resident_id_problem
from services.money import fmt_money
from services.policy import Contribution, Policy, fmt_ratio, monthly_contribution
from services.yearmonth import YearMonth

from .context import ACTIVE, SEALED, BatchContext

ELSEWHERE = "已在其他单位正常缴存，需原单位先办理封存"
MAX_NAME = 50
MAX_CODE = 20


@dataclass(frozen=True)
class Column:
    """One template column. `header` is what the template shows and what a Problem's `column` carries."""
    key: str
    header: str
    kind: str                        # name id_type id_number mobile department base amount month account reason
    required: bool = False
    dictionary: str | None = None    # for kind "reason" / "id_type": the dictionary behind the drop-down
    help: str = ""
    width: int = 14
    text_format: bool = False        # the template formats the column as text (IDs, accounts, months)
    aliases: tuple[str, ...] = ()


# -- the rows a good line becomes ------------------------------------------------------------------------
class _Record:
    """Common to the row classes: `row` is the Excel row number; `to_api()` the body row of the centre call;
    `to_record()` / `from_record()` a JSON-safe dict for the local store."""
    __slots__ = ()
    API_FIELDS: ClassVar[tuple[str, ...]] = ()

    def to_api(self) -> dict:
        return {name: _api_value(name, getattr(self, name)) for name in self.API_FIELDS
                if getattr(self, name) is not None}

    def to_record(self) -> dict:
        return {f.name: _api_value(f.name, getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_record(cls, data: dict):
        kwargs = {}
        for f in dataclasses.fields(cls):
            value, kind = data.get(f.name), str(f.type)
            if value is None or value == "" and not kind.startswith("str"):
                kwargs[f.name] = None
            elif kind.startswith("YearMonth"):
                kwargs[f.name] = YearMonth.parse(value)
            elif kind.startswith("Decimal"):
                kwargs[f.name] = Decimal(str(value))
            elif kind == "int":
                kwargs[f.name] = int(value)
            else:
                kwargs[f.name] = value
        return cls(**kwargs)


def _api_value(name: str, value: Any) -> Any:
    """The API form: months "YYYY-MM", money "1234.50", ratios "12" / "7.5"."""
    if isinstance(value, YearMonth):
        return str(value)
    if isinstance(value, Decimal):
        return fmt_ratio(value) if name.endswith("ratio") else fmt_money(value)
    return value


@dataclass(slots=True)
class OpenRow(_Record):
    """缴存人登记: one employee to open (POST /employees/open)."""
    row: int
    name: str
    id_type: str
    id_number: str
    mobile: str
    department: str
    base: Decimal
    first_month: YearMonth | None = None      # None: the centre's default (the unit's next month)
    unit_ratio: Decimal | None = None         # None: the centre uses the unit's ratios
    person_ratio: Decimal | None = None
    API_FIELDS: ClassVar[tuple[str, ...]] = ("name", "id_type", "id_number", "mobile", "department", "base",
                                             "unit_ratio", "person_ratio", "first_month")

    def contribution(self, policy: Policy) -> Contribution:
        """月缴存额 of this row (unit and individual parts, each rounded by the policy); needs the ratios."""
        if self.unit_ratio is None or self.person_ratio is None:
            raise ValueError("缴存比例未知，无法计算月缴存额")
        return monthly_contribution(self.base, self.unit_ratio, self.person_ratio, policy)


@dataclass(slots=True)
class SealRow(_Record):
    """封存 (POST /employees/seal). name and id_number: as in the file, else from the roster."""
    row: int
    person_account: str
    name: str
    id_number: str
    reason: str
    effective_month: YearMonth
    API_FIELDS: ClassVar[tuple[str, ...]] = ("person_account", "reason", "effective_month")


@dataclass(slots=True)
class UnsealRow(_Record):
    """启封 (POST /employees/unseal)."""
    row: int
    person_account: str
    name: str
    id_number: str
    reason: str
    effective_month: YearMonth
    base: Decimal
    API_FIELDS: ClassVar[tuple[str, ...]] = ("person_account", "reason", "effective_month", "base")


@dataclass(slots=True)
class BaseRow(_Record):
    """基数调整 (application base_adjustment). old_base from the roster (None when it is not known)."""
    row: int
    person_account: str
    name: str
    id_number: str
    old_base: Decimal | None
    new_base: Decimal
    API_FIELDS: ClassVar[tuple[str, ...]] = ("person_account", "old_base", "new_base")


@dataclass(slots=True)
class SupplementaryRow(_Record):
    """补缴 (application supplementary): amounts are for the whole month range."""
    row: int
    person_account: str
    name: str
    id_number: str
    reason: str
    from_month: YearMonth
    to_month: YearMonth
    unit_amount: Decimal
    person_amount: Decimal
    API_FIELDS: ClassVar[tuple[str, ...]] = ("person_account", "reason", "from_month", "to_month",
                                             "unit_amount", "person_amount")

    @property
    def total(self) -> Decimal:
        return self.unit_amount + self.person_amount

    @property
    def months(self) -> int:
        return self.to_month - self.from_month + 1


# -- businesses ------------------------------------------------------------------------------------------
Add = Callable[[str, str, str], None]          # (column header, code, message) for the current row
AddAt = Callable[[int, str, str, str], None]   # (row, column header, code, message)


@dataclass(frozen=True)
class Business:
    key: str                 # open | seal | unseal | base | supplementary
    title: str               # the data sheet's name and the business's name in messages
    columns: tuple[Column, ...]
    row_type: type
    build: Callable[..., Any]   # (values, row, ctx, add, state) -> record or None
    version: int = 1         # the template version; a workbook stamped with an older one is refused
    notes: tuple[str, ...] = ()

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


def _header(business_columns: tuple[Column, ...], key: str) -> str:
    return next(c.header for c in business_columns if c.key == key)


ACCOUNT = Column("person_account", "个人账号", "account", True, help="本单位职工的个人账号（文本）", width=18,
                 text_format=True)
NAME_CHECK = Column("name", "姓名", "name", help="可不填；填写时须与个人账号一致，用于核对", width=10)
ID_CHECK = Column("id_number", "证件号码", "id_number", help="可不填；填写时须与个人账号一致，用于核对",
                  width=22, text_format=True, aliases=("身份证号码", "身份证号"))

OPEN_COLUMNS = (
    Column("name", "姓名", "name", True, help=f"职工姓名，不超过{MAX_NAME}个字", width=10),
    Column("id_type", "证件类型", "id_type", dictionary="id_type", help="从下拉列表选择；不填为居民身份证",
           width=14),
    Column("id_number", "证件号码", "id_number", True, help="18位身份证号码（末位可为X）；本列为文本格式，"
           "请勿改为数字（Excel会丢失后几位）", width=22, text_format=True, aliases=("身份证号码", "身份证号")),
    Column("mobile", "手机号码", "mobile", help="11位手机号码，可不填", width=14, text_format=True,
           aliases=("手机号", "手机")),
    Column("department", "部门", "department", help="部门代码（或部门名称），可不填", width=12, text_format=True,
           aliases=("部门代码",)),
    Column("base", "缴存基数", "base", True, help="元，最多两位小数，须在公积金中心公布的上下限之间", width=12,
           aliases=("缴存基数(元)",)),
    Column("first_month", "首次缴存年月", "month", help="如2025-03；不填为单位缴至年月的次月", width=14,
           text_format=True),
)
SEAL_COLUMNS = (
    ACCOUNT, NAME_CHECK, ID_CHECK,
    Column("reason", "封存原因", "reason", True, dictionary="seal_reason", help="从下拉列表选择", width=22),
    Column("effective_month", "封存年月", "month", True, help="自该月起停止缴存，应晚于该职工的缴至年月，如2025-03",
           width=12, text_format=True),
)
UNSEAL_COLUMNS = (
    ACCOUNT, NAME_CHECK, ID_CHECK,
    Column("reason", "启封原因", "reason", True, dictionary="unseal_reason", help="从下拉列表选择", width=22),
    Column("effective_month", "启封年月", "month", True, help="自该月起恢复缴存，应晚于该职工的缴至年月，如2025-03",
           width=12, text_format=True),
    Column("base", "缴存基数", "base", True, help="启封后的缴存基数（元），须在上下限之间", width=12,
           aliases=("启封后缴存基数",)),
)
BASE_COLUMNS = (
    ACCOUNT, NAME_CHECK, ID_CHECK,
    Column("new_base", "调整后缴存基数", "base", True, help="元，最多两位小数，须在本年度上下限之间", width=16,
           aliases=("新缴存基数", "调整后基数")),
)
SUPPLEMENTARY_COLUMNS = (
    ACCOUNT, NAME_CHECK, ID_CHECK,
    Column("reason", "补缴原因", "reason", True, dictionary="supplement_reason", help="从下拉列表选择", width=22),
    Column("from_month", "补缴起始年月", "month", True, help="如2025-01；须为已过去的月份、不早于开户年月、"
           "在最长补缴期限内", width=14, text_format=True),
    Column("to_month", "补缴终止年月", "month", help="不填表示只补缴起始年月这一个月", width=14, text_format=True),
    Column("unit_amount", "单位补缴金额", "amount", help="整个期间单位部分合计（元）；与个人补缴金额分别填写，"
           "或只填补缴金额合计", width=14),
    Column("person_amount", "个人补缴金额", "amount", help="整个期间个人部分合计（元）", width=14),
    Column("total", "补缴金额合计", "amount", help="只填合计时按该职工的缴存比例拆分为单位和个人部分", width=14),
)


# -- rules -----------------------------------------------------------------------------------------------
def _build_open(values: dict, row: int, ctx: BatchContext, add: Add, state: dict) -> OpenRow | None:
    get = values.get
    id_type = get("id_type") or ID_TYPE_RESIDENT
    number = get("id_number")
    if number is not None and "id_type" in state["failed"]:
        number = None                       # which checks apply is unknown until the type is right
    if number is not None:
        if id_type == ID_TYPE_RESIDENT:     # the usual row: no Check built for a good ID
            number, problem = resident_id_problem(number, ctx.business_date)
        else:
            check = check_id(id_type, number, ctx.business_date)
            number, problem = check.value, None if check.ok else check
        if problem is not None:
            add("证件号码", problem.code, problem.message)
            number = None
    if number is not None:
        by_type = state.get("ids")          # id type → number → first row
        if by_type is None:
            by_type = state["ids"] = {}
        ids = by_type.get(id_type)
        if ids is None:
            ids = by_type[id_type] = {}
        first = ids.get(number)
        if first is not None:
            add("证件号码", "duplicate_in_batch", f"证件号码与第{first}行重复，同一人只能登记一次")
        else:
            ids[number] = row
            if ctx.roster is not None or ctx.elsewhere is not None:
                _check_open_holder(number, ctx, add)
    first_month = get("first_month")
    if first_month is not None:
        last = state.get("first_month")     # the cells' memo hands the same month object to row after row
        if last is not None and last[0] is first_month:
            problem = last[1]
        else:
            checked = state.get("first_months")
            if checked is None:
                checked = state["first_months"] = {}
            problem = checked.get(first_month, _MISSING)
            if problem is _MISSING:
                problem = checked[first_month] = _first_month_problem(first_month, ctx)
            state["first_month"] = (first_month, problem)
        if problem is not None:
            add("首次缴存年月", *problem)
    base = get("base")
    name = get("name")
    if number is None or base is None or name is None or state["row_failed"]():
        return None
    return OpenRow(row, name, id_type, number, get("mobile") or "", get("department") or "", base, first_month,
                   ctx.unit_ratio, ctx.person_ratio)


def _check_open_holder(number: str, ctx: BatchContext, add: Add) -> None:
    if ctx.roster is not None:
        holder = ctx.holders_by_id().get(number)
        if holder is not None and holder.status == ACTIVE:
            add("证件号码", "active_here", f"该职工已在本单位正常缴存（个人账号{holder.account}），无需重复登记")
            return
        if holder is not None and holder.status == SEALED:
            add("证件号码", "sealed_here",
                f"该职工在本单位已有封存账户（个人账号{holder.account}），请办理启封，不能重复登记")
            return
    if ctx.elsewhere is not None and ctx.elsewhere.get(number) == ACTIVE:
        add("证件号码", "active_elsewhere", ELSEWHERE)


def _first_month_problem(month: YearMonth, ctx: BatchContext) -> tuple[str, str] | None:
    earliest, latest = _open_bounds(ctx)
    if month < earliest:
        return "month_too_early", f"首次缴存年月{month}不能早于{earliest}（单位开户年月及补缴追溯期限），请核对"
    if month > latest:
        return "month_too_late", f"首次缴存年月{month}不能晚于{latest}，请核对"
    return None


_MISSING = object()


def _open_bounds(ctx: BatchContext) -> tuple[YearMonth, YearMonth]:
    earliest = ctx.month - ctx.policy.max_supplement_months
    if ctx.unit_opened_on is not None:
        earliest = max(earliest, YearMonth.of(ctx.unit_opened_on))
    return earliest, ctx.month + 1


def _person(values: dict, row: int, ctx: BatchContext, add: Add, state: dict, cols: tuple[Column, ...],
            *, unique: bool = True):
    """The 个人账号 of a row: unknown or repeated accounts noted; name/ID checked against the roster.
    Returns (account, Person or None, name, id_number)."""
    account = values.get("person_account")
    name, number = values.get("name") or "", values.get("id_number") or ""
    if account is None:
        return None, None, name, number
    person = ctx.person(account)
    header = _header(cols, "person_account")
    if ctx.roster is not None and person is None:
        add(header, "not_found", f"个人账号{account}不存在或不属于本单位，请核对")
        return None, None, name, number
    if unique:
        first = state.setdefault("accounts", {}).get(account)
        if first is not None:
            add(header, "duplicate_in_batch", f"个人账号与第{first}行重复")
        else:
            state["accounts"][account] = row
    if person is not None:
        if name and person.name and name != person.name:
            add(_header(cols, "name"), "name_mismatch", f"姓名与个人账号不符（该账号登记的姓名为{person.name}），请核对")
        if number and person.id_number and number.upper() != person.id_number:
            add(_header(cols, "id_number"), "id_mismatch", "证件号码与个人账号不符，请核对")
        name, number = name or person.name, number or person.id_number
    return account, person, name, number


def _effective_month(values: dict, key: str, label: str, person, ctx: BatchContext, add: Add,
                     cols: tuple[Column, ...]) -> None:
    month = values.get(key)
    if month is None:
        return
    latest = ctx.month + 1
    if month > latest:
        add(_header(cols, key), "month_too_late", f"{label}{month}不能晚于{latest}，请核对")
    elif person is not None and person.paid_through is not None and month <= person.paid_through:
        add(_header(cols, key), "month_not_after_paid_through",
            f"{label}{month}应晚于该职工的缴至年月{person.paid_through}，请核对")


def _status_label(code: str) -> str:
    return PERSON_STATUS.get(code, code or "未知")


def _build_seal(values: dict, row: int, ctx: BatchContext, add: Add, state: dict) -> SealRow | None:
    cols = SEAL_COLUMNS
    account, person, name, number = _person(values, row, ctx, add, state, cols)
    if person is not None and person.status != ACTIVE:
        add(_header(cols, "person_account"), "not_active",
            f"该职工当前状态为{_status_label(person.status)}，只有正常状态的职工可以封存")
    _effective_month(values, "effective_month", "封存年月", person, ctx, add, cols)
    if account is None or state["row_failed"]():
        return None
    return SealRow(row, account, name, number, values["reason"], values["effective_month"])


def _build_unseal(values: dict, row: int, ctx: BatchContext, add: Add, state: dict) -> UnsealRow | None:
    cols = UNSEAL_COLUMNS
    account, person, name, number = _person(values, row, ctx, add, state, cols)
    if person is not None and person.status != SEALED:
        add(_header(cols, "person_account"), "not_sealed",
            f"该职工当前状态为{_status_label(person.status)}，只有封存状态的职工可以启封")
    elif person is not None and ctx.elsewhere is not None and ctx.elsewhere.get(person.id_number) == ACTIVE:
        add(_header(cols, "person_account"), "active_elsewhere", ELSEWHERE)
    _effective_month(values, "effective_month", "启封年月", person, ctx, add, cols)
    if account is None or state["row_failed"]():
        return None
    return UnsealRow(row, account, name, number, values["reason"], values["effective_month"], values["base"])


def _build_base(values: dict, row: int, ctx: BatchContext, add: Add, state: dict) -> BaseRow | None:
    cols = BASE_COLUMNS
    account, person, name, number = _person(values, row, ctx, add, state, cols)
    new_base = values.get("new_base")
    if person is not None and person.status != ACTIVE:
        add(_header(cols, "person_account"), "not_active",
            f"该职工当前状态为{_status_label(person.status)}，只有正常状态的职工可以调整基数")
    elif person is not None and new_base is not None and (problem := new_base_problem(new_base, person.base,
                                                                                         ctx.policy)):
        add(_header(cols, problem.field), problem.code, problem.message)
    if account is None or new_base is None or state["row_failed"]():
        return None
    return BaseRow(row, account, name, number, person.base if person else None, new_base)


def _build_supplementary(values: dict, row: int, ctx: BatchContext, add: Add,
                         state: dict) -> SupplementaryRow | None:
    cols = SUPPLEMENTARY_COLUMNS
    account, person, name, number = _person(values, row, ctx, add, state, cols, unique=False)
    first, last = values.get("from_month"), values.get("to_month")
    if last is None and "to_month" not in state["failed"]:
        last = first
    months_ok = first is not None and last is not None
    if months_ok:
        months_ok = _check_supplement_months(first, last, person, ctx, add, cols)
    if months_ok and account is not None:
        taken = state.setdefault("months", {}).setdefault(account, [])
        other_row = overlapping_row(first, last, taken)
        if other_row is not None:
            _add(add, cols, duplicate_month(other_row))
        else:
            taken.append((first, last, row))
    parts = _supplement_amounts(values, person, ctx, add, cols, state)
    if parts is not None and months_ok:
        _check_supplement_cap(parts, last - first + 1, person, ctx, add, cols)
    if account is None or parts is None or not months_ok or state["row_failed"]():
        return None
    return SupplementaryRow(row, account, name, number, values["reason"], first, last, parts[0], parts[1])


def _check_supplement_months(first: YearMonth, last: YearMonth, person, ctx: BatchContext, add: Add,
                             cols: tuple[Column, ...]) -> bool:
    problems = supplement_month_problems(first, last, business_month=ctx.month, policy=ctx.policy,
                                         opened_on=person.opened_on if person is not None else None)
    for problem in problems:
        _add(add, cols, problem)
    return not problems


def _add(add: Add, cols: tuple[Column, ...], problem: RuleProblem) -> None:
    add(_header(cols, problem.field), problem.code, problem.message)


def _supplement_amounts(values: dict, person, ctx: BatchContext, add: Add, cols: tuple[Column, ...],
                        state: dict) -> tuple[Decimal, Decimal] | None:
    failed = state["failed"]
    if failed & {"unit_amount", "person_amount", "total"}:
        return None
    unit, own, total = values.get("unit_amount"), values.get("person_amount"), values.get("total")
    if unit is None and own is None:
        if total is None:
            add(_header(cols, "total"), "amount_required", "请填写单位补缴金额和个人补缴金额，或填写补缴金额合计")
            return None
        ratios = _ratios(person, ctx)
        if ratios is None:
            add(_header(cols, "total"), "cannot_split",
                "不知道该职工的缴存比例，无法拆分补缴金额合计：请分别填写单位补缴金额和个人补缴金额")
            return None
        unit, own = split_total(total, *ratios)
    else:
        unit = unit if unit is not None else Decimal("0.00")
        own = own if own is not None else Decimal("0.00")
        if total is not None and unit + own != total:
            add(_header(cols, "total"), "total_mismatch",
                f"补缴金额合计{fmt_money(total)}不等于单位与个人补缴金额之和{fmt_money(unit + own)}，请核对")
            return None
    problem = supplement_amount_problem(unit, own)
    if problem is not None:
        _add(add, cols, problem)
        return None
    return unit, own


def _ratios(person, ctx: BatchContext) -> tuple[Decimal, Decimal] | None:
    if person is not None and person.unit_ratio is not None and person.person_ratio is not None:
        return person.unit_ratio, person.person_ratio
    return None


def _check_supplement_cap(parts: tuple[Decimal, Decimal], months: int, person, ctx: BatchContext, add: Add,
                          cols: tuple[Column, ...]) -> None:
    """Each part at most what the base cap allows for the months (the employee's ratios if known, else
    the policy's highest)."""
    for problem in supplement_cap_problems(parts[0], parts[1], months, ctx.policy, _ratios(person, ctx)):
        _add(add, cols, problem)


NOTES_GENERAL = (
    "每行一名职工；请勿修改、删除或调换表头，请勿删除本说明页和隐藏的模板信息页。",
    "证件号码、个人账号、手机号码、年月等列已设为文本格式：请直接输入或粘贴为“值”，不要改成数字格式，"
    "否则Excel会把18位身份证号码的后几位变成0。",
    "不要合并单元格、不要隐藏行、不要使用公式；隐藏的行同样会被导入。",
    "年月可写作2025-03、202503或2025年3月；金额最多两位小数，可带千位分隔符。",
    "一个文件最多200000行；导入时会列出所有有问题的行、列和原因，可导出带批注的错误清单修改后重新导入。",
)

BUSINESSES: dict[str, Business] = {
    "open": Business("open", "缴存人登记", OPEN_COLUMNS, OpenRow, _build_open,
                     notes=("缴存比例在导入时选择（默认为单位的缴存比例），本表不需填写。",
                            "已在本单位正常缴存的职工无需登记；在本单位已封存的职工请办理启封。")),
    "seal": Business("seal", "缴存人封存", SEAL_COLUMNS, SealRow, _build_seal,
                     notes=("只有状态为正常的职工可以封存。",)),
    "unseal": Business("unseal", "缴存人启封", UNSEAL_COLUMNS, UnsealRow, _build_unseal,
                       notes=("只有本单位封存状态的职工可以启封；启封年月应晚于该职工的缴至年月。",)),
    "base": Business("base", "基数调整", BASE_COLUMNS, BaseRow, _build_base,
                     notes=("基数调整只能在公积金中心规定的调整月份办理。",)),
    "supplementary": Business("supplementary", "补缴", SUPPLEMENTARY_COLUMNS, SupplementaryRow,
                              _build_supplementary,
                              notes=("同一职工同一月份只能补缴一次；补缴金额为整个期间的合计。",)),
}


def business(key: str) -> Business:
    try:
        return BUSINESSES[key]
    except KeyError:
        raise ValueError(f"未知的批量业务：{key}（可选：{'、'.join(BUSINESSES)}）") from None


def base_adjustment_month_problem(ctx: BatchContext) -> str | None:
    """基数调整 is allowed only in the policy's adjustment month (SPEC 4.4): None, or why not."""
    return adjustment_month_problem(ctx.policy, ctx.business_date)
