"""End to end, all real: `gjj-centre serve` (init --demo), SoftHSM UKeys issued by `gjj-centre issue-ukey`, the
token process, the desk's windows driven like a clerk, and the reviewer's web page in the real headless
Chromium (Playwright, /usr/bin/chromium).

- 单位信息变更 with a PDF → the reviewer approves in the browser → the clerk sees it in 已办 with the flow chart
  and the opinion, the unit's new value shows, and 客户信息变更查询 lists old → new;
- 退回 → 待办 → 结束流程; another 退回 → 修改后重新提交 (the tab opens with it loaded) → pending again;
- 自主开户 from the login window → approved → `gjj-centre issue-ukey` → the new operator logs in.

The fixtures are those of tests/gui/test_login_e2e.py (one centre for the module, a SoftHSM store per test)."""

from __future__ import annotations

import httpx
from playwright.sync_api import expect
from stdnum.cn import uscc as uscc_check

from hsm.provision import init_softhsm_token
from tests.gui.conftest import desk_home, memory_keyring  # noqa: F401 - autouse: a private desk home, no keyring
from tests.gui.support import log_in, type_login
from tests.gui.test_login_e2e import _credentials, real_centre, real_desk, softhsm, ukey  # noqa: F401 - fixtures
from tests.gui.test_registration import fill as fill_registration
from tests.gui.test_tasks_helpers import PDF, click_box_button, in_dialog, message_box, visible, when_visible
from tests.integration.hsm_fixtures import TEST_PIN, TEST_SO_PIN
from tests.integration.test_review_page_browser import browser  # noqa: F401 - fixture: headless Chromium
from tests.support.centre import issue_ukey
from ui.modules.unit_change.scan import ScanDialog
from ui.modules.unit_change.success import SubmittedDialog
from ui.registration.dialog import RegistrationDialog
from ui.registration.status import RegistrationStatusDialog
from ui.tasks.detail import ApplicationDetailDialog

NEW_ADDRESS = "示范市滨江区网商路699号"
OPINION = "材料齐全，同意变更"


def _tab(qtbot, desk, real_centre):
    main = log_in(qtbot, desk, **_credentials(real_centre))
    tab = main.modules["单位信息变更"]
    qtbot.waitUntil(lambda: tab.loaded, timeout=10000)
    main.tabs.setCurrentWidget(tab)
    return main, tab


def _finish(qtbot, tab, files: list, *, expect_remote: int = 0) -> str:
    """完成办理 → 档案扫描 (add `files`) → 上传完成并提交审批 → 提交成功 (不打印); the 业务编号."""
    seen = {}

    def on_success(dialog):
        seen["no"] = dialog.findChild(object, "applicationNo").text().removeprefix("业务编号：")
        dialog.close_button.click()

    def in_scan(dialog):
        seen["remote"] = len(dialog.draft.remote)
        if files:
            dialog.add_paths([str(f) for f in files])
            qtbot.waitUntil(lambda: not dialog.busy and dialog.list.count() == len(files) + seen["remote"],
                            timeout=10000)
        when_visible(lambda: visible(SubmittedDialog), on_success)
        dialog.submit()
        qtbot.waitUntil(lambda: "no" in seen or dialog.error.isVisible(), timeout=30000)
        seen.setdefault("error", dialog.error.text() if dialog.error.isVisible() else "")
        if dialog.isVisible():
            dialog.reject()

    timer = when_visible(lambda: visible(ScanDialog), in_scan)
    tab.finish_button.click()
    timer.stop()
    assert seen.get("no"), seen.get("error")
    assert seen["remote"] == expect_remote
    return seen["no"]


def _change(qtbot, tab, field: str, value: str) -> None:
    tab.form.widgets[field].setText(value)
    tab.confirm_button.click()
    assert not tab.error.isVisible(), tab.error.text()


def _pdf(tmp_path, name: str):
    path = tmp_path / name
    path.write_bytes(PDF)
    return path


def _detail_of(qtbot, main, box: str, application_no: str, act) -> None:
    """Wait for `application_no` in the home box, click it, run act(dialog) in the 业务详情."""
    tasks = main.home.tasks[box]
    main.tabs.setCurrentIndex(0)

    def row():
        return next((i for i, a in enumerate(tasks.model.items) if a["application_no"] == application_no), None)

    qtbot.waitUntil(lambda: row() is not None, timeout=20000)
    in_dialog(lambda: visible(ApplicationDetailDialog, main),
              lambda: main.home.open_application(tasks.model.items[row()], main.home), act,
              wait=lambda done: qtbot.waitUntil(done, timeout=15000))


def _centre_api(real_centre):
    client = httpx.Client(base_url=real_centre.api, timeout=30)
    reviewer = real_centre.creds["reviewer"]
    token = client.post("/centre/login", json={"username": reviewer["username"],
                                               "password": reviewer["password"]}).json()["token"]
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def _decide(centre_api, application_no: str, decision: str, opinion: str, type_: str = "unit_info_change") -> None:
    queue = centre_api.get("/centre/applications", params={"type": type_, "status": "pending"}).json()["items"]
    application_id = next(a["id"] for a in queue if a["application_no"] == application_no)
    answer = centre_api.post(f"/centre/applications/{application_id}/decision",
                             json={"decision": decision, "opinion": opinion})
    assert answer.status_code == 200, answer.text


def test_unit_change_approved_in_the_browser_then_seen_in_done(qtbot, real_centre, ukey, real_desk, browser,  # noqa: F811
                                                               tmp_path):
    ukey(0)
    desk = real_desk(qtbot)
    main, tab = _tab(qtbot, desk, real_centre)
    old = tab.form.value("address")
    _change(qtbot, tab, "address", NEW_ADDRESS)
    number = _finish(qtbot, tab, [_pdf(tmp_path, "门牌证明.pdf")])

    page = browser.new_page(locale="zh-CN")
    reviewer = real_centre.creds["reviewer"]
    page.goto(real_centre.url + "/centre/")
    page.fill("#username", reviewer["username"])
    page.fill("#password", reviewer["password"])
    page.click("#login")
    page.click(f"text={number}")
    expect(page.locator("#changes td.new")).to_have_text(NEW_ADDRESS)
    expect(page.locator("a", has_text="门牌证明.pdf")).to_be_visible()
    page.fill("#opinion", OPINION)
    page.click("button.approve")
    expect(page.locator("#status-label")).to_have_text("已办结")

    seen = {}

    def look(dialog: ApplicationDetailDialog):
        seen["flow"] = dialog.flow.states
        seen["opinion"] = dialog.opinion.text()
        steps = dialog.steps
        seen["steps"] = [[steps.item(r, c).text() for c in range(4)] for r in range(steps.rowCount())]
        seen["signed"] = dialog.findChild(object, "signatureInfo").text("state")

    _detail_of(qtbot, main, "done", number, look)  # the approval's message brings it (polled every 2 s)
    assert seen["flow"] == [("经办人提交", "done"), ("中心初审", "done"), ("办结", "current")]
    assert seen["opinion"] == f"中心审批意见：{OPINION}"
    assert seen["steps"][1][0] == "中心初审" and seen["steps"][1][2:] == ["审核通过", OPINION]
    assert seen["signed"] == "已使用UKey签名，中心验签通过"
    # the approval reloads the unit ("unit"): the new value is what the window now shows as current
    qtbot.waitUntil(lambda: tab.form.value("address") == NEW_ADDRESS, timeout=10000)
    assert tab.form.widgets["address"].property("mark") == ""
    qtbot.waitUntil(lambda: main.unit_info.text("address") == NEW_ADDRESS, timeout=10000)  # the home header
    changes = main.api.request("GET", "/unit/changes")["items"]
    assert (changes[0]["item"], changes[0]["old"], changes[0]["new"]) == ("单位地址", old, NEW_ADDRESS)


def test_returned_then_ended_and_another_edited_and_resubmitted(qtbot, real_centre, ukey, real_desk, tmp_path):  # noqa: F811
    ukey(0)
    desk = real_desk(qtbot)
    main, tab = _tab(qtbot, desk, real_centre)
    centre_api = _centre_api(real_centre)
    _change(qtbot, tab, "postcode", "310099")
    first = _finish(qtbot, tab, [_pdf(tmp_path, "证明一.pdf")])
    _decide(centre_api, first, "return", "请补充房产证明")

    seen = {}

    def end(dialog: ApplicationDetailDialog):
        seen["current"] = dialog.flow.current
        when_visible(message_box, lambda box: seen.setdefault("asked", click_box_button(box, "结束流程")))
        when_visible(lambda: message_box() if "asked" in seen else None,
                     lambda box: seen.setdefault("ended", click_box_button(box, "确定")))
        dialog.end_button.click()
        qtbot.waitUntil(lambda: "ended" in seen, timeout=10000)

    _detail_of(qtbot, main, "todo", first, end)
    assert seen["current"] == "经办人提交"
    assert seen["ended"] == f"业务编号{first}的流程已结束"
    qtbot.waitUntil(lambda: all(a["application_no"] != first for a in main.home.tasks["todo"].model.items),
                    timeout=10000)

    main.tabs.setCurrentWidget(tab)
    _change(qtbot, tab, "postcode", "310088")
    second = _finish(qtbot, tab, [_pdf(tmp_path, "证明二.pdf")])
    _decide(centre_api, second, "return", "邮政编码有误，请核对")

    def resubmit(dialog: ApplicationDetailDialog):
        dialog.resubmit_button.click()

    _detail_of(qtbot, main, "todo", second, resubmit)
    assert main.tabs.currentWidget() is tab
    assert tab.banner.isVisible() and "邮政编码有误，请核对" in tab.banner.text()
    assert tab.form.value("postcode") == "310088"
    _change(qtbot, tab, "postcode", "310077")
    assert _finish(qtbot, tab, [], expect_remote=1) == second  # the same application, its file kept
    shown = main.api.request("GET", "/applications", params={"box": "initiated", "status": "pending"})["items"]
    resubmitted = next(a for a in shown if a["application_no"] == second)
    detail = main.api.request("GET", f"/applications/{resubmitted['id']}")
    assert detail["payload"]["changes"][0]["new"] == "310077"
    assert detail["steps"][-1]["decision"] == "resubmit" and detail["signature"]["version"] == 2
    _decide(centre_api, second, "approve", "同意")  # leave the unit with nothing in flight


def test_self_registration_approved_then_the_operator_logs_in(qtbot, real_centre, softhsm, real_desk, tmp_path):  # noqa: F811
    label = "NEWUNIT"
    init_softhsm_token(label, TEST_PIN, TEST_SO_PIN)  # the UKey the centre will issue onto, still blank
    desk = real_desk(qtbot)
    window = desk.login_window
    body = "91330106MA2K" + "7Q3N8P"[:5]
    uscc = body + uscc_check.calc_check_digit(body)
    licence = _pdf(tmp_path, "营业执照.pdf")
    seen = {}

    def register(dialog: RegistrationDialog):
        fill_registration(dialog, str(licence), uscc=uscc)
        dialog.form.set_value("operator.login_name", "xinxing01")
        dialog.submit_button.click()
        qtbot.waitUntil(lambda: dialog.stack.currentIndex() == 1 or dialog.error.isVisible(), timeout=20000)
        seen["error"] = dialog.error.text() if dialog.error.isVisible() else ""
        seen["info"] = dialog.result_info
        dialog.done_home_button.click()

    timer = when_visible(lambda: visible(RegistrationDialog), register)
    qtbot.mouseClick(window.register_button, _left())
    timer.stop()
    assert seen["info"], seen["error"]
    number, code = seen["info"]["application_no"], seen["info"]["query_code"]

    _decide(_centre_api(real_centre), number, "approve", "同意开户", type_="registration")

    def status(dialog: RegistrationStatusDialog):
        qtbot.waitUntil(lambda: dialog.result.isVisible() or dialog.error.isVisible(), timeout=10000)
        seen["status"] = {k: dialog.result.text(k) for k in ("status_label", "unit_account", "login_name", "opinion")}
        dialog.reject()

    timer = when_visible(lambda: visible(RegistrationStatusDialog), status)
    RegistrationStatusDialog(desk, number, code, window).exec()
    timer.stop()
    assert seen["status"]["status_label"] == "已办结" and seen["status"]["login_name"] == "xinxing01"
    unit_account = seen["status"]["unit_account"]
    assert unit_account.isdigit()

    issue_ukey(real_centre.data_dir, unit_account, softhsm.module, label, TEST_PIN, env=softhsm.env,
               key_type="ec-p256")
    window.refresh_ukey()  # the same UKey, now with the unit's certificate
    qtbot.waitUntil(lambda: window.ukey.holder.text() == "证书持有人：示范市新星文化传媒有限公司", timeout=15000)
    type_login(qtbot, window, unit_account=unit_account, login_name="xinxing01", password="Start2025", pin=TEST_PIN)
    qtbot.waitUntil(lambda: desk.main_window is not None and desk.main_window.isVisible(), timeout=20000)
    main = desk.main_window
    assert main.unit_info.text("name") == "示范市新星文化传媒有限公司"
    assert main.unit_info.text("unit_account") == unit_account
    assert main.operator_info.text("name") == "李娜"


def _left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
