"""One sheet of 缴存人状态变更 (SPEC 4.9): 封存 or 启封. 变更原因, the 个人账号 picker (only 正常 people for 封存,
only 封存 for 启封; 姓名 and 证件号码 shown back), the month (and for 启封 the new 缴存基数); 【录入清册】 →
"缴存人状态变更清册录入成功"; 批量导入; 【删除】; 【确定封存】 / 【确定启封】 sends the selected rows (or all)."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QSizePolicy, QVBoxLayout, QWidget)

from client.draft_list import DraftList
from client.employees import SEAL_DRAFT, UNSEAL_DRAFT, check_status_entry
from client.roster import ACTIVE, SEALED, RosterEntry
from services.money import fmt_money_display
from services.yearmonth import YearMonth, YearMonthError
from ui.modules.employee_kit.dialogs import flash_info, scrolling
from ui.modules.employee_kit.draft_panel import DraftPanel
from ui.modules.employee_kit.entry_form import INVALID_STYLE, form_label
from ui.modules.employee_kit.hub import EmployeeHub
from ui.modules.employee_kit.importer import ImportDialog
from ui.modules.employee_kit.keeper import DraftKeeper
from ui.modules.employee_kit.picker import PersonPicker
from ui.modules.employee_kit.submit import DraftSubmission
from ui.modules.employee_kit.table import Col, DraftTableModel
from ui.widgets import InlineMessage

ENTERED = "缴存人状态变更清册录入成功"
KINDS = {
    "seal": {"label": "封存", "dictionary": "seal_reason", "statuses": {ACTIVE}, "draft": SEAL_DRAFT},
    "unseal": {"label": "启封", "dictionary": "unseal_reason", "statuses": {SEALED}, "draft": UNSEAL_DRAFT},
}


def columns(kind: str, hub: EmployeeHub) -> list[Col]:
    label = KINDS[kind]["label"]
    unseal = kind == "unseal"   # two more columns there: the base before and after
    cols = [Col("#", "序号", 50), Col("person_account", "个人账号", 120), Col("name", "姓名", 75),
            Col("id_number", "证件号码", 165),
            Col("department", "部门", 100 if unseal else 130, fmt=lambda r: hub.department_name(r.get("department"))),
            Col("paid_through", "缴至年月", 95, "month"), Col("reason_label", f"{label}原因", 125 if unseal else 150),
            Col("effective_month", f"{label}年月", 95, "month")]
    if unseal:
        cols += [Col("old_base", "原缴存基数", 95, "money"), Col("base", "启封后基数", 95, "money")]
    else:
        cols.append(Col("source", "来源", 90))
    return cols + [Col("_status", "清册状态", 80)]


class StatusSheet(QWidget):
    def __init__(self, hub: EmployeeHub, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hub, self.kind = hub, kind
        spec = KINDS[kind]
        self.label = spec["label"]
        session = hub.session
        self.reason = QComboBox()
        self.reason.setObjectName("reason")
        self.reason.addItem(f"请选择{self.label}原因", "")
        for code, text in session.dictionaries.tables.get(spec["dictionary"], {}).items():
            self.reason.addItem(text, code)
        self.picker = PersonPicker(hub, spec["statuses"], show_details=False)
        self.picker.picked.connect(self._picked)
        self.name = QLineEdit()
        self.id_number = QLineEdit()
        for edit in (self.name, self.id_number):
            edit.setReadOnly(True)
            edit.setEnabled(False)
        self.month = QLineEdit()
        self.month.setObjectName("effectiveMonth")
        self.month.setPlaceholderText("如2025-03")
        self.base = QLineEdit(self)   # shown on the 启封 sheet only
        self.base.setObjectName("unsealBase")
        self.base.setVisible(kind == "unseal")
        policy = session.policy
        self.base.setPlaceholderText(f"{fmt_money_display(policy.base_min)} – {fmt_money_display(policy.base_max)}")
        self.enter_button = QPushButton("录入清册")
        self.enter_button.setObjectName("primary")
        self.enter_button.clicked.connect(lambda: self.submit())
        self.import_button = QPushButton("批量导入")
        self.import_button.clicked.connect(lambda: self.open_import())
        self.message = InlineMessage()
        self.fields = {"reason": self.reason, "person_account": self.picker.edit, "effective_month": self.month}
        if kind == "unseal":
            self.fields["base"] = self.base
        form = QGroupBox(f"{self.label}录入")
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        cells = [(0, "变更原因", self.reason), (0, "个人账号", self.picker), (0, f"{self.label}年月", self.month),
                 (1, "姓名", self.name), (1, "证件号码", self.id_number)]
        if kind == "unseal":
            base_box = QWidget()
            base_row = QHBoxLayout(base_box)
            base_row.setContentsMargins(0, 0, 0, 0)
            base_row.addWidget(self.base, 1)
            unit = QLabel("元")
            unit.setObjectName("hint")
            base_row.addWidget(unit)
            cells.append((1, "启封后缴存基数", base_box))
        used: dict[int, int] = {}
        for row, text, widget in cells:
            col = used.get(row, 0)
            used[row] = col + 1
            grid.addWidget(form_label(text), row, col * 2)
            grid.addWidget(widget, row, col * 2 + 1)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 3)
        grid.setColumnStretch(5, 2)
        for col in (0, 2, 4):
            grid.setColumnMinimumWidth(col, 70)
        buttons = QHBoxLayout()
        buttons.setSpacing(10)
        buttons.addWidget(self.picker.details_label())   # 状态, 部门, 缴至年月 of the picked person
        buttons.addWidget(self.message, 1)
        buttons.addStretch(0)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.enter_button)
        inner = QVBoxLayout(form)
        inner.setSpacing(8)
        inner.addLayout(grid)
        inner.addLayout(buttons)
        money = ("base",) if kind == "unseal" else ()
        self.model = DraftTableModel(DraftList(money_keys=money), columns(kind, hub), self)
        totals = [("base", "启封后缴存基数")] if kind == "unseal" else []
        self.panel = DraftPanel(f"待{self.label}清册", self.model, f"确定{self.label}", totals=totals)
        self.panel.submit_button.setToolTip("办理清册中选中的职工；未选择时办理清册中的全部职工")
        self.keeper = DraftKeeper(self.model, lambda: hub.draft_place(spec["draft"]), money, self)
        send = (lambda c, rows, _o: c.seal(rows)) if kind == "seal" else (lambda c, rows, _o: c.unseal(rows))
        self.submission = DraftSubmission(hub, self.panel, business=f"缴存人{self.label}", identity="person_account",
                                          send=send, selected_only=True)
        self.import_dialog: ImportDialog | None = None
        form.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.panel.table.setMinimumHeight(120)   # and no more than fits: the page scrolls only when it must
        self.panel.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(form)
        layout.addWidget(self.panel, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(content))
        for key, widget in self.fields.items():
            signal = widget.currentIndexChanged if isinstance(widget, QComboBox) else widget.textEdited
            signal.connect(lambda *_a, w=widget: w.setStyleSheet(""))
        self.keeper.load()

    # -- the form -----------------------------------------------------------------------------------
    def _picked(self, entry: RosterEntry | None) -> None:
        self.name.setText(entry.name if entry else "")
        self.id_number.setText(entry.id_number if entry else "")
        if entry is None:
            return
        self.picker.edit.setStyleSheet("")
        self.month.setText(str(self.default_month(entry)))
        if self.kind == "unseal" and not self.base.text() and entry.base:
            self.base.setText(entry.base)

    def default_month(self, entry: RosterEntry) -> YearMonth:
        """封存: the first month not paid; 启封: this month — in both cases after 缴至年月, at most next month."""
        month = YearMonth.of(self.hub.session.business_date)
        try:
            paid = YearMonth.parse(entry.paid_through) if entry.paid_through else None
        except YearMonthError:
            paid = None
        if self.kind == "seal" and paid is not None:
            return min(paid + 1, month + 1)
        return min(max(month, paid + 1), month + 1) if paid is not None else month

    def values(self) -> dict[str, str]:
        return {"person_account": self.picker.account(), "reason": self.reason.currentData() or "",
                "effective_month": self.month.text(), "base": self.base.text()}

    def submit(self) -> dict | None:
        row, problems = check_status_entry(self.kind, self.values(), self.hub.entry_context(), self.model.draft.rows)
        for key, widget in self.fields.items():
            widget.setStyleSheet(INVALID_STYLE if key in problems else "")
        if problems:
            self.message.show_error("；".join(problems[k] for k in ("person_account", "reason", "effective_month", "base")
                                             if k in problems))
            return None
        self.model.append([row])
        flash_info(self.message, ENTERED)
        self.picker.clear()
        self.month.clear()
        self.base.clear()
        self.panel.table.scrollToBottom()
        return row

    # -- 批量导入 -------------------------------------------------------------------------------------
    def open_import(self) -> ImportDialog:
        dialog = ImportDialog(self.hub, self.kind, f"缴存人{self.label}", self.add_imported, parent=self)
        self.import_dialog = dialog
        dialog.open()
        return dialog

    def add_imported(self, rows: list[dict]) -> list[tuple[int, str]]:
        there = {r.get("person_account"): i for i, r in enumerate(self.model.draft.rows)}
        good, refused = [], []
        for row in rows:
            at = there.get(row.get("person_account"))
            line = int(str(row.get("source", "")).removeprefix("导入第").removesuffix("行") or 0)
            if at is not None:
                refused.append((line, f"该职工已在待{self.label}清册第{at + 1}行，未重复加入"))
            else:
                good.append(row)
        self.model.append(good)
        if good:
            flash_info(self.message, f"{ENTERED}（导入{len(good)}人）")
        return refused
