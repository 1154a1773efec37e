"""补缴 (SPEC 4.6) — approval: two sheets. 补缴录入: 单个录入 or 批量导入 into the 补缴清册, 【删除】 (asks first),
【完成办理】 → 档案上传 (补缴证明材料) → "提交审批完成，是否打印凭条？" → the 补缴凭条. 补缴书查询: the approved 补缴
not yet paid, 打印补缴书 (the 汇补缴书) and 明细."""
from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from client.approval_batches import BATCHES, SUPPLEMENTARY
from ui.modules.approval_kit.page import ApprovalBatchPage
from ui.modules.employee_kit.table import Col
from ui.modules.supplementary.bills import BillsSheet
from ui.modules.supplementary.form import SupplementaryForm
from ui.modules.supplementary.slips import receipt_slip_pdf

PRINT_QUESTION = "提交审批完成，是否打印凭条？"


def _months(row: dict) -> str:
    first, last = row.get("from_month") or "", row.get("to_month") or ""
    return first if not last or last == first else f"{first} 至 {last}"


class SupplementaryPage(ApprovalBatchPage):
    submit_text = "完成办理"
    count_unit = "条"
    totals = (("unit_amount", "单位补缴金额"), ("person_amount", "个人补缴金额"), ("total", "补缴金额"))

    def __init__(self, main) -> None:
        super().__init__(main, BATCHES[SUPPLEMENTARY])
        self.setObjectName("supplementaryPage")
        self.panel.submit_button.setToolTip("上传补缴证明材料后，将清册中的全部记录作为一笔补缴申请提交中心审批")

    def make_form(self) -> SupplementaryForm:
        return SupplementaryForm(self.hub)

    def columns(self) -> list[Col]:
        # each value in full ("少缴(基数/比例差额)", "2026-03 至 2026-04", "合计按比例拆分", "导入第12行"); the 13 columns
        # are wider than a 1280-pixel window: the table scrolls sideways rather than cut them
        return [Col("#", "序号", 44), Col("person_account", "个人账号", 114), Col("name", "姓名", 64),
                Col("id_number", "证件号码", 160), Col("reason_label", "补缴原因", 150),
                Col("months_text", "补缴年月", 145, fmt=_months), Col("months", "月数", 46, "int"),
                Col("unit_amount", "单位补缴金额", 105, "money"), Col("person_amount", "个人补缴金额", 105, "money"),
                Col("total", "补缴金额", 90, "money"), Col("entered_as", "金额填写", 118), Col("source", "来源", 92),
                Col("_status", "清册状态", 77)]

    def apply_blocked(self) -> None:
        super().apply_blocked()
        self.form.show_rule()   # the centre's business date moved: so did the earliest month that may be supplemented

    def announce(self, detail: dict, rows: list[dict]) -> None:
        self.show_submitted(detail, "住房公积金补缴凭条", receipt_slip_pdf, rows, dict(self.hub.unit or self.session.unit),
                            self.session.operator_name, self.session.dictionaries, question=PRINT_QUESTION)


class SupplementaryTab(QWidget):
    """The registered tab: the two sheets. It takes returned 补缴 applications back (修改后重新提交) through
    the entry sheet."""

    def __init__(self, main) -> None:
        super().__init__()
        self.setObjectName("supplementaryTab")
        self.entry = SupplementaryPage(main)
        self.bills = BillsSheet(main)
        self.application_type = self.entry.application_type
        self.sheets = QTabWidget()
        self.sheets.setObjectName("subTabs")
        self.sheets.addTab(self.entry, "补缴录入")
        self.sheets.addTab(self.bills, "补缴书查询")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.sheets)

    def edit_application(self, detail: dict) -> bool:
        self.sheets.setCurrentWidget(self.entry)
        return self.entry.edit_application(detail)

    def application_ended(self, application_id: int) -> None:
        self.entry.application_ended(application_id)
