"""Table models over plain lists of dicts: `RowsModel` (a query's result) and `DraftTableModel` (a 清册:
client.draft_list.DraftList with a status per row, its changes signalled so that the keeper saves them),
plus the one way the tabs set up a table view. Cells are formatted when painted (only the visible rows),
so a 清册 of 100,000 rows shows as fast as a bare model."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from client.draft_list import MESSAGE, REFUSED, SENT, STATUS, STATUS_TEXT, DraftList
from services.dictionaries import GENDER, PERSON_STATUS
from services.money import fmt_money_display
from services.yearmonth import YearMonth, YearMonthError

_Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_REFUSED_BRUSH = QBrush(QColor("#b3261e"))
_SENT_BRUSH = QBrush(QColor("#8a5300"))
# Roles as plain ints: data() is called for every visible cell and role on each paint.
DISPLAY, TOOLTIP, ALIGN, FOREGROUND = (int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.ToolTipRole),
                                       int(Qt.ItemDataRole.TextAlignmentRole), int(Qt.ItemDataRole.ForegroundRole))


@dataclass(frozen=True)
class Col:
    """A column: `key` in the row dict ("#" the row number, "_status" the 清册 status); `kind` says how the
    value reads: text, money ("1,234.50"), ratio ("12%"), month ("2025年03月"), date, status (个人账户状态),
    gender; or `fmt(row)` for anything else."""
    key: str
    title: str
    width: int = 110
    kind: str = "text"
    fmt: Callable[[dict], str] | None = None


def money_text(value: Any) -> str:
    if value in (None, ""):
        return ""
    try:
        return fmt_money_display(Decimal(str(value).replace(",", "")))
    except (InvalidOperation, ValueError):
        return str(value)


def month_text(value: Any) -> str:
    if not value:
        return ""
    try:
        return YearMonth.parse(str(value)).display()
    except YearMonthError:
        return str(value)


def date_text(value: Any) -> str:
    text = str(value or "")
    return text[:10]


def cell_text(col: Col, row: dict) -> str:
    if col.fmt is not None:
        return col.fmt(row)
    value = row.get(col.key)
    kind = col.kind
    if kind == "money":
        return money_text(value)
    if value in (None, ""):
        return ""
    if kind == "ratio":
        return f"{value}%"
    if kind == "month":
        return month_text(value)
    if kind == "date":
        return date_text(value)
    if kind == "status":
        return PERSON_STATUS.get(str(value), str(value))
    if kind == "gender":
        return GENDER.get(str(value), str(value))
    return str(value)


class RowsModel(QAbstractTableModel):
    """Read-only rows (dicts) under `columns`."""

    def __init__(self, columns: Sequence[Col], rows: Iterable[dict] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._aligns = [_RIGHT if c.kind in ("money", "int") else _CENTRE if c.key in ("#", STATUS)
                        or c.kind in ("status", "gender", "ratio", "month", "date") else _LEFT for c in self.columns]
        self.rows: list[dict] = list(rows)

    def set_rows(self, rows: Iterable[dict]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> dict:
        return self.rows[index]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal:
            if role == DISPLAY:
                return self.columns[section].title
            if role == ALIGN:
                return _CENTRE
        return None

    def data(self, index: _Index, role: int = DISPLAY):
        if role == DISPLAY:
            col = self.columns[index.column()]
            if col.key == "#":
                return str(index.row() + 1)
            return cell_text(col, self.rows[index.row()])
        if role == ALIGN:
            return self._aligns[index.column()]
        if role == TOOLTIP:
            text = self.data(index, DISPLAY)
            return text if text and len(text) > 12 else None
        return None

    def text(self, row: int, key: str) -> str:
        """What the clerk sees in the cell of column `key` (tests, exports)."""
        col = next(c for c in self.columns if c.key == key)
        return self.data(self.index(row, self.columns.index(col)))


class DraftTableModel(RowsModel):
    """A 清册 on screen. Every change goes through here and ends with `changed` (the keeper saves)."""

    changed = Signal()

    def __init__(self, draft: DraftList, columns: Sequence[Col], parent: QWidget | None = None) -> None:
        super().__init__(columns, parent=parent)
        self.draft = draft
        self.rows = draft.rows

    # -- reading ------------------------------------------------------------------------------------
    def data(self, index: _Index, role: int = DISPLAY):
        if role == DISPLAY:
            col = self.columns[index.column()]
            if col.key == STATUS:
                return STATUS_TEXT.get(self.draft.status(index.row()), "")
            if col.key == "#":
                return str(index.row() + 1)
            return cell_text(col, self.draft.rows[index.row()])
        if role == ALIGN:
            return self._aligns[index.column()]
        if role == FOREGROUND:
            status = self.draft.rows[index.row()].get(STATUS)
            return _REFUSED_BRUSH if status == REFUSED else _SENT_BRUSH if status == SENT else None
        if role == TOOLTIP:
            message = self.draft.rows[index.row()].get(MESSAGE)
            if message:
                return message
            text = self.data(index, DISPLAY)
            return text if text and len(text) > 12 else None
        return None

    # -- changing -----------------------------------------------------------------------------------
    def load(self, draft: DraftList) -> None:
        self.beginResetModel()
        self.draft = draft
        self.rows = draft.rows
        self.endResetModel()

    def append(self, rows: Sequence[dict]) -> None:
        if not rows:
            return
        first = len(self.draft)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self.draft.extend(rows)
        self.rows = self.draft.rows
        self.endInsertRows()
        self.changed.emit()

    def remove(self, indices: Iterable[int]) -> list[dict]:
        """Remove rows (any order, repeats fine) in contiguous runs, last run first; returns them."""
        runs: list[list[int]] = []
        for i in sorted(set(indices)):
            if runs and runs[-1][1] == i - 1:
                runs[-1][1] = i
            else:
                runs.append([i, i])
        removed: list[dict] = []
        for first, last in reversed(runs):
            self.beginRemoveRows(QModelIndex(), first, last)
            removed[:0] = self.draft.remove_range(first, last)
            self.endRemoveRows()
        if removed:
            self.changed.emit()
        return removed

    def clear(self) -> None:
        self.beginResetModel()
        self.draft.clear()
        self.rows = self.draft.rows
        self.endResetModel()
        self.changed.emit()

    def set_statuses(self, statuses: dict[int, tuple[str, str]]) -> None:
        """{row: (status, message)}; rows not named keep theirs."""
        for i, (status, message) in statuses.items():
            self.draft.set_status(i, status, message)
        self.rows = self.draft.rows
        if statuses:
            self.dataChanged.emit(self.index(min(statuses), 0), self.index(max(statuses), len(self.columns) - 1))
        self.changed.emit()

    def set_meta(self, key: str, value: Any) -> None:
        if value is None:
            self.draft.meta.pop(key, None)
        else:
            self.draft.meta[key] = value
        self.changed.emit()


def make_table(model: RowsModel, *, multi: bool = True, stretch: str | None = None) -> QTableView:
    """The tabs' table: whole-row selection, fixed column widths (a 100,000-row 清册 is never measured),
    fixed row height, no editing."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                          else QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    rows = view.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(30)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    keys = [c.key for c in model.columns]
    if stretch in keys:   # this column takes the spare width; otherwise the last one
        header.setSectionResizeMode(keys.index(stretch), QHeaderView.ResizeMode.Stretch)
    else:
        header.setStretchLastSection(True)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
    for i, col in enumerate(model.columns):
        if col.key != stretch:
            view.setColumnWidth(i, col.width)
    return view


def selected_rows(view: QTableView) -> list[int]:
    return sorted({index.row() for index in view.selectionModel().selectedRows()})
