"""待变更清册: the changes the clerk confirmed (序号, 变更项目, 变更前, 变更后) with × to cancel a row."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

REMOVE_STYLE = """
QPushButton#removeRow { color: #b3261e; border: none; background: transparent; font-size: 18px;
                        font-weight: bold; padding: 0; min-height: 0; }
QPushButton#removeRow:hover { background: #fdf0ef; border-radius: 3px; }
"""


class ChangeList(QTableWidget):
    removed = Signal(str)  # the field whose row the clerk cancelled with ×

    HEADERS = ["序号", "变更项目", "变更前", "变更后", ""]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.HEADERS), parent)
        self.setObjectName("changeList")
        self.setHorizontalHeaderLabels(self.HEADERS)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(34)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(True)  # old and new values in full: the clerk checks them
        self.setStyleSheet(REMOVE_STYLE)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        for col, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.ResizeToContents,
                                    QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.Stretch,
                                    QHeaderView.ResizeMode.Fixed)):
            header.setSectionResizeMode(col, mode)
        self.setColumnWidth(4, 40)
        self.fields: list[str] = []

    def set_rows(self, rows: list[tuple[str, str, str, str]]) -> None:
        """rows: (field, 变更项目, 变更前 as displayed, 变更后 as displayed)."""
        self.setRowCount(0)
        self.fields = [r[0] for r in rows]
        self.setRowCount(len(rows))
        for r, (field, item, old, new) in enumerate(rows):
            for c, text in enumerate((str(r + 1), item, old or "（空）", new or "（空）")):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                if c == 0:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if c == 3:
                    cell.setForeground(Qt.GlobalColor.darkBlue)
                self.setItem(r, c, cell)
            button = QPushButton("×")
            button.setObjectName("removeRow")
            button.setToolTip(f"取消“{item}”的变更")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _checked=False, f=field: self.removed.emit(f))
            self.setCellWidget(r, 4, button)
        self.resizeRowsToContents()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override: rows follow the wrapped width
        super().resizeEvent(event)
        self.resizeRowsToContents()

    def remove_button(self, row: int) -> QPushButton:
        return self.cellWidget(row, 4)
