"""The login window with a fake UKey and a mock centre: the UKey status panel, the PIN wording a SoftHSM
token cannot show (count low, final try, locked), refusals shown inline, remembering, server settings."""

from __future__ import annotations

import datetime as dt
import json
import re

from PySide6.QtCore import QTimer

from client.settings import load_settings
from hsm.errors import PinIncorrect, PinLocked
from tests.gui.support import (
    LOGIN_NAME,
    UNIT_ACCOUNT,
    UNIT_NAME,
    log_in,
    make_fake_token,
    type_login,
    wait_refusal,
)
from ui.login_window import PIN_COUNT_LOW, PIN_FINAL_TRY


def test_ukey_panel_shows_the_certificate_and_prefills_the_unit_account(qtbot, login_window):
    panel = login_window.ukey
    qtbot.waitUntil(lambda: panel.holder.isVisible(), timeout=3000)
    assert panel.headline.text() == "已插入：测试UKey"
    assert panel.holder.text() == f"证书持有人：{UNIT_NAME}"
    assert panel.validity.text().startswith("证书有效期：")
    assert " 至 " in panel.validity.text()
    assert not panel.warning.isVisible()
    assert login_window.unit_account.text() == UNIT_ACCOUNT


def test_ukey_panel_follows_removal_and_insertion(qtbot, login_window, fake_token):
    panel = login_window.ukey
    qtbot.waitUntil(lambda: panel.holder.isVisible(), timeout=3000)
    fake_token.remove()
    qtbot.waitUntil(lambda: panel.headline.text() == "未检测到UKey", timeout=3000)
    assert panel.warning.text() == "请插入本单位的UKey"
    fake_token.insert()
    qtbot.waitUntil(lambda: panel.holder.isVisible(), timeout=3000)
    assert panel.headline.text() == "已插入：测试UKey"


def _panel_with(qtbot, desk_factory, **cert_kwargs):
    desk = desk_factory(make_fake_token(**cert_kwargs))
    panel = desk.login_window.ukey
    qtbot.waitUntil(lambda: panel.holder.isVisible(), timeout=3000)
    return panel


def test_expired_and_expiring_certificates_are_warned_about(qtbot, desk_factory):
    now = dt.datetime.now(dt.timezone.utc)
    expired = _panel_with(qtbot, desk_factory, not_before=now - dt.timedelta(days=400),
                          not_after=now - dt.timedelta(days=2))
    assert expired.property("state") == "error"
    assert "过期" in expired.warning.text() and "公积金中心" in expired.warning.text()

    soon = _panel_with(qtbot, desk_factory, not_after=now + dt.timedelta(days=10))
    assert soon.property("state") == "warn"
    assert re.match(r"证书将于1[01]天后（\d{4}-\d\d-\d\d）到期，请及时到公积金中心办理证书更新", soon.warning.text())

    fine = _panel_with(qtbot, desk_factory, not_after=now + dt.timedelta(days=45))
    assert fine.property("state") == "ok" and not fine.warning.isVisible()


def test_wrong_pin_wording_counts_down_to_locked(qtbot, login_window, fake_token):
    # The fake UKey allows 6 tries: count-low at 3 left, final try at 1 left, locked at 0.
    messages = []
    for _ in range(6):
        type_login(qtbot, login_window, pin="000000")
        messages.append(wait_refusal(qtbot, login_window))
    assert messages[0] == "UKey PIN码错误，请重新输入"
    assert messages[1] == "UKey PIN码错误，请重新输入"
    assert messages[2] == PinIncorrect(count_low=True).message
    assert "剩余尝试次数已不多" in messages[2]
    assert messages[4] == PinIncorrect(count_low=True, final_try=True).message
    assert "仅剩最后一次机会" in messages[4]
    assert messages[5] == PinLocked().message
    assert "公积金中心" in messages[5]
    assert login_window.pin.text() == ""  # a wrong PIN is cleared for the next try
    assert login_window.login_button.isEnabled()
    # The status panel reads the token's flags too.
    qtbot.waitUntil(lambda: login_window.ukey.warning.text() == PinLocked().message, timeout=3000)


def test_pin_flags_show_in_the_status_panel(qtbot, desk_factory):
    token = make_fake_token()
    token.tries_left = 3
    desk = desk_factory(token)
    panel = desk.login_window.ukey
    qtbot.waitUntil(lambda: panel.warning.isVisible(), timeout=3000)
    assert panel.warning.text() == PIN_COUNT_LOW
    token.tries_left = 1
    desk.login_window.refresh_ukey()
    qtbot.waitUntil(lambda: panel.warning.text() == PIN_FINAL_TRY, timeout=3000)


def test_wrong_password_shows_remaining_attempts_then_locked(qtbot, login_window, centre):
    centre.refusals = [
        {"code": "bad_credentials", "detail": "单位账号、登录名或密码错误", "remaining_attempts": 4},
        {"code": "locked", "detail": "密码错误次数过多，账号已锁定15分钟，请稍后再试"},
    ]
    type_login(qtbot, login_window, password="wrong")
    assert wait_refusal(qtbot, login_window) == "密码错误，还可尝试4次"
    assert login_window.password.text() == ""
    assert login_window.password.hasFocus() or not login_window.isActiveWindow()
    type_login(qtbot, login_window, password="wrong")
    assert wait_refusal(qtbot, login_window) == "密码错误次数过多，账号已锁定15分钟，请稍后再试"


def test_certificate_refusals_are_shown_inline(qtbot, login_window, centre):
    for code, expected in (("certificate_not_bound", "此UKey未绑定该单位账号"),
                           ("certificate_expired", "UKey证书已过期"),
                           ("certificate_revoked", "此UKey证书已作废"),
                           ("nonce_invalid", "登录请求已失效")):
        centre.refusals = [{"code": code}]
        type_login(qtbot, login_window)
        assert wait_refusal(qtbot, login_window).startswith(expected)


def test_unreachable_centre_is_said_plainly(qtbot, login_window, centre):
    centre.online = False
    type_login(qtbot, login_window)
    assert "无法连接公积金中心服务器" in wait_refusal(qtbot, login_window)


def test_missing_fields_are_named(qtbot, login_window):
    type_login(qtbot, login_window, login_name="")
    assert wait_refusal(qtbot, login_window) == "请输入登录名"
    type_login(qtbot, login_window, pin="")
    assert wait_refusal(qtbot, login_window) == "请输入UKey PIN码"


def test_login_opens_the_main_window_and_remembers(qtbot, login_window, desk, memory_keyring):
    login_window.remember.setChecked(True)
    main = log_in(qtbot, desk)
    assert main.unit_info.text("name") == UNIT_NAME
    assert not login_window.isVisible()
    assert login_window.password.text() == "" and login_window.pin.text() == ""
    qtbot.waitUntil(lambda: memory_keyring.values.get(("gjj-desk", "login_name")) == LOGIN_NAME, timeout=3000)
    assert ("gjj-desk", "unit_account") in memory_keyring.values
    assert not any("123456" in v or "Passw0rd" in v for v in memory_keyring.values.values())


def test_remembered_values_are_filled_in(qtbot, desk_factory, memory_keyring):
    memory_keyring.values[("gjj-desk", "unit_account")] = "200200000002"
    memory_keyring.values[("gjj-desk", "login_name")] = "remembered"
    desk = desk_factory(make_fake_token(uid=None))  # a certificate without the unit's UID
    window = desk.login_window
    qtbot.waitUntil(lambda: window.login_name.text() == "remembered", timeout=3000)
    qtbot.waitUntil(lambda: window.ukey.holder.isVisible(), timeout=3000)
    assert window.unit_account.text() == "200200000002"
    assert window.remember.isChecked()


def test_the_ukeys_unit_wins_over_a_remembered_one_but_not_over_typing(qtbot, desk_factory, memory_keyring,
                                                                       fake_token):
    memory_keyring.values[("gjj-desk", "unit_account")] = "200200000002"
    desk = desk_factory(fake_token)
    window = desk.login_window
    qtbot.waitUntil(lambda: window.ukey.holder.isVisible() and window.remember.isChecked(), timeout=3000)
    assert window.unit_account.text() == UNIT_ACCOUNT
    window.unit_account.clear()
    qtbot.keyClicks(window.unit_account, "300300000003")
    fake_token.remove()
    qtbot.waitUntil(lambda: not window.ukey.holder.isVisible(), timeout=3000)
    fake_token.insert()
    qtbot.waitUntil(lambda: window.ukey.holder.isVisible(), timeout=3000)
    assert window.unit_account.text() == "300300000003"


def test_server_settings_are_saved_and_a_new_driver_restarts_the_token(qtbot, login_window, desk, tmp_path,
                                                                     monkeypatch):
    from ui.settings_dialog import ServerSettingsDialog

    driver = tmp_path / "vendor-pkcs11.so"
    driver.write_bytes(b"not really a driver")
    restarted = []
    monkeypatch.setattr(desk, "restart_token", restarted.append)

    def fill():
        dialog = next(w for w in login_window.findChildren(ServerSettingsDialog) if w.isVisible())
        dialog.url.setText("http://127.0.0.1:9999")
        dialog.driver.setText("/nonexistent/driver.so")
        dialog.accept()
        assert "找不到UKey驱动文件" in dialog.error.text()  # a bad path is refused in the dialog
        dialog.driver.setText(str(driver))
        dialog.accept()

    QTimer.singleShot(50, fill)
    login_window.open_settings()
    saved = load_settings()
    assert saved.centre_url == "http://127.0.0.1:9999"
    assert saved.pkcs11_module == str(driver)
    assert restarted == [str(driver)]
    assert login_window.centre_label.text() == "中心服务器：http://127.0.0.1:9999"


def test_plain_http_to_another_host_is_refused(qtbot, login_window):
    from ui.settings_dialog import ServerSettingsDialog

    dialog = ServerSettingsDialog(login_window.desk.settings, login_window)
    qtbot.addWidget(dialog)
    dialog.url.setText("http://gjj.example.cn")
    dialog.accept()
    assert "https" in dialog.error.text()
    assert dialog.result_settings is None
    json.dumps(login_window.desk.settings.to_json())
