"""账户信息查询 (SPEC 4.7): a date range → 期初余额, 本期增加, 本期减少, 期末余额, 单位未分配金额 (the centre's
GET /unit/account-summary), the month-end balance chart worked out from the journal, and 【打印】."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel

from client.unit_queries import SUMMARY_KEYS, AccountOverview, UnitQueries, default_range
from services.money import fmt_money_display
from ui.modules.employee_kit.query_page import DateRange
from ui.modules.unit_query.chart import BalanceChart
from ui.query_sheet import QuerySheet, print_context

LABELS = {"opening_balance": "期初余额", "increase": "本期增加", "decrease": "本期减少",
          "closing_balance": "期末余额", "unallocated": "单位未分配金额"}


class AccountSheet(QuerySheet):
    def __init__(self, main, queries: UnitQueries, parent=None) -> None:
        self.queries = queries
        self.dates = DateRange(*default_range(main.session.business_date))
        super().__init__(main, [("记账日期", self.dates)], parent)
        self.overview: AccountOverview | None = None
        self.conditions: list[tuple[str, str]] = []
        box = QFrame()
        box.setObjectName("infoGroup")
        grid = QGridLayout(box)
        grid.setContentsMargins(16, 12, 16, 12)
        grid.setHorizontalSpacing(24)
        self.figures: dict[str, QLabel] = {}
        for col, key in enumerate(SUMMARY_KEYS):
            title = QLabel(f"{LABELS[key]}（元）")
            title.setObjectName("figureTitle")
            title.setStyleSheet("color: #5f6b7a;")
            value = QLabel("—")
            value.setObjectName("figure")
            value.setStyleSheet("font-size: 18px; font-weight: 600;")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            title.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(title, 0, col)
            grid.addWidget(value, 1, col)
            grid.setColumnStretch(col, 1)
            self.figures[key] = value
        note = QLabel("期末余额 = 期初余额 + 本期增加 − 本期减少；单位未分配金额为截止日期已到账但尚未分配到个人账户的暂存款。")
        note.setObjectName("hint")
        note.setWordWrap(True)
        grid.addWidget(note, 2, 0, 1, len(SUMMARY_KEYS))
        self.chart = BalanceChart()
        self.body.addWidget(box)
        self.body.addWidget(self.chart, 1)

    def params(self) -> dict:
        start, end = self.dates.value()
        return {"day_from": start, "day_to": end}

    def fetch(self, params: dict) -> AccountOverview:
        return self.queries.account_overview(**params)

    def query(self):
        self.conditions = [("记账日期", self.dates.text())]
        return super().query()

    def show_result(self, overview: AccountOverview) -> None:
        self.overview = overview
        for key, label in self.figures.items():
            label.setText(fmt_money_display(overview.summary[key]))
        self.chart.show_points(overview.months)
        self.count.setText(f"查询期间：{self.conditions[0][1]}　｜　共 {len(overview.months)} 个月")
        self.print_button.setEnabled(True)

    def print_report(self):
        if self.overview is None:
            return None
        from printing.documents import account_summary_report  # noqa: PLC0415

        return self.print_later(account_summary_report, "单位账户信息查询", dict(self.overview.summary),
                                print_context(self.session), self.conditions)

    def figure(self, key: str) -> str:
        return self.figures[key].text()
