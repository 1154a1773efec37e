"""补缴书查询: the approved 补缴 not yet paid (GET /supplementary/bills?status=unallocated), with 打印补缴书 (the
汇补缴书 with the 补缴 filled in, as the 汇缴 tab prints an assessment's) and 明细 (every person and month)."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from client.approval_batches import BILL_STATUS, bill_detail, bill_reasons, unpaid_bills
from services.money import D, fmt_money_display
from ui.errors import message_for
from ui.list_sheet import ListSheet
from ui.modules.employee_kit.table import Col, RowsModel, make_table, selected_rows
from ui.modules.supplementary.slips import bill_slip_pdf
from ui.ops import Op
from ui.printing_dialogs import print_later

SCOPES = frozenset({"applications", "messages", "*"})
COLUMNS = [Col("#", "序号", 50), Col("serial", "补缴书编号", 150), Col("application_no", "业务编号", 170),
           Col("headcount", "补缴人数", 75, "int"), Col("unit_amount", "单位补缴金额", 110, "money"),
           Col("person_amount", "个人补缴金额", 110, "money"), Col("amount", "补缴金额", 110, "money"),
           Col("approved_on", "审批通过日期", 105, "date"), Col("deadline", "缴款期限", 100, "date"),
           Col("verification_code", "验证码", 80),
           Col("status", "状态", 70, fmt=lambda r: BILL_STATUS.get(r.get("status"), r.get("status") or ""))]
LINE_COLUMNS = [Col("#", "序号", 50), Col("person_account", "个人账号", 120), Col("name", "姓名", 75),
                Col("id_number", "证件号码", 165), Col("reason_label", "补缴原因", 140), Col("month", "补缴年月", 105, "month"),
                Col("unit_amount", "单位补缴金额", 105, "money"), Col("person_amount", "个人补缴金额", 105, "money"),
                Col("line_total", "合计", 100, "money")]


class BillsSheet(ListSheet):
    def __init__(self, main, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supplementaryBills")
        self.main = main
        self.operator = main.session.operator_name
        self.loaded_once = False
        self.detail_dialog: BillDialog | None = None
        title = QLabel("审批通过、尚未缴款的补缴（缴款并分配后不再列出）。请打印补缴书，在缴款期限前到银行缴款。")
        title.setObjectName("hint")
        title.setWordWrap(True)
        self.model = RowsModel(COLUMNS, parent=self)
        self.table = make_table(self.model, multi=False, stretch="application_no")
        self.table.setObjectName("billTable")
        self.table.doubleClicked.connect(lambda _i: self.show_detail())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        self.detail_button = QPushButton("明细")
        self.detail_button.clicked.connect(lambda: self.show_detail())
        self.print_button = QPushButton("打印补缴书")
        self.print_button.setObjectName("primary")
        self.print_button.clicked.connect(lambda: self.print_bill())
        self.lay_out(title, self.table, (self.detail_button, self.print_button))
        main.changed.connect(self._on_changed)
        self._selection_changed()

    # -- the list -----------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 - Qt override: the list is fetched when first shown
        super().showEvent(event)
        if not self.loaded_once:
            self.refresh()

    def _on_changed(self, scope: str) -> None:
        if scope in SCOPES and self.loaded_once:
            self.refresh()

    def fetch(self) -> list[dict]:
        return unpaid_bills(self.main.api)

    def show_items(self, items: list[dict]) -> None:
        self.loaded_once = True
        chosen = self.selected()
        self.model.set_rows(items)
        if chosen is not None:   # a refresh keeps the clerk's choice
            self.select(chosen.get("id"))
        total = sum((D(str(b.get("amount") or "0")) for b in items), D("0"))
        self.summary.setText(f"共 {len(items)} 笔待缴款的补缴，合计 {fmt_money_display(total)} 元" if items
                             else "没有待缴款的补缴")
        self._selection_changed()

    def _selection_changed(self) -> None:
        chosen = bool(selected_rows(self.table))
        self.detail_button.setEnabled(chosen)
        self.print_button.setEnabled(chosen)

    def selected(self) -> dict | None:
        rows = selected_rows(self.table)
        return self.model.row(rows[0]) if rows else None

    def select(self, bill_id: int) -> bool:
        for i, row in enumerate(self.model.rows):
            if row.get("id") == bill_id:
                self.table.selectRow(i)
                return True
        return False

    # -- 打印, 明细 ----------------------------------------------------------------------------------
    def print_bill(self, bill: dict | None = None):
        bill = bill or self.selected()
        if bill is None:
            self.message.show_error("请先选择要打印的补缴书")
            return None
        self.message.clear_message()
        return print_later(self, bill_slip_pdf, "住房公积金汇补缴书", self.main.api, bill["id"], self.operator)

    def show_detail(self) -> None:
        bill = self.selected()
        if bill is None:
            self.message.show_error("请先选择要查看的补缴书")
            return
        self.message.clear_message()
        (Op(self, bill_detail, self.main.api, bill["id"]).with_progress("正在读取补缴明细…")
         .success(self._show_detail).failure(lambda exc: self.message.show_error(message_for(exc))).run())

    def _show_detail(self, detail: dict) -> None:
        dialog = BillDialog(detail, self)
        self.detail_dialog = dialog
        dialog.exec()
        self.detail_dialog = None
        if dialog.print_chosen:
            self.print_bill(detail)


class BillDialog(QDialog):
    def __init__(self, detail: dict, sheet: BillsSheet) -> None:
        super().__init__(sheet)
        self.setObjectName("billDialog")
        self.setWindowTitle(f"补缴明细 — 补缴书{detail.get('serial') or ''}")
        self.resize(1040, 520)   # every column in full, 补缴原因 such as "少缴(基数/比例差额)" too
        self.sheet = sheet
        self.detail = detail
        self.print_chosen = False
        head = QLabel(f"补缴书编号：{detail.get('serial') or ''}　　业务编号：{detail.get('application_no') or ''}　　"
                      f"补缴原因：{bill_reasons(detail)}　　缴款期限：{detail.get('deadline') or ''}")
        head.setObjectName("billHead")
        head.setWordWrap(True)
        lines = [{**line, "line_total": str(D(str(line.get("unit_amount") or "0"))
                                            + D(str(line.get("person_amount") or "0")))}
                 for line in detail.get("lines") or ()]
        self.model = RowsModel(LINE_COLUMNS, lines, self)
        self.table = make_table(self.model, multi=False, stretch="reason_label")
        self.table.setObjectName("billLines")
        total = QLabel(f"共 {detail.get('headcount') or 0} 人，{len(lines)} 笔（每人每月一笔）：单位 "
                       f"{fmt_money_display(D(str(detail.get('unit_amount') or '0')))} 元，个人 "
                       f"{fmt_money_display(D(str(detail.get('person_amount') or '0')))} 元，合计 "
                       f"{fmt_money_display(D(str(detail.get('amount') or '0')))} 元")
        total.setObjectName("billTotal")
        print_button = QPushButton("打印补缴书")
        print_button.setObjectName("primary")
        print_button.clicked.connect(self._print)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(total, 1)
        buttons.addWidget(print_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(head)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def _print(self) -> None:
        self.print_chosen = True
        self.accept()
