"""业务流水明细: one entry's figures and its per-person rows (个人账号, 姓名, 记账日期, 发生额, 发生利息额,
业务明细类型), loaded in the background; 【打印】 prints the detail (printing.journal_detail_report)."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from client.errors import SessionExpired
from client.unit_queries import UnitQueries
from services.money import D, fmt_money_display
from ui.errors import message_for
from ui.modules.employee_kit.table import Col, RowsModel, make_table
from ui.query_sheet import print_context
from ui.ops import Op
from ui.widgets import InlineMessage

DETAIL_COLUMNS = [Col("#", "序号", 50), Col("person_account", "个人账号", 150), Col("name", "姓名", 100),
                  Col("booked_on", "记账日期", 105, "date"), Col("amount", "发生额（元）", 120, "money"),
                  Col("interest", "发生利息额（元）", 130, "money"), Col("type_label", "业务明细类型", 110)]


class JournalDetailDialog(QDialog):
    def __init__(self, sheet, queries: UnitQueries, entry: dict) -> None:
        super().__init__(sheet)
        self.sheet, self.queries, self.entry = sheet, queries, dict(entry)
        self.setObjectName("journalDetailDialog")
        self.setWindowTitle(f"业务流水明细 — {entry.get('serial', '')}")
        self.resize(860, 560)
        self.heading = QLabel(self._heading(entry))
        self.heading.setObjectName("sectionTitle")
        self.heading.setWordWrap(True)
        self.model = RowsModel(DETAIL_COLUMNS, parent=self)
        self.table = make_table(self.model, multi=False, stretch="type_label")
        self.count = QLabel("正在读取明细…")
        self.count.setObjectName("hint")
        self.message = InlineMessage()
        self.print_button = QPushButton("打印")
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(lambda: self.print_report())
        close = QPushButton("关闭")
        close.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.print_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    @staticmethod
    def _heading(entry: dict) -> str:
        return (f"业务流水号 {entry.get('serial', '')}　记账日期 {str(entry.get('booked_on') or '')[:10]}　"
                f"{entry.get('summary', '')}　发生额 {fmt_money_display(D(entry.get('amount') or '0'))} 元　"
                f"人数 {entry.get('headcount', 0)}")

    def load(self) -> Op:
        serial = self.entry.get("serial")
        return Op(self, self.queries.journal_entry, serial).success(self._loaded).failure(self._failed).run()

    def _loaded(self, entry: dict) -> None:
        self.entry = entry
        details = entry.get("details") or []
        self.heading.setText(self._heading(entry))
        self.model.set_rows(details)
        amount = sum((D(d.get("amount") or "0") for d in details), D("0"))
        interest = sum((D(d.get("interest") or "0") for d in details), D("0"))
        self.count.setText(f"共 {len(details)} 人　｜　发生额合计 {fmt_money_display(amount)} 元　｜　"
                           f"发生利息额合计 {fmt_money_display(interest)} 元" if details else "这笔业务没有个人明细")
        self.print_button.setEnabled(bool(details))

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, SessionExpired):
            self.close()
            self.sheet.main._background_failed(exc)  # noqa: SLF001
            return
        self.count.setText("")
        text = message_for(exc)
        if text:
            self.message.show_error(text)

    def print_report(self):
        details = self.entry.get("details") or []
        if not details:
            return None
        from printing.documents import journal_detail_report  # noqa: PLC0415
        from ui.printing_dialogs import print_later  # noqa: PLC0415

        rows = [{**d, "type": d.get("type_label") or d.get("type")} for d in details]
        return print_later(self, journal_detail_report, "业务流水明细", self.entry, rows,
                           print_context(self.sheet.session))
