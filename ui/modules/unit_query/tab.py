"""单位信息查询 (SPEC 4.7): 客户信息变更查询, 账户信息查询 (with the month-end balance chart), 业务流水查询 (with
明细). Each sheet queries again after `changed("unit" | "*")` once the clerk has run it."""
from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from client.unit_queries import UnitQueries
from ui.modules.unit_query.account import AccountSheet
from ui.modules.unit_query.lists import ChangesSheet, JournalSheet

SCOPES = frozenset({"unit", "*"})


class UnitQueryTab(QWidget):
    def __init__(self, main) -> None:
        super().__init__()
        self.setObjectName("unitQueryTab")
        self.main = main
        self.queries = UnitQueries(main.api)
        self.changes = ChangesSheet(main, self.queries)
        self.account = AccountSheet(main, self.queries)
        self.journal = JournalSheet(main, self.queries)
        self.sheets = QTabWidget()
        self.sheets.setObjectName("subTabs")
        self.sheets.addTab(self.changes, "客户信息变更查询")
        self.sheets.addTab(self.account, "账户信息查询")
        self.sheets.addTab(self.journal, "业务流水查询")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.sheets)
        main.changed.connect(self._on_changed)

    def _on_changed(self, scope: str) -> None:
        if scope in SCOPES:
            for sheet in (self.changes, self.account, self.journal):
                sheet.refresh()


def tab(main) -> UnitQueryTab:
    return UnitQueryTab(main)
