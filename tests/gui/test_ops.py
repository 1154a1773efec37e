"""ui.ops, the one background-operation helper, and ui.errors, the one error handler."""

from __future__ import annotations

import logging
import threading
import time

from PySide6.QtCore import Qt, QThread, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from client.errors import ApiError, Cancelled, CentreUnreachable
from hsm.errors import PinIncorrect
from ui import ops
from ui.errors import GENERIC_MESSAGE, message_for
from ui.ops import Op


def _run(qtbot, op: Op) -> None:
    op.run()
    qtbot.waitUntil(lambda: ops.active_count() == 0, timeout=3000)


def test_success_runs_on_a_worker_and_reports_on_the_gui_thread(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    seen = {}

    def work(a, b):
        seen["worker"] = threading.current_thread()
        return a + b

    def done(result):
        seen["result"] = result
        seen["callback_is_gui"] = QThread.currentThread() is QApplication.instance().thread()

    _run(qtbot, Op(parent, work, 2, 3).success(done))
    assert seen["result"] == 5
    assert seen["worker"] is not threading.main_thread()
    assert seen["callback_is_gui"]


def test_failure_callback_gets_the_exception(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    failures = []

    def work():
        raise CentreUnreachable()

    _run(qtbot, Op(parent, work).success(lambda _r: failures.append("success?")).failure(failures.append))
    assert len(failures) == 1 and isinstance(failures[0], CentreUnreachable)


def test_nothing_is_called_back_once_the_parent_is_gone(qtbot):
    parent = QWidget()
    called = []
    release = threading.Event()
    op = Op(parent, lambda: release.wait(2)).success(called.append).run()
    parent.deleteLater()
    QApplication.processEvents()
    release.set()
    qtbot.waitUntil(lambda: ops.active_count() == 0, timeout=3000)
    assert called == []
    assert op.parent is not None


def test_cancelled_operation_drops_its_result(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    called = []
    release = threading.Event()
    op = Op(parent, lambda: release.wait(2) and "late").success(called.append).failure(called.append)
    op.with_progress("正在导入…", cancellable=True).run()
    op.cancel()
    release.set()
    qtbot.waitUntil(lambda: ops.active_count() == 0, timeout=3000)
    assert called == []


def test_progress_dialog_shows_for_slow_work_and_cancel_stops_it(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    called = []

    def slow():
        while not op.cancel_event.is_set():
            time.sleep(0.01)
        raise Cancelled()

    op = Op(parent, slow).success(called.append).failure(called.append).with_progress("正在处理…", cancellable=True)
    op.run()
    qtbot.waitUntil(lambda: op._progress is not None and op._progress.isVisible(), timeout=3000)
    assert op._progress.labelText() == "正在处理…"
    cancel_button = op._progress.findChild(QPushButton)
    assert cancel_button.text() == "取消"
    qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ops.active_count() == 0, timeout=3000)
    assert called == []


def test_a_cancellable_operation_that_finishes_reports_success(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    called = []

    def slow():
        time.sleep(ops.PROGRESS_DELAY_MS / 1000 + 0.2)  # long enough for the progress dialog to show
        return "done"

    op = Op(parent, slow).success(called.append).with_progress("正在导入…", cancellable=True)
    op.run()
    qtbot.waitUntil(lambda: ops.active_count() == 0, timeout=5000)
    assert called == ["done"]


# -- the default failure handler: show_error ------------------------------------------------------------

def _default_failure_text(qtbot, exc: BaseException) -> str | None:
    """Run an op that raises ``exc`` with the default handler; return the text of the box it shows."""
    parent = QWidget()
    qtbot.addWidget(parent)
    shown = []

    def close_box():
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                shown.append(widget.text())
                widget.accept()

    def work():
        raise exc

    closer = QTimer(parent)  # dies with this test's parent: never closes another test's box
    closer.timeout.connect(close_box)
    closer.start(20)
    _run(qtbot, Op(parent, work))
    QApplication.processEvents()
    closer.stop()
    return shown[0] if shown else None


def test_user_facing_errors_show_their_chinese_message(qtbot):
    exc = ApiError(409, "conflict", "该缴存人存在未审批完成的变更业务，请待审批完成后再提交")
    assert _default_failure_text(qtbot, exc) == "该缴存人存在未审批完成的变更业务，请待审批完成后再提交"
    assert _default_failure_text(qtbot, PinIncorrect(final_try=True)) == PinIncorrect(final_try=True).message


def test_cancellation_says_nothing(qtbot):
    assert _default_failure_text(qtbot, Cancelled()) is None


def test_unexpected_errors_are_logged_and_shown_generically(qtbot, caplog):
    with caplog.at_level(logging.ERROR, logger="gjj_desk.ui"):
        text = _default_failure_text(qtbot, KeyError("row_count"))
    assert text == GENERIC_MESSAGE
    assert any(r.exc_info and isinstance(r.exc_info[1], KeyError) for r in caplog.records)
    assert "row_count" not in text


def test_message_for_classifies():
    assert message_for(Cancelled()) is None
    assert message_for(CentreUnreachable()) == CentreUnreachable().message
    assert message_for(ZeroDivisionError()) == GENERIC_MESSAGE


def test_reload_runs_one_fetch_at_a_time_and_once_more_when_asked_meanwhile(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    gate = threading.Event()
    fetched, shown, failed = [], [], []

    def fetch():
        fetched.append(len(fetched) + 1)
        gate.wait(2)
        return len(fetched)

    reload = ops.Reload(parent, fetch, shown.append, failed.append)
    reload.run()
    reload.run()   # while the first fetch runs: one more after it, not two at once
    reload.run()
    qtbot.waitUntil(lambda: fetched == [1], timeout=3000)
    gate.set()
    qtbot.waitUntil(lambda: ops.active_count() == 0 and len(shown) == 2, timeout=3000)
    assert fetched == [1, 2] and shown == [1, 2] and failed == []

    def broken():
        raise CentreUnreachable()

    reload.fetch = broken
    reload.run()
    reload.run()   # a failure drops the one asked for meanwhile: the next change asks again
    qtbot.waitUntil(lambda: ops.active_count() == 0 and bool(failed), timeout=3000)
    assert len(failed) == 1 and isinstance(failed[0], CentreUnreachable) and not reload.running
