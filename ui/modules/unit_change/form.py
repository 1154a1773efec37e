"""The unit's registered information as a form: locked fields grey and read-only, the others editable
(drop-downs for the code tables); fields whose change is in the 待变更清册 are tinted, refused ones red."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QWidget

from services.dictionaries import Dictionaries
from services.identity import ID_TYPES
from ui.modules.unit_change.fields import FIELDS, LOCKED_HINT, Field, as_text

FORM_STYLE = """
QLineEdit[mark="pending"], QComboBox[mark="pending"] { background: #fff8ec; border: 1px solid #e0a84a; }
QLineEdit[mark="error"], QComboBox[mark="error"] { background: #fdf0ef; border: 1px solid #d9534f; }
QLineEdit:read-only { background: #eef1f5; color: #5b6b7f; border: 1px solid #d0d8e2; }
"""


def tint(widget: QWidget, state: str | None) -> None:
    """Set FORM_STYLE's `mark` ("pending": in the 清册, "error": refused, None: plain), shown at once."""
    if widget.property("mark") != (state or ""):
        widget.setProperty("mark", state or "")
        widget.style().unpolish(widget)
        widget.style().polish(widget)


class UnitForm(QWidget):
    def __init__(self, dictionaries: Dictionaries | None, trailing: QWidget | None = None,
                 parent: QWidget | None = None) -> None:
        """`trailing`: put in the cell left free after the last field (the form's buttons)."""
        super().__init__(parent)
        self.setObjectName("unitForm")
        self.setStyleSheet(FORM_STYLE)
        self.dictionaries = dictionaries
        self.widgets: dict[str, QLineEdit | QComboBox] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        row = col = 0
        for field in FIELDS:
            widget = self._make(field)
            self.widgets[field.name] = widget
            label = QLabel(f"{field.label}：")
            label.setObjectName("formLabel")
            label.setBuddy(widget)
            if field.wide:
                if col:
                    row, col = row + 1, 0
                grid.addWidget(label, row, 0)
                grid.addWidget(widget, row, 1, 1, 3)
                row += 1
                continue
            grid.addWidget(label, row, col * 2)
            grid.addWidget(widget, row, col * 2 + 1)
            row, col = (row, 1) if col == 0 else (row + 1, 0)
        if trailing is not None:
            if col == 0:
                grid.addWidget(trailing, row, 0, 1, 4)
            else:
                grid.addWidget(trailing, row, 2, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

    def _make(self, field: Field) -> QLineEdit | QComboBox:
        if field.dictionary and not field.locked:
            combo = QComboBox()
            combo.setObjectName(f"field_{field.name}")
            table = (self.dictionaries.tables.get(field.dictionary) if self.dictionaries else None) or \
                (ID_TYPES if field.dictionary == "id_type" else {})
            for code, label in table.items():
                combo.addItem(f"{code} {label}", code)
            combo.setMinimumContentsLength(12)
            return combo
        edit = QLineEdit()
        edit.setObjectName(f"field_{field.name}")
        if field.locked:
            edit.setReadOnly(True)
            edit.setToolTip(LOCKED_HINT)
        return edit

    # -- values -----------------------------------------------------------------------------------

    def value(self, name: str) -> str:
        widget = self.widgets[name]
        if isinstance(widget, QComboBox):
            return as_text(widget.currentData())
        return widget.text().strip()

    def set_value(self, name: str, value: Any) -> None:
        widget = self.widgets[name]
        text = as_text(value)
        if isinstance(widget, QComboBox):
            index = widget.findData(text)
            if index < 0 and text:
                widget.addItem(text, text)
                index = widget.count() - 1
            widget.setCurrentIndex(index)
        else:
            widget.setText(text)
            widget.setCursorPosition(0)

    def mark(self, name: str, state: str | None, tip: str | None = None) -> None:
        """Tint a field: "pending" (in the 清册), "error" (refused, with `tip`), None."""
        widget = self.widgets[name]
        tint(widget, state)
        if not (isinstance(widget, QLineEdit) and widget.isReadOnly()):
            widget.setToolTip(tip or "")

    def is_locked(self, name: str) -> bool:
        widget = self.widgets[name]
        return isinstance(widget, QLineEdit) and widget.isReadOnly()
