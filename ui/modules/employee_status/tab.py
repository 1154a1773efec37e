"""缴存人状态变更 (SPEC 4.9): two sheets, 启封 and 封存, each with its own 清册."""
from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ui.modules.employee_kit.hub import hub_of
from ui.modules.employee_status.sheet import StatusSheet


class StatusTab(QWidget):
    def __init__(self, main) -> None:
        super().__init__()
        self.setObjectName("employeeStatusTab")
        self.hub = hub_of(main)
        self.unseal = StatusSheet(self.hub, "unseal")
        self.seal = StatusSheet(self.hub, "seal")
        self.sheets = QTabWidget()
        self.sheets.setObjectName("subTabs")
        self.sheets.addTab(self.unseal, "启封")
        self.sheets.addTab(self.seal, "封存")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.sheets)


def tab(main) -> StatusTab:
    return StatusTab(main)
