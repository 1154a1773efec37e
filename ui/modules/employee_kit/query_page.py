"""A query page: a line of conditions and 【查询】, the result table with its count, 【打印】 and 【分享】.
The query runs in the background and fetches every page of the centre's answer."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from client.employees import EmployeesClient, ExportColumn
from client.errors import ClientError, SessionExpired
from ui.errors import message_for
from ui.modules.employee_kit.hub import EmployeeHub
from ui.modules.employee_kit.share import ListSharing
from ui.modules.employee_kit.table import Col, RowsModel, make_table
from ui.ops import Op
from ui.widgets import InlineMessage


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class DateRange(QWidget):
    """起 — 止 dates (calendar pop-ups), as the clerk picks them."""

    def __init__(self, start: dt.date, end: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.start = QDateEdit(_qdate(start))
        self.end = QDateEdit(_qdate(end))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setMinimumWidth(130)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.start)
        layout.addWidget(QLabel("至"))
        layout.addWidget(self.end)

    def value(self) -> tuple[dt.date, dt.date]:
        """(from, to); ClientError when the end is before the start."""
        start, end = self.start.date().toPython(), self.end.date().toPython()
        if end < start:
            raise ClientError("截止日期不能早于起始日期，请重新选择")
        return start, end

    def text(self) -> str:
        start, end = self.start.date().toPython(), self.end.date().toPython()
        return f"{start.isoformat()} 至 {end.isoformat()}"

    def set(self, start: dt.date, end: dt.date) -> None:
        self.start.setDate(_qdate(start))
        self.end.setDate(_qdate(end))


class QueryPage(QWidget):
    def __init__(self, hub: EmployeeHub, *, title: str, columns: Sequence[Col], filters: Sequence[tuple[str, QWidget]],
                 fetch: Callable[[EmployeesClient, dict], list[dict]], params: Callable[[], dict],
                 conditions: Callable[[], list[tuple[str, str]]], report: str,
                 export_columns: Sequence[ExportColumn] = (), share: bool = True, count_unit: str = "条",
                 shape: Callable[[dict], dict] | None = None, parent: QWidget | None = None) -> None:
        """`params()` reads the conditions on the GUI thread (ClientError when one is wrong); `fetch(client,
        params)` runs in the background; `shape(item)` adds display fields (e.g. department names)."""
        super().__init__(parent)
        self.hub, self.title, self.fetch, self.params, self.shape = hub, title, fetch, params, shape
        self.count_unit = count_unit
        self.model = RowsModel(columns, parent=self)
        self.table = make_table(self.model)
        self.table.setObjectName("queryTable")
        self.query_button = QPushButton("查询")
        self.query_button.setObjectName("primary")
        self.query_button.clicked.connect(lambda: self.query())
        self.count = QLabel("请设置条件后点击【查询】")
        self.count.setObjectName("hint")
        self.message = InlineMessage()
        session = hub.session
        self.sharing = ListSharing(self, title=title, report=report, columns=export_columns,
                                   rows=lambda: self.model.rows, conditions=conditions,
                                   context=lambda: _print_context(session), message=self.message.show_info)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        for label, widget in filters:
            if label:
                text = QLabel(label)
                text.setObjectName("formLabel")
                bar.addWidget(text)
            bar.addWidget(widget)
            bar.addSpacing(8)
        bar.addWidget(self.query_button)
        bar.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.sharing.print_button)
        if share:
            bottom.addWidget(self.sharing.share_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.busy = False

    def query(self) -> Op | None:
        if self.busy:
            return None
        try:
            params = self.params()
        except ClientError as exc:
            self.message.show_error(exc.message)
            return None
        self.busy = True
        self.query_button.setEnabled(False)
        self.message.clear_message()
        return (Op(self, lambda: self.fetch(self.hub.client(), params)).with_progress("正在查询…")
                .success(self._show).failure(self._failed).run())

    def _show(self, items: list[dict]) -> None:
        self.busy = False
        self.query_button.setEnabled(True)
        rows = [self.shape(i) for i in items] if self.shape is not None else items
        self.model.set_rows(rows)
        self.count.setText(f"共 {len(rows)} {self.count_unit}" if rows else "没有符合条件的记录")
        self.sharing.set_enabled(bool(rows))

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.query_button.setEnabled(True)
        if isinstance(exc, SessionExpired):
            self.hub.main._background_failed(exc)  # noqa: SLF001 - back to the login window
            return
        text = message_for(exc)
        if text:
            self.message.show_error(text)


def _print_context(session) -> Any:
    from printing.model import PrintContext  # noqa: PLC0415

    return PrintContext(session.unit_name, session.unit_account, session.operator_name)
