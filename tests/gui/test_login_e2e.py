"""End to end: a real `gjj-centre` on loopback (init --demo, serve), real SoftHSM UKeys issued by
`gjj-centre issue-ukey`, the real token process, and the real login window driven like a clerk does.

One centre for the module; every test gets its own SoftHSM store and UKey(s). The lockout test uses the
second demo unit so the first one is never locked for the others; every UKey issued for a unit revokes the
unit's earlier one, so each test issues the UKey it logs in with.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import time

import pytest

from client.api import CentreClient
from client.settings import Settings
from hsm import TokenClient
from hsm.errors import PinIncorrect
from hsm.provision import init_softhsm_token
from tests.gui.support import dispose_desk, log_in, type_login, wait_refusal
from tests.integration.hsm_fixtures import TEST_PIN, TEST_SO_PIN, delete_softhsm_token, make_softhsm
from tests.support.centre import init_centre, issue_ukey, running_centre
from ui import lock as lock_texts
from ui.desk import Desk


@pytest.fixture(scope="module")
def real_centre(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("centre")
    creds = init_centre(data_dir)
    with running_centre(data_dir) as centre:
        centre.creds = creds
        yield centre


@pytest.fixture
def softhsm(tmp_path, monkeypatch):
    return make_softhsm(tmp_path, monkeypatch)


@pytest.fixture
def ukey(real_centre, softhsm):
    """issue(unit_index, label, **issue_ukey options): a blank SoftHSM token, issued by the centre."""

    def issue(unit: int = 0, label: str = "UKEY01", **options) -> str:
        init_softhsm_token(label, TEST_PIN, TEST_SO_PIN)
        issue_ukey(real_centre.data_dir, real_centre.creds["units"][unit]["unit_account"], softhsm.module, label,
                   TEST_PIN, env=softhsm.env, **{"key_type": "ec-p256", **options})
        return label

    return issue


@pytest.fixture
def real_desk(qapp, real_centre, softhsm):
    """start() -> a Desk with the real token process and the real centre, login window shown, UKey seen."""
    desks = []

    def start(qtbot, *, idle_minutes: int = 15):
        settings = Settings(centre_url=real_centre.url, pkcs11_module=softhsm.module, idle_lock_minutes=idle_minutes,
                            message_poll_seconds=2)
        desk = Desk(settings, TokenClient(softhsm.module, env=softhsm.env))
        desk.watcher.interval = 0.2
        desks.append(desk)
        desk.start()
        qtbot.waitUntil(lambda: desk.watcher.state is not None and desk.watcher.state.present, timeout=15000)
        qtbot.waitUntil(lambda: desk.login_window.ukey.holder.isVisible()
                        or desk.login_window.ukey.warning.isVisible(), timeout=10000)
        return desk

    yield start
    for desk in desks:
        dispose_desk(qapp, desk)


def _unit(real_centre, index: int = 0) -> dict:
    return real_centre.creds["units"][index]


def _credentials(real_centre, index: int = 0, **overrides) -> dict:
    unit = _unit(real_centre, index)
    return {"unit_account": unit["unit_account"], "login_name": unit["login_name"], "password": unit["password"],
            "pin": TEST_PIN, **overrides}


def test_login_shows_the_unit_then_pulling_the_ukey_locks_within_3_seconds(qtbot, real_centre, ukey, real_desk):
    label = ukey(0, key_type="rsa2048")
    desk = real_desk(qtbot)
    window = desk.login_window
    assert window.ukey.headline.text() == f"已插入：{label}"
    holder = window.ukey.holder.text().removeprefix("证书持有人：")
    assert holder  # the centre wrote the unit's name into the certificate
    assert window.unit_account.text() == _unit(real_centre)["unit_account"]  # from the certificate's UID
    main = log_in(qtbot, desk, **_credentials(real_centre))
    assert main.unit_info.text("name") == holder
    assert main.unit_info.text("unit_account") == _unit(real_centre)["unit_account"]
    assert main.operator_info.text("name") == "张丽"
    assert main.account_info.text("balance") not in ("", "—")
    qtbot.waitUntil(lambda: main.home.messages.model.rowCount() > 0, timeout=10000)

    pulled = time.monotonic()
    delete_softhsm_token(label)
    qtbot.waitUntil(lambda: main.overlay.isVisible(), timeout=3000)
    assert time.monotonic() - pulled < 3
    assert main.overlay.message.text().replace("\n", "") == "UKey已拔出，窗口已锁定。请重新插入UKey并输入PIN码解锁，或退出登录"
    assert not main.centralWidget().isEnabled()
    assert not main.overlay.unlock_button.isEnabled()


def test_killed_token_process_is_survived(qtbot, real_centre, ukey, real_desk):
    ukey(0)
    desk = real_desk(qtbot)
    main = log_in(qtbot, desk, **_credentials(real_centre))
    old_pid = desk.token.pid
    os.kill(old_pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: main.overlay.isVisible(), timeout=5000)
    assert main.overlay.message.text().replace("\n", "") == lock_texts.PROCESS_DIED
    assert main.overlay.message.text().replace("\n", "").startswith("UKey服务进程意外退出，已重新启动")
    qtbot.waitUntil(lambda: main.overlay.unlock_button.isEnabled(), timeout=15000)  # restarted, same UKey seen
    assert desk.token.pid != old_pid
    main.overlay.pin.setText("000000")
    qtbot.mouseClick(main.overlay.unlock_button, _left())
    qtbot.waitUntil(lambda: main.overlay.error.isVisible(), timeout=10000)
    assert main.overlay.error.text().startswith("UKey PIN码错误")
    main.overlay.pin.setText(TEST_PIN)
    qtbot.mouseClick(main.overlay.unlock_button, _left())
    qtbot.waitUntil(lambda: not main.overlay.isVisible(), timeout=10000)
    assert desk.token.logged_in
    assert main.centralWidget().isEnabled()


def test_wrong_pin(qtbot, real_centre, ukey, real_desk):
    ukey(0)
    desk = real_desk(qtbot)
    type_login(qtbot, desk.login_window, **_credentials(real_centre, pin="000000"))
    message = wait_refusal(qtbot, desk.login_window, timeout=10000)
    assert message.startswith("UKey PIN码错误，请重新输入")
    assert message in {PinIncorrect().message, PinIncorrect(count_low=True).message}


def test_wrong_password_counts_down_then_locks(qtbot, real_centre, ukey, real_desk):
    ukey(1)  # the second demo unit: locking it leaves the first one usable for the other tests
    desk = real_desk(qtbot)
    window = desk.login_window
    seen = []
    for _ in range(6):
        type_login(qtbot, window, **_credentials(real_centre, 1, password="Wrong0000"))
        seen.append(wait_refusal(qtbot, window, timeout=10000))
    assert seen[:4] == [f"密码错误，还可尝试{n}次" for n in (4, 3, 2, 1)]
    for message in seen[4:]:  # the 5th wrong password locks; the 6th try is refused as locked
        assert "已锁定" in message, seen
    # Even the right password is refused while locked.
    type_login(qtbot, window, **_credentials(real_centre, 1))
    assert "锁定" in wait_refusal(qtbot, window, timeout=10000)


def test_ukey_of_another_unit(qtbot, real_centre, ukey, real_desk):
    ukey(1)
    desk = real_desk(qtbot)
    type_login(qtbot, desk.login_window, **_credentials(real_centre, 0))
    message = wait_refusal(qtbot, desk.login_window, timeout=10000)
    assert message == (f"插入的UKey属于单位账号{_unit(real_centre, 1)['unit_account']}，"
                       f"与输入的单位账号{_unit(real_centre, 0)['unit_account']}不一致，请核对")


def test_expired_certificate(qtbot, real_centre, ukey, real_desk):
    ukey(0, not_before="2020-01-01", not_after="2020-12-31")
    desk = real_desk(qtbot)
    window = desk.login_window
    assert "证书已于2020-12-31过期" in window.ukey.warning.text()
    type_login(qtbot, window, **_credentials(real_centre))
    message = wait_refusal(qtbot, window, timeout=10000)
    assert "过期" in message and "公积金中心" in message


def test_revoked_certificate(qtbot, real_centre, ukey, real_desk):
    first = ukey(0, label="UKEY-OLD")
    second = ukey(0, label="UKEY-NEW")  # re-issued onto a second UKey: the first one's certificate is revoked
    delete_softhsm_token(second)  # only the old UKey is inserted
    desk = real_desk(qtbot)
    assert desk.login_window.ukey.headline.text() == f"已插入：{first}"
    type_login(qtbot, desk.login_window, **_credentials(real_centre))
    message = wait_refusal(qtbot, desk.login_window, timeout=10000)
    assert "注销" in message or "作废" in message


def test_the_centre_is_what_the_client_talks_to(real_centre):
    """Sanity check of the fixture: the business date the window shows comes from this centre."""
    with CentreClient(real_centre.url) as api:
        assert isinstance(api.business_date(), dt.date)


def _left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
