"""The 清册 box of a tab: the table, the totals line, 【删除】 (asks first) and the tab's submit button."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from client.draft_list import REFUSED
from ui.modules.employee_kit.dialogs import confirm
from ui.modules.employee_kit.table import DraftTableModel, make_table, money_text, selected_rows
from ui.widgets import InlineMessage


class DraftPanel(QGroupBox):
    submit_clicked = Signal()

    def __init__(self, title: str, model: DraftTableModel, submit_text: str,
                 totals: Sequence[tuple[str, str]] = (), count_unit: str = "人",
                 extra_buttons: Sequence[QWidget] = (), parent: QWidget | None = None) -> None:
        """`totals`: (money key, label) pairs summed under the table."""
        super().__init__(title, parent)
        self.setObjectName("draftPanel")
        self.model = model
        self.totals = list(totals)
        self.count_unit = count_unit
        self.table = make_table(model)
        self.table.setObjectName("draftTable")
        self.summary = QLabel()
        self.summary.setObjectName("draftSummary")
        self.message = InlineMessage()
        self.delete_button = QPushButton("删除")
        self.delete_button.setObjectName("deleteRows")
        self.delete_button.clicked.connect(self.delete_selected)
        self.submit_button = QPushButton(submit_text)
        self.submit_button.setObjectName("primary")
        self.submit_button.clicked.connect(self.submit_clicked)
        bottom = QHBoxLayout()
        bottom.setSpacing(10)
        bottom.addWidget(self.summary, 1)
        for button in extra_buttons:
            bottom.addWidget(button)
        bottom.addWidget(self.delete_button)
        bottom.addWidget(self.submit_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.dataChanged):
            signal.connect(self.update_summary)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.update_summary()

    def update_summary(self, *_args) -> None:
        draft = self.model.draft
        parts = [f"共 {len(draft)} {self.count_unit}"]
        for key, label in self.totals:
            parts.append(f"{label}合计 {money_text(draft.total(key))} 元")
        refused = draft.refused_count()
        if refused:
            parts.append(f"<span style='color:#b3261e'>未通过 {refused} 行（鼠标停在行上可看原因）</span>")
        if draft.meta.get("pending"):
            parts.append("<span style='color:#8a5300'>上次提交尚未得到中心确认</span>")
        self.summary.setText("　｜　".join(parts))
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_rows = len(self.model.draft) > 0
        self.delete_button.setEnabled(has_rows and bool(selected_rows(self.table)))
        self.submit_button.setEnabled(has_rows)

    def delete_selected(self, *, ask: Callable[..., bool] = confirm) -> int:
        rows = selected_rows(self.table)
        if not rows:
            self.message.show_error("请先在清册中选择要删除的记录")
            return 0
        first = self.model.draft[rows[0]]
        who = first.get("name") or first.get("person_account") or ""
        text = (f"确定从清册中删除“{who}”这条记录吗？" if len(rows) == 1
                else f"确定从清册中删除选中的{len(rows)}条记录吗？")
        if not ask(self, "删除清册记录", text, "删除", name="confirmDelete"):
            return 0
        self.model.remove(rows)
        self.message.show_info(f"已从清册中删除{len(rows)}条记录")
        return len(rows)

    def mark_refused(self, by_row: dict[int, list[str]]) -> None:
        self.model.set_statuses({i: (REFUSED, "；".join(msgs)) for i, msgs in by_row.items()})
