"""缴存人登记 单个录入 (SPEC 4.8): 姓名, 证件类型, 证件号码 (性别 and 出生日期 derived and shown as the clerk
types), 手机号码, 部门, 缴存基数, 缴存比例 (default: the unit's), 首次缴存年月 (default: the month after the
unit's 缴至年月), and the 月缴存额 it makes. The checks are client.employees.check_open_entry."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QVBoxLayout, QWidget)

from client.employees import check_open_entry, id_info
from services.identity import ID_TYPE_RESIDENT, ID_TYPES
from services.money import MoneyError, fmt_money_display, parse_money
from services.policy import monthly_contribution
from ui.modules.employee_kit.dialogs import flash_info
from ui.modules.employee_kit.entry_form import INVALID_STYLE, form_label, suffixed
from ui.modules.employee_kit.hub import EmployeeHub
from ui.widgets import InlineMessage

FIELD_ORDER = ("name", "id_type", "id_number", "mobile", "department", "base", "unit_ratio", "person_ratio",
               "first_month")
LABELS = {"name": "姓名", "id_type": "证件类型", "id_number": "证件号码", "mobile": "手机号码", "department": "部门",
          "base": "缴存基数", "unit_ratio": "单位缴存比例", "person_ratio": "个人缴存比例", "first_month": "首次缴存年月"}


class OpenForm(QGroupBox):
    entered = Signal(dict)      # a checked row for the 清册

    def __init__(self, hub: EmployeeHub, parent: QWidget | None = None) -> None:
        super().__init__("单个录入", parent)
        self.setObjectName("openForm")
        self.hub = hub
        session = hub.session
        self.name = QLineEdit()
        self.name.setMaxLength(50)
        self.id_type = QComboBox()
        for code, label in ID_TYPES.items():
            self.id_type.addItem(label, code)
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(30)
        self.id_number.setPlaceholderText("18位身份证号码，末位可为X")
        self.derived = QLabel()
        self.derived.setObjectName("derivedId")
        self.mobile = QLineEdit()
        self.mobile.setPlaceholderText("可不填")
        self.department = QComboBox()
        self.base = QLineEdit()
        low, high = session.policy.base_min, session.policy.base_max
        self.base.setPlaceholderText(f"{fmt_money_display(low)} – {fmt_money_display(high)}")
        self.unit_ratio = QLineEdit()
        self.person_ratio = QLineEdit()
        policy = session.policy
        self.unit_ratio.setPlaceholderText(f"{policy.unit_ratio_min}–{policy.unit_ratio_max}")
        self.person_ratio.setPlaceholderText(f"{policy.person_ratio_min}–{policy.person_ratio_max}")
        self.first_month = QLineEdit()
        self.first_month.setPlaceholderText("如2025-03")
        self.monthly = QLabel()
        self.monthly.setObjectName("monthlyPreview")
        self.enter_button = QPushButton("录入清册")
        self.enter_button.setObjectName("primary")
        self.enter_button.clicked.connect(lambda: self.submit())
        self.import_button = QPushButton("批量导入")
        self.reset_button = QPushButton("清空")
        self.reset_button.clicked.connect(lambda: self.reset())
        self.message = InlineMessage()
        self.fields = {"name": self.name, "id_type": self.id_type, "id_number": self.id_number, "mobile": self.mobile,
                       "department": self.department, "base": self.base, "unit_ratio": self.unit_ratio,
                       "person_ratio": self.person_ratio, "first_month": self.first_month}
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        cells = [(0, "姓名", self.name), (0, "证件类型", self.id_type), (0, "证件号码", self.id_number),
                 (1, "手机号码", self.mobile), (1, "部门", self.department), (1, "", self.derived),
                 (2, "缴存基数", suffixed(self.base, "元")), (2, "单位缴存比例", suffixed(self.unit_ratio, "%")),
                 (2, "个人缴存比例", suffixed(self.person_ratio, "%")),
                 (3, "首次缴存年月", self.first_month), (3, "月缴存额", self.monthly)]
        used: dict[int, int] = {}
        for row, text, widget in cells:
            col = used.get(row, 0)
            used[row] = col + 1
            grid.addWidget(form_label(text), row, col * 2)
            grid.addWidget(widget, row, col * 2 + 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.enter_button)
        grid.addLayout(buttons, 3, 4, 1, 2)
        for col in (1, 3, 5):
            grid.setColumnStretch(col, 1)
        for col in (0, 2, 4):
            grid.setColumnMinimumWidth(col, 84)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(grid)
        layout.addWidget(self.message)
        self.id_number.textChanged.connect(self._show_id)
        self.id_type.currentIndexChanged.connect(lambda _i: self._show_id())
        for edit in (self.base, self.unit_ratio, self.person_ratio):
            edit.textChanged.connect(lambda _t: self._show_monthly())
        for key, widget in self.fields.items():
            signal = widget.currentIndexChanged if isinstance(widget, QComboBox) else widget.textEdited
            signal.connect(lambda *_a, k=key: self._mark(k, False))
        hub.departments_changed.connect(self._fill_departments)
        self._fill_departments()
        self.reset()

    # -- filling ------------------------------------------------------------------------------------
    def _fill_departments(self) -> None:
        current = self.department.currentData()
        self.department.clear()
        self.department.addItem("不分配部门", "")
        for d in self.hub.departments:
            self.department.addItem(f"{d['name']}（{d['code']}）", d["code"])
        if current:
            self.department.setCurrentIndex(max(0, self.department.findData(current)))

    def reset(self) -> None:
        """Empty the person's fields; the unit's defaults back in the others."""
        for edit in (self.name, self.id_number, self.mobile, self.base):
            edit.clear()
        self.id_type.setCurrentIndex(self.id_type.findData(ID_TYPE_RESIDENT))
        ctx = self.hub.entry_context()
        unit_ratio, person_ratio = ctx.unit_ratios()
        self.unit_ratio.setText(str(unit_ratio) if unit_ratio is not None else "")
        self.person_ratio.setText(str(person_ratio) if person_ratio is not None else "")
        self.first_month.setText(str(ctx.default_first_month()))
        for key in self.fields:
            self._mark(key, False)
        self._show_id()
        self._show_monthly()

    def values(self) -> dict[str, str]:
        return {"name": self.name.text(), "id_type": self.id_type.currentData(), "id_number": self.id_number.text(),
                "mobile": self.mobile.text(), "department": self.department.currentData() or "",
                "base": self.base.text(), "unit_ratio": self.unit_ratio.text(),
                "person_ratio": self.person_ratio.text(), "first_month": self.first_month.text()}

    # -- as the clerk types -------------------------------------------------------------------------
    def _show_id(self, *_args) -> None:
        text = self.id_number.text().strip()
        id_type = self.id_type.currentData() or ID_TYPE_RESIDENT
        if not text:
            self.derived.setText("性别和出生日期将根据身份证号码自动显示")
            self.derived.setStyleSheet("color: #5b6b7f;")
            return
        if id_type == ID_TYPE_RESIDENT and len(text.replace(" ", "")) < 18:
            self.derived.setText(f"已输入{len(text.replace(' ', ''))}位，身份证号码为18位")
            self.derived.setStyleSheet("color: #5b6b7f;")
            return
        info = id_info(id_type, text, self.hub.session.business_date)
        if not info.ok:
            self.derived.setText(info.message)
            self.derived.setStyleSheet("color: #b3261e;")
        elif info.gender:
            y, m, d = info.birth_date.split("-")
            self.derived.setText(f"性别：{info.gender}　　出生日期：{y}年{m}月{d}日")
            self.derived.setStyleSheet("color: #1d5c2e; font-weight: bold;")
        else:
            self.derived.setText("证件号码格式正确")
            self.derived.setStyleSheet("color: #1d5c2e;")

    def _show_monthly(self) -> None:
        policy = self.hub.session.policy
        try:
            base = parse_money(self.base.text())
            unit_ratio = parse_money(self.unit_ratio.text())
            person_ratio = parse_money(self.person_ratio.text())
        except (MoneyError, TypeError, ValueError, ArithmeticError):
            self.monthly.setText("填写缴存基数和比例后自动计算")
            self.monthly.setStyleSheet("color: #5b6b7f;")
            return
        parts = monthly_contribution(base, unit_ratio, person_ratio, policy)
        self.monthly.setText(f"单位 {fmt_money_display(parts.unit)} 元 + 个人 {fmt_money_display(parts.person)} 元 = "
                             f"{fmt_money_display(parts.total)} 元")
        self.monthly.setStyleSheet("color: #1a4f94; font-weight: bold;")

    def _mark(self, key: str, invalid: bool) -> None:
        widget = self.fields[key]
        widget.setStyleSheet(INVALID_STYLE if invalid else "")
        widget.setToolTip("")

    # -- 录入清册 -------------------------------------------------------------------------------------
    def submit(self) -> dict | None:
        row, problems = check_open_entry(self.values(), self.hub.entry_context(), self.draft_rows())
        for key in self.fields:
            self._mark(key, key in problems)
            if key in problems:
                self.fields[key].setToolTip(problems[key])
        if problems:
            first = next(k for k in FIELD_ORDER if k in problems)
            self.fields[first].setFocus()
            self.message.show_error("；".join(f"{LABELS[k]}：{problems[k]}" for k in FIELD_ORDER if k in problems))
            return None
        self.message.clear_message()
        self.entered.emit(row)
        self.reset()
        self.name.setFocus()
        flash_info(self.message, f"{row['name']}已录入开户清册")
        return row

    def draft_rows(self) -> list[dict]:
        """The 清册's rows (for the duplicate check); set by the tab."""
        return []
