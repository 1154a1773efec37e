"""A query sheet (单位信息查询, 缴存人信息查询, 部门调动查询 …): a line of conditions and 【查询】, an inline
message, the body (a table or the account figures), a count line and 【打印】. The query runs in the background
(ui.ops); the printed document is built in the background too (ui.printing_dialogs.print_later)."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from client.errors import ClientError, SessionExpired
from ui.errors import message_for
from ui.ops import Op
from ui.widgets import InlineMessage


def print_context(session) -> Any:
    from printing.model import PrintContext  # noqa: PLC0415 - reportlab only when printing

    return PrintContext(session.unit_name, session.unit_account, session.operator_name)


class QuerySheet(QWidget):
    """Subclasses give `filters`, `fetch(params)` (background), `params()` (GUI thread, ClientError when a
    condition is wrong), `show_result(result)` and `print_report()`."""

    def __init__(self, main, filters: Sequence[tuple[str, QWidget]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.main = main
        self.session = main.session
        self.queried = False
        self.busy = False
        self.query_button = QPushButton("查询")
        self.query_button.setObjectName("primary")
        self.query_button.clicked.connect(lambda: self.query())
        self.print_button = QPushButton("打印")
        self.print_button.setObjectName("printList")
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(lambda: self.print_report())
        self.count = QLabel("请设置条件后点击【查询】")
        self.count.setObjectName("hint")
        self.message = InlineMessage()
        self.extra_buttons: list[QPushButton] = []
        bar = QHBoxLayout()
        bar.setSpacing(8)
        for label, widget in filters:
            if label:
                text = QLabel(label)
                text.setObjectName("formLabel")
                bar.addWidget(text)
            bar.addWidget(widget)
            bar.addSpacing(8)
        bar.addWidget(self.query_button)
        bar.addStretch(1)
        self.bottom = QHBoxLayout()
        self.bottom.addWidget(self.count, 1)
        self.bottom.addWidget(self.print_button)
        self.body = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addLayout(self.body, 1)
        layout.addLayout(self.bottom)

    # -- to be given --------------------------------------------------------------------------------
    def params(self) -> dict:
        raise NotImplementedError

    def fetch(self, params: dict) -> Any:
        raise NotImplementedError

    def show_result(self, result: Any) -> None:
        raise NotImplementedError

    def print_report(self) -> Op | None:
        raise NotImplementedError

    # -- the query ----------------------------------------------------------------------------------
    def query(self) -> Op | None:
        if self.busy:
            return None
        try:
            params = self.params()
        except ClientError as exc:
            self.message.show_error(exc.message)
            return None
        self.busy = True
        self.query_button.setEnabled(False)
        self.message.clear_message()
        return (Op(self, self.fetch, params).with_progress("正在查询…")
                .success(self._done).failure(self._failed).run())

    def refresh(self) -> None:
        """After `changed("unit" | "*")`: the same query again, once the clerk has run one."""
        if self.queried:
            self.query()

    def _done(self, result: Any) -> None:
        self.busy = False
        self.queried = True
        self.query_button.setEnabled(True)
        self.show_result(result)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.query_button.setEnabled(True)
        if isinstance(exc, SessionExpired):
            self.main._background_failed(exc)  # noqa: SLF001 - back to the login window
            return
        text = message_for(exc)
        if text:
            self.message.show_error(text)

    def print_later(self, build: Callable[..., bytes], title: str, *args: Any) -> Op:
        from ui.printing_dialogs import print_later  # noqa: PLC0415

        return print_later(self, build, title, *args)


def count_text(rows: list, unit: str) -> str:
    return f"共 {len(rows)} {unit}" if rows else "没有符合条件的记录"
