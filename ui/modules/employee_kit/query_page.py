"""A query page: a query sheet (ui.query_sheet) whose body is the result table, with 【打印】 and 【分享】.
The query runs in the background and fetches every page of the centre's answer."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QWidget

from client.employees import EmployeesClient, ExportColumn
from client.errors import ClientError
from ui.modules.employee_kit.hub import EmployeeHub
from ui.modules.employee_kit.share import ListSharing
from ui.modules.employee_kit.table import Col, RowsModel, make_table
from ui.query_sheet import QuerySheet, count_text, print_context


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


class QueryPage(QuerySheet):
    """A query sheet whose body is a table of the centre's list, printed and shared as it is shown."""

    def __init__(self, hub: EmployeeHub, *, title: str, columns: Sequence[Col], filters: Sequence[tuple[str, QWidget]],
                 fetch: Callable[[EmployeesClient, dict], list[dict]], params: Callable[[], dict],
                 conditions: Callable[[], list[tuple[str, str]]], report: str,
                 export_columns: Sequence[ExportColumn] = (), share: bool = True, count_unit: str = "条",
                 shape: Callable[[dict], dict] | None = None, parent: QWidget | None = None) -> None:
        """`params()` reads the conditions on the GUI thread (ClientError when one is wrong); `fetch(client,
        params)` runs in the background; `shape(item)` adds display fields (e.g. department names)."""
        super().__init__(hub.main, filters, parent)
        self.hub, self.title, self._fetch, self._params, self.shape = hub, title, fetch, params, shape
        self.count_unit = count_unit
        self.model = RowsModel(columns, parent=self)
        self.table = make_table(self.model)
        self.table.setObjectName("queryTable")
        self.body.addWidget(self.table, 1)
        self.sharing = ListSharing(self, title=title, report=report, columns=export_columns,
                                   rows=lambda: self.model.rows, conditions=conditions,
                                   context=lambda: print_context(hub.session), message=self.message.show_info)
        # the list is printed (and shared) by ListSharing, not by the sheet's own 【打印】
        self.bottom.removeWidget(self.print_button)
        self.print_button.deleteLater()
        self.print_button = self.sharing.print_button
        self.bottom.addWidget(self.print_button)
        if share:
            self.bottom.addWidget(self.sharing.share_button)

    def params(self) -> dict:
        return self._params()

    def fetch(self, params: dict) -> list[dict]:
        return self._fetch(self.hub.client(), params)

    def show_result(self, items: list[dict]) -> None:
        rows = [self.shape(i) for i in items] if self.shape is not None else items
        self.model.set_rows(rows)
        self.count.setText(count_text(rows, self.count_unit))
        self.sharing.set_enabled(bool(rows))
