"""单位部门管理 (SPEC 4.11): three sheets — 部门设立, 部门调动, 部门调动查询."""
from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ui.modules.departments.history_page import TransferHistoryPage
from ui.modules.departments.setup_page import DepartmentSetupPage
from ui.modules.departments.transfer_page import TransferPage
from ui.modules.employee_kit.hub import hub_of

TITLE = "单位部门管理"


class DepartmentsTab(QWidget):
    def __init__(self, main) -> None:
        super().__init__()
        self.setObjectName("departmentsTab")
        self.hub = hub_of(main)
        self.setup = DepartmentSetupPage(self.hub)
        self.transfer = TransferPage(self.hub)
        self.history = TransferHistoryPage(self.hub)
        self.sheets = QTabWidget()
        self.sheets.setObjectName("subTabs")
        self.sheets.addTab(self.setup, "部门设立")
        self.sheets.addTab(self.transfer, "部门调动")
        self.sheets.addTab(self.history, "部门调动查询")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.sheets)


def tab(main) -> DepartmentsTab:
    return DepartmentsTab(main)
