"""The main window with a fake UKey and a mock centre: the header, locking (UKey pulled, another UKey, token
process died, idle), the sound toggle, messages, 更多, the offline banner, 修改密码, 退出系统."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from client.settings import load_settings
from hsm.errors import PinIncorrect
from services.money import D
from services.policy import DEMO_POLICY
from tests.gui.support import PASSWORD, PIN, UNIT_ACCOUNT, UNIT_NAME, log_in
from ui import lock as lock_texts
from ui.messages import MessageDetailDialog, MessagesDialog


def _main(qtbot, desk):
    desk.start()
    qtbot.waitUntil(lambda: desk.watcher.state is not None and desk.watcher.state.present, timeout=3000)
    return log_in(qtbot, desk)


def _click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _unlock(qtbot, main, pin=PIN):
    main.overlay.pin.setText(pin)
    _click(qtbot, main.overlay.unlock_button)


def _later(callback, ms: int = 50):
    QTimer.singleShot(ms, callback)


def _accept_message_box(button_text: str | None = None):
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            if button_text is None:
                widget.accept()
            else:
                next(b for b in widget.buttons() if b.text() == button_text).click()
            return widget.text()
    return None


def test_header_shows_unit_account_and_operator(qtbot, desk):
    main = _main(qtbot, desk)
    assert main.unit_info.text("name") == UNIT_NAME
    assert main.unit_info.text("unit_account") == UNIT_ACCOUNT
    assert main.unit_info.text("status") == "正常"
    assert main.unit_info.text("paid_through") == "2026年05月"
    assert main.account_info.text("balance") == "1,234,567.80"
    assert main.account_info.text("monthly_total") == "56,789.00"
    assert main.account_info.text("unallocated") == "1,500.00"
    assert main.account_info.text("active_count") == "42 人"
    assert main.account_info.text("sealed_count") == "3 人"
    assert main.operator_info.text("name") == "王经办"
    assert main.operator_info.text("mobile") == "13800138000"
    assert main.operator_info.text("last_login_at").startswith("2026-06-30")
    assert main.operator_info.text("business_date") == "2026年07月01日"
    from ui.modules import module_tabs

    # 首页, then exactly the business modules that exist (no placeholder tabs)
    assert [main.tabs.tabText(i) for i in range(main.tabs.count())] == ["首页"] + [t for t, _ in module_tabs()]


def test_pulling_the_ukey_locks_at_once_and_the_same_ukey_unlocks(qtbot, desk, fake_token):
    main = _main(qtbot, desk)
    fake_token.remove()
    qtbot.waitUntil(lambda: main.overlay.isVisible(), timeout=1000)
    assert main.overlay.message.text().replace("\n", "") == lock_texts.REMOVED
    assert main.overlay.message.text().replace("\n", "") == "UKey已拔出，窗口已锁定。请重新插入UKey并输入PIN码解锁，或退出登录"
    assert not main.centralWidget().isEnabled()
    assert not main.overlay.unlock_button.isEnabled()  # no UKey: nothing to unlock with
    fake_token.insert()
    qtbot.waitUntil(lambda: main.overlay.unlock_button.isEnabled(), timeout=2000)
    _unlock(qtbot, main, pin="999999")
    qtbot.waitUntil(lambda: main.overlay.error.isVisible(), timeout=2000)
    assert main.overlay.error.text() == PinIncorrect().message
    assert main.overlay.isVisible()
    _unlock(qtbot, main)
    qtbot.waitUntil(lambda: not main.overlay.isVisible(), timeout=2000)
    assert main.centralWidget().isEnabled()
    assert fake_token.logged_in


def test_another_ukey_keeps_the_window_locked(qtbot, desk, fake_token):
    main = _main(qtbot, desk)
    fake_token.serial = "OTHER0002"
    qtbot.waitUntil(lambda: main.overlay.isVisible(), timeout=1000)
    assert main.overlay.message.text().replace("\n", "") == lock_texts.OTHER_UKEY
    assert not main.overlay.unlock_button.isEnabled()
    assert "不是登录时使用的UKey" in main.overlay.hint.text()


def test_dialogs_are_closed_when_the_window_locks(qtbot, desk, fake_token):
    main = _main(qtbot, desk)
    seen = []

    def pull_while_open():
        seen.append(any(w.isVisible() for w in main.findChildren(MessagesDialog)))
        fake_token.remove()

    _later(pull_while_open, 300)
    main.home.open_history()  # returns once the lock closed the dialog
    assert seen == [True]
    qtbot.waitUntil(lambda: main.overlay.isVisible(), timeout=1000)
    assert not any(w.isVisible() for w in main.findChildren(MessagesDialog))


def test_token_process_death_locks_and_asks_the_pin_again(qtbot, desk, fake_token):
    main = _main(qtbot, desk)
    fake_token.die()
    qtbot.waitUntil(lambda: main.overlay.isVisible(), timeout=2000)
    assert main.overlay.message.text().replace("\n", "").startswith("UKey服务进程意外退出，已重新启动")
    assert not fake_token.logged_in
    qtbot.waitUntil(lambda: main.overlay.unlock_button.isEnabled(), timeout=2000)
    _unlock(qtbot, main)
    qtbot.waitUntil(lambda: not main.overlay.isVisible(), timeout=2000)
    assert fake_token.logged_in


def test_idle_locks_and_the_pin_unlocks(qtbot, desk, fake_token):
    desk.settings.idle_lock_minutes = 0.01  # 0.6 s
    main = _main(qtbot, desk)
    qtbot.waitUntil(lambda: main.overlay.isVisible(), timeout=3000)
    assert main.overlay.message.text().replace("\n", "") == lock_texts.idle_message(0.01)
    assert "未操作" in main.overlay.message.text().replace("\n", "")
    qtbot.waitUntil(lambda: not fake_token.logged_in, timeout=2000)  # nothing can be signed while locked
    assert main.overlay.unlock_button.isEnabled()
    _unlock(qtbot, main)
    qtbot.waitUntil(lambda: not main.overlay.isVisible(), timeout=2000)
    assert fake_token.logged_in


def test_idle_timer_is_reset_by_input(qtbot, desk):
    desk.settings.idle_lock_minutes = 0.02  # 1.2 s
    main = _main(qtbot, desk)
    for _ in range(8):
        qtbot.wait(250)
        qtbot.keyClick(main.tabs, Qt.Key.Key_Right)
    assert not main.overlay.isVisible()


def test_logout_from_the_lock_returns_to_the_login_window(qtbot, desk, fake_token, centre):
    main = _main(qtbot, desk)
    fake_token.remove()
    qtbot.waitUntil(lambda: main.overlay.isVisible(), timeout=1000)
    _click(qtbot, main.overlay.logout_button)
    qtbot.waitUntil(lambda: desk.login_window.isVisible() and desk.main_window is None, timeout=3000)
    assert ("POST", "/auth/logout") in centre.calls


def test_sound_toggle_is_persisted(qtbot, desk):
    main = _main(qtbot, desk)
    assert main.sound_button.text() == "关闭音效"
    _click(qtbot, main.sound_button)
    assert main.sound_button.text() == "开启音效"
    assert load_settings().sound_enabled is False
    assert main.sound.enabled is False
    _click(qtbot, main.sound_button)
    assert main.sound_button.text() == "关闭音效"
    assert load_settings().sound_enabled is True


def test_new_message_plays_the_sound_and_shows_in_the_list(qtbot, desk, centre):
    main = _main(qtbot, desk)
    qtbot.waitUntil(lambda: main.home.messages.model.rowCount() == 10, timeout=3000)
    first_poll = main.sound.played
    centre.add_message("您的补缴申请已审批通过")
    qtbot.waitUntil(lambda: main.home.messages.model.message(0)["title"] == "您的补缴申请已审批通过", timeout=5000)
    assert main.sound.played == first_poll + 1
    index = main.home.messages.model.index(0, 0)
    assert index.data(Qt.ItemDataRole.FontRole).bold()  # unread is bold

    _click(qtbot, main.sound_button)  # sound off: a new message is silent
    centre.add_message("第二条")
    qtbot.waitUntil(lambda: main.home.messages.model.message(0)["title"] == "第二条", timeout=5000)
    assert main.sound.played == first_poll + 1


def test_the_header_follows_the_centres_business_date(qtbot, desk, centre):
    main = _main(qtbot, desk)
    assert main.operator_info.text("business_date") == "2026年07月01日"
    scopes = []
    main.changed.connect(scopes.append)
    centre.business_date = "2026-07-02"                 # midnight at the centre (or a demo's set-business-date)
    centre.add_message("日切")                           # a poll comes soon after a new message
    qtbot.waitUntil(lambda: main.operator_info.text("business_date") == "2026年07月02日", timeout=5000)
    assert main.session.business_date.isoformat() == "2026-07-02"    # what every tab reads as "today"
    assert "business_date" in scopes and "policy" not in scopes       # the same policy year

    # into the next policy year (1 July): that year's limits come with it
    centre.policy = replace(DEMO_POLICY, year=2027, version=2, base_max=D("38000.00"))
    centre.business_date = "2027-07-01"
    centre.add_message("新年度")
    qtbot.waitUntil(lambda: main.session.policy.year == 2027, timeout=5000)
    assert main.session.policy.base_max == D("38000.00") and "policy" in scopes


def test_clicking_a_message_opens_the_detail_and_marks_it_read(qtbot, desk, centre):
    main = _main(qtbot, desk)
    box = main.home.messages
    qtbot.waitUntil(lambda: box.model.rowCount() == 10, timeout=3000)
    row = next(i for i, m in enumerate(box.model.items) if not m["read"])
    message = box.model.message(row)
    details = {}

    def read_detail():
        dialog = next(w for w in main.findChildren(MessageDetailDialog) if w.isVisible())
        details.update({k: v.text() for k, v in dialog.fields.items()}, body=dialog.body.toPlainText())
        dialog.reject()

    _later(read_detail)
    rect = box.table.visualRect(box.model.index(row, 0))
    qtbot.mouseClick(box.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert details["business"] == "汇缴核定"
    assert details["channel"] == "系统推送"
    assert details["body"] == message["body"]
    assert details["created_at"]
    qtbot.waitUntil(lambda: box.model.message(row)["read"], timeout=3000)
    assert not box.model.index(row, 0).data(Qt.ItemDataRole.FontRole)
    assert ("POST", f"/messages/{message['id']}/read") in centre.calls


def test_more_shows_the_paged_history_with_an_unread_filter(qtbot, desk, centre):
    main = _main(qtbot, desk)
    seen = {}

    def browse():
        dialog = next(w for w in main.findChildren(MessagesDialog) if w.isVisible())
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 20, timeout=3000)
        seen["page1"] = dialog.page_label.text()
        _click(qtbot, dialog.next_button)
        qtbot.waitUntil(lambda: dialog.page == 2, timeout=3000)
        seen["page2_rows"] = dialog.model.rowCount()
        seen["page2"] = dialog.page_label.text()
        dialog.unread_only.setChecked(True)
        qtbot.waitUntil(lambda: dialog.page == 1 and all(not m["read"] for m in dialog.model.items), timeout=3000)
        seen["unread"] = dialog.total
        dialog.reject()

    _later(browse)
    _click(qtbot, main.home.messages.more_button)
    assert seen["page1"] == "第 1 / 2 页，共 25 条"
    assert seen["page2_rows"] == 5 and seen["page2"] == "第 2 / 2 页，共 25 条"
    assert seen["unread"] == sum(1 for m in centre.messages if not m["read"])


def test_offline_banner_comes_and_goes(qtbot, desk, centre):
    main = _main(qtbot, desk)
    assert not main.banner.isVisible()
    centre.online = False
    qtbot.waitUntil(lambda: main.banner.isVisible(), timeout=5000)
    assert main.banner.label.text() == "无法连接公积金中心服务器，正在重试…"
    centre.online = True
    qtbot.waitUntil(lambda: not main.banner.isVisible(), timeout=8000)


def test_change_password(qtbot, desk, centre):
    from ui.password_dialog import SUCCESS, ChangePasswordDialog

    main = _main(qtbot, desk)
    seen = {}

    def fill():
        dialog = next(w for w in main.findChildren(ChangePasswordDialog) if w.isVisible())
        dialog.old.setText(PASSWORD)
        dialog.new.setText("NewPassw0rd")
        dialog.confirm.setText("NewPassw0rd2")
        _click(qtbot, dialog.ok_button)
        seen["mismatch"] = dialog.error.text()
        dialog.old.setText("wrong-old1")
        dialog.confirm.setText("NewPassw0rd")
        _click(qtbot, dialog.ok_button)
        qtbot.waitUntil(lambda: dialog.error.text() != seen["mismatch"] and dialog.error.isVisible(), timeout=3000)
        seen["wrong_old"] = dialog.error.text()
        dialog.old.setText(PASSWORD)
        _later(lambda: seen.setdefault("success", _accept_message_box()), 200)
        _click(qtbot, dialog.ok_button)

    _later(fill)
    _click(qtbot, main.password_button)
    assert seen["mismatch"] == "两次输入的新密码不一致，请重新输入"
    assert seen["wrong_old"] == "原密码不正确，请重新输入"
    assert seen["success"] == SUCCESS
    assert centre.password == "NewPassw0rd"


def test_logout_asks_first_then_returns_to_login(qtbot, desk, centre, fake_token):
    main = _main(qtbot, desk)
    _later(lambda: _accept_message_box("取消"))
    _click(qtbot, main.logout_button)
    assert desk.main_window is main and main.isVisible()
    _later(lambda: _accept_message_box("退出"))
    _click(qtbot, main.logout_button)
    qtbot.waitUntil(lambda: desk.main_window is None and desk.login_window.isVisible(), timeout=3000)
    assert ("POST", "/auth/logout") in centre.calls
    assert not fake_token.logged_in
    assert desk.login_window.password.text() == "" and desk.login_window.pin.text() == ""


def test_closing_the_window_is_logging_out(qtbot, desk, centre):
    main = _main(qtbot, desk)
    _later(lambda: _accept_message_box("取消"))
    main.close()
    assert main.isVisible() and desk.main_window is main
    _later(lambda: _accept_message_box("退出"))
    main.close()
    qtbot.waitUntil(lambda: desk.main_window is None and desk.login_window.isVisible(), timeout=3000)
    assert ("POST", "/auth/logout") in centre.calls


def test_a_second_login_after_logout_works(qtbot, desk):
    main = _main(qtbot, desk)
    main.logout(confirm=False)
    qtbot.waitUntil(lambda: desk.main_window is None and desk.login_window.isVisible(), timeout=3000)
    again = log_in(qtbot, desk)
    assert again is not main and again.unit_info.text("name") == UNIT_NAME


def test_expired_session_returns_to_login_with_the_reason(qtbot, desk, centre):
    main = _main(qtbot, desk)
    original = centre.handle

    def expired(request):
        if request.url.path.endswith("/messages"):
            import httpx

            return httpx.Response(401, json={"code": "session_expired", "detail": "登录已超时，请重新登录"})
        return original(request)

    centre.handle = expired
    desk.api()._http._transport.handler = expired
    qtbot.waitUntil(lambda: desk.main_window is None and desk.login_window.isVisible(), timeout=5000)
    assert desk.login_window.error.text() == "登录已超时，请重新登录"
    assert main is not None

