"""汇缴核定 (SPEC 4.5): the next payable month, its headcount and amount, the breakdown 上月 / 本月增加 /
本月减少 / 本月汇缴 with the people behind each difference, a choice of 1..N consecutive months (at most the
policy's max, never beyond the business month), 【汇缴核定】 (signed on the UKey) → "核定成功", and the sheet
moves on to the next month. The centre's message arrives in 消息 by itself."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from client.errors import ApiError, CentreUnreachable, SessionExpired
from client.remittance import AssessmentPending, NextRemittance, month_label
from services.chinese_amount import chinese_amount
from services.money import fmt_money_display
from ui.errors import message_for
from ui.modules.employee_kit.dialogs import confirm, scrolling
from ui.ops import Op, Reload
from ui.widgets import InlineMessage

ASSESSED = "核定成功"
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _cell(text: str, right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if right:
        item.setTextAlignment(RIGHT)
    return item


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    return table


def _value(name: str) -> QLabel:
    label = QLabel("—")
    label.setObjectName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("formLabel")
    return label


class AssessSheet(QWidget):
    def __init__(self, owner) -> None:
        super().__init__()
        self.owner = owner
        self.next: NextRemittance | None = None
        self.pending: dict | None = None     # {"key", "months"}: an 核定 the centre did not answer
        self.busy = False
        self.reload = Reload(self, lambda: self.owner.client().next(), self.show_next, self._load_failed)
        self.month = _value("nextMonth")
        self.headcount = _value("headcount")
        self.amount = _value("amount")
        self.split = _value("amountSplit")
        self.split.setObjectName("hint")
        self.breakdown = _table(["项目", "人数", "金额（元）"], "breakdownTable")
        self.breakdown.setRowCount(4)
        self.breakdown.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.breakdown.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.breakdown.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.people = _table(["项目", "个人账号", "姓名", "原因", "金额（元）"], "peopleTable")
        header = self.people.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.people.setMinimumHeight(120)
        self.people_hint = QLabel("变动明细（造成本月增加、本月减少的职工）")
        self.people_hint.setObjectName("peopleCaption")
        self.people_hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.months = QSpinBox()
        self.months.setObjectName("monthCount")
        self.months.setSuffix(" 个月")
        self.months.setMinimum(1)
        self.months.setMaximum(1)
        self.months.setFixedWidth(110)
        self.months.valueChanged.connect(lambda _v: self._show_choice())
        self.range = _value("monthRange")
        self.total = _value("total")
        self.total_words = _value("totalWords")
        self.total_words.setObjectName("hint")
        self.assess_button = QPushButton("汇缴核定")
        self.assess_button.setObjectName("primary")
        self.assess_button.setEnabled(False)
        self.assess_button.setMinimumWidth(140)
        self.assess_button.clicked.connect(lambda: self.submit())
        self.message = InlineMessage()

        top = QGroupBox("本次汇缴")
        grid = QGridLayout(top)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        cells = [(0, 0, "汇缴年月", self.month), (0, 1, "缴存人数", self.headcount), (0, 2, "月缴存额", self.amount),
                 (1, 0, "其中", self.split), (2, 0, "核定月数", self.months), (2, 1, "核定年月", self.range),
                 (3, 0, "核定金额合计", self.total), (3, 1, "金额大写", self.total_words)]
        for row, col, text, widget in cells:
            span = 5 if (row, col) == (1, 0) else 3 if col == 1 and row >= 2 else 1
            grid.addWidget(_caption(text), row, col * 2)
            grid.addWidget(widget, row, col * 2 + 1, 1, span)
        for col in (1, 3, 5):
            grid.setColumnStretch(col, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addStretch(0)
        buttons.addWidget(self.assess_button)
        grid.addLayout(buttons, 4, 0, 1, 6)
        explain = QGroupBox("汇缴变动情况（本月汇缴 = 上月汇缴 + 本月增加 − 本月减少）")
        sides = QHBoxLayout(explain)
        sides.setSpacing(12)
        left = QVBoxLayout()
        left.addWidget(self.breakdown)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.people_hint)
        right.addWidget(self.people, 1)
        sides.addLayout(left, 2)
        sides.addLayout(right, 3)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(top)
        layout.addWidget(explain, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(content))

    # -- loading ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.reload.run()

    def _load_failed(self, exc: BaseException) -> None:
        if isinstance(exc, (SessionExpired, CentreUnreachable)):
            self.owner.main._background_failed(exc)  # noqa: SLF001 - the window's handler
            return
        self.message.show_error(message_for(exc))

    def show_next(self, nxt: NextRemittance) -> None:
        self.next = nxt
        self.month.setText(nxt.month.display())
        self.headcount.setText(f"{nxt.headcount}人")
        self.amount.setText(f"{fmt_money_display(nxt.amount)}元")
        self.split.setText(f"单位缴存{fmt_money_display(nxt.unit_amount)}元，个人缴存{fmt_money_display(nxt.person_amount)}元")
        rows = [("上月汇缴", nxt.last), ("本月增加", nxt.added), ("本月减少", nxt.removed)]
        for r, (label, part) in enumerate(rows):
            self._breakdown_row(r, label, part.headcount, part.amount)
        self._breakdown_row(3, "本月汇缴", nxt.headcount, nxt.amount)
        self._fit_breakdown()
        people = [("本月增加", p) for p in nxt.added.people] + [("本月减少", p) for p in nxt.removed.people]
        self.people.setRowCount(len(people))
        for r, (side, p) in enumerate(people):
            sign = "+" if side == "本月增加" else "−"
            for c, (text, right) in enumerate([(side, False), (p.person_account, False), (p.name, False),
                                               (p.reason_label, False), (f"{sign}{fmt_money_display(p.amount)}", True)]):
                self.people.setItem(r, c, _cell(text, right))
        self.people_hint.setText(f"变动明细：本月增加{len(nxt.added.people)}项、本月减少{len(nxt.removed.people)}项"
                                 if people else "变动明细：与上月相比没有人员或基数变动")
        most = nxt.choosable
        self.months.blockSignals(True)
        self.months.setMaximum(max(1, most))
        self.months.setValue(min(self.months.value(), max(1, most)))
        self.months.blockSignals(False)
        self.months.setEnabled(most > 1)
        self.months.setToolTip(f"一次最多核定{nxt.max_months}个月，且不能晚于当前业务年月{nxt.latest_month.display()}")
        self._show_choice()

    def _fit_breakdown(self) -> None:
        """Exactly the four rows: no scroll bar, no empty space."""
        table = self.breakdown
        table.resizeRowsToContents()
        rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
        table.setFixedHeight(table.horizontalHeader().sizeHint().height() + rows + 2 * table.frameWidth())

    def _breakdown_row(self, r: int, label: str, headcount: int, amount) -> None:
        for c, (text, right) in enumerate([(label, False), (f"{headcount}", True), (fmt_money_display(amount), True)]):
            item = _cell(text, right)
            if r == 3:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.breakdown.setItem(r, c, item)

    def _show_choice(self) -> None:
        nxt = self.next
        if nxt is None:
            return
        if nxt.choosable == 0:
            self.range.setText(f"{nxt.month.display()}晚于当前业务年月{nxt.latest_month.display()}，暂不能核定")
            self.total.setText("—")
            self.total_words.setText("")
            self.assess_button.setEnabled(False)
            return
        count = self.months.value()
        months = nxt.months(count)
        last = month_label(months[-1])
        self.range.setText(nxt.month.display() + (f" 至 {last}（共{count}个月）" if count > 1 else "（1个月）")
                           + f"　最多可选{nxt.choosable}个月")
        total = nxt.total(count)
        self.total.setText(f"{fmt_money_display(total)}元")
        self.total_words.setText(f"大写：{chinese_amount(total)}")
        self.assess_button.setEnabled(not self.busy)

    # -- 汇缴核定 ---------------------------------------------------------------------------------------
    def submit(self, *, ask=confirm) -> None:
        nxt = self.next
        if self.busy or nxt is None:
            return
        if self.pending:
            text = "上次的汇缴核定尚未得到公积金中心确认，现在重新发送吗？（同一笔提交，不会重复核定）"
            if not ask(self, "汇缴核定", text, "重新发送", name="confirmAssess"):
                return
            pending = self.pending
            job = (lambda: self.owner.client().resend(pending["key"], pending["months"]))
        else:
            try:
                months = nxt.months(self.months.value())
            except Exception as exc:  # noqa: BLE001 - a ClientError with the reason
                self.message.show_error(message_for(exc))
                return
            span = month_label(months[0]) + (f"至{month_label(months[-1])}" if len(months) > 1 else "")
            text = (f"确定核定{span}的汇缴吗？共{len(months)}个月，每月{nxt.headcount}人、{fmt_money_display(nxt.amount)}元，"
                    f"合计{fmt_money_display(nxt.total(len(months)))}元。提交时将使用UKey签名。")
            if not ask(self, "汇缴核定", text, "汇缴核定", name="confirmAssess"):
                return
            job = (lambda: self.owner.client().assess(months))
        self.busy = True
        self.assess_button.setEnabled(False)
        self.message.clear_message()
        (Op(self, job).with_progress("正在使用UKey签名并提交…")
         .success(self._assessed).failure(self._failed).run())

    def _assessed(self, answer: dict) -> None:
        self.busy = False
        self.pending = None
        self.message.show_info(answer.get("message") or ASSESSED)
        self.owner.announce()          # the header, this sheet (next month) and 汇缴核定查询 refresh

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self._show_choice()
        if isinstance(exc, AssessmentPending):
            self.pending = {"key": exc.key, "months": exc.months}
            self.message.show_error(exc.message)
            self.owner.main._background_failed(CentreUnreachable())  # noqa: SLF001 - the offline banner
            return
        if isinstance(exc, SessionExpired):
            self.owner.main._background_failed(exc)  # noqa: SLF001 - back to the login window
            return
        if isinstance(exc, ApiError):
            self.pending = None      # settled at the centre (refused): a new 核定 may follow
            self.refresh()
        self.message.show_error(message_for(exc))
