"""Small shared widgets: the offline banner, label/value grids, inline message labels."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QWidget

OFFLINE_TEXT = "无法连接公积金中心服务器，正在重试…"


class OfflineBanner(QFrame):
    """Shown while the centre is unreachable; hidden again when a call gets through."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offlineBanner")
        self.label = QLabel(OFFLINE_TEXT)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 6, 16, 6)
        layout.addWidget(self.label)
        layout.addStretch(1)
        self.hide()


def form_grid(rows: list[tuple[str, QWidget]], label_width: int = 0) -> QGridLayout:
    """Label/field rows. The labels are right-aligned and centred on their field by the style sheet
    (``QLabel#formLabel``), so this needs nothing from the ``Qt`` namespace (the login window uses it)."""
    grid = QGridLayout()
    grid.setHorizontalSpacing(12)
    grid.setVerticalSpacing(12)
    for row, (text, field) in enumerate(rows):
        if text:
            label = QLabel(text)
            label.setObjectName("formLabel")
            if label_width:
                label.setMinimumWidth(label_width)
            label.setBuddy(field)
            grid.addWidget(label, row, 0)
        grid.addWidget(field, row, 1)
    grid.setColumnStretch(1, 1)
    return grid


class InfoGrid(QWidget):
    """Rows of "名称：值" pairs, ``columns`` pairs per row; values are set by key."""

    def __init__(self, fields: list[tuple[str, str]], columns: int = 1, money_keys: frozenset[str] = frozenset(),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtCore import Qt  # noqa: PLC0415 - not on the login window's start-up path

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(8)
        self.values: dict[str, QLabel] = {}
        for i, (key, title) in enumerate(fields):
            row, col = divmod(i, columns)
            name = QLabel(f"{title}：")
            name.setObjectName("fieldName")
            name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value = QLabel("—")
            value.setObjectName("moneyValue" if key in money_keys else "fieldValue")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(name, row, col * 2)
            grid.addWidget(value, row, col * 2 + 1)
            self.values[key] = value
        for col in range(columns):
            grid.setColumnStretch(col * 2 + 1, 1)

    def set(self, key: str, text: str) -> None:
        self.values[key].setText(text or "—")

    def text(self, key: str) -> str:
        return self.values[key].text()


class InlineMessage(QLabel):
    """An error (or info) sentence inside a window, hidden while empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setObjectName("errorText")
        self.hide()

    def show_error(self, text: str | None) -> None:
        self._show(text, "errorText")

    def show_info(self, text: str | None) -> None:
        self._show(text, "infoText")

    def clear_message(self) -> None:
        self._show(None, "errorText")

    def _show(self, text: str | None, name: str) -> None:
        if self.objectName() != name:
            self.setObjectName(name)
            self.style().unpolish(self)
            self.style().polish(self)
        self.setText(text or "")
        self.setVisible(bool(text))


def fmt_timestamp(value: str | dt.datetime | None) -> str:
    """An API timestamp as the clerk reads it, in local time: "2024-07-15 09:30"."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if value.tzinfo is not None:
        value = value.astimezone()
    return value.strftime("%Y-%m-%d %H:%M")


def fmt_month(value: str | None) -> str:
    """"2024-07" → "2024年07月" (what the API sends, as the clerk reads it)."""
    if not value:
        return ""
    from services.yearmonth import YearMonth, YearMonthError  # noqa: PLC0415

    try:
        return YearMonth.parse(str(value)).display()
    except YearMonthError:
        return str(value)


def fmt_date(value: str | dt.date | None) -> str:
    if not value:
        return ""
    if isinstance(value, dt.date):
        value = value.isoformat()
    text = str(value)
    if len(text) >= 10 and text[4] == "-":
        return f"{text[:4]}年{text[5:7]}月{text[8:10]}日"
    return text
