"""【更多】 of a task box: the box's whole history, page by page, filtered by 业务类型, 状态 and the date of
the last change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from client.applications import BOXES, STATUS_LABELS, TYPE_LABELS
from ui.messages import make_table
from ui.tasks.model import ApplicationsModel
from ui.paged import PagedHistoryDialog

HISTORY_COLUMNS = [("application_no", "业务编号"), ("type_label", "业务名称"), ("title", "业务内容"),
                   ("status_label", "状态"), ("current_node", "当前环节"), ("initiator", "发起人"),
                   ("submitted_at", "提交时间"), ("updated_at", "最后更新")]
BOX_STATUSES = {"todo": ["returned"], "done": ["approved", "rejected", "ended"],
                "initiated": ["draft", "pending", "returned", "approved", "rejected", "ended"]}

Fetch = Callable[[int, int, dict[str, Any]], dict]


class TasksDialog(PagedHistoryDialog):
    NOUN = "笔"

    def __init__(self, box: str, fetch: Fetch, open_application: Callable[[dict, QWidget], None],
                 parent: QWidget | None = None, today: dt.date | None = None) -> None:
        """`today`: the centre's business date (the date filter starts three months before it)."""
        model = ApplicationsModel(HISTORY_COLUMNS, None)
        super().__init__(fetch, model, make_table(model, stretch_column=2), "没有符合条件的业务", parent)
        model.setParent(self)
        self.setObjectName("tasksDialog")
        self.box = box
        self.setWindowTitle(f"{BOXES[box]} — 全部业务")
        self.resize(1080, 600)
        self._open_application = open_application

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
        self.build(filters)

    def filters(self) -> dict[str, Any]:
        chosen: dict[str, Any] = {"type": self.type_filter.currentData() or None,
                                  "status": self.status_filter.currentData() or None}
        if self.by_date.isChecked():
            chosen["day_from"] = dt.date.fromisoformat(self.day_from.date().toString("yyyy-MM-dd"))
            chosen["day_to"] = dt.date.fromisoformat(self.day_to.date().toString("yyyy-MM-dd"))
        return chosen

    def filter_values(self) -> tuple:
        return (self.filters(),)

    def filter_controls(self) -> list[QWidget]:
        return [self.search_button]

    def open_item(self, row: int) -> None:
        self._open_application(self.model.application(row), self)
