"""缴存人信息查询 (SPEC 4.10): 账户信息, 客户信息变更查询, 账户状态变更查询."""
from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ui.modules.employee_kit.hub import hub_of
from ui.modules.employee_query.pages import AccountsPage, ChangesPage, StatusChangesPage


class QueryTab(QWidget):
    def __init__(self, main) -> None:
        super().__init__()
        self.setObjectName("employeeQueryTab")
        self.hub = hub_of(main)
        self.accounts = AccountsPage(self.hub)
        self.changes = ChangesPage(self.hub)
        self.status_changes = StatusChangesPage(self.hub)
        self.sheets = QTabWidget()
        self.sheets.setObjectName("subTabs")
        self.sheets.addTab(self.accounts, "账户信息")
        self.sheets.addTab(self.changes, "客户信息变更查询")
        self.sheets.addTab(self.status_changes, "账户状态变更查询")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.sheets)


def tab(main) -> QueryTab:
    return QueryTab(main)
