"""基数调整 (SPEC 4.4) — approval: 单个录入 or 批量导入 into the 基数调整清册, 【删除】 (asks first), 【提交审批】 →
档案上传 (工资发放明细或基数调整审批表) → 提交成功 → 业务回执. Only in the policy's adjustment month by the
centre's business date: outside it a notice says so at the top and 录入 / 导入 / 提交 are off."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from client.approval_batches import BATCHES, BASE, adjustment_month_problem, adjustment_notice
from services.money import D
from ui.modules.approval_kit.page import ApprovalBatchPage
from ui.modules.base_adjust.form import BaseForm
from ui.modules.employee_kit.table import Col

RECEIPT_COLUMNS = (("person_account", "个人账号", "text"), ("name", "姓名", "text"),
                   ("old_base", "调整前缴存基数", "money"), ("new_base", "调整后缴存基数", "money"),
                   ("old_monthly", "调整前月缴存额", "money"), ("new_monthly", "调整后月缴存额", "money"))


def _ratios(row: dict) -> str:
    unit, person = row.get("unit_ratio"), row.get("person_ratio")
    return f"{unit}% / {person}%" if unit and person else ""


class BaseAdjustTab(ApprovalBatchPage):
    totals = (("old_monthly", "现月缴存额"), ("new_monthly", "调整后月缴存额"))

    def __init__(self, main) -> None:
        super().__init__(main, BATCHES[BASE])
        self.setObjectName("baseAdjustTab")

    def make_form(self) -> BaseForm:
        return BaseForm(self.hub)

    def columns(self) -> list[Col]:
        hub = self.hub
        # widths that fit a 1280-pixel window without a sideways scroll bar, each title and value in full
        return [Col("#", "序号", 44), Col("person_account", "个人账号", 114), Col("name", "姓名", 62),
                Col("id_number", "证件号码", 160),
                Col("department", "部门", 90, fmt=lambda r: hub.department_name(r.get("department"))),
                Col("ratios", "缴存比例", 88, fmt=_ratios), Col("old_base", "现缴存基数", 92, "money"),
                Col("new_base", "调整后缴存基数", 120, "money"), Col("old_monthly", "现月缴存额", 92, "money"),
                Col("new_monthly", "调整后月缴存额", 120, "money"), Col("source", "来源", 92),
                Col("_status", "清册状态", 77)]

    def blocked_reason(self) -> str | None:
        return adjustment_month_problem(self.session.policy, self.session.business_date)

    def notice_text(self) -> str | None:
        return adjustment_notice(self.session.policy, self.session.business_date)

    def announce(self, detail: dict, rows: list[dict]) -> None:
        self.show_submitted(detail, "基数调整业务回执", receipt_pdf, rows, dict(self.hub.unit or self.session.unit),
                            self.session.operator_name)


def receipt_pdf(detail: dict[str, Any], rows: list[dict], unit: dict[str, Any], operator: str) -> bytes:
    """Background: the 业务回执 of a submitted 基数调整 — the application and every person in it."""
    from printing import BusinessReceipt, PrintContext, business_receipt  # noqa: PLC0415

    def money(value: Any) -> Decimal | None:
        return D(str(value)) if value not in (None, "") else None

    details = tuple({"person_account": r.get("person_account", ""), "name": r.get("name", ""),
                     **{key: money(r.get(key)) for key in ("old_base", "new_base", "old_monthly", "new_monthly")}}
                    for r in rows)
    files = detail.get("attachments") or []
    receipt = BusinessReceipt(
        business="基数调整", number=str(detail.get("application_no") or ""), result="已提交，待中心审批",
        submitted_at=str(detail.get("submitted_at") or ""), number_label="业务编号",
        fields=(("经办人", operator), ("调整人数", f"{len(rows)}人"), ("档案扫描", f"{len(files)}个文件")),
        detail_columns=RECEIPT_COLUMNS, details=details, detail_unit="人",
        note="本回执由系统在完成办理时生成，请妥善留存；中心审批通过后新的缴存基数生效，审批进度可在首页“我发起的”中查看。")
    return business_receipt(receipt, PrintContext.from_api(unit, operator))
