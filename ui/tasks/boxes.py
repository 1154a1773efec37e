"""The task boxes of 首页 beside 消息: 待办 (returned to the unit), 已办 (finished), 我发起的 (started by this
operator) — the latest few, a click for the detail, 【更多】 for the paged, filtered history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex

from client.applications import BOXES
from ui.errors import message_for
from ui.messages import make_table
from ui.paged import HomeListBox
from ui.tasks.model import ApplicationsModel

if TYPE_CHECKING:
    from ui.home import HomePage

RECENT = 10
BOX_COLUMNS = [("title", "业务"), ("status_label", "状态"), ("updated_at", "时间")]
EMPTY_TEXT = {"todo": "暂无待办业务", "done": "暂无已办业务", "initiated": "暂无发起的业务"}


class TaskBox(HomeListBox):
    def __init__(self, box: str, home: HomePage) -> None:
        model = ApplicationsModel(BOX_COLUMNS)
        super().__init__(BOXES[box], box, model, make_table(model), EMPTY_TEXT[box],
                         lambda: home.open_task_history(box))
        self.box = box
        self.home = home
        self.loading = False
        self.count_label = self.summary

    def show_page(self, answer: dict[str, Any]) -> None:
        self.loading = False
        self.error.clear_message()
        items = answer.get("items") or []
        self.model.set_items(items)
        self.empty.setVisible(not items)
        self.table.setVisible(bool(items))
        total = int(answer.get("total") or 0)
        if self.box == "todo":
            self.count_label.setText(f"有 {total} 笔业务被退回，请修改后重新提交或结束流程" if total else "没有需要处理的业务")
        else:
            self.count_label.setText(f"共 {total} 笔" if total else "")

    def show_failure(self, exc: BaseException) -> None:
        self.loading = False
        self.error.show_error(message_for(exc))

    def _open(self, index: QModelIndex) -> None:
        self.home.open_application(self.model.application(index.row()), self)
