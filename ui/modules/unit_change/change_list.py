"""待变更清册: the changes the clerk confirmed (序号, 变更项目, 变更前, 变更后) with × to cancel a row; the box
it stands in (单位信息变更, 缴存人信息变更) and the row of the form's buttons beside it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

CELL_SPARE = 20   # a cell's text is this much narrower than its column: the style sheet's padding and Qt's margins
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
        self.fit_rows()

    def fit_rows(self) -> None:
        """Each row as tall as its wrapped 变更前 / 变更后. Qt's own measure leaves out the style sheet's cell
        padding (QTableView::item) and then cuts the last line of a long value such as an address ("…")."""
        self.resizeRowsToContents()
        metrics = self.fontMetrics()
        flags = Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextWrapAnywhere
        for row in range(self.rowCount()):
            needed = self.rowHeight(row)
            for col in (2, 3):
                item = self.item(row, col)
                if item is not None:
                    width = max(20, self.columnWidth(col) - CELL_SPARE)
                    text_height = metrics.boundingRect(0, 0, width, 10_000, flags, item.text()).height()
                    needed = max(needed, text_height + 12)
            self.setRowHeight(row, needed)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override: rows follow the wrapped width
        super().resizeEvent(event)
        self.fit_rows()

    def remove_button(self, row: int) -> QPushButton:
        return self.cellWidget(row, 4)


class PendingBox(QGroupBox):
    """The 待变更清册 box: the list (the hint `empty_text` instead while it is empty), `notes` under it, the
    count line and the tab's button (完成办理 / 保存)."""

    def __init__(self, changes: ChangeList, empty_text: str, button: QPushButton, notes: tuple[QWidget, ...] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__("待变更清册", parent)
        self.changes = changes
        self.empty = QLabel(empty_text)
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        self.count_label = QLabel()
        self.count_label.setObjectName("hint")
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(changes, 1)
        layout.addWidget(self.empty)
        if notes:
            layout.addStretch(0)
            for note in notes:
                layout.addWidget(note)
        layout.addLayout(buttons)

    def show_count(self, count: int, files: int) -> None:
        """`count` rows in the list, `files` scans added."""
        self.changes.setVisible(bool(count))
        self.empty.setVisible(not count)
        self.count_label.setText(f"共{count}项变更" + (f"，已添加{files}个扫描件" if files else "") if count else "")


def button_row(*buttons: QWidget) -> QWidget:
    """The form's buttons (重置, 确定 / 录入清册) at the right of a row without margins."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return box
