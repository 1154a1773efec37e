"""The table model of applications (待办 / 已办 / 我发起的 and their 更多 history) and a table view in the
style of the 消息 box."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from ui.paged import ItemsTableModel
from ui.widgets import fmt_timestamp

_Index = QModelIndex | QPersistentModelIndex
TIME_KEYS = frozenset({"updated_at", "submitted_at", "created_at", "finished_at"})
STATUS_COLOURS = {"returned": "#a0620a", "rejected": "#b3261e", "approved": "#1d6b35", "pending": "#1a4f94"}


def cell_text(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    if key in TIME_KEYS:
        return fmt_timestamp(value) if value else ""
    return "" if value is None else str(value)


class ApplicationsModel(ItemsTableModel):
    """Application summaries as `GET /applications` returns them; `columns` are (key, header)."""

    def application(self, row: int) -> dict[str, Any]:
        return self.items[row]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        item = self.items[index.row()]
        key = self.columns[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(item, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{item.get('title') or ''}\n业务编号：{item.get('application_no') or ''}"
        if role == Qt.ItemDataRole.ForegroundRole and key == "status_label":
            colour = STATUS_COLOURS.get(str(item.get("status")))
            return QColor(colour) if colour else None
        return None
