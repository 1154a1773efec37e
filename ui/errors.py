"""The one error handler: three kinds of error, one place that decides what the clerk sees.

The kinds come from ``client.errors.ErrorKind``:
- an error meant for the clerk (ClientError, hsm TokenError): its Chinese ``.message``;
- a cancellation (``client.errors.Cancelled``): nothing;
- anything else: logged with its traceback to the log file, a short generic sentence on screen.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

log = logging.getLogger("gjj_desk.ui")

GENERIC_MESSAGE = "操作失败，请重试；如多次出现请联系管理员（详见日志）"


def message_for(exc: BaseException) -> str | None:
    """The sentence to show for ``exc`` (None for a cancellation); logs what was not meant for the clerk."""
    from client.errors import ErrorKind  # noqa: PLC0415 - not needed until something fails

    kind = ErrorKind.of(exc)
    if kind is ErrorKind.CANCELLED:
        return None
    if kind is ErrorKind.USER:
        return getattr(exc, "message", None) or str(exc) or GENERIC_MESSAGE
    log.error("未预期的错误：%r", exc, exc_info=(type(exc), exc, exc.__traceback__))
    return GENERIC_MESSAGE


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """The default failure handler of every background operation (ui.ops)."""
    message = message_for(exc)
    if message is None:
        return
    box = QMessageBox(parent)
    box.setObjectName("errorBox")
    box.setIcon(QMessageBox.Icon.Critical if message == GENERIC_MESSAGE else QMessageBox.Icon.Warning)
    box.setWindowTitle("提示")
    box.setText(message)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.button(QMessageBox.StandardButton.Ok).setText("确定")
    box.exec()
