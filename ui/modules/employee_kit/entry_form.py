"""The 单个录入 forms of the employee and approval tabs (缴存人登记, 缴存人状态变更, 基数调整, 补缴): a field's
label, an edit with its unit after it, the red mark of a refused field, and `PersonEntryForm` — the box whose
first row is the 个人账号 picker with 姓名 and 证件号码 shown back, and whose 【录入清册】 checks the values, marks
and names every problem (focus on the first), or hands the row to the 清册 and clears the form."""
from __future__ import annotations

from collections.abc import Callable, Collection

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from client.roster import RosterEntry
from ui.modules.employee_kit.dialogs import flash_info
from ui.modules.employee_kit.picker import PersonPicker
from ui.widgets import InlineMessage

INVALID_STYLE = "border: 1px solid #b3261e; background: #fdf0ef;"
SHOWN_BACK = "background: #f1f4f8; color: #1f2d3d;"
GREY, BLUE = "color: #5b6b7f;", "color: #1a4f94; font-weight: bold;"


def form_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("formLabel")
    return label


def suffixed(edit: QLineEdit, suffix: str) -> QWidget:
    """`edit` with its unit (元, %) after it."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(6)
    row.addWidget(edit, 1)
    unit = QLabel(suffix)
    unit.setObjectName("hint")
    row.addWidget(unit)
    return box


class PersonEntryForm(QGroupBox):
    """单个录入 of a business about one employee of the roster (基数调整, 补缴). The subclass adds its rows to
    `grid` (row 0 is 个人账号, 姓名, 证件号码), its fields to `fields`, then calls `lay_out(rule)`; it gives
    `check` (client.approval_batches' check of one entry: (row, problems by field)), `field_order`, `values()`,
    `cleared` (the edits emptied after an entry), `entered_text(row)` and may show more of the person picked
    (`show_picked`)."""

    entered = Signal(dict)      # a checked row for the 清册
    check: Callable[..., tuple[dict, dict[str, str]]]
    field_order: tuple[str, ...] = ()

    def __init__(self, hub, name: str, statuses: Collection[str], parent: QWidget | None = None) -> None:
        super().__init__("单个录入", parent)
        self.setObjectName(name)
        self.hub = hub
        self.picker = PersonPicker(hub, set(statuses), show_details=False)
        self.picker.picked.connect(self._picked)
        self.name = QLineEdit()
        self.name.setObjectName("personName")
        self.id_number = QLineEdit()
        self.id_number.setObjectName("personId")
        for edit in (self.name, self.id_number):   # shown back, read-only, but as readable as the rest
            edit.setReadOnly(True)
            edit.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            edit.setStyleSheet(SHOWN_BACK)
        self.enter_button = QPushButton("录入清册")
        self.enter_button.setObjectName("primary")
        self.enter_button.clicked.connect(lambda: self.submit())
        self.import_button = QPushButton("批量导入")
        self.message = InlineMessage()
        self.fields: dict[str, QWidget] = {"person_account": self.picker.edit}
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(8)
        for col, (text, widget) in enumerate((("个人账号", self.picker), ("姓名", self.name),
                                              ("证件号码", self.id_number))):
            self.grid.addWidget(form_label(text), 0, col * 2)
            self.grid.addWidget(widget, 0, col * 2 + 1)

    def lay_out(self, rule: QLabel, stretches: tuple[int, int, int] = (3, 3, 3)) -> None:
        """The grid (its value columns stretched by `stretches`), `rule` beside 【批量导入】 and 【录入清册】, the
        message under them."""
        for col, stretch in zip((1, 3, 5), stretches, strict=True):
            self.grid.setColumnStretch(col, stretch)
        for col in (0, 2, 4):
            self.grid.setColumnMinimumWidth(col, 96)
        buttons = QHBoxLayout()
        buttons.setSpacing(10)
        buttons.addWidget(rule, 1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.enter_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(self.grid)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

    # -- the person -----------------------------------------------------------------------------------------
    def _picked(self, entry: RosterEntry | None) -> None:
        self.name.setText(entry.name if entry else "")
        self.id_number.setText(entry.id_number if entry else "")
        self._mark("person_account", False)
        self.show_picked(entry)

    def show_picked(self, entry: RosterEntry | None) -> None:
        """What else the form shows of the person picked (None: nobody)."""

    def _mark(self, key: str, invalid: bool, tip: str = "") -> None:
        widget = self.fields[key]
        widget.setStyleSheet(INVALID_STYLE if invalid else "")
        widget.setToolTip(tip)

    def set_blocked(self, blocked: bool) -> None:
        for widget in (self.enter_button, self.import_button):
            widget.setEnabled(not blocked)

    # -- 录入清册 ---------------------------------------------------------------------------------------------
    def values(self) -> dict[str, str]:
        raise NotImplementedError

    @property
    def cleared(self) -> tuple[QLineEdit, ...]:
        return ()

    def entered_text(self, row: dict) -> str:
        raise NotImplementedError

    def submit(self) -> dict | None:
        row, problems = self.check(self.values(), self.hub.entry_context(), self.draft_rows())
        for key in self.fields:
            self._mark(key, key in problems, problems.get(key, ""))
        if problems:
            first = next((k for k in self.field_order if k in problems), "")
            if first in self.fields:
                self.fields[first].setFocus()
            self.message.show_error("；".join(problems[k] for k in self.field_order if k in problems))
            return None
        self.message.clear_message()
        self.entered.emit(row)
        self.picker.clear()
        for edit in self.cleared:
            edit.clear()
        self.picker.setFocus()
        flash_info(self.message, self.entered_text(row))
        return row

    def draft_rows(self) -> list[dict]:
        """The 清册's rows (for the duplicate and overlap checks); set by the page."""
        return []
