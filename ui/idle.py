"""Idle detection: an application-wide event filter notes every keyboard and mouse input; when none came
for the configured time, ``idle`` fires once (until the next input)."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal


_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(self, app: QObject, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self.timeout_ms = max(1, int(timeout_ms))
        self._last_input = time.monotonic()
        self._fired = False
        self._timer = QTimer(self)
        self._timer.setInterval(max(50, min(self.timeout_ms // 4, 5000)))
        self._timer.timeout.connect(self._check)

    def start(self) -> None:
        self.touch()
        self._app.installEventFilter(self)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._app.removeEventFilter(self)

    def touch(self) -> None:
        """Count as input now (also used after unlocking)."""
        self._last_input = time.monotonic()
        self._fired = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in _INPUT_EVENTS:
            self._last_input = time.monotonic()
            self._fired = False
        return False

    def _check(self) -> None:
        if not self._fired and (time.monotonic() - self._last_input) * 1000 >= self.timeout_ms:
            self._fired = True
            self.idle.emit()
