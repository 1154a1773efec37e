"""首页: the unit's task boxes. 消息: the latest messages (unread in bold), click for the detail (marks it
read), 【更多】 for the paged history. 待办 / 已办 / 我发起的 (ui/tasks): the latest applications, click for
the 业务详情 with its flow chart, 【更多】 for the filtered history. Refreshes itself from the main window's
"something changed" signal; a newly finished 单位信息变更 makes the header reload the unit ("unit")."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QGridLayout, QWidget

from client.errors import CentreUnreachable
from ui.errors import message_for
from ui.messages import MessageDetailDialog, MessagesDialog, MessagesModel, make_table
from ui.ops import Op
from ui.paged import HomeListBox
from ui.tasks.boxes import RECENT as RECENT_TASKS
from ui.tasks.boxes import TaskBox

log = logging.getLogger("gjj_desk.ui")

RECENT = 10  # messages shown in the box; the rest are behind 【更多】
CHANGE_SCOPES = frozenset({"messages", "applications", "*"})
UNIT_CHANGING_TYPES = frozenset({"unit_info_change"})  # approving one changes the header's unit


class MessageBox(HomeListBox):
    def __init__(self, home: HomePage) -> None:
        model = MessagesModel([("title", "标题"), ("business", "业务名称"), ("created_at", "时间")])
        super().__init__("消息", "message", model, make_table(model), "暂无消息", home.open_history)
        self.home = home
        self.unread_label = self.summary

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
        self.tasks = {box: TaskBox(box, self) for box in ("todo", "done", "initiated")}
        self._history: MessagesDialog | None = None
        self._loading = False
        self._done_seen: set[int] | None = None  # 已办 ids at the last load (None before the first)
        self.detail_dialog = None  # the open 业务详情 / 更多 (tests and the lock look at them)
        self.task_history = None
        layout = QGridLayout(self)
        layout.setContentsMargins(16, 4, 16, 16)
        layout.setHorizontalSpacing(14)
        layout.setVerticalSpacing(6)
        layout.addWidget(self.messages, 0, 0)
        layout.addWidget(self.tasks["todo"], 0, 1)
        layout.addWidget(self.tasks["done"], 1, 0)
        layout.addWidget(self.tasks["initiated"], 1, 1)
        for i in range(2):
            layout.setRowStretch(i, 1)
            layout.setColumnStretch(i, 1)
        changed_signal.connect(self._on_changed)

    def _on_changed(self, scope: str) -> None:
        if scope in CHANGE_SCOPES:
            self.refresh()

    def refresh(self) -> None:
        self.refresh_tasks()
        if self._loading:
            return
        self._loading = True
        (Op(self, self.api.messages, 1, RECENT)
         .success(self._loaded)
         .failure(self._failed)
         .run())

    # -- 待办 / 已办 / 我发起的 ------------------------------------------------------------------------

    def _list_applications(self, box: str, page: int, page_size: int, filters: dict[str, Any] | None = None) -> dict:
        params = {"box": box, "page": page, "page_size": page_size}
        for key, name in (("type", "type"), ("status", "status"), ("day_from", "from"), ("day_to", "to")):
            if (filters or {}).get(key):
                params[name] = filters[key]
        return self.api.request("GET", "/applications", params=params)

    def refresh_tasks(self) -> None:
        for box, widget in self.tasks.items():
            if widget.loading:
                continue
            widget.loading = True
            (Op(self, self._list_applications, box, 1, RECENT_TASKS)
             .success(lambda answer, b=box: self._tasks_loaded(b, answer))
             .failure(lambda exc, w=widget: self._tasks_failed(w, exc))
             .run())

    def _tasks_loaded(self, box: str, answer: dict) -> None:
        self.tasks[box].show_page(answer)
        if box == "done":
            items = answer.get("items") or []
            seen = {int(a["id"]) for a in items}
            fresh = [a for a in items if self._done_seen is not None and int(a["id"]) not in self._done_seen]
            self._done_seen = seen if self._done_seen is None else self._done_seen | seen
            if any(a.get("type") in UNIT_CHANGING_TYPES and a.get("status") == "approved" for a in fresh):
                self._changed.emit("unit")

    def _tasks_failed(self, widget: TaskBox, exc: BaseException) -> None:
        if isinstance(exc, CentreUnreachable):
            widget.loading = False
            return
        widget.show_failure(exc)

    def open_application(self, summary: dict[str, Any], parent: QWidget) -> None:
        (Op(self, self.api.request, "GET", f"/applications/{int(summary['id'])}")
         .with_progress("正在读取业务详情…")
         .success(lambda detail: self.show_application(detail, parent))
         .run())

    def show_application(self, detail: dict[str, Any], parent: QWidget) -> None:
        from ui.tasks.context import TaskContext  # noqa: PLC0415
        from ui.tasks.detail import ApplicationDetailDialog  # noqa: PLC0415

        dialog = ApplicationDetailDialog(detail, TaskContext.of(self), parent)
        self.detail_dialog = dialog
        dialog.exec()
        self.detail_dialog = None

    def open_task_history(self, box: str) -> None:
        from ui.tasks.history import TasksDialog  # noqa: PLC0415

        from ui.tasks.context import TaskContext  # noqa: PLC0415

        context = TaskContext.of(self)
        dialog = TasksDialog(box, lambda page, size, filters: self._list_applications(box, page, size, filters),
                             self.open_application, self, today=context.main.session.business_date if context else None)
        self.task_history = dialog
        dialog.load(1)
        dialog.exec()
        self.task_history = None

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
