"""消息: the table model of pushed messages, the detail dialog, and the paged 更多 history dialog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
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
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui.paged import ItemsTableModel, PagedHistoryDialog
from ui.widgets import fmt_timestamp

_Index = QModelIndex | QPersistentModelIndex


class MessagesModel(ItemsTableModel):
    """Messages as the API returns them; unread rows are bold."""

    def __init__(self, columns: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(columns, parent)
        self._bold = QFont()
        self._bold.setBold(True)

    def message(self, row: int) -> dict[str, Any]:
        return self.items[row]

    def mark_read(self, message_id: Any) -> None:
        for row, item in enumerate(self.items):
            if item.get("id") == message_id and not item.get("read"):
                item["read"] = True
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

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


class MessagesDialog(PagedHistoryDialog):
    """【更多】: the full message history, page by page, optionally unread only."""

    def __init__(self, fetch: Callable[[int, int, bool], dict], open_message: Callable[[dict, QWidget], None],
                 parent: QWidget | None = None) -> None:
        model = MessagesModel(
            [("title", "标题"), ("business", "业务名称"), ("created_at", "时间"), ("channel", "推送渠道"),
             ("read", "状态")], None)
        super().__init__(fetch, model, make_table(model), "没有符合条件的消息", parent)
        model.setParent(self)
        self.setObjectName("messagesDialog")
        self.setWindowTitle("消息 — 历史消息")
        self.resize(860, 560)
        self._open_message = open_message
        self.unread_only = QCheckBox("仅显示未读消息")
        self.unread_only.toggled.connect(lambda _on: self.load(1))
        top = QHBoxLayout()
        top.addWidget(self.unread_only)
        top.addStretch(1)
        self.build(top)

    def filter_values(self) -> tuple:
        return (self.unread_only.isChecked(),)

    def filter_controls(self) -> list[QWidget]:
        return [self.unread_only]

    def open_item(self, row: int) -> None:
        self._open_message(self.model.message(row), self)
