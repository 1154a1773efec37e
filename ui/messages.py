"""消息: the table model of pushed messages, the detail dialog, and the paged 更多 history dialog."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui.errors import message_for
from ui.ops import Op
from ui.widgets import InlineMessage, fmt_timestamp

_Index = QModelIndex | QPersistentModelIndex


class MessagesModel(QAbstractTableModel):
    """Messages as the API returns them; unread rows are bold."""

    def __init__(self, columns: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.items: list[dict[str, Any]] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_items(self, items: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def message(self, row: int) -> dict[str, Any]:
        return self.items[row]

    def mark_read(self, message_id: Any) -> None:
        for row, item in enumerate(self.items):
            if item.get("id") == message_id and not item.get("read"):
                item["read"] = True
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section][1]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        item = self.items[index.row()]
        key = self.columns[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return _cell(item, key)
        if role == Qt.ItemDataRole.FontRole and not item.get("read"):
            return self._bold
        return None


def _cell(item: dict[str, Any], key: str) -> str:
    if key == "created_at":
        return fmt_timestamp(item.get("created_at"))
    if key == "read":
        return "已读" if item.get("read") else "未读"
    return str(item.get(key) or "")


def make_table(model: MessagesModel, stretch_column: int = 0) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(34)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    for col in range(model.columnCount()):
        mode = QHeaderView.ResizeMode.Stretch if col == stretch_column else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(col, mode)
    view.setCursor(Qt.CursorShape.PointingHandCursor)
    return view


class MessageDetailDialog(QDialog):
    def __init__(self, message: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageDetail")
        self.setWindowTitle("消息详情")
        self.setMinimumWidth(520)
        title = QLabel(message.get("title") or "")
        title.setObjectName("sectionTitle")
        title.setWordWrap(True)
        form = QFormLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(10)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.fields: dict[str, QLabel] = {}
        for key, name in (("business", "业务名称"), ("created_at", "时间"), ("channel", "推送渠道")):
            value = QLabel(_cell(message, key))
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            form.addRow(f"{name}：", value)
        self.body = QTextBrowser()
        self.body.setObjectName("messageBody")
        self.body.setPlainText(message.get("body") or "")
        self.body.setMinimumHeight(140)
        form.addRow("内容：", self.body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(buttons)


class MessagesDialog(QDialog):
    """【更多】: the full message history, page by page, optionally unread only."""

    PAGE_SIZE = 20

    def __init__(self, fetch: Callable[[int, int, bool], dict], open_message: Callable[[dict, QWidget], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messagesDialog")
        self.setWindowTitle("消息 — 历史消息")
        self.resize(860, 560)
        self._fetch = fetch
        self._open_message = open_message
        self.page = 1
        self.total = 0
        self.model = MessagesModel(
            [("title", "标题"), ("business", "业务名称"), ("created_at", "时间"), ("channel", "推送渠道"),
             ("read", "状态")], self)
        self.table = make_table(self.model)
        self.table.clicked.connect(self._open)
        self.table.activated.connect(self._open)
        self.unread_only = QCheckBox("仅显示未读消息")
        self.unread_only.toggled.connect(lambda _on: self.load(1))
        self.error = InlineMessage()
        self.empty = QLabel("没有符合条件的消息")
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
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.unread_only)
        top.addStretch(1)
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
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(pager)
        self._busy = False
        self._sync_pager()

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.PAGE_SIZE))

    def load(self, page: int) -> None:
        page = max(1, page)
        self._set_busy(True)
        (Op(self, self._fetch, page, self.PAGE_SIZE, self.unread_only.isChecked())
         .success(self._loaded).failure(self._failed).run())

    def _loaded(self, answer: dict) -> None:
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
        self.page_label.setText(f"第 {self.page} / {self.pages} 页，共 {self.total} 条")
        self.first_button.setEnabled(not busy and self.page > 1)
        self.prev_button.setEnabled(not busy and self.page > 1)
        self.next_button.setEnabled(not busy and self.page < self.pages)
        self.last_button.setEnabled(not busy and self.page < self.pages)
        self.unread_only.setEnabled(not busy)

    def _open(self, index: QModelIndex) -> None:
        self._open_message(self.model.message(index.row()), self)
