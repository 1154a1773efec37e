"""首页: the unit's task boxes. For now the 消息 box: the latest messages (unread in bold), click for the
detail (marks it read), 【更多】 for the paged history. Refreshes itself from the main window's
"something changed" signal."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from client.errors import CentreUnreachable
from ui.errors import message_for
from ui.messages import MessageDetailDialog, MessagesDialog, MessagesModel, make_table
from ui.ops import Op
from ui.widgets import InlineMessage

log = logging.getLogger("gjj_desk.ui")

RECENT = 10  # messages shown in the box; the rest are behind 【更多】
CHANGE_SCOPES = frozenset({"messages", "*"})


class MessageBox(QGroupBox):
    def __init__(self, home: HomePage) -> None:
        super().__init__("消息")
        self.setObjectName("messageBox")
        self.home = home
        self.model = MessagesModel([("title", "标题"), ("business", "业务名称"), ("created_at", "时间")], self)
        self.table = make_table(self.model)
        self.table.setObjectName("messageTable")
        self.table.clicked.connect(self._open)
        self.table.activated.connect(self._open)
        self.more_button = QPushButton("更多")
        self.more_button.setObjectName("linkButton")
        self.more_button.clicked.connect(home.open_history)
        self.unread_label = QLabel()
        self.unread_label.setObjectName("hint")
        self.empty = QLabel("暂无消息")
        self.empty.setObjectName("hint")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self.error = InlineMessage()
        top = QHBoxLayout()
        top.addWidget(self.unread_label)
        top.addStretch(1)
        top.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)

    def show_messages(self, answer: dict[str, Any]) -> None:
        self.error.clear_message()
        self.model.set_items(answer.get("items") or [])
        self.empty.setVisible(not self.model.items)
        self.table.setVisible(bool(self.model.items))
        self._count_unread()

    def show_failure(self, exc: BaseException) -> None:
        self.error.show_error(message_for(exc))

    def mark_read(self, message_id: Any) -> None:
        self.model.mark_read(message_id)
        self._count_unread()

    def _count_unread(self) -> None:
        unread = sum(1 for m in self.model.items if not m.get("read"))
        self.unread_label.setText(f"最近消息中有 {unread} 条未读" if unread else "最近消息均已读")

    def _open(self, index: QModelIndex) -> None:
        self.home.open_message(self.model.message(index.row()), self)


class HomePage(QWidget):
    def __init__(self, api, changed_signal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("homePage")
        self.api = api
        self._changed = changed_signal
        self.messages = MessageBox(self)
        self._history: MessagesDialog | None = None
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.addWidget(self.messages, 1)
        changed_signal.connect(self._on_changed)

    def _on_changed(self, scope: str) -> None:
        if scope in CHANGE_SCOPES:
            self.refresh()

    def refresh(self) -> None:
        if self._loading:
            return
        self._loading = True
        (Op(self, self.api.messages, 1, RECENT)
         .success(self._loaded)
         .failure(self._failed)
         .run())

    def _loaded(self, answer: dict) -> None:
        self._loading = False
        self.messages.show_messages(answer)

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        if isinstance(exc, CentreUnreachable):
            return  # the offline banner says it already
        self.messages.show_failure(exc)

    def open_message(self, message: dict[str, Any], parent: QWidget) -> None:
        if not message.get("read"):
            message_id = message.get("id")
            (Op(self, self.api.mark_read, message_id)
             .success(lambda _r: self._read(message_id))
             .failure(lambda exc: log.info("marking message %s read: %s", message_id, exc))
             .run())
        MessageDetailDialog(message, parent).exec()

    def _read(self, message_id: Any) -> None:
        self.messages.mark_read(message_id)
        if self._history is not None:
            self._history.model.mark_read(message_id)
        self._changed.emit("messages.read")

    def open_history(self) -> None:
        dialog = MessagesDialog(lambda page, size, unread: self.api.messages(page, size, unread=unread or None),
                                self.open_message, self)
        self._history = dialog
        dialog.load(1)
        dialog.exec()
        self._history = None
