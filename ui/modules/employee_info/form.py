"""The employee's record on the 缴存人信息变更 tab: the locked items grey and read-only (个人账号, 姓名, 证件号码,
缴存基数, 状态), the editable ones as proper widgets — drop-downs of the centre's code tables (学历, 婚姻状况,
职务, 职称, 职业), line edits for 固定电话, 邮政编码, 家庭住址 and the money field 家庭月收入 (元). Items whose
change is in the 待变更清册 are tinted, refused ones red with the reason in the tooltip."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from client.employee_info import LOCKED_HINT, LOCKED_ITEMS, locked_text
from services import employee_info as items
from services.dictionaries import Dictionaries
from ui.modules.unit_change.form import FORM_STYLE, tint

NOT_RECORDED = "（未登记）"
# Three label/field pairs a row (the middle one wider: 证件号码, 职业). The locked items come first, then the
# editable ones: (name, row, pair, pairs spanned); 职业 and 家庭住址 are long, they take more than one pair.
LOCKED_AT = {"person_account": (0, 0), "name": (0, 1), "status": (0, 2), "id_type": (1, 0), "id_number": (1, 1),
             "base": (1, 2)}
EDITABLE_AT = (("marital_status", 0, 0, 1), ("education", 0, 1, 1), ("title", 0, 2, 1), ("position", 1, 0, 1),
               ("occupation", 1, 1, 2), ("postcode", 2, 0, 1), ("phone", 2, 1, 1), ("family_income", 2, 2, 1),
               ("home_address", 3, 0, 3))
PAIR_STRETCH = (2, 3, 2)


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(f"{text}：")
    label.setObjectName("formLabel")
    label.setBuddy(buddy)
    return label


class InfoForm(QWidget):
    def __init__(self, dictionaries: Dictionaries | None, leading: QWidget | None = None,
                 trailing: QWidget | None = None, parent: QWidget | None = None) -> None:
        """`leading`: the 缴存人 picker, on the first row; `trailing`: the form's buttons, on the last."""
        super().__init__(parent)
        self.setObjectName("employeeInfoForm")
        self.setStyleSheet(FORM_STYLE)
        self.dictionaries = dictionaries
        self.locked: dict[str, QLineEdit] = {}
        self.widgets: dict[str, QLineEdit | QComboBox] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        top = 0
        if leading is not None:
            grid.addWidget(_label("缴存人", leading), 0, 0)
            grid.addWidget(leading, 0, 1, 1, 5)
            top = 1
        labels = dict(LOCKED_ITEMS)
        for name, (row, pair) in LOCKED_AT.items():
            edit = QLineEdit()
            edit.setObjectName(f"locked_{name}")
            edit.setReadOnly(True)
            edit.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            edit.setToolTip(LOCKED_HINT)
            self.locked[name] = edit
            grid.addWidget(_label(labels[name], edit), top + row, pair * 2)
            grid.addWidget(edit, top + row, pair * 2 + 1)
        top += 2
        self.hint = QLabel(LOCKED_HINT)
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        grid.addWidget(self.hint, top, 1, 1, 5)
        top += 1
        for name, row, pair, span in EDITABLE_AT:
            item = items.BY_NAME[name]
            widget = self._make(item)
            self.widgets[name] = widget
            cell: QWidget = widget
            if item.money:
                cell = QWidget()
                box = QHBoxLayout(cell)
                box.setContentsMargins(0, 0, 0, 0)
                box.setSpacing(4)
                box.addWidget(widget, 1)
                unit = QLabel("元")
                unit.setObjectName("hint")
                box.addWidget(unit)
            grid.addWidget(_label(item.label, widget), top + row, pair * 2)
            grid.addWidget(cell, top + row, pair * 2 + 1, 1, span * 2 - 1)
        top += 1 + max(row for _n, row, _p, _s in EDITABLE_AT)
        if trailing is not None:
            grid.addWidget(trailing, top, 1, 1, 5)
        for pair, stretch in enumerate(PAIR_STRETCH):
            grid.setColumnStretch(pair * 2 + 1, stretch)

    def _make(self, item: items.InfoItem) -> QLineEdit | QComboBox:
        if item.dictionary:
            combo = QComboBox()
            combo.setObjectName(f"field_{item.name}")
            combo.addItem(NOT_RECORDED, "")
            for code, label in items.table(self.dictionaries, item.dictionary).items():
                combo.addItem(label, code)
            combo.setMinimumContentsLength(8)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            return combo
        edit = QLineEdit()
        edit.setObjectName(f"field_{item.name}")
        edit.setPlaceholderText(item.placeholder)
        if item.name == "home_address":
            edit.setMaxLength(items.MAX_ADDRESS + 50)   # the check says how much too long
        if item.money:
            edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return edit

    # -- values -----------------------------------------------------------------------------------

    def show_person(self, person: Mapping[str, Any] | None) -> None:
        for name, edit in self.locked.items():
            edit.setText(locked_text(name, person) if person else "")
            edit.setCursorPosition(0)

    def value(self, name: str) -> str:
        widget = self.widgets[name]
        if isinstance(widget, QComboBox):
            return str(widget.currentData() or "")
        return widget.text().strip()

    def values(self) -> dict[str, str]:
        return {name: self.value(name) for name in self.widgets}

    def set_value(self, name: str, value: str) -> None:
        widget = self.widgets[name]
        text = value or ""
        if isinstance(widget, QComboBox):
            index = widget.findData(text)
            if index < 0:                      # a code the dictionary no longer has: shown as it is
                widget.addItem(text, text)
                index = widget.count() - 1
            widget.setCurrentIndex(index)
        else:
            widget.setText(items.display(name, text, self.dictionaries) if items.BY_NAME[name].money else text)
            widget.setCursorPosition(0)

    def set_values(self, values: Mapping[str, str]) -> None:
        for name in self.widgets:
            self.set_value(name, values.get(name, ""))

    def mark(self, name: str, state: str | None, tip: str | None = None) -> None:
        """Tint an item: "pending" (in the 清册), "error" (refused, with `tip`), None."""
        widget = self.widgets[name]
        tint(widget, state)
        widget.setToolTip(tip or "")

    def set_editable(self, enabled: bool) -> None:
        for widget in self.widgets.values():
            widget.setEnabled(enabled)

    def is_locked(self, name: str) -> bool:
        return name in self.locked and self.locked[name].isReadOnly()
