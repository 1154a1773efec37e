"""汇缴 (SPEC 4.5): two sheets, 汇缴核定 and 汇缴核定查询, sharing one client.remittance.RemittanceClient
(made in the background: it opens the local store). Both refresh on the main window's "changed" signal."""
from __future__ import annotations

import threading

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from client.remittance import RemittanceClient
from ui.modules.remittance.assess_sheet import AssessSheet
from ui.modules.remittance.query_sheet import QuerySheet

SCOPES = frozenset({"unit", "remittance", "*"})


class RemittanceTab(QWidget):
    def __init__(self, main) -> None:
        super().__init__()
        self.setObjectName("remittanceTab")
        self.main = main
        self._client: RemittanceClient | None = None
        self._lock = threading.Lock()
        self.assess = AssessSheet(self)
        self.query = QuerySheet(self)
        self.sheets = QTabWidget()
        self.sheets.setObjectName("subTabs")
        self.sheets.addTab(self.assess, "汇缴核定")
        self.sheets.addTab(self.query, "汇缴核定查询")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.sheets)
        main.changed.connect(self._on_changed)
        self.assess.refresh()
        self.query.refresh()

    def client(self) -> RemittanceClient:
        """Called in the background only."""
        with self._lock:
            if self._client is None:
                desk = self.main.desk
                self._client = RemittanceClient(self.main.api, desk.store(), self.main.session.unit_account,
                                                sign=lambda data: desk.token.sign(data))
            return self._client

    def announce(self) -> None:
        """After an assessment or a deletion: both sheets and the header refresh."""
        self.main.changed.emit("unit")

    def _on_changed(self, scope: str) -> None:
        if scope in SCOPES:
            self.assess.refresh()
            self.query.refresh()


def tab(main) -> RemittanceTab:
    return RemittanceTab(main)
