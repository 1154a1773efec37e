"""缴存人信息变更 (SPEC 4.12) through the real tab against a real `gjj-centre` on loopback with real SoftHSM
UKeys (the fixtures of test_login_e2e.py): pick a person, change 学历 and 家庭住址, 保存 → 档案扫描 (optional)
→ the centre has a pending application with exactly those changes; a second one for the same person is
refused with the centre's sentence shown as it is; the reviewer approves through the API → GET /employees
has the new values and the change log their rows. And the widgets: locked items read-only, × removes a row,
a bad 邮政编码 never reaches the 清册, the draft surviving a restart of the desk."""
from __future__ import annotations

import httpx
from PySide6.QtCore import Qt

from tests.gui.support import log_in, wait_ops
from tests.gui.test_employees_e2e import login, settle, tab, type_text
from tests.gui.test_login_e2e import real_centre, real_desk, softhsm, ukey  # noqa: F401 - the shared fixtures
from tests.gui.test_tasks_helpers import in_dialog, visible, when_visible
from tests.integration.hsm_fixtures import TEST_PIN
from ui.modules.unit_change.scan import ScanDialog
from ui.modules.unit_change.success import SubmittedDialog

TITLE = "缴存人信息变更"
NEW_ADDRESS = "示范市滨江区江南大道88号"
IN_FLIGHT = "该缴存人存在未审批完成的变更业务，请待审批完成后再提交"


def active_people(main) -> list:
    return [e for e in main._employee_hub.roster.entries if e.status == "01"]


def pick(qtbot, page, entry) -> None:
    """Find the person the way a clerk does (typing the 个人账号) and wait for the centre's record."""
    type_text(qtbot, page.picker.edit, entry.person_account)
    assert page.picker.matches[0] == entry
    page.picker.choose(page.picker.matches[0])
    qtbot.waitUntil(lambda: page.person is not None and page.fetching is None, timeout=10000)


def rows(page) -> list[list[str]]:
    table = page.changes
    return [[table.item(r, c).text() for c in range(1, 4)] for r in range(table.rowCount())] \
        if table.isVisible() else []


def choose(page, name: str, code: str) -> None:
    combo = page.form.widgets[name]
    combo.setCurrentIndex(combo.findData(code))


def save_through_scan(qtbot, page, act) -> None:
    """【保存】 opens 档案扫描 (modal): run act(dialog) in it."""
    in_dialog(lambda: visible(ScanDialog), lambda: qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton), act)


def reviewer_token(real_centre) -> str:
    return httpx.post(real_centre.api + "/centre/login", json=real_centre.creds["reviewer"]).json()["token"]


def test_pick_change_save_then_the_reviewer_approves(qtbot, real_centre, ukey, real_desk):
    main = login(qtbot, real_centre, ukey, real_desk)
    page = tab(main, TITLE)
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    person = active_people(main)[0]
    pick(qtbot, page, person)
    assert page.form.locked["name"].text() == person.name
    assert page.form.value("education") == "" and page.form.widgets["education"].currentText() == "（未登记）"

    choose(page, "education", "10")
    type_text(qtbot, page.form.widgets["home_address"], NEW_ADDRESS)
    qtbot.mouseClick(page.enter_button, Qt.MouseButton.LeftButton)
    assert rows(page) == [["学历", "（空）", "研究生"], ["家庭住址", "（空）", NEW_ADDRESS]]
    assert page.count_label.text() == "共2项变更" and page.save_button.isEnabled()

    seen = {}

    def on_success(dialog):
        seen["number"] = dialog.findChild(object, "applicationNo").text()
        dialog.close_button.click()

    def submit_without_files(dialog):
        seen["title"] = dialog.windowTitle()
        when_visible(lambda: visible(SubmittedDialog), on_success)
        dialog.submit()
        qtbot.waitUntil(lambda: "number" in seen, timeout=20000)

    save_through_scan(qtbot, page, submit_without_files)
    assert seen["title"] == f"档案扫描（可选）— {person.name}"
    number = seen["number"].removeprefix("业务编号：")
    assert rows(page) == [] and page.draft.application_id is None
    assert page.notice.text() == f"已提交审批（业务编号{number}），中心审批通过后生效"

    token = reviewer_token(real_centre)
    queue = httpx.get(real_centre.api + "/centre/applications",
                      params={"status": "pending", "type": "employee_info_change"},
                      headers={"Authorization": f"Bearer {token}"}).json()["items"]
    (pending,) = [a for a in queue if a["application_no"] == number]
    shown = httpx.get(real_centre.api + f"/centre/applications/{pending['id']}",
                      headers={"Authorization": f"Bearer {token}"}).json()
    assert shown["payload"] == {"person_account": person.person_account, "changes": [
        {"field": "education", "old": "", "new": "10"}, {"field": "home_address", "old": "", "new": NEW_ADDRESS}]}
    assert shown["attachments"] == [] and shown["signature"]["verified"]

    # a second change for the same person while the first is pending: the centre's sentence, as it is
    type_text(qtbot, page.form.widgets["postcode"], "310012")
    qtbot.mouseClick(page.enter_button, Qt.MouseButton.LeftButton)
    assert rows(page) == [["邮政编码", "（空）", "310012"]]

    def refused(dialog):
        dialog.submit()
        qtbot.waitUntil(lambda: not dialog.busy and dialog.error.isVisible(), timeout=20000)
        seen["refusal"] = dialog.error.text()

    save_through_scan(qtbot, page, refused)
    assert seen["refusal"] == IN_FLIGHT
    assert rows(page) == [["邮政编码", "（空）", "310012"]]          # kept: the clerk may submit after approval

    decided = httpx.post(real_centre.api + f"/centre/applications/{pending['id']}/decision",
                         json={"decision": "approve", "opinion": "同意"}, headers={"Authorization": f"Bearer {token}"})
    assert decided.status_code == 200, decided.text
    (record,) = main.api.request("GET", "/employees", params={"person_account": person.person_account})["items"]
    assert (record["education"], record["home_address"], record["postcode"]) == ("10", NEW_ADDRESS, "")
    log = main.api.request("GET", "/employees/changes", params={"person_account": person.person_account})["items"]
    assert {(c["item"], c["old"], c["new"], c["channel"]) for c in log if c["item"] != "开户"} == {
        ("学历", "", "研究生", "网上服务大厅"), ("家庭住址", "", NEW_ADDRESS, "网上服务大厅")}
    # the tab reads the record again when applications change: the approved values show, the 清册 stays
    main.changed.emit("applications")
    qtbot.waitUntil(lambda: page.current.get("education") == "10", timeout=10000)
    assert page.form.widgets["education"].currentText() == "研究生"
    assert page.form.value("home_address") == NEW_ADDRESS
    assert rows(page) == [["邮政编码", "（空）", "310012"]] and page.error.isHidden()
    settle(qtbot)


def test_locked_items_remove_and_invalid_postcode(qtbot, real_centre, ukey, real_desk):
    main = login(qtbot, real_centre, ukey, real_desk)
    page = tab(main, TITLE)
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    assert not page.form.widgets["education"].isEnabled() and not page.save_button.isEnabled()
    qtbot.mouseClick(page.enter_button, Qt.MouseButton.LeftButton)      # nobody picked yet: nothing to enter
    assert rows(page) == []
    person = active_people(main)[1]
    pick(qtbot, page, person)
    for name in ("person_account", "name", "id_type", "id_number", "base", "status"):
        assert page.form.is_locked(name), name
        assert page.form.locked[name].focusPolicy() == Qt.FocusPolicy.NoFocus
    assert page.form.locked["person_account"].text() == person.person_account
    assert page.form.locked["id_number"].text() == person.id_number
    assert page.form.locked["id_type"].text() == "居民身份证"
    assert page.form.locked["status"].text() == "正常"
    assert page.form.locked["base"].text().endswith("元")

    qtbot.mouseClick(page.enter_button, Qt.MouseButton.LeftButton)
    assert page.error.text() == "未修改任何项目：请先修改需要变更的项目，再点击“录入清册”"

    type_text(qtbot, page.form.widgets["postcode"], "3100")
    type_text(qtbot, page.form.widgets["phone"], "13800138000")
    choose(page, "marital_status", "20")
    qtbot.mouseClick(page.enter_button, Qt.MouseButton.LeftButton)
    assert page.error.text() == ("固定电话格式不正确，应为区号-号码（可带分机号），如 0571-88888888\n"
                                 "邮政编码应为6位数字")
    assert page.form.widgets["postcode"].property("mark") == "error"
    assert page.form.widgets["postcode"].toolTip() == "邮政编码应为6位数字"
    assert rows(page) == []

    page.form.widgets["postcode"].setText("310012")
    page.form.widgets["phone"].setText("0571-88886666")
    page.form.widgets["family_income"].setText("12,000.5")
    qtbot.mouseClick(page.enter_button, Qt.MouseButton.LeftButton)
    assert page.error.isHidden()
    assert rows(page) == [["固定电话", "（空）", "0571-88886666"], ["邮政编码", "（空）", "310012"],
                          ["婚姻状况", "（空）", "已婚"], ["家庭月收入", "（空）", "12000.50"]]
    assert page.form.widgets["family_income"].text() == "12000.50"
    assert page.form.widgets["postcode"].property("mark") == "pending"

    qtbot.mouseClick(page.changes.remove_button(1), Qt.MouseButton.LeftButton)     # × on 邮政编码
    assert [r[0] for r in rows(page)] == ["固定电话", "婚姻状况", "家庭月收入"]
    assert page.form.value("postcode") == "" and page.form.widgets["postcode"].property("mark") == ""
    assert page.count_label.text() == "共3项变更"
    settle(qtbot)


def test_the_draft_survives_a_restart(qtbot, qapp, real_centre, ukey, real_desk):
    main = login(qtbot, real_centre, ukey, real_desk)
    page = tab(main, TITLE)
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    person = active_people(main)[2]
    pick(qtbot, page, person)
    choose(page, "title", "2")
    type_text(qtbot, page.form.widgets["home_address"], NEW_ADDRESS)
    qtbot.mouseClick(page.enter_button, Qt.MouseButton.LeftButton)
    expected = [["职称", "（空）", "中级"], ["家庭住址", "（空）", NEW_ADDRESS]]
    assert rows(page) == expected
    settle(qtbot)
    desk = main.desk
    desk.shutdown()
    main.shutdown()
    wait_ops(qapp)

    again = real_desk(qtbot)                      # same GJJ_DESK_HOME: the desk started again
    creds = real_centre.creds["units"][0]
    main2 = log_in(qtbot, again, unit_account=creds["unit_account"], login_name=creds["login_name"],
                   password=creds["password"], pin=TEST_PIN)
    page2 = tab(main2, TITLE)
    qtbot.waitUntil(lambda: page2.loaded and page2.person is not None and page2.fetching is None, timeout=15000)
    assert rows(page2) == expected
    assert page2.form.locked["name"].text() == person.name
    assert page2.form.value("title") == "2" and page2.form.value("home_address") == NEW_ADDRESS
    qtbot.waitUntil(lambda: page2.picker.account() == person.person_account, timeout=15000)
    settle(qtbot)
