"""基数调整 单个录入 (SPEC 4.4): pick the employee (正常 only) in the 个人账号 picker; 姓名, 证件号码, the current
缴存基数 and 月缴存额 are shown; type the new base and the new 月缴存额 is previewed as it would be computed
(each part rounded by the policy); 【录入清册】 checks it (client.approval_batches.check_base_entry)."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from client.approval_batches import check_base_entry, current_base, monthly_of
from client.roster import ACTIVE, RosterEntry
from services.money import MoneyError, fmt_money_display, parse_money
from services.policy import Contribution
from ui.modules.employee_kit.entry_form import BLUE, GREY, PersonEntryForm, form_label, suffixed

FIELD_ORDER = ("month", "person_account", "new_base", "")
LABELS = {"person_account": "个人账号", "new_base": "调整后缴存基数", "month": "", "": ""}
ENTERED = "已录入基数调整清册"


def monthly_text(parts: Contribution | None) -> str:
    if parts is None:
        return ""
    return (f"单位 {fmt_money_display(parts.unit)} 元 + 个人 {fmt_money_display(parts.person)} 元 = "
            f"{fmt_money_display(parts.total)} 元")


class BaseForm(PersonEntryForm):
    check = staticmethod(check_base_entry)
    field_order = FIELD_ORDER

    def __init__(self, hub, parent: QWidget | None = None) -> None:
        super().__init__(hub, "baseForm", {ACTIVE}, parent)
        policy = hub.session.policy
        self.current_base = QLabel()
        self.current_base.setObjectName("currentBase")
        self.current_monthly = QLabel()
        self.current_monthly.setObjectName("currentMonthly")
        self.new_base = QLineEdit()
        self.new_base.setObjectName("newBase")
        self.new_base.setPlaceholderText(f"{fmt_money_display(policy.base_min)} – {fmt_money_display(policy.base_max)}")
        self.new_base.textChanged.connect(lambda _t: self._show_preview())
        self.new_base.textEdited.connect(lambda _t: self._mark("new_base", False))
        self.new_base.returnPressed.connect(lambda: self.submit())
        self.preview = QLabel()
        self.preview.setObjectName("newMonthly")
        rule = QLabel(f"月缴存额 = 缴存基数 × 缴存比例，单位和个人部分分别{policy.mode.label}到"
                      f"{policy.precision.label}；本年度缴存基数上下限 {fmt_money_display(policy.base_min)} – "
                      f"{fmt_money_display(policy.base_max)} 元")
        rule.setObjectName("hint")
        rule.setWordWrap(True)
        self.fields["new_base"] = self.new_base

        grid = self.grid
        grid.addWidget(form_label("现缴存基数"), 1, 0)
        grid.addWidget(self.current_base, 1, 1)
        grid.addWidget(form_label("现月缴存额"), 1, 2)
        grid.addWidget(self.current_monthly, 1, 3, 1, 3)
        grid.addWidget(form_label("调整后缴存基数"), 2, 0)
        grid.addWidget(suffixed(self.new_base, "元"), 2, 1)
        grid.addWidget(form_label("调整后月缴存额"), 2, 2)
        grid.addWidget(self.preview, 2, 3, 1, 3)
        self.lay_out(rule, (3, 2, 3))
        self._picked(None)

    # -- showing the person and the preview ------------------------------------------------------------
    def show_picked(self, entry: RosterEntry | None) -> None:
        if entry is None:
            self.current_base.setText("选择职工后显示")
            self.current_base.setStyleSheet(GREY)
            self.current_monthly.setText("")
        else:
            base = current_base(entry)
            self.current_base.setText(f"{fmt_money_display(base)} 元" if base is not None else "未知")
            self.current_base.setStyleSheet("font-weight: bold;")
            parts = monthly_of(entry, base, self.hub.session.policy)
            ratios = f"（单位 {entry.unit_ratio}%，个人 {entry.person_ratio}%）" if parts else ""
            self.current_monthly.setText(monthly_text(parts) + ratios if parts else "未知")
            self.current_monthly.setStyleSheet("")
        self._show_preview()

    def _show_preview(self) -> None:
        entry = self.picker.entry
        try:
            base = parse_money(self.new_base.text())
        except (MoneyError, TypeError, ValueError, ArithmeticError):
            base = None
        parts = monthly_of(entry, base, self.hub.session.policy) if base is not None and base > 0 else None
        if parts is None:
            if not self.new_base.isEnabled():     # outside the adjustment month (the notice says so)
                text = "不在基数调整月份，不能填写调整后缴存基数"
            elif entry is None or not self.new_base.text().strip():
                text = "选择职工并填写调整后缴存基数后自动计算"
            else:
                text = "请填写正确的金额，如5000.00"
            self.preview.setText(text)
            self.preview.setStyleSheet(GREY)
            return
        old = monthly_of(entry, current_base(entry), self.hub.session.policy)
        change = ""
        if old is not None and old.total != parts.total:
            diff = parts.total - old.total
            change = f"（{'增加' if diff > 0 else '减少'} {fmt_money_display(abs(diff))} 元）"
        self.preview.setText(monthly_text(parts) + change)
        self.preview.setStyleSheet(BLUE)

    # -- blocked outside the adjustment month -----------------------------------------------------------
    def set_blocked(self, blocked: bool) -> None:
        super().set_blocked(blocked)
        self.new_base.setEnabled(not blocked)
        self._show_preview()

    # -- 录入清册 ---------------------------------------------------------------------------------------
    def values(self) -> dict[str, str]:
        return {"person_account": self.picker.account(), "new_base": self.new_base.text()}

    @property
    def cleared(self) -> tuple[QLineEdit, ...]:
        return (self.new_base,)

    def entered_text(self, row: dict) -> str:
        if not row["old_base"]:
            return ENTERED
        return (f"{row['name']}（个人账号{row['person_account']}）{ENTERED}：缴存基数 "
                f"{fmt_money_display(parse_money(row['old_base']))} → "
                f"{fmt_money_display(parse_money(row['new_base']))} 元")

    def submit(self) -> dict | None:
        if not self.enter_button.isEnabled():   # outside the adjustment month (Enter in 调整后缴存基数 too)
            return None
        return super().submit()
