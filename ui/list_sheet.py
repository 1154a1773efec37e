"""A sheet over one list the centre keeps for the unit (汇缴核定查询: the unallocated assessments; 补缴书查询: the
unpaid 补缴): a hint line, the table, a summary line, then the message and the buttons (【刷新】 first). The list
is fetched in the background, one fetch at a time (ui.ops.Reload)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.errors import message_for
from ui.ops import Reload
from ui.widgets import InlineMessage


class ListSheet(QWidget):
    """Subclasses give `fetch()` (background), `show_items(items)`, and call `lay_out(hint, table, buttons)` once
    their widgets are made; `fetch_failed(exc)` shows the reason unless overridden."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        self.message = InlineMessage()
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.clicked.connect(lambda: self.refresh())
        self.reload = Reload(self, self.fetch, self.show_items, self.fetch_failed)

    def lay_out(self, hint: QLabel, table: QWidget, buttons: Sequence[QPushButton]) -> None:
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addStretch(0)
        for button in (self.refresh_button, *buttons):
            button.setMinimumWidth(96)
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(hint)
        layout.addWidget(table, 1)
        layout.addWidget(self.summary)
        layout.addLayout(row)

    # -- the list -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.reload.run()

    def fetch(self) -> Any:
        """Background: the list."""
        raise NotImplementedError

    def show_items(self, items: Any) -> None:
        raise NotImplementedError

    def fetch_failed(self, exc: BaseException) -> None:
        self.message.show_error(message_for(exc))
