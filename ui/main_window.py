"""The main window (SPEC 4.2): the unit / account / operator header, 修改密码 · 音效 · 退出系统 at the top
right, the offline banner, one tab per business module (首页 for now), and the lock that covers it all
when the UKey is pulled or the desk is idle."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from client.errors import CentreUnreachable, SessionExpired
from client.sync import MessageSync
from services.money import D, fmt_money_display
from services.policy import policy_year_of
from ui.home import HomePage
from ui.lock import LockController, LockOverlay
from ui.login_window import APP_TITLE
from ui.ops import Op
from ui.password_dialog import ChangePasswordDialog
from ui.sound import MessageSound
from ui.widgets import InfoGrid, OfflineBanner, fmt_date, fmt_month, fmt_timestamp

if TYPE_CHECKING:
    from ui.desk import Desk

log = logging.getLogger("gjj_desk.ui")

SOUND_ON_TEXT = "关闭音效"   # shown while the sound is on: clicking turns it off
SOUND_OFF_TEXT = "开启音效"

UNIT_FIELDS = [("name", "单位名称"), ("unit_account", "单位账号"), ("status", "账户状态"), ("paid_through", "缴至年月"),
               ("address", "单位地址")]
ACCOUNT_FIELDS = [("balance", "余额（元）"), ("active_count", "缴存人数"), ("sealed_count", "封存人数"),
                  ("monthly_total", "月缴存额合计（元）"), ("unallocated", "单位未分配金额（元）")]
OPERATOR_FIELDS = [("name", "姓名"), ("mobile", "手机"), ("last_login_at", "上次登录时间"),
                   ("business_date", "业务日期")]
MONEY_KEYS = frozenset({"balance", "monthly_total", "unallocated"})


def money_text(value: Any) -> str:
    if value in (None, ""):
        return ""
    try:
        return fmt_money_display(D(str(value)))
    except (ValueError, ArithmeticError):
        return str(value)


class MainWindow(QMainWindow):
    changed = Signal(str)          # "something changed": "unit", "messages", "*"; pages refresh from it
    logged_out = Signal(object)    # the message for the login window (None after 退出系统)

    def __init__(self, desk: Desk, session, flow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.session = session
        self.flow = flow
        self.api = flow.api
        self._closing = False
        self.setObjectName("mainWindow")
        self.setWindowTitle(f"{APP_TITLE} — {session.unit_name}")
        self.resize(1280, 800)
        self.setMinimumSize(1024, 680)
        self.sound = MessageSound(desk.settings.sound_enabled, self)

        self._content = QWidget()
        self.setCentralWidget(self._content)
        outer = QVBoxLayout(self._content)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._title_band())
        self.banner = OfflineBanner()
        outer.addWidget(self.banner)
        outer.addWidget(self._info_header())
        self.tabs = QTabWidget()
        self.tabs.setObjectName("moduleTabs")
        self.tabs.setDocumentMode(False)
        self.home = HomePage(self.api, self.changed)
        self.tabs.addTab(self.home, "首页")
        from ui.modules import module_tabs  # noqa: PLC0415 - the business modules load after login

        self.modules = {}
        for title, factory in module_tabs():
            self.modules[title] = factory(self)
            self.tabs.addTab(self.modules[title], title)
        tabs_box = QVBoxLayout()
        tabs_box.setContentsMargins(12, 10, 12, 12)
        tabs_box.addWidget(self.tabs)
        outer.addLayout(tabs_box, 1)

        self.overlay = LockOverlay(self)
        self.overlay.logout_requested.connect(lambda: self.logout(confirm=False))
        self.lock = LockController(self.overlay, desk.watcher, desk.watcher.state.serial if desk.watcher.state else "",
                                   desk.settings.idle_lock_minutes, lambda pin: flow.unlock(session, pin), self)
        self.lock.locked_changed.connect(self._on_locked)

        self._started = False
        self._sync = None  # client.sync.MessageSync, made by the first poll (it opens the local store)
        self._poll_timer = QTimer(self)
        self._poll_timer.setSingleShot(True)
        self._poll_timer.timeout.connect(self._poll_messages)
        self._polling = False
        desk.reachability_changed.connect(self._show_reachable)

        self.changed.connect(self._on_changed)
        self.show_unit(session.unit)

    # -- layout -----------------------------------------------------------------------------------

    def _title_band(self) -> QFrame:
        band = QFrame()
        band.setObjectName("titleBand")
        title = QLabel(APP_TITLE)
        title.setObjectName("windowTitle")
        self.password_button = QPushButton("修改密码")
        self.sound_button = QPushButton(self._sound_text())
        self.logout_button = QPushButton("退出系统")
        for button in (self.password_button, self.sound_button, self.logout_button):
            button.setObjectName("headerButton")
        self.password_button.clicked.connect(self.change_password)
        self.sound_button.clicked.connect(self.toggle_sound)
        self.logout_button.clicked.connect(lambda: self.logout(confirm=True))
        box = QHBoxLayout(band)
        box.setContentsMargins(24, 12, 24, 12)
        box.setSpacing(10)
        box.addWidget(title)
        box.addStretch(1)
        box.addWidget(self.password_button)
        box.addWidget(self.sound_button)
        box.addWidget(self.logout_button)
        return band

    def _info_header(self) -> QFrame:
        header = QFrame()
        header.setObjectName("infoHeader")
        self.unit_info = InfoGrid(UNIT_FIELDS)
        self.account_info = InfoGrid(ACCOUNT_FIELDS, money_keys=MONEY_KEYS)
        self.operator_info = InfoGrid(OPERATOR_FIELDS)
        box = QHBoxLayout(header)
        box.setContentsMargins(12, 4, 12, 10)
        box.setSpacing(12)
        for title, grid, stretch in (("单位基本信息", self.unit_info, 4), ("账户信息", self.account_info, 3),
                                     ("经办人信息", self.operator_info, 3)):
            group = QGroupBox(title)
            inner = QVBoxLayout(group)
            inner.setContentsMargins(8, 4, 8, 4)
            inner.addWidget(grid)
            inner.addStretch(1)
            box.addWidget(group, stretch)
        return header

    # -- header data ------------------------------------------------------------------------------

    def show_unit(self, unit: dict[str, Any]) -> None:
        session = self.session
        self.unit_info.set("name", str(unit.get("name") or session.unit_name))
        self.unit_info.set("unit_account", str(unit.get("unit_account") or session.unit_account))
        status = unit.get("status")
        self.unit_info.set("status", session.dictionaries.label("unit_status", status) if status else "")
        self.unit_info.set("paid_through", fmt_month(unit.get("paid_through")))
        self.unit_info.set("address", str(unit.get("address") or ""))
        for key in ("balance", "monthly_total", "unallocated"):
            self.account_info.set(key, money_text(unit.get(key)))
        for key in ("active_count", "sealed_count"):
            value = unit.get(key)
            self.account_info.set(key, f"{value} 人" if value is not None else "")
        operator = {**(unit.get("operator") or {}), **session.operator}
        self.operator_info.set("name", str(operator.get("name") or session.operator_name))
        self.operator_info.set("mobile", str(operator.get("mobile") or ""))
        last = operator.get("last_login_at")
        self.operator_info.set("last_login_at", fmt_timestamp(last) if last else "首次登录")
        self.operator_info.set("business_date", fmt_date(session.business_date))

    def refresh_unit(self) -> None:
        """The header again after a business changed the unit, with the centre's business date."""
        Op(self, lambda: (self.api.unit(), self.api.business_date())).success(self._refreshed) \
            .failure(self._background_failed).run()

    def _refreshed(self, result: tuple[dict[str, Any], dt.date]) -> None:
        unit, business_date = result
        self.show_unit(unit)
        self.follow_business_date(business_date)

    def follow_business_date(self, day: dt.date) -> None:
        """The centre's "today" moved (a demo's set-business-date, or midnight at the centre); into another
        policy year (1 July), the limits, ratios and rounding of that year are fetched too."""
        if not self.session.follow_business_date(day):
            return
        self.operator_info.set("business_date", fmt_date(day))
        self.changed.emit("business_date")
        if policy_year_of(day) != self.session.policy.year:
            Op(self, self.api.policy).success(self._follow_policy).failure(self._background_failed).run()

    def _follow_policy(self, policy) -> None:
        if self.session.follow_policy(policy):
            self.changed.emit("policy")

    def _on_changed(self, scope: str) -> None:
        if scope in ("unit", "*"):
            self.refresh_unit()

    # -- life cycle -------------------------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._layout_overlay()
        if not self._started:
            self._start()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._layout_overlay()

    def _layout_overlay(self) -> None:
        self.overlay.setGeometry(self.rect())
        if self.overlay.isVisible():
            self.overlay.raise_()

    def _start(self) -> None:
        self._started = True
        self.lock.start()
        self.home.refresh()
        self._poll_messages()

    def shutdown(self) -> None:
        """Stop timers and watchers; the window is going away (logout or quit)."""
        self._closing = True
        self._poll_timer.stop()
        self.lock.stop()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if not self._closing:  # the window's close button is 退出系统: asked first, logged out properly
            event.ignore()
            self.logout(confirm=True)
            return
        super().closeEvent(event)

    # -- messages ---------------------------------------------------------------------------------

    def _poll_messages(self) -> None:
        if self._closing or self._polling:
            return
        self._polling = True
        Op(self, self._poll_once).success(self._polled).failure(self._poll_failed).run()

    def _poll_once(self) -> tuple[list[dict], dt.date]:
        """Background: the messages not announced before (client.sync.MessageSync, made on first use), and the
        centre's business date."""
        if self._sync is None:
            self._sync = MessageSync(self.api, self.desk.store(), self.session.unit_account,
                                     interval=self.desk.settings.message_poll_seconds)
        return self._sync.poll(), self.api.business_date()

    def _polled(self, result: tuple[list[dict], dt.date]) -> None:
        new, business_date = result
        self._polling = False
        self._show_reachable(True)
        self.follow_business_date(business_date)
        if new:
            self.sound.play()
            self.changed.emit("messages")
        self._schedule_poll()

    def _poll_failed(self, exc: BaseException) -> None:
        self._polling = False
        self._background_failed(exc)
        self._schedule_poll()

    def _schedule_poll(self) -> None:
        if not self._closing:
            seconds = self._sync.next_delay() if self._sync is not None else self.desk.settings.message_poll_seconds
            self._poll_timer.start(int(seconds * 1000))

    def _background_failed(self, exc: BaseException) -> None:
        """Failures of work the clerk did not ask for: no dialogs, the banner or a return to login."""
        if isinstance(exc, CentreUnreachable):
            self._show_reachable(False)
        elif isinstance(exc, SessionExpired):
            self._session_ended(exc.message)
        else:
            log.warning("background refresh failed: %r", exc)

    def _show_reachable(self, reachable: bool) -> None:
        self.banner.setVisible(not reachable)

    def _session_ended(self, message: str) -> None:
        if self._closing:
            return
        self.shutdown()
        Op(self.desk, self.flow.logout).run()
        self.logged_out.emit(message)
        self.close()

    # -- top right --------------------------------------------------------------------------------

    def _sound_text(self) -> str:
        return SOUND_ON_TEXT if self.desk.settings.sound_enabled else SOUND_OFF_TEXT

    def toggle_sound(self) -> None:
        enabled = not self.desk.settings.sound_enabled
        self.desk.update_settings(sound_enabled=enabled)
        self.sound.enabled = enabled
        self.sound_button.setText(self._sound_text())

    def change_password(self) -> None:
        ChangePasswordDialog(self.api, self).exec()

    def logout(self, confirm: bool = True) -> None:
        if confirm and not self._confirm_logout():
            return
        self.shutdown()
        self.overlay.set_busy(True)
        self.logout_button.setEnabled(False)
        (Op(self.desk, self.flow.logout)
         .with_progress("正在退出系统…")
         .success(lambda _r: self._logged_out())
         .failure(lambda exc: self._logged_out())
         .run())

    def _confirm_logout(self) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "退出系统", "确定要退出系统吗？",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("confirmLogout")
        box.button(QMessageBox.StandardButton.Yes).setText("退出")
        box.button(QMessageBox.StandardButton.No).setText("取消")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def _logged_out(self) -> None:
        self.logged_out.emit(None)
        self.close()

    # -- locking ----------------------------------------------------------------------------------

    def _on_locked(self, locked: bool) -> None:
        if locked:
            self._close_dialogs()
            self._content.setEnabled(False)
            self._layout_overlay()
            self.overlay.show()
            self.overlay.raise_()
            self.overlay.pin.setFocus()
        else:
            self.overlay.hide()
            self._content.setEnabled(True)
            self.changed.emit("*")

    def _close_dialogs(self) -> None:
        """Nothing stays open over a locked window (修改密码, 消息, 更多 …)."""
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()
