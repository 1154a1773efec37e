"""补缴 单个录入 (SPEC 4.6): pick the employee (姓名 and 证件号码 shown), 补缴原因 (the centre's dictionary),
补缴年月 from / to (to blank: that one month), and the amount — the unit part and the individual part, or a
total split by the person's ratios (shown as it is typed, and how); 【录入清册】 → "录入成功，补缴金额xx元".
The checks are client.approval_batches.check_supplementary_entry (the rules of services.contribution_rules,
as the batch import and the centre check them)."""
from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QComboBox, QHBoxLayout, QLabel, QLineEdit, QRadioButton, QWidget

from client.approval_batches import (SPLIT_RULE, check_supplementary_entry, current_base, monthly_of, person_ratios,
                                     split_preview, supplement_cap)
from client.roster import ACTIVE, SEALED, RosterEntry
from services.money import MoneyError, fmt_money_display, parse_money
from services.yearmonth import YearMonth, YearMonthError
from ui.modules.employee_kit.entry_form import BLUE, GREY, PersonEntryForm, form_label, suffixed

FIELD_ORDER = ("person_account", "reason", "from_month", "to_month", "unit_amount", "person_amount", "total", "")
PARTS, TOTAL = "parts", "total"


def entered_text(row: dict) -> str:
    """What the clerk reads after 录入清册 (SPEC 4.6: "录入成功" with the amount)."""
    return f"录入成功，补缴金额{fmt_money_display(parse_money(row['total']))}元"


class SupplementaryForm(PersonEntryForm):
    check = staticmethod(check_supplementary_entry)
    field_order = FIELD_ORDER

    def __init__(self, hub, parent: QWidget | None = None) -> None:
        super().__init__(hub, "supplementaryForm", {ACTIVE, SEALED}, parent)
        session = hub.session
        self.reason = QComboBox()
        self.reason.setObjectName("reason")
        self.reason.addItem("请选择补缴原因", "")
        for code, text in session.dictionaries.tables.get("supplement_reason", {}).items():
            self.reason.addItem(text, code)
        self.from_month = QLineEdit()
        self.from_month.setObjectName("fromMonth")
        self.from_month.setPlaceholderText("如2025-03")
        self.to_month = QLineEdit()
        self.to_month.setObjectName("toMonth")
        self.to_month.setPlaceholderText("不填：只补缴起始月")
        self.by_parts = QRadioButton("分别填写单位和个人金额")
        self.by_parts.setObjectName("byParts")
        self.by_total = QRadioButton("填写合计，按比例拆分")
        self.by_total.setObjectName("byTotal")
        self.mode = QButtonGroup(self)
        self.mode.addButton(self.by_parts)
        self.mode.addButton(self.by_total)
        self.by_parts.setChecked(True)
        self.unit_amount = QLineEdit()
        self.unit_amount.setObjectName("unitAmount")
        self.person_amount = QLineEdit()
        self.person_amount.setObjectName("personAmount")
        self.total = QLineEdit()
        self.total.setObjectName("totalAmount")
        for edit in (self.unit_amount, self.person_amount, self.total):
            edit.setPlaceholderText("整个期间合计")
        self.preview = QLabel()
        self.preview.setObjectName("amountPreview")
        self.preview.setWordWrap(True)
        self.limits = QLabel()
        self.limits.setObjectName("hint")
        self.limits.setWordWrap(True)
        self.rule = QLabel()
        self.rule.setObjectName("hint")
        self.rule.setWordWrap(True)
        self.show_rule()
        self.fields.update({"reason": self.reason, "from_month": self.from_month, "to_month": self.to_month,
                            "unit_amount": self.unit_amount, "person_amount": self.person_amount, "total": self.total})

        months = QWidget()
        months_row = QHBoxLayout(months)
        months_row.setContentsMargins(0, 0, 0, 0)
        months_row.setSpacing(6)
        months_row.addWidget(self.from_month, 1)
        months_row.addWidget(QLabel("至"))
        months_row.addWidget(self.to_month, 1)
        modes = QWidget()
        modes_row = QHBoxLayout(modes)
        modes_row.setContentsMargins(0, 0, 0, 0)
        modes_row.setSpacing(16)
        modes_row.addWidget(self.by_parts)
        modes_row.addWidget(self.by_total)
        modes_row.addStretch(1)
        grid = self.grid
        grid.addWidget(form_label("补缴原因"), 1, 0)
        grid.addWidget(self.reason, 1, 1)
        grid.addWidget(form_label("补缴年月"), 1, 2)
        grid.addWidget(months, 1, 3, 1, 3)
        grid.addWidget(form_label("金额填写方式"), 2, 0)
        grid.addWidget(modes, 2, 1, 1, 5)
        grid.addWidget(form_label("单位补缴金额"), 3, 0)
        grid.addWidget(suffixed(self.unit_amount, "元"), 3, 1)
        grid.addWidget(form_label("个人补缴金额"), 3, 2)
        grid.addWidget(suffixed(self.person_amount, "元"), 3, 3)
        grid.addWidget(form_label("补缴金额合计"), 3, 4)
        grid.addWidget(suffixed(self.total, "元"), 3, 5)
        grid.addWidget(self.preview, 4, 0, 1, 6)   # the whole width: one line, not two, so the 清册 shows sooner
        grid.addWidget(self.limits, 5, 0, 1, 6)
        self.lay_out(self.rule)

        self.by_parts.toggled.connect(lambda _on: self._mode_changed())
        for edit in (self.from_month, self.to_month, self.unit_amount, self.person_amount, self.total):
            edit.textChanged.connect(lambda _t: self._show_preview())
        for key, widget in self.fields.items():
            signal = widget.currentIndexChanged if isinstance(widget, QComboBox) else widget.textEdited
            signal.connect(lambda *_a, k=key: self._mark(k, False))
        self._mode_changed()
        self._picked(None)

    def show_rule(self) -> None:
        """The month rule with the earliest month by the centre's business date (called again when it moves)."""
        session = self.hub.session
        months = session.policy.max_supplement_months
        earliest = YearMonth.of(session.business_date) - months
        self.rule.setText(f"补缴年月须为已过去的月份，最早{earliest}（最长补缴{months}个月），"
                          "且不早于该职工的开户年月；同一职工同一月份只能补缴一次。")

    # -- as the clerk types -----------------------------------------------------------------------------
    @property
    def mode_value(self) -> str:
        return TOTAL if self.by_total.isChecked() else PARTS

    def _mode_changed(self) -> None:
        total = self.by_total.isChecked()
        self.total.setEnabled(total)
        self.unit_amount.setEnabled(not total)
        self.person_amount.setEnabled(not total)
        for key in ("unit_amount", "person_amount", "total"):
            self._mark(key, False)
        self._show_preview()

    def show_picked(self, entry: RosterEntry | None) -> None:
        policy = self.hub.session.policy
        cap = supplement_cap(entry, policy)
        parts = [f"按缴存基数上限{fmt_money_display(policy.base_max)}元，每月最多补缴单位 "
                 f"{fmt_money_display(cap.unit)} 元、个人 {fmt_money_display(cap.person)} 元"]
        now = monthly_of(entry, current_base(entry), policy)
        if now is not None:
            parts.append(f"该职工现月缴存额：单位 {fmt_money_display(now.unit)} 元、个人 {fmt_money_display(now.person)} 元"
                         f"（单位 {entry.unit_ratio}%，个人 {entry.person_ratio}%）")
        if entry is not None and entry.opened_on:
            parts.append(f"开户日期 {entry.opened_on[:10]}")
        self.limits.setText("；".join(parts))
        self._show_preview()

    def _months(self) -> int | None:
        try:
            first = YearMonth.parse(self.from_month.text().strip())
            text = self.to_month.text().strip()
            last = YearMonth.parse(text) if text else first
        except YearMonthError:
            return None
        return last - first + 1 if last >= first else None

    def _show_preview(self) -> None:
        months = self._months()
        span = f"（共{months}个月）" if months else ""
        if self.by_total.isChecked():
            entry = self.picker.entry
            if entry is not None and person_ratios(entry) is None:
                self._say("不知道该职工的缴存比例，无法拆分：请分别填写单位和个人补缴金额", error=True)
                return
            parts = split_preview(entry, self.total.text())
            if parts is None:
                self._say(f"选择职工并填写补缴金额合计后，按该职工的缴存比例拆分。{SPLIT_RULE}")
                return
            self._say(f"按缴存比例 单位{entry.unit_ratio}% : 个人{entry.person_ratio}% 拆分：单位 "
                      f"{fmt_money_display(parts[0])} 元，个人 {fmt_money_display(parts[1])} 元{span}。{SPLIT_RULE}",
                      strong=True)
            return
        try:
            unit = parse_money(self.unit_amount.text().strip() or "0")
            own = parse_money(self.person_amount.text().strip() or "0")
        except (MoneyError, TypeError, ValueError, ArithmeticError):
            self._say("请填写正确的金额，如1200.00", error=True)
            return
        if not (self.unit_amount.text().strip() or self.person_amount.text().strip()):
            self._say("填写整个补缴期间的单位部分和个人部分合计（没有的一方填0）")
            return
        self._say(f"补缴金额合计：{fmt_money_display(unit + own)} 元{span}", strong=True)

    def _say(self, text: str, *, strong: bool = False, error: bool = False) -> None:
        self.preview.setText(text)
        self.preview.setStyleSheet("color: #b3261e;" if error else BLUE if strong else GREY)

    # -- 录入清册 ---------------------------------------------------------------------------------------
    def values(self) -> dict[str, str]:
        return {"person_account": self.picker.account(), "reason": self.reason.currentData() or "",
                "from_month": self.from_month.text(), "to_month": self.to_month.text(), "mode": self.mode_value,
                "unit_amount": self.unit_amount.text(), "person_amount": self.person_amount.text(),
                "total": self.total.text()}

    @property
    def cleared(self) -> tuple[QLineEdit, ...]:
        return (self.from_month, self.to_month, self.unit_amount, self.person_amount, self.total)

    def entered_text(self, row: dict) -> str:
        return entered_text(row)
