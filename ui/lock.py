"""Locking the main window: the UKey must stay inserted, and an idle desk locks itself.

``LockController`` decides *when* (UKey pulled, another UKey, token process died, idle) and unlocks with
the PIN on the same UKey; ``LockOverlay`` is what covers the window meanwhile.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hsm.errors import TokenProcessDied
from hsm.types import TokenState
from ui.errors import message_for
from ui.idle import IdleWatcher
from ui.ops import Op
from ui.token_watch import TokenWatcher, process_died

log = logging.getLogger("gjj_desk.ui")

REMOVED = "UKey已拔出，窗口已锁定。请重新插入UKey并输入PIN码解锁，或退出登录"
OTHER_UKEY = "插入的不是登录时使用的UKey，窗口已锁定。请插入原UKey并输入PIN码解锁，或退出登录"
PROCESS_DIED = TokenProcessDied.default_message + "。窗口已锁定，解锁后可继续办理，或退出登录"


def idle_message(minutes: float) -> str:
    amount = f"{minutes:g}分钟" if minutes >= 1 else f"{minutes * 60:g}秒"
    return f"已超过{amount}未操作，窗口已锁定。请输入UKey PIN码解锁，或退出登录"


class LockOverlay(QWidget):
    """Covers the whole main window (opaque: nothing of the unit's data shows through)."""

    unlock_requested = Signal(str)
    logout_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lockOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        card = QFrame(self)
        card.setObjectName("lockCard")
        card.setFixedWidth(520)

        title = QLabel("窗口已锁定")
        title.setObjectName("lockTitle")
        self.message = QLabel()
        self.message.setObjectName("lockMessage")
        self.message.setWordWrap(True)
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.pin = QLineEdit()
        self.pin.setObjectName("lockPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText("UKey PIN码")
        self.pin.returnPressed.connect(self._unlock)
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        self.unlock_button = QPushButton("解锁")
        self.unlock_button.setObjectName("primary")
        self.unlock_button.clicked.connect(self._unlock)
        self.logout_button = QPushButton("退出登录")
        self.logout_button.clicked.connect(self.logout_requested)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.logout_button)
        buttons.addWidget(self.unlock_button)

        box = QVBoxLayout(card)
        box.setContentsMargins(32, 28, 32, 24)
        box.setSpacing(14)
        box.addWidget(title)
        box.addWidget(self.message)
        box.addWidget(self.hint)
        pin_row = QHBoxLayout()
        pin_label = QLabel("UKey PIN码：")
        pin_row.addWidget(pin_label)
        pin_row.addWidget(self.pin, 1)
        box.addLayout(pin_row)
        box.addWidget(self.error)
        box.addLayout(buttons)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self._can_unlock = False
        self._busy = False
        self.hide()

    def set_message(self, text: str) -> None:
        """What happened, then what to do, on two lines."""
        self.message.setText(text.replace("。", "。\n", 1))

    def set_token_hint(self, can_unlock: bool, hint: str) -> None:
        self._can_unlock = can_unlock
        self.hint.setText(hint)
        self._sync_buttons()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._sync_buttons()

    def show_error(self, text: str | None) -> None:
        self.error.setText(text or "")
        self.error.setVisible(bool(text))

    def reset(self) -> None:
        self.pin.clear()
        self.show_error(None)

    def _sync_buttons(self) -> None:
        self.unlock_button.setEnabled(self._can_unlock and not self._busy)
        self.pin.setEnabled(not self._busy)
        self.logout_button.setEnabled(not self._busy)

    def _unlock(self) -> None:
        if not self.unlock_button.isEnabled():
            return
        pin = self.pin.text()
        if not pin:
            self.show_error("请输入UKey PIN码")
            return
        self.unlock_requested.emit(pin)


class LockController(QObject):
    """Locks on: UKey not present, another UKey's serial, token process died, no input for a while."""

    locked_changed = Signal(bool)

    def __init__(self, overlay: LockOverlay, watcher: TokenWatcher, serial: str, idle_minutes: float,
                 unlock: Callable[[str], None], parent: QObject | None = None) -> None:
        """``serial``: the UKey logged in with; ``unlock(pin)`` (run in the background) logs it in again."""
        super().__init__(parent)
        self._unlock_with = unlock
        self.overlay = overlay
        self.watcher = watcher
        self.serial = serial
        self.idle_minutes = idle_minutes
        self.locked = False
        self.reason = ""
        self._running = False
        self.idle = IdleWatcher(QApplication.instance(), int(idle_minutes * 60_000), self)
        self.idle.idle.connect(self.lock_idle)
        self._login_check = QTimer(self)  # a token restart the watcher did not see still drops the login
        self._login_check.setInterval(700)
        self._login_check.timeout.connect(self._check_login)
        overlay.unlock_requested.connect(self._unlock)
        watcher.state_changed.connect(self._on_state)

    @property
    def token(self):
        return self.watcher.token

    def start(self) -> None:
        self._running = True
        self.idle.start()
        self._login_check.start()
        if self.watcher.state is not None:
            self._on_state(self.watcher.state)

    def stop(self) -> None:
        self._running = False
        self.idle.stop()
        self._login_check.stop()

    # -- locking ----------------------------------------------------------------------------------

    def lock(self, reason: str) -> None:
        if self.locked:
            if reason != self.reason and reason != idle_message(self.idle_minutes):
                self.reason = reason  # a pulled UKey says more than "idle"
                self.overlay.set_message(reason)
            return
        self.locked = True
        self.reason = reason
        self.overlay.reset()
        self.overlay.set_message(reason)
        self._update_hint(self.watcher.state)
        self.locked_changed.emit(True)

    def lock_idle(self) -> None:
        if self.locked:
            return
        self.lock(idle_message(self.idle_minutes))
        token = self.token
        # The PIN is asked again: drop the token login so nothing can be signed while the desk is locked.
        Op(self, token.logout).failure(lambda exc: log.info("token logout on idle lock: %s", exc)).run()

    def _on_state(self, state: TokenState) -> None:
        if not self._running:
            return
        if not self.locked:
            reason = self._lock_reason(state)
            if reason:
                self.lock(reason)
            return
        if process_died(state):
            self.lock(PROCESS_DIED)
        elif not state.present and self.reason != PROCESS_DIED:
            self.lock(REMOVED)
        self._update_hint(state)

    def _lock_reason(self, state: TokenState) -> str | None:
        if process_died(state):
            return PROCESS_DIED
        if not state.present:
            return REMOVED
        if state.serial != self.serial:
            return OTHER_UKEY
        if not self.token.logged_in:
            return PROCESS_DIED
        return None

    def _check_login(self) -> None:
        if not self.locked and not self.token.logged_in:
            self.lock(PROCESS_DIED)

    def _update_hint(self, state: TokenState | None) -> None:
        if state is not None and state.present and state.serial == self.serial:
            self.overlay.set_token_hint(True, "已检测到登录时使用的UKey，请输入PIN码解锁。")
        elif state is not None and state.present:
            self.overlay.set_token_hint(False, f"当前插入的UKey（{state.label or state.serial}）不是登录时使用的UKey。")
        else:
            self.overlay.set_token_hint(False, "未检测到UKey，请插入登录时使用的UKey。")

    # -- unlocking --------------------------------------------------------------------------------

    def _unlock(self, pin: str) -> None:
        self.overlay.set_busy(True)
        self.overlay.show_error(None)
        Op(self.overlay, self._unlock_with, pin).success(self._unlocked).failure(self._unlock_failed).run()

    def _unlocked(self, _result: object) -> None:
        self.overlay.set_busy(False)
        self.overlay.reset()
        self.locked = False
        self.reason = ""
        self.idle.touch()
        self.locked_changed.emit(False)

    def _unlock_failed(self, exc: BaseException) -> None:
        self.overlay.set_busy(False)
        self.overlay.pin.selectAll()
        self.overlay.show_error(message_for(exc))
        self._update_hint(self.watcher.state)
