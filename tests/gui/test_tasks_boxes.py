"""首页's 待办 / 已办 / 我发起的 with a fake UKey and a mock centre: the boxes fill, a click opens the detail,
结束流程 (asked first) ends a returned application and the boxes follow, 更多 pages and filters."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.gui.support import log_in
from tests.gui.test_tasks_helpers import AppsCentre, click_box_button, detail, message_box, visible, when_visible
from ui.tasks.detail import END_QUESTION, ApplicationDetailDialog
from ui.tasks.history import TasksDialog


@pytest.fixture
def centre():
    centre = AppsCentre()
    centre.add(detail(1, "approved"))
    centre.add(detail(2, "returned"))
    centre.add(detail(3, "pending"))
    return centre


def _main(qtbot, desk):
    desk.start()
    qtbot.waitUntil(lambda: desk.watcher.state is not None and desk.watcher.state.present, timeout=3000)
    return log_in(qtbot, desk)


def _click_row(qtbot, table, row: int = 0):
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_the_boxes_fill_from_the_centre(qtbot, desk):
    main = _main(qtbot, desk)
    tasks = main.home.tasks
    qtbot.waitUntil(lambda: all(not box.loading for box in tasks.values()) and tasks["initiated"].model.rowCount() == 3,
                    timeout=5000)
    assert [tasks[b].title() for b in ("todo", "done", "initiated")] == ["待办", "已办", "我发起的"]
    assert [a["id"] for a in tasks["todo"].model.items] == [2]
    assert [a["id"] for a in tasks["done"].model.items] == [1]
    assert tasks["todo"].count_label.text() == "有 1 笔业务被退回，请修改后重新提交或结束流程"
    assert tasks["todo"].model.index(0, 1).data() == "已退回"


def test_end_flow_from_todo(qtbot, desk, centre):
    main = _main(qtbot, desk)
    todo = main.home.tasks["todo"]
    qtbot.waitUntil(lambda: todo.model.rowCount() == 1, timeout=5000)
    seen = {}

    def in_detail(dialog: ApplicationDetailDialog):
        seen["buttons"] = (dialog.end_button.isVisible(), dialog.resubmit_button.isVisible())
        seen["current"] = dialog.flow.current
        when_visible(message_box, lambda box: seen.setdefault("question", click_box_button(box, "结束流程")))
        when_visible(lambda: message_box() if "question" in seen else None,
                     lambda box: seen.setdefault("done", click_box_button(box, "确定")))
        dialog.end_button.click()

    timer = when_visible(lambda: visible(ApplicationDetailDialog, main), in_detail)
    _click_row(qtbot, todo.table)
    qtbot.waitUntil(lambda: "done" in seen, timeout=5000)
    timer.stop()
    assert seen["buttons"] == (True, True)
    assert seen["current"] == "经办人提交"
    assert seen["question"] == END_QUESTION
    assert seen["done"] == "业务编号20260701000002的流程已结束"
    assert ("POST", "/applications/2/end") in centre.calls
    qtbot.waitUntil(lambda: todo.model.rowCount() == 0 and todo.empty.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: [a["id"] for a in main.home.tasks["done"].model.items] == [2, 1], timeout=5000)


def test_more_filters_by_status(qtbot, desk):
    main = _main(qtbot, desk)
    seen = {}

    def browse(dialog: TasksDialog):
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 3, timeout=3000)
        seen["all"] = dialog.page_label.text()
        dialog.status_filter.setCurrentIndex(dialog.status_filter.findData("pending"))
        dialog.search_button.click()
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=3000)
        seen["pending"] = [a["id"] for a in dialog.model.items]
        seen["columns"] = [dialog.model.headerData(c, Qt.Orientation.Horizontal) for c in range(dialog.model.columnCount())]
        dialog.reject()

    timer = when_visible(lambda: visible(TasksDialog, main), browse)
    main.home.tasks["initiated"].more_button.click()
    timer.stop()
    assert seen["all"] == "第 1 / 1 页，共 3 笔"
    assert seen["pending"] == [3]
    assert seen["columns"][:4] == ["业务编号", "业务名称", "业务内容", "状态"]
