"""明细 of 汇缴核定查询: the assessment's roster (who pays that month, base and monthly parts) with the totals,
and 打印清册 (printing.roster_appendix)."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout

from client.remittance import month_label
from services.money import D, fmt_money_display
from ui.modules.remittance.assess_sheet import _cell, _table
from ui.modules.remittance.slips import roster_pdf
from ui.printing_dialogs import print_later

COLUMNS = ["序号", "个人账号", "姓名", "证件号码", "缴存基数", "单位月缴存额", "个人月缴存额", "月缴存额合计"]


class RosterDialog(QDialog):
    def __init__(self, detail: dict, owner, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("rosterDialog")
        self.detail, self.owner = detail, owner
        month = month_label(detail.get("month", ""))
        self.setWindowTitle(f"汇缴核定明细 — {month}")
        self.resize(900, 560)
        roster = detail.get("roster") or []
        head = QLabel(f"汇缴年月：{month}　　业务流水号：{detail.get('serial', '')}　　核定日期：{detail.get('assessed_on', '')}"
                      f"　　缴款期限：{detail.get('deadline', '')}")
        head.setObjectName("rosterHead")
        self.table = _table(COLUMNS, "rosterTable")
        self.table.setRowCount(len(roster))
        total = unit_total = person_total = Decimal("0")
        for r, p in enumerate(roster):
            unit_m, person_m = D(p.get("unit_monthly", "0")), D(p.get("person_monthly", "0"))
            unit_total += unit_m
            person_total += person_m
            total += unit_m + person_m
            cells = [(str(r + 1), True), (p.get("person_account", ""), False), (p.get("name", ""), False),
                     (p.get("id_number", ""), False), (fmt_money_display(D(p.get("base", "0"))), True),
                     (fmt_money_display(unit_m), True), (fmt_money_display(person_m), True),
                     (fmt_money_display(unit_m + person_m), True)]
            for c, (text, right) in enumerate(cells):
                self.table.setItem(r, c, _cell(text, right))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.totals = QLabel(f"合计：{len(roster)}人，单位月缴存额{fmt_money_display(unit_total)}元，"
                             f"个人月缴存额{fmt_money_display(person_total)}元，月缴存额合计{fmt_money_display(total)}元")
        self.totals.setObjectName("rosterTotals")
        self.print_button = QPushButton("打印清册")
        self.print_button.clicked.connect(lambda: self.print_roster())
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        close.setDefault(True)
        close.setFocus()
        self.table.setFocusPolicy(self.table.focusPolicy().NoFocus)
        buttons = QHBoxLayout()
        buttons.addWidget(self.totals, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def print_roster(self) -> None:
        print_later(self, roster_pdf, "汇缴清册", self.owner.client, self.detail,
                    self.owner.main.session.operator_name)
