"""汇缴核定查询 (SPEC 4.5): the unit's unallocated assessments; 明细 opens the roster, 删除 (after a question;
only the latest unpaid one — a refusal shows the centre's reason) → "核定删除成功", 打印 prints the 汇补缴书
with the roster appendix (printing.remittance_slip)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QPushButton

from client.errors import CentreUnreachable, SessionExpired
from client.remittance import month_label
from services.money import D, fmt_money_display
from ui.errors import message_for
from ui.list_sheet import ListSheet
from ui.modules.employee_kit.dialogs import confirm, flash_info
from ui.modules.remittance.assess_sheet import _cell, _table
from ui.modules.remittance.slips import slip_pdf
from ui.modules.remittance.roster_dialog import RosterDialog
from ui.ops import Op
from ui.printing_dialogs import print_later

DELETED = "核定删除成功"
STATUS = {"unallocated": "未到账", "allocated": "已到账分配"}
COLUMNS = ["汇缴年月", "缴存人数", "汇缴金额（元）", "业务流水号", "验证码", "核定日期", "缴款期限", "经办人", "状态"]


def row_texts(a: dict) -> list[tuple[str, bool]]:
    return [(month_label(a.get("month", "")), False), (str(a.get("headcount", "")), True),
            (fmt_money_display(D(a.get("amount", "0"))), True), (a.get("serial", ""), False),
            (a.get("verification_code", ""), False), (a.get("assessed_on", ""), False),
            (a.get("deadline", ""), False), (a.get("operator", ""), False),
            (STATUS.get(a.get("status", ""), a.get("status", "")), False)]


class QuerySheet(ListSheet):
    def __init__(self, owner) -> None:
        super().__init__()
        self.owner = owner
        self.items: list[dict] = []
        self.table = _table(COLUMNS, "assessmentTable")
        self.table.setSelectionMode(self.table.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.show_detail())
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.detail_button = QPushButton("明细")
        self.detail_button.clicked.connect(lambda: self.show_detail())
        self.delete_button = QPushButton("删除")
        self.delete_button.clicked.connect(lambda: self.delete())
        self.print_button = QPushButton("打印汇补缴书")
        self.print_button.setObjectName("primary")
        self.print_button.clicked.connect(lambda: self.print_slip())
        title = QLabel("未到账的汇缴核定（到账分配后不再列出；只能删除最近一次的核定）")
        title.setObjectName("hint")
        self.lay_out(title, self.table, (self.detail_button, self.delete_button, self.print_button))
        self._selection_changed()

    # -- the list (ui.list_sheet.ListSheet: 刷新 one fetch at a time) -------------------------------------
    def fetch(self) -> list[dict]:
        return self.owner.client().assessments("unallocated")

    def show_items(self, items: list[dict]) -> None:
        selected = self.selected()
        self.items = items
        self.table.setRowCount(len(items))
        for r, a in enumerate(items):
            for c, (text, right) in enumerate(row_texts(a)):
                item = _cell(str(text), right)
                item.setData(Qt.ItemDataRole.UserRole, a.get("id"))
                self.table.setItem(r, c, item)
        total = sum((D(a.get("amount", "0")) for a in items), D("0"))
        self.summary.setText(f"共{len(items)}笔，合计{fmt_money_display(total)}元" if items else "没有未到账的汇缴核定")
        keep = next((r for r, a in enumerate(items) if selected and a.get("id") == selected.get("id")), None)
        if keep is None and items:
            keep = len(items) - 1       # the latest: the one that may be deleted
        if keep is not None:
            self.table.selectRow(keep)
        self._selection_changed()

    def fetch_failed(self, exc: BaseException) -> None:
        if isinstance(exc, (SessionExpired, CentreUnreachable)):
            self.owner.main._background_failed(exc)  # noqa: SLF001 - the window's handler
            return
        self.message.show_error(message_for(exc))

    def selected(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.items):
            return None
        return self.items[rows[0].row()]

    def select_month(self, month: str) -> bool:
        for r, a in enumerate(self.items):
            if a.get("month") == month:
                self.table.selectRow(r)
                return True
        return False

    def _selection_changed(self) -> None:
        there = self.selected() is not None
        for button in (self.detail_button, self.delete_button, self.print_button):
            button.setEnabled(there)

    # -- 明细 / 删除 / 打印 -------------------------------------------------------------------------------
    def show_detail(self) -> None:
        chosen = self.selected()
        if chosen is None:
            self.message.show_error("请先选择一笔汇缴核定")
            return
        (Op(self, lambda: self.owner.client().assessment(chosen["id"]))
         .success(self._open_detail).failure(self._failed).run())

    def _open_detail(self, detail: dict) -> None:
        self.detail_dialog = RosterDialog(detail, self.owner, self)
        self.detail_dialog.open()

    def delete(self, *, ask=confirm) -> None:
        chosen = self.selected()
        if chosen is None:
            self.message.show_error("请先选择一笔汇缴核定")
            return
        text = (f"确定删除{month_label(chosen['month'])}的汇缴核定吗？（{chosen.get('headcount')}人，"
                f"{fmt_money_display(D(chosen.get('amount', '0')))}元，业务流水号{chosen.get('serial', '')}）"
                "删除后已打印的汇补缴书作废。")
        if not ask(self, "删除汇缴核定", text, "删除", name="confirmDelete"):
            return
        self.delete_button.setEnabled(False)
        (Op(self, lambda: self.owner.client().delete(chosen["id"]))
         .with_progress("正在删除汇缴核定…")
         .success(lambda _r: self._deleted())
         .failure(self._failed).run())

    def _deleted(self) -> None:
        flash_info(self.message, DELETED)
        self.owner.announce()

    def print_slip(self) -> None:
        chosen = self.selected()
        if chosen is None:
            self.message.show_error("请先选择一笔汇缴核定")
            return
        print_later(self, slip_pdf, "汇补缴书", self.owner.client, chosen["id"], self.owner.main.session.operator_name)

    def _failed(self, exc: BaseException) -> None:
        self._selection_changed()
        if isinstance(exc, SessionExpired):
            self.owner.main._background_failed(exc)  # noqa: SLF001 - back to the login window
            return
        self.message.show_error(message_for(exc))
