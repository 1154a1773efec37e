"""The printed documents besides the 汇补缴书 (printing/slip.py): the query reports of every query tab, the
account summary, the journal detail, the 清册 appendix, the 补缴凭条 and the business receipt of 完成办理.
Each is the one report builder (printing/report.py) with its title, columns and notes; each returns PDF bytes.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from printing.model import (AccountSummary, Assessment, BusinessReceipt, ChangeLogEntry, DepartmentTransfer,
                            EmployeeRow, JournalDetail, JournalEntry, PrintContext, RosterRow, StatusChange,
                            SupplementarySlip)
from printing.report import Column, PageFrame, Report, fmt_timestamp
from services.chinese_amount import chinese_amount
from services.dictionaries import PERSON_STATUS
from services.money import fmt_money_display
from services.yearmonth import YearMonth, YearMonthError

Conditions = str | Sequence[tuple[str, str]] | Mapping[str, str]

STATUS_CHANGE_TYPES = {"seal": "封存", "unseal": "启封"}
ASSESSMENT_STATUS = {"unallocated": "未分配", "allocated": "已分配", "unpaid": "未缴款", "paid": "已到账",
                     "received": "已到账"}


def person_status(code: Any) -> str:
    return PERSON_STATUS.get(str(code), str(code or ""))


def month_text(value: Any) -> str:
    """"2024-07" → "2024年07月"."""
    try:
        return YearMonth.parse(str(value)).display()
    except YearMonthError:
        return str(value or "")


def conditions_text(conditions: Conditions | None) -> str:
    if not conditions:
        return ""
    if isinstance(conditions, str):
        return conditions
    items = conditions.items() if isinstance(conditions, Mapping) else conditions
    return "；".join(f"{k}：{v}" for k, v in items if v not in (None, ""))


def frame(ctx: PrintContext, title: str, conditions: Conditions | None = None, landscape: bool = False,
          conditions_label: str = "查询条件") -> PageFrame:
    return PageFrame(title, ctx.unit_name, ctx.unit_account, conditions_text(conditions), conditions_label,
                     ctx.operator, ctx.printed_at, landscape)


def amount_pairs(label: str, amount) -> list[tuple[str, str, bool]]:
    """An amount in figures and in capitals, each on a row of its own."""
    return [(f"{label}（小写）", f"¥{fmt_money_display(amount)}", True),
            (f"{label}（大写）", f"人民币{chinese_amount(amount)}", True)]


# -- the query reports ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class QuerySpec:
    title: str
    row_type: type
    columns: tuple[Column, ...]
    count_unit: str = "条"
    landscape: bool = False
    numbered: bool = True


QUERY_REPORTS: dict[str, QuerySpec] = {
    # 单位信息查询 (SPEC 4.7)
    "unit_changes": QuerySpec("单位客户信息变更查询", ChangeLogEntry, (
        Column("changed_on", "变更日期", 1.0, "date"),
        Column("item", "变更项目", 1.2),
        Column("old", "变更前", 2.1),
        Column("new", "变更后", 2.1),
        Column("operator", "经办人", 0.85),
        Column("channel", "渠道", 1.15),
    )),
    "journal": QuerySpec("业务流水查询", JournalEntry, (
        Column("serial", "业务流水号", 1.6),
        Column("booked_on", "记账日期", 1.0, "date"),
        Column("summary", "摘要", 2.0),
        Column("amount", "发生额（元）", 1.25, "money", total=True),
        Column("interest", "利息额（元）", 1.1, "money", total=True),
        Column("headcount", "人数", 0.6, "int"),
    ), count_unit="笔"),
    "journal_details": QuerySpec("业务流水明细", JournalDetail, (
        Column("person_account", "个人账号", 1.3),
        Column("name", "姓名", 1.0),
        Column("booked_on", "记账日期", 1.0, "date"),
        Column("amount", "发生额（元）", 1.2, "money", total=True),
        Column("interest", "发生利息额（元）", 1.2, "money", total=True),
        Column("type", "业务明细类型", 1.2),
    ), count_unit="人"),
    # 缴存人信息查询 (SPEC 4.10)
    "employees": QuerySpec("缴存人账户信息查询", EmployeeRow, (
        Column("person_account", "个人账号", 1.3),
        Column("name", "姓名", 0.95),
        Column("id_number", "证件号码", 1.75),
        Column("department", "部门", 1.4),
        Column("status", "状态", 0.55, fmt=person_status, align="center"),
        Column("base", "缴存基数", 1.0, "money"),
        Column("ratios", "缴存比例\n（单位/个人）", 1.05, align="center"),
        Column("monthly", "月缴存额", 0.95, "money", total=True),
        Column("balance", "余额", 1.1, "money", total=True),
        Column("paid_through", "缴至年月", 0.8, "month"),
        Column("opened_on", "开户日期", 0.95, "date"),
    ), count_unit="人", landscape=True),
    "employee_changes": QuerySpec("缴存人客户信息变更查询", ChangeLogEntry, (
        Column("changed_on", "变更日期", 1.0, "date"),
        Column("person_account", "个人账号", 1.3),
        Column("name", "姓名", 0.95),
        Column("item", "变更项目", 1.1),
        Column("old", "变更前", 1.9),
        Column("new", "变更后", 1.9),
    )),
    "status_changes": QuerySpec("缴存人账户状态变更查询", StatusChange, (
        Column("person_account", "个人账号", 1.3),
        Column("name", "姓名", 0.95),
        Column("type", "变更类型", 0.8, fmt=lambda v: STATUS_CHANGE_TYPES.get(v, v or ""), align="center"),
        Column("reason", "原因", 2.0),
        Column("effective_month", "生效年月", 0.85, "month"),
        Column("changed_on", "办理日期", 1.0, "date"),
        Column("operator", "经办人", 0.85),
    )),
    # 汇缴 (SPEC 4.5)
    "assessments": QuerySpec("汇缴核定查询", Assessment, (
        Column("month", "汇缴年月", 1.0, "month"),
        Column("serial", "业务流水号", 1.6),
        Column("headcount", "人数", 0.7, "int"),
        Column("amount", "核定金额（元）", 1.3, "money", total=True),
        Column("status", "状态", 0.8, fmt=lambda v: ASSESSMENT_STATUS.get(v, v or ""), align="center"),
        Column("assessed_at", "核定时间", 1.3, "datetime"),
    ), count_unit="笔"),
    # 单位部门管理 (SPEC 4.11)
    "department_transfers": QuerySpec("部门调动查询", DepartmentTransfer, (
        Column("person_account", "个人账号", 1.3),
        Column("name", "姓名", 0.95),
        Column("from_department", "调出部门", 1.4),
        Column("to_department", "调入部门", 1.4),
        Column("transferred_on", "调动日期", 1.0, "date"),
        Column("operator", "经办人", 0.9),
    ), count_unit="人次"),
}


def query_report(kind: str, rows: Iterable[Any], ctx: PrintContext, conditions: Conditions | None = None) -> bytes:
    """The printed list of a query tab: ``kind`` is a key of QUERY_REPORTS; ``rows`` are its row dataclass or
    the API's JSON items (read with the dataclass's ``from_api``)."""
    spec = QUERY_REPORTS[kind]
    items = [r if isinstance(r, spec.row_type) else spec.row_type.from_api(r) for r in rows]
    return (Report(frame(ctx, spec.title, conditions, spec.landscape))
            .table(spec.columns, items, numbered=spec.numbered, count_unit=spec.count_unit)
            .build())


def account_summary_report(summary: AccountSummary | Mapping[str, Any], ctx: PrintContext,
                           conditions: Conditions | None = None) -> bytes:
    """账户信息查询 (SPEC 4.7): 期初余额, 本期增加, 本期减少, 期末余额, 单位未分配金额 for the date range."""
    if not isinstance(summary, AccountSummary):
        summary = AccountSummary.from_api(summary)
    money = fmt_money_display
    return (Report(frame(ctx, "单位账户信息查询", conditions))
            .fields([("期初余额（元）", money(summary.opening_balance)), ("本期增加（元）", money(summary.increase)),
                     ("本期减少（元）", money(summary.decrease)), ("期末余额（元）", money(summary.closing_balance)),
                     ("单位未分配金额（元）", money(summary.unallocated))])
            .paragraph("期末余额 = 期初余额 + 本期增加 − 本期减少；单位未分配金额为已到账但尚未分配到个人账户的暂存款。")
            .build())


def journal_detail_report(entry: JournalEntry | Mapping[str, Any], details: Iterable[Any],
                          ctx: PrintContext) -> bytes:
    """The per-person detail of one 业务流水 (SPEC 4.7 明细)."""
    if not isinstance(entry, JournalEntry):
        entry = JournalEntry.from_api(entry)
    spec = QUERY_REPORTS["journal_details"]
    items = [d if isinstance(d, JournalDetail) else JournalDetail.from_api(d) for d in details]
    return (Report(frame(ctx, spec.title))
            .fields([("业务流水号", entry.serial), ("记账日期", entry.booked_on), ("摘要", entry.summary),
                     ("人数", str(entry.headcount)), ("发生额（元）", fmt_money_display(entry.amount)),
                     ("利息额（元）", fmt_money_display(entry.interest))])
            .table(spec.columns, items, numbered=True, count_unit=spec.count_unit)
            .build())


# -- the 清册 appendix ---------------------------------------------------------------------------------------

ROSTER_COLUMNS = (
    Column("person_account", "个人账号", 1.3),
    Column("name", "姓名", 1.0),
    Column("id_number", "证件号码", 1.75),
    Column("base", "缴存基数", 1.1, "money"),
    Column("unit_monthly", "单位月缴存额", 1.1, "money", total=True),
    Column("person_monthly", "个人月缴存额", 1.1, "money", total=True),
    Column("monthly", "月缴存额合计", 1.15, "money", total=True),
)


def roster_report(rows: Sequence[RosterRow], ctx: PrintContext, month: str = "", serial: str = "",
                  appendix: bool = False) -> Report:
    """The 清册 of an assessment as a report (the appendix of the 汇补缴书, or printed on its own)."""
    conditions = [("汇缴年月", month_text(month) if month else ""), ("业务流水号", serial)]
    title = "住房公积金汇缴清册（汇补缴书附件）" if appendix else "住房公积金汇缴清册"
    return (Report(frame(ctx, title, conditions, conditions_label=""))
            .table(ROSTER_COLUMNS, rows, numbered=True, count_unit="人"))


def roster_appendix(assessment: Assessment | Mapping[str, Any], ctx: PrintContext) -> bytes:
    """明细 of 汇缴核定查询 printed: the assessment's roster with the monthly totals."""
    if not isinstance(assessment, Assessment):
        assessment = Assessment.from_api(assessment)
    return roster_report(assessment.roster, ctx, assessment.month, assessment.serial or assessment.id).build()


# -- after 完成办理 ------------------------------------------------------------------------------------------

SUPPLEMENT_COLUMNS = (
    Column("person_account", "个人账号", 1.3),
    Column("name", "姓名", 0.95),
    Column("reason", "补缴原因", 1.5),
    Column("months", "补缴年月", 1.5, align="center"),
    Column("unit_amount", "单位补缴额", 1.05, "money", total=True),
    Column("person_amount", "个人补缴额", 1.05, "money", total=True),
    Column("amount", "补缴金额", 1.1, "money", total=True),
)


def supplementary_slip(slip: SupplementarySlip, ctx: PrintContext) -> bytes:
    """The 补缴凭条 (SPEC 4.6 "提交审批完成，是否打印凭条？")."""
    status = {"pending": "已提交，待中心审批", "approved": "中心已审批通过", "draft": "尚未提交"}.get(
        slip.status, slip.status)
    people = len({r.person_account for r in slip.rows})
    return (Report(frame(ctx, "住房公积金补缴凭条"))
            .fields([("申请编号", slip.application_id), ("提交时间", fmt_timestamp(slip.submitted_at)),
                     ("办理状态", status), ("补缴人数", f"{people}人"),
                     *amount_pairs("补缴金额", slip.total)])
            .table(SUPPLEMENT_COLUMNS, slip.rows, numbered=True, count_unit="条")
            .paragraph("说明：本凭条证明上述补缴申请已提交公积金中心审批，不作缴款凭证。中心审批通过后，"
                       "请打印汇补缴书并在缴款期限前到银行缴款。")
            .build())


def business_receipt(receipt: BusinessReceipt, ctx: PrintContext) -> bytes:
    """The 业务回执 of 完成办理 (SPEC 4.3 "完成办理,是否打印？" and every business that ends with 完成办理)."""
    report = Report(frame(ctx, "住房公积金业务办理回执"))
    report.fields([("业务名称", receipt.business), ("办理结果", receipt.result),
                   (receipt.number_label, receipt.number), ("提交时间", fmt_timestamp(receipt.submitted_at)),
                   *receipt.fields])
    if receipt.changes:
        report.table((Column("item", "变更项目", 1.2), Column("old", "变更前", 2.0), Column("new", "变更后", 2.0)),
                     receipt.changes, numbered=True, caption="变更内容", totals=False)
    if receipt.details:
        columns = [Column(key, title, kind=kind, total=kind == "money") for key, title, kind in receipt.detail_columns]
        report.table(columns, receipt.details, numbered=True, caption="办理明细", count_unit=receipt.detail_unit)
    note = receipt.note or ("本回执由系统在完成办理时生成，请妥善留存；审批进度可在首页“我发起的”中查看。"
                            if receipt.number_label == "申请编号" else "本回执由系统在完成办理时生成，请妥善留存。")
    return report.paragraph(note).build()
