"""客户信息变更查询 and 业务流水查询 (SPEC 4.7): a date range (and the business type) → the list, 【打印】;
业务流水 also 【明细】 (double-click a row, or select it and click) → the per-person detail."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QPushButton

from client.unit_queries import JOURNAL_TYPES, UnitQueries, default_range
from ui.modules.employee_kit.query_page import DateRange
from ui.modules.employee_kit.table import Col, RowsModel, make_table
from ui.query_sheet import QuerySheet, count_text, print_context

CHANGE_COLUMNS = [Col("#", "序号", 50), Col("changed_on", "变更日期", 105, "date"), Col("item", "变更项目", 140),
                  Col("old", "变更前", 340), Col("new", "变更后", 340), Col("operator", "经办人", 90),
                  Col("channel", "渠道", 130)]
JOURNAL_COLUMNS = [Col("#", "序号", 50), Col("serial", "业务流水号", 170), Col("booked_on", "记账日期", 105, "date"),
                   Col("type_label", "业务类型", 90), Col("summary", "摘要", 220),
                   Col("amount", "发生额（元）", 140, "money"), Col("interest", "利息额（元）", 120, "money"),
                   Col("headcount", "人数", 70, "int")]


class ChangesSheet(QuerySheet):
    """客户信息变更查询: the unit's registered-field changes in the date range, newest first."""

    def __init__(self, main, queries: UnitQueries, parent=None) -> None:
        self.queries = queries
        self.dates = DateRange(*default_range(main.session.business_date))
        super().__init__(main, [("变更日期", self.dates)], parent)
        self.model = RowsModel(CHANGE_COLUMNS, parent=self)
        self.table = make_table(self.model, multi=False)
        self.table.setObjectName("queryTable")
        self.body.addWidget(self.table)
        self.conditions: list[tuple[str, str]] = []

    def params(self) -> dict:
        start, end = self.dates.value()
        return {"day_from": start, "day_to": end}

    def fetch(self, params: dict) -> list[dict]:
        return self.queries.changes(**params)

    def query(self):
        self.conditions = [("变更日期", self.dates.text())]
        return super().query()

    def show_result(self, rows: list[dict]) -> None:
        from ui.modules.unit_change.fields import display  # noqa: PLC0415 - a code with its label

        tables = self.session.dictionaries
        rows = [{**r, "old": display(str(r.get("field") or ""), str(r.get("old") or ""), tables),
                 "new": display(str(r.get("field") or ""), str(r.get("new") or ""), tables)} for r in rows]
        self.model.set_rows(rows)
        self.count.setText(count_text(rows, "条"))
        self.print_button.setEnabled(bool(rows))

    def print_report(self):
        if not self.model.rows:
            return None
        from printing.documents import query_report  # noqa: PLC0415

        return self.print_later(query_report, "单位客户信息变更查询", "unit_changes", list(self.model.rows),
                                print_context(self.session), self.conditions)


class JournalSheet(QuerySheet):
    """业务流水查询: 业务类型 + 记账日期 → 业务流水号, 记账日期, 摘要, 发生额, 利息额, 人数; 【明细】."""

    def __init__(self, main, queries: UnitQueries, parent=None) -> None:
        self.queries = queries
        self.type = QComboBox()
        for code, label in JOURNAL_TYPES.items():
            self.type.addItem(label, code)
        self.dates = DateRange(*default_range(main.session.business_date))
        super().__init__(main, [("业务类型", self.type), ("记账日期", self.dates)], parent)
        self.model = RowsModel(JOURNAL_COLUMNS, parent=self)
        self.table = make_table(self.model, multi=False, stretch="summary")
        self.table.setObjectName("queryTable")
        self.table.doubleClicked.connect(lambda index: self.show_detail(index.row()))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection())
        self.body.addWidget(self.table)
        self.detail_button = QPushButton("明细")
        self.detail_button.setEnabled(False)
        self.detail_button.setToolTip("查看所选业务流水的个人明细（也可双击该行）")
        self.detail_button.clicked.connect(lambda: self.show_detail())
        self.bottom.insertWidget(1, self.detail_button)
        self.conditions: list[tuple[str, str]] = []
        self.queried_type = ""
        self.detail_dialog = None

    def params(self) -> dict:
        start, end = self.dates.value()
        return {"day_from": start, "day_to": end, "type": self.type.currentData()}

    def fetch(self, params: dict) -> list[dict]:
        return self.queries.journal(**params)

    def query(self):
        self.conditions = [("业务类型", self.type.currentText()), ("记账日期", self.dates.text())]
        self.queried_type = self.type.currentData()
        return super().query()

    def show_result(self, rows: list[dict]) -> None:
        self.model.set_rows(rows)
        if rows and self.queried_type:  # one business type: its sums mean something (全部 would add a
            from services.money import D, fmt_money_display  # noqa: PLC0415 - receipt and its allocation twice)

            amount = sum((D(r.get("amount") or "0") for r in rows), D("0"))
            interest = sum((D(r.get("interest") or "0") for r in rows), D("0"))
            self.count.setText(f"共 {len(rows)} 笔　｜　发生额合计 {fmt_money_display(amount)} 元　｜　"
                               f"利息额合计 {fmt_money_display(interest)} 元　｜　双击一行查看明细")
        elif rows:
            self.count.setText(f"共 {len(rows)} 笔　｜　双击一行查看明细")
        else:
            self.count.setText(count_text(rows, "笔"))
        self.print_button.setEnabled(bool(rows))
        self._selection()

    def _selection(self) -> None:
        self.detail_button.setEnabled(self.selected_row() is not None)

    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return rows[0].row() if rows else None

    def show_detail(self, row: int | None = None):
        row = self.selected_row() if row is None else row
        if row is None or not 0 <= row < len(self.model.rows):
            return None
        from ui.modules.unit_query.detail import JournalDetailDialog  # noqa: PLC0415

        if self.detail_dialog is not None:
            self.detail_dialog.close()
        self.detail_dialog = JournalDetailDialog(self, self.queries, self.model.rows[row])
        self.detail_dialog.show()
        return self.detail_dialog.load()

    def print_report(self):
        if not self.model.rows:
            return None
        from printing.documents import query_report  # noqa: PLC0415

        return self.print_later(query_report, "业务流水查询", "journal", list(self.model.rows),
                                print_context(self.session), self.conditions)
