"""The login window (SPEC 4.1): live UKey status, 单位账号 / 登录名 / 密码 / UKey PIN, 【登录】, 【服务器设置】.

Every refusal is shown inline in the window, in the clerk's words; nothing here decides a login — that is
``client.session.LoginFlow`` run through ``ui.ops``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hsm.errors import PinIncorrect, PinLocked
from hsm.types import TokenState
from ui.errors import message_for
from ui.ops import Op
from ui.token_watch import process_died
from ui.widgets import InlineMessage, form_grid

if TYPE_CHECKING:
    from ui.desk import Desk

EXPIRY_WARNING_DAYS = 30
APP_TITLE = "住房公积金单位网上服务大厅"
PIN_COUNT_LOW = "PIN码剩余尝试次数已不多，请谨慎输入"
PIN_FINAL_TRY = "PIN码仅剩最后一次尝试机会，再错将锁定UKey"


def read_ukey(token, serial: str | None) -> dict[str, Any]:
    """Background: the certificate and PIN flags of the UKey in ``serial`` (for the status panel)."""
    from client.session import certificate_info  # noqa: PLC0415 - pulls cryptography: not at start-up

    cert = certificate_info(token.certificate(serial))
    info = next((t for t in token.list_tokens() if t.serial == serial), None)
    return {"serial": serial, "cert": cert, "token": info}


def certificate_warning(cert, today: dt.date) -> tuple[str, str | None]:
    """("ok"|"warn"|"error", the sentence to show) for the certificate validity on ``today``."""
    until = cert.not_after.astimezone().date().isoformat()
    if today > cert.not_after.astimezone().date():
        return "error", f"证书已于{until}过期，请携带UKey到公积金中心办理证书更新"
    if today < cert.not_before.astimezone().date():
        return "error", f"证书尚未生效（{cert.not_before.astimezone().date().isoformat()}起有效），请联系公积金中心"
    days = cert.days_left(today)
    if days <= EXPIRY_WARNING_DAYS:
        when = "今天" if days == 0 else f"{days}天后"
        return "warn", f"证书将于{when}（{until}）到期，请及时到公积金中心办理证书更新"
    return "ok", None


class UKeyPanel(QFrame):
    """未检测到UKey / 已插入: label, 证书持有人, 证书有效期, and a warning when something is off."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ukeyPanel")
        self.headline = QLabel("正在检测UKey…")
        self.headline.setObjectName("ukeyHeadline")
        self.holder = QLabel()
        self.validity = QLabel()
        self.warning = QLabel()
        self.warning.setObjectName("ukeyWarning")
        self.warning.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(6)
        layout.addWidget(self.headline)
        layout.addWidget(self.holder)
        layout.addWidget(self.validity)
        layout.addWidget(self.warning)
        self.show_detecting()

    def _set_state(self, state: str) -> None:
        """The style sheet colours the panel by its ``state`` property ("ok", "warn", "error", "absent")."""
        if self.property("state") == state:
            return
        self.setProperty("state", state)
        if self.isVisible():  # not yet shown: the first polish picks it up (and start-up avoids QStyle calls)
            self.style().unpolish(self)
            self.style().polish(self)

    def _details(self, holder: str | None, validity: str | None, warning: str | None) -> None:
        self.holder.setText(f"证书持有人：{holder}" if holder else "")
        self.holder.setVisible(bool(holder))
        self.validity.setText(f"证书有效期：{validity}" if validity else "")
        self.validity.setVisible(bool(validity))
        self.warning.setText(warning or "")
        self.warning.setVisible(bool(warning))

    def show_detecting(self) -> None:
        self._set_state("absent")
        self.headline.setText("正在检测UKey…")
        self._details(None, None, None)

    def show_absent(self, error: str | None = None) -> None:
        self._set_state("error" if error else "absent")
        self.headline.setText("未检测到UKey" if not error else "无法检测UKey")
        self._details(None, None, error or "请插入本单位的UKey")

    def show_present(self, label: str) -> None:
        self._set_state("ok")
        self.headline.setText(f"已插入：{label}")
        self._details(None, None, None)

    def show_certificate(self, label: str, cert, token_info, today: dt.date) -> None:
        level, warning = certificate_warning(cert, today)
        if token_info is not None and token_info.pin_locked:
            level, warning = "error", PinLocked.default_message
        elif token_info is not None and (token_info.pin_final_try or token_info.pin_count_low):
            note = PIN_FINAL_TRY if token_info.pin_final_try else PIN_COUNT_LOW
            warning = f"{warning}；{note}" if warning else note
            level = "warn" if level == "ok" else level
        self._set_state(level)
        self.headline.setText(f"已插入：{label}")
        start = cert.not_before.astimezone().date().isoformat()
        end = cert.not_after.astimezone().date().isoformat()
        self._details(cert.holder, f"{start} 至 {end}", warning)

    def show_unreadable(self, label: str, message: str) -> None:
        self._set_state("error")
        self.headline.setText(f"已插入：{label}")
        self._details(None, None, message)


class LoginWindow(QFrame):
    """A QFrame so the style sheet paints its background. The start-up path avoids the ``Qt`` namespace
    (15 ms to import): the login window is what a start-up benchmark waits for."""

    logged_in = Signal(object, object)  # client.session.Session, client.session.LoginFlow

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.setObjectName("loginWindow")
        self.setWindowTitle(f"{APP_TITLE} — 登录")
        self.resize(980, 660)
        self.setMinimumSize(760, 600)
        self._busy = False
        self._cert_serial: str | None = None  # the UKey whose certificate the panel shows
        self._build()
        desk.watcher.state_changed.connect(self._on_token_state)
        if desk.watcher.state is not None:
            self._on_token_state(desk.watcher.state)

    # -- layout -----------------------------------------------------------------------------------

    def _build(self) -> None:
        band = QFrame()
        band.setObjectName("titleBand")
        title = QLabel(APP_TITLE)
        title.setObjectName("windowTitle")
        subtitle = QLabel("单位经办人登录")
        subtitle.setObjectName("windowSubtitle")
        band_box = QVBoxLayout(band)
        band_box.setContentsMargins(32, 18, 32, 18)
        band_box.setSpacing(4)
        band_box.addWidget(title)
        band_box.addWidget(subtitle)

        self.ukey = UKeyPanel()
        self.unit_account = QLineEdit()
        self.unit_account.setObjectName("unitAccount")
        self.unit_account.setMaxLength(20)
        self.unit_account.setPlaceholderText("插入UKey后自动带出")
        self.login_name = QLineEdit()
        self.login_name.setObjectName("loginName")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin = QLineEdit()
        self.pin.setObjectName("pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox("记住单位账号和登录名")
        self.error = InlineMessage()
        self.login_button = QPushButton("登录")
        self.login_button.setObjectName("primary")
        self.login_button.setDefault(True)
        self.login_button.setMinimumHeight(38)
        self.login_button.clicked.connect(self.submit)
        for edit in (self.unit_account, self.login_name, self.password, self.pin):
            edit.returnPressed.connect(self.submit)
        self.settings_button = QPushButton("服务器设置")
        self.settings_button.setObjectName("linkButton")
        self.settings_button.clicked.connect(self.open_settings)
        self.register_button = QPushButton("自主开户")
        self.register_button.setObjectName("linkButton")
        self.register_button.setToolTip("新开户单位在此提交开户申请、查询审批进度")
        self.register_button.clicked.connect(self.open_registration)
        self.centre_label = QLabel()
        self.centre_label.setObjectName("hint")
        self._show_centre()

        form = form_grid([("单位账号：", self.unit_account), ("登录名：", self.login_name), ("密码：", self.password),
                          ("UKey PIN码：", self.pin), ("", self.remember)])

        card = QFrame()
        card.setObjectName("card")
        card.setFixedWidth(500)
        card_box = QVBoxLayout(card)
        card_box.setContentsMargins(28, 24, 28, 20)
        card_box.setSpacing(14)
        heading = QLabel("UKey状态")
        heading.setObjectName("sectionTitle")
        card_box.addWidget(heading)
        card_box.addWidget(self.ukey)
        card_box.addSpacing(4)
        card_box.addLayout(form)
        card_box.addWidget(self.error)
        card_box.addWidget(self.login_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.centre_label, 1)
        bottom.addWidget(self.register_button)
        bottom.addWidget(self.settings_button)
        card_box.addLayout(bottom)

        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(card)
        middle.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(band)
        outer.addStretch(1)
        outer.addLayout(middle)
        outer.addStretch(2)
        self.setTabOrder(self.unit_account, self.login_name)
        self.setTabOrder(self.login_name, self.password)
        self.setTabOrder(self.password, self.pin)
        self.setTabOrder(self.pin, self.remember)
        self.setTabOrder(self.remember, self.login_button)

    def _show_centre(self) -> None:
        self.centre_label.setText(f"中心服务器：{self.desk.settings.centre_url}")

    # -- window lifecycle -------------------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._focus_first_empty()

    def load_remembered(self) -> None:
        """Fill in the remembered 单位账号 / 登录名 (keyring is slow to load: in the background)."""
        Op(self, self.desk.load_remembered).success(self._fill_remembered).failure(lambda _e: None).run()

    def _fill_remembered(self, remembered) -> None:
        if remembered.unit_account or remembered.login_name:
            self.remember.setChecked(True)
        if remembered.unit_account and not self.unit_account.text():
            self.unit_account.setText(remembered.unit_account)
        if remembered.login_name and not self.login_name.text():
            self.login_name.setText(remembered.login_name)
        self._focus_first_empty()

    def _focus_first_empty(self) -> None:
        for edit in (self.unit_account, self.login_name, self.password, self.pin):
            if not edit.text():
                edit.setFocus()
                return

    def reset_for_next_login(self, message: str | None = None) -> None:
        """Back from the main window: secrets cleared, the reason (if any) shown."""
        self.password.clear()
        self.pin.clear()
        self._set_busy(False)
        if message:
            self.error.show_info(message)
        else:
            self.error.clear_message()
        self._show_centre()
        self._focus_first_empty()

    # -- UKey status ------------------------------------------------------------------------------

    def _on_token_state(self, state: TokenState) -> None:
        if not state.present:
            self._cert_serial = None
            if process_died(state):
                self.ukey.show_detecting()
            else:
                self.ukey.show_absent(state.error)
            return
        if state.serial == self._cert_serial:
            return
        self._cert_serial = state.serial
        label = state.label or state.serial or ""
        self.ukey.show_present(label)
        (Op(self, read_ukey, self.desk.token, state.serial)
         .success(lambda info: self._show_ukey(label, info))
         .failure(lambda exc: self._ukey_unreadable(label, state.serial, exc))
         .run())

    def refresh_ukey(self) -> None:
        """Read the UKey again (its PIN flags change with every wrong PIN)."""
        self._cert_serial = None
        if self.desk.watcher.state is not None:
            self._on_token_state(self.desk.watcher.state)

    def _show_ukey(self, label: str, info: dict[str, Any]) -> None:
        if info["serial"] != self._cert_serial:
            return  # another UKey was inserted meanwhile
        cert = info["cert"]
        self.ukey.show_certificate(label, cert, info["token"], dt.date.today())
        # The UKey's unit wins over a remembered one (the centre only accepts the UKey's own unit), but never
        # over what the clerk typed (isModified: edited by hand since the last setText).
        if cert.unit_account and not self.unit_account.isModified():
            self.unit_account.setText(cert.unit_account)
            self._focus_first_empty()

    def _ukey_unreadable(self, label: str, serial: str | None, exc: BaseException) -> None:
        if serial == self._cert_serial:
            self.ukey.show_unreadable(label, message_for(exc) or "")

    # -- login ------------------------------------------------------------------------------------

    def submit(self) -> None:
        if self._busy:
            return
        self.error.clear_message()
        self._set_busy(True)
        fields = (self.unit_account.text(), self.login_name.text(), self.password.text(), self.pin.text())
        Op(self, self.desk.login, *fields).success(self._logged_in).failure(self._refused).run()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.login_button.setEnabled(not busy)
        self.login_button.setText("正在登录…" if busy else "登录")
        self.settings_button.setEnabled(not busy)

    def _logged_in(self, result) -> None:
        session, flow = result
        remember = self.remember.isChecked()
        unit_account, login_name = session.unit_account, session.login_name
        Op(self, self.desk.remember_login, remember, unit_account, login_name).failure(lambda _e: None).run()
        self.password.clear()
        self.pin.clear()
        self._set_busy(False)
        self.logged_in.emit(session, flow)

    def _refused(self, exc: BaseException) -> None:
        self._set_busy(False)
        message = message_for(exc)
        if message is None:
            return
        self.error.show_error(message)
        if isinstance(exc, (PinIncorrect, PinLocked)):
            self.refresh_ukey()
        target = self._field_for(exc)
        if target is not None:
            if target in (self.password, self.pin):
                target.clear()
            target.setFocus()

    def _field_for(self, exc: BaseException) -> QLineEdit | None:
        from client.errors import ApiError  # noqa: PLC0415 - the login window is on the start-up path

        if isinstance(exc, (PinIncorrect, PinLocked)):
            return self.pin
        field = getattr(exc, "field", None)
        if field:
            return {"unit_account": self.unit_account, "login_name": self.login_name,
                    "password": self.password, "pin": self.pin}.get(field)
        if isinstance(exc, ApiError) and exc.code == "bad_credentials":
            return self.password
        return None

    # -- 自主开户 ---------------------------------------------------------------------------------

    def open_registration(self) -> None:
        from ui.registration import open_registration  # noqa: PLC0415 - not on the start-up path

        open_registration(self.desk, self)

    # -- settings ---------------------------------------------------------------------------------

    def open_settings(self) -> None:
        from ui.settings_dialog import ServerSettingsDialog  # noqa: PLC0415

        dialog = ServerSettingsDialog(self.desk.settings, self)
        if dialog.exec() and dialog.result_settings is not None:
            self.desk.apply_settings(dialog.result_settings)
            self._show_centre()
            self._cert_serial = None
            self.ukey.show_detecting()
