"""The paged 更多 history dialog shared by the 消息 and task boxes: a table over one page of a paged API
list (`{"items", "total", "page", "page_size"}`), filters on top, 首页/上一页/下一页/末页 below, the
fetch in the background. A subclass adds its filter row and says what to fetch."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QDialog, QGroupBox, QHBoxLayout, QLabel, QLayout, QPushButton, QVBoxLayout, QWidget

from ui.errors import message_for
from ui.ops import Op
from ui.widgets import InlineMessage


class ItemsTableModel(QAbstractTableModel):
    """Rows of API items (dicts) under `columns` = [(key, header)]; subclasses supply `data()`."""

    def __init__(self, columns: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.items: list[dict[str, Any]] = []

    def set_items(self, items: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section][1]
        return None


class HomeListBox(QGroupBox):
    """A box of the home page (消息, 待办, 已办, 我发起的): a summary line and 【更多】 on top, the latest
    items in a table below, an inline error, a hint when there is nothing."""

    def __init__(self, title: str, name: str, model: ItemsTableModel, table: QWidget, empty_text: str,
                 open_more) -> None:
        super().__init__(title)
        self.setObjectName(f"{name}Box")
        self.model = model
        model.setParent(self)
        self.table = table
        self.table.setObjectName(f"{name}Table")
        self.table.clicked.connect(self._open)
        self.table.activated.connect(self._open)
        self.more_button = QPushButton("更多")
        self.more_button.setObjectName("linkButton")
        self.more_button.clicked.connect(open_more)
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        self.empty = QLabel(empty_text)
        self.empty.setObjectName("hint")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self.error = InlineMessage()
        top = QHBoxLayout()
        top.addWidget(self.summary)
        top.addStretch(1)
        top.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)

    def _open(self, index: QModelIndex) -> None:
        raise NotImplementedError


class PagedHistoryDialog(QDialog):
    PAGE_SIZE = 20
    NOUN = "条"  # "共 N 条"

    def __init__(self, fetch: Callable[..., dict], model: QAbstractTableModel, table: QWidget, empty_text: str,
                 parent: QWidget | None = None) -> None:
        """`fetch(page, page_size, *self.filter_values())` runs on a worker thread and returns one page."""
        super().__init__(parent)
        self._fetch = fetch
        self.page = 1
        self.total = 0
        self._busy = False
        self.model = model
        self.table = table
        self.table.clicked.connect(self._open)
        self.table.activated.connect(self._open)
        self.error = InlineMessage()
        self.empty = QLabel(empty_text)
        self.empty.setObjectName("hint")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self.first_button = QPushButton("首页")
        self.prev_button = QPushButton("上一页")
        self.next_button = QPushButton("下一页")
        self.last_button = QPushButton("末页")
        self.page_label = QLabel()
        self.first_button.clicked.connect(lambda: self.load(1))
        self.prev_button.clicked.connect(lambda: self.load(self.page - 1))
        self.next_button.clicked.connect(lambda: self.load(self.page + 1))
        self.last_button.clicked.connect(lambda: self.load(self.pages))

    def build(self, filters: QLayout) -> None:
        """Lay the dialog out with `filters` on top; call at the end of the subclass's __init__."""
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        pager = QHBoxLayout()
        pager.addWidget(self.page_label)
        pager.addStretch(1)
        for button in (self.first_button, self.prev_button, self.next_button, self.last_button):
            pager.addWidget(button)
        pager.addSpacing(24)
        pager.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(10)
        layout.addLayout(filters)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(pager)
        self._sync_pager()

    # -- what a subclass says ------------------------------------------------------------------------
    def filter_values(self) -> tuple:
        """The filters as chosen now (read on the GUI thread), passed on to `fetch`."""
        return ()

    def filter_controls(self) -> list[QWidget]:
        """Controls disabled while a page loads."""
        return []

    def open_item(self, row: int) -> None:
        raise NotImplementedError

    # -- paging ------------------------------------------------------------------------------------
    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.PAGE_SIZE))

    def load(self, page: int) -> None:
        page = max(1, page)
        self._set_busy(True)
        (Op(self, self._fetch, page, self.PAGE_SIZE, *self.filter_values())
         .success(self._loaded).failure(self._failed).run())

    def _loaded(self, answer: dict[str, Any]) -> None:
        self.error.clear_message()
        self.page = int(answer.get("page") or 1)
        self.total = int(answer.get("total") or 0)
        self.model.set_items(answer.get("items") or [])
        self.empty.setVisible(not self.model.items)
        self._set_busy(False)

    def _failed(self, exc: BaseException) -> None:
        self.error.show_error(message_for(exc))
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._sync_pager()

    def _sync_pager(self) -> None:
        busy = self._busy
        self.page_label.setText(f"第 {self.page} / {self.pages} 页，共 {self.total} {self.NOUN}")
        self.first_button.setEnabled(not busy and self.page > 1)
        self.prev_button.setEnabled(not busy and self.page > 1)
        self.next_button.setEnabled(not busy and self.page < self.pages)
        self.last_button.setEnabled(not busy and self.page < self.pages)
        for control in self.filter_controls():
            control.setEnabled(not busy)

    def _open(self, index: QModelIndex) -> None:
        self.open_item(index.row())
