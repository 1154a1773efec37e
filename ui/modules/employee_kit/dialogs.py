"""Small dialogs the employee tabs share: a yes/no question with the tabs' own button words, and the file
choosers (remembering the last folder for the session)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

_last_dir: list[str] = [str(Path.home())]


def confirm(parent: QWidget | None, title: str, text: str, yes: str, no: str = "取消", *,
            name: str = "confirmBox", detail: str = "") -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setObjectName(name)
    box.button(QMessageBox.StandardButton.Yes).setText(yes)
    box.button(QMessageBox.StandardButton.No).setText(no)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    if detail:
        box.setInformativeText(detail)
    return box.exec() == QMessageBox.StandardButton.Yes


def save_path(parent: QWidget | None, title: str, name: str, filters: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path(_last_dir[0]) / name), filters)
    if path:
        _last_dir[0] = str(Path(path).parent)
    return path or None


def open_path(parent: QWidget | None, title: str, filters: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, _last_dir[0], filters)
    if path:
        _last_dir[0] = str(Path(path).parent)
    return path or None


def flash_info(message, text: str, ms: int = 5000) -> None:
    """Show `text` in an InlineMessage as information and take it away after `ms` (unless replaced)."""
    from PySide6.QtCore import QTimer  # noqa: PLC0415

    message.show_info(text)
    QTimer.singleShot(ms, message, lambda: message.clear_message() if message.text() == text else None)


def scrolling(content):
    """`content` in a frameless scroll area: on a small screen the form keeps its size and the page scrolls,
    instead of squeezing the fields into each other."""
    from PySide6.QtWidgets import QFrame, QScrollArea  # noqa: PLC0415

    area = QScrollArea()
    area.setObjectName("pageScroll")
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setWidget(content)
    area.setStyleSheet("QScrollArea#pageScroll { background: transparent; }")
    area.viewport().setAutoFillBackground(False)
    content.setAutoFillBackground(False)
    return area
