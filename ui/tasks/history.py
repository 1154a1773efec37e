"""【更多】 of a task box: the box's whole history, page by page, filtered by 业务类型, 状态 and the date of
the last change."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.applications import BOXES, STATUS_LABELS, TYPE_LABELS
from ui.errors import message_for
from ui.messages import make_table
from ui.ops import Op
from ui.tasks.model import ApplicationsModel
from ui.widgets import InlineMessage

HISTORY_COLUMNS = [("application_no", "业务编号"), ("type_label", "业务名称"), ("title", "业务内容"),
                   ("status_label", "状态"), ("current_node", "当前环节"), ("initiator", "发起人"),
                   ("submitted_at", "提交时间"), ("updated_at", "最后更新")]
BOX_STATUSES = {"todo": ["returned"], "done": ["approved", "rejected", "ended"],
                "initiated": ["draft", "pending", "returned", "approved", "rejected", "ended"]}

Fetch = Callable[[int, int, dict[str, Any]], dict]


class TasksDialog(QDialog):
    PAGE_SIZE = 20

    def __init__(self, box: str, fetch: Fetch, open_application: Callable[[dict, QWidget], None],
                 parent: QWidget | None = None, today: dt.date | None = None) -> None:
        """`today`: the centre's business date (the date filter starts three months before it)."""
        super().__init__(parent)
        self.setObjectName("tasksDialog")
        self.box = box
        self.setWindowTitle(f"{BOXES[box]} — 全部业务")
        self.resize(1080, 600)
        self._fetch = fetch
        self._open_application = open_application
        self.page = 1
        self.total = 0
        self._busy = False
        self.model = ApplicationsModel(HISTORY_COLUMNS, self)
        self.table = make_table(self.model, stretch_column=2)
        self.table.clicked.connect(self._open)
        self.table.activated.connect(self._open)

        self.type_filter = QComboBox()
        self.type_filter.addItem("全部业务", "")
        for code, label in TYPE_LABELS.items():
            if code != "registration":
                self.type_filter.addItem(label, code)
        self.status_filter = QComboBox()
        self.status_filter.addItem("全部状态", "")
        for code in BOX_STATUSES[box]:
            self.status_filter.addItem(STATUS_LABELS[code], code)
        self.by_date = QCheckBox("最后更新日期")
        today = QDate(today.year, today.month, today.day) if today else QDate.currentDate()
        self.day_from = QDateEdit(today.addMonths(-3))
        self.day_to = QDateEdit(today)
        for edit in (self.day_from, self.day_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.by_date.toggled.connect(self.day_from.setEnabled)
        self.by_date.toggled.connect(self.day_to.setEnabled)
        self.search_button = QPushButton("查询")
        self.search_button.setObjectName("primary")
        self.search_button.clicked.connect(lambda: self.load(1))

        self.error = InlineMessage()
        self.empty = QLabel("没有符合条件的业务")
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

        filters = QHBoxLayout()
        filters.setSpacing(8)
        filters.addWidget(QLabel("业务名称："))
        filters.addWidget(self.type_filter)
        filters.addSpacing(8)
        filters.addWidget(QLabel("状态："))
        filters.addWidget(self.status_filter)
        filters.addSpacing(8)
        filters.addWidget(self.by_date)
        filters.addWidget(self.day_from)
        filters.addWidget(QLabel("至"))
        filters.addWidget(self.day_to)
        filters.addStretch(1)
        filters.addWidget(self.search_button)
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

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.PAGE_SIZE))

    def filters(self) -> dict[str, Any]:
        chosen: dict[str, Any] = {"type": self.type_filter.currentData() or None,
                                  "status": self.status_filter.currentData() or None}
        if self.by_date.isChecked():
            chosen["day_from"] = dt.date.fromisoformat(self.day_from.date().toString("yyyy-MM-dd"))
            chosen["day_to"] = dt.date.fromisoformat(self.day_to.date().toString("yyyy-MM-dd"))
        return chosen

    def load(self, page: int) -> None:
        page = max(1, page)
        self._set_busy(True)
        (Op(self, self._fetch, page, self.PAGE_SIZE, self.filters())
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
        self.page_label.setText(f"第 {self.page} / {self.pages} 页，共 {self.total} 笔")
        self.first_button.setEnabled(not busy and self.page > 1)
        self.prev_button.setEnabled(not busy and self.page > 1)
        self.next_button.setEnabled(not busy and self.page < self.pages)
        self.last_button.setEnabled(not busy and self.page < self.pages)
        self.search_button.setEnabled(not busy)

    def _open(self, index: QModelIndex) -> None:
        self._open_application(self.model.application(index.row()), self)
