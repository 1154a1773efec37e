"""End to end through the employee tabs (单位部门管理, 缴存人登记, 缴存人状态变更, 缴存人信息查询) against a real
`gjj-centre` on loopback with real SoftHSM UKeys and the real login window (the fixtures of
test_login_e2e.py): what the clerk sees, and what the centre's database then holds. One centre for the
module; each test logs in with a freshly issued UKey."""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.gui.support import log_in, wait_ops
from tests.gui.test_login_e2e import real_centre, real_desk, softhsm, ukey  # noqa: F401 - the shared fixtures
from tests.integration.hsm_fixtures import TEST_PIN

LEFT = Qt.MouseButton.LeftButton


def login(qtbot, real_centre, ukey, real_desk, unit: int = 0):
    """A logged-in main window of demo unit `unit`, its employee hub loaded."""
    ukey(unit)
    desk = real_desk(qtbot)
    creds = real_centre.creds["units"][unit]
    main = log_in(qtbot, desk, unit_account=creds["unit_account"], login_name=creds["login_name"],
                  password=creds["password"], pin=TEST_PIN)
    hub = main._employee_hub
    qtbot.waitUntil(lambda: hub.roster is not None and bool(hub.departments), timeout=15000)
    return main


def type_text(qtbot, edit, text: str) -> None:
    """Type like a clerk: keys for ASCII, the input method's commit for Chinese (QTest has no CJK keys)."""
    from PySide6.QtGui import QInputMethodEvent

    edit.setFocus()
    if text.isascii():
        qtbot.keyClicks(edit, text)
        return
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(edit, event)


def tab(main, title: str):
    widget = main.modules[title]
    main.tabs.setCurrentWidget(widget)
    return widget


def settle(qtbot, qapp=None, timeout: float = 15.0) -> None:
    """Every background operation has reported back."""
    from ui import ops

    qtbot.waitUntil(lambda: ops.active_count() == 0, timeout=int(timeout * 1000))
    wait_ops(qapp or QApplication.instance())


def answer_next_box(button_text: str, seen: list[str] | None = None) -> None:
    """Click `button_text` in the next question box that opens (it is modal: scheduled before the click
    that opens it). The box's text goes into `seen`."""
    deadline = time.monotonic() + 10

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            if seen is not None:
                seen.append(box.text())
            for button in box.buttons():
                if button.text() == button_text:
                    button.click()
                    return
            raise AssertionError(f"no button {button_text!r} in {[b.text() for b in box.buttons()]}")
        if time.monotonic() < deadline:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def centre_db(real_centre) -> sqlite3.Connection:
    path = Path(real_centre.data_dir) / "centre.db"
    assert path.exists(), list(Path(real_centre.data_dir).iterdir())
    return sqlite3.connect(path)


def server_employee(real_centre, person_account: str) -> dict | None:
    """The centre's record of a person (status, department code, base in yuan text)."""
    with centre_db(real_centre) as db:
        row = db.execute("SELECT e.name, e.status, d.code, e.base, e.id_number FROM employees e "
                         "LEFT JOIN departments d ON d.id = e.department_id WHERE e.person_account = ?",
                         (person_account,)).fetchone()
    if row is None:
        return None
    return {"name": row[0], "status": row[1], "department": row[2], "base": row[3], "id_number": row[4]}


def server_departments(real_centre, unit_account: str) -> dict[str, str]:
    with centre_db(real_centre) as db:
        rows = db.execute("SELECT d.code, d.name FROM departments d JOIN units u ON u.id = d.unit_id "
                          "WHERE u.unit_account = ?", (unit_account,)).fetchall()
    return dict(rows)


# -- 单位部门管理 ------------------------------------------------------------------------------------------
def test_departments_add_rename_refuse_delete_transfer_and_history(qtbot, real_centre, ukey, real_desk):
    main = login(qtbot, real_centre, ukey, real_desk)
    unit = real_centre.creds["units"][0]["unit_account"]
    page = tab(main, "单位部门管理")
    setup = page.setup
    assert setup.model.rowCount() == 4 and setup.model.text(0, "name") == "综合管理部"
    # add
    setup.code.setText("QA")
    setup.name.setText("质量部")
    qtbot.mouseClick(setup.add_button, LEFT)
    qtbot.waitUntil(lambda: setup.model.rowCount() == 5, timeout=10000)
    assert setup.message.text() == "已增加部门：质量部（QA）"
    assert server_departments(real_centre, unit)["QA"] == "质量部"
    # the same code again is refused before anything is sent
    setup.code.setText("QA")
    qtbot.mouseClick(setup.add_button, LEFT)
    assert setup.message.text() == "部门代码QA已存在，请使用其他代码"
    # rename the selected one
    assert setup.select("QA")
    setup.name.setText("质量保证部")
    qtbot.mouseClick(setup.rename_button, LEFT)
    qtbot.waitUntil(lambda: server_departments(real_centre, unit)["QA"] == "质量保证部", timeout=10000)
    settle(qtbot)
    # a department with people cannot be deleted: said at once, nothing asked
    assert setup.select("02")
    qtbot.mouseClick(setup.delete_button, LEFT)
    assert setup.message.text().startswith("部门“研发中心”还有") and "不能撤销" in setup.message.text()

    # 部门调动: two people of 研发中心 into QA
    transfer = page.transfer
    page.sheets.setCurrentWidget(transfer)
    people = [e for e in main._employee_hub.roster.entries if e.department == "02"][:2]
    type_text(qtbot, transfer.picker.edit, people[0].name)
    assert people[0] in transfer.picker.matches           # found by name while typing
    transfer.picker.choose(people[0])
    qtbot.mouseClick(transfer.add_button, LEFT)
    type_text(qtbot, transfer.picker.edit, people[1].person_account)
    assert transfer.picker.matches[0] == people[1]         # found by 个人账号
    transfer.picker.choose(transfer.picker.matches[0])
    qtbot.mouseClick(transfer.add_button, LEFT)
    assert transfer.model.rowCount() == 2
    assert transfer.model.text(0, "department") == "研发中心"
    qtbot.mouseClick(transfer.panel.submit_button, LEFT)
    assert transfer.panel.message.text() == "请选择调入部门"
    transfer.target.setCurrentIndex(transfer.target.findData("QA"))
    asked: list[str] = []
    answer_next_box("确定调动", asked)
    qtbot.mouseClick(transfer.panel.submit_button, LEFT)
    qtbot.waitUntil(lambda: transfer.model.rowCount() == 0, timeout=10000)
    assert asked == ["确定为清册中全部2人办理部门调动吗？全部通过才办理。"]
    assert transfer.panel.message.text() == "已完成办理部门调动（2人）"
    for person in people:
        assert server_employee(real_centre, person.person_account)["department"] == "QA"
    settle(qtbot)
    qtbot.waitUntil(lambda: main._employee_hub.roster.get(people[0].person_account).department == "QA",
                    timeout=10000)
    # the counts follow; QA now has people: not deletable
    page.sheets.setCurrentWidget(setup)
    qa = next(r for r in setup.model.rows if r["code"] == "QA")
    assert qa["active_count"] + qa["sealed_count"] == 2

    # 部门调动查询, with 打印
    history = page.history
    page.sheets.setCurrentWidget(history)
    history.person.select_account(people[0].person_account)
    qtbot.mouseClick(history.query_button, LEFT)
    qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=10000)
    assert history.model.text(0, "from_label") == "研发中心（02）"
    assert history.model.text(0, "to_label") == "质量保证部（QA）"
    assert history.model.text(0, "operator") == "张丽"
    assert history.count.text() == "共 1 人次"
    history.sharing.print()
    settle(qtbot)
    from ui.printing_dialogs import PrintPreview

    previews = [w for w in QApplication.topLevelWidgets() if isinstance(w, PrintPreview) and w.isVisible()]
    assert previews
    for preview in previews:
        preview.close()

    # move them back, then the empty department can be deleted (asked first)
    page.sheets.setCurrentWidget(transfer)
    transfer.source.setCurrentIndex(transfer.source.findData("QA"))
    qtbot.mouseClick(transfer.add_all_button, LEFT)
    assert transfer.model.rowCount() == 2
    transfer.target.setCurrentIndex(transfer.target.findData("02"))
    answer_next_box("确定调动")
    qtbot.mouseClick(transfer.panel.submit_button, LEFT)
    qtbot.waitUntil(lambda: transfer.model.rowCount() == 0, timeout=10000)
    settle(qtbot)
    page.sheets.setCurrentWidget(setup)
    qtbot.waitUntil(lambda: next(r for r in setup.model.rows if r["code"] == "QA")["active_count"] == 0,
                    timeout=10000)
    assert setup.select("QA")
    asked.clear()
    answer_next_box("撤销", asked)
    qtbot.mouseClick(setup.delete_button, LEFT)
    qtbot.waitUntil(lambda: "QA" not in server_departments(real_centre, unit), timeout=10000)
    assert asked == ["确定撤销部门“质量保证部（QA）”吗？"]
    qtbot.waitUntil(lambda: setup.model.rowCount() == 4, timeout=10000)


# -- 缴存人登记 --------------------------------------------------------------------------------------------
def resident_id(birth: str, serial: str) -> str:
    """A valid 18-digit resident ID of Beijing Dongcheng (110101) born on `birth` (YYYYMMDD)."""
    body = "110101" + birth + serial
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


def open_workbook(path: Path, rows: list[list]) -> Path:
    """A filled 缴存人登记 workbook made with the engine's own template."""
    from services.batch import write_template

    return write_template("open", path, rows=rows)


def test_open_single_entry_and_batch_import_then_complete(qtbot, real_centre, ukey, real_desk, tmp_path):
    main = login(qtbot, real_centre, ukey, real_desk)
    page = tab(main, "缴存人登记")
    settle(qtbot)
    form, model, panel = page.form, page.model, page.panel
    # single entry: gender and birth date appear as the ID is typed
    type_text(qtbot, form.name, "周星")
    first_id = resident_id("19900307", "031")
    qtbot.keyClicks(form.id_number, first_id[:10])
    assert form.derived.text() == "已输入10位，身份证号码为18位"
    qtbot.keyClicks(form.id_number, first_id[10:])
    assert form.derived.text() == "性别：男　　出生日期：1990年03月07日"
    form.department.setCurrentIndex(form.department.findData("02"))
    qtbot.keyClicks(form.base, "8000")
    assert form.monthly.text() == "单位 960.00 元 + 个人 960.00 元 = 1,920.00 元"
    qtbot.mouseClick(form.enter_button, LEFT)
    assert model.rowCount() == 1 and form.message.text() == "周星已录入开户清册"
    assert model.text(0, "gender") == "男" and model.text(0, "department") == "研发中心"
    assert model.text(0, "monthly") == "1,920.00"
    # a wrong entry says every problem, nothing goes in
    type_text(qtbot, form.name, "错误")
    qtbot.keyClicks(form.id_number, first_id)
    qtbot.keyClicks(form.base, "100")
    qtbot.mouseClick(form.enter_button, LEFT)
    assert model.rowCount() == 1
    assert form.message.text() == ("证件号码：证件号码与清册第1行重复，同一人只能登记一次；"
                                   "缴存基数：缴存基数100.00低于下限2420.00，请核对")
    form.reset()

    # batch import: a small workbook from the template, one bad row
    sealed = next(e for e in main._employee_hub.roster.entries if e.status == "02")
    workbook = open_workbook(tmp_path / "登记.xlsx", [
        ["吴用", "居民身份证", resident_id("19880512", "042"), "13800138000", "01", "6000", ""],
        ["花荣", "", resident_id("19920101", "051").lower(), "", "研发中心", "5,500.00", ""],
        ["坏行", "", resident_id("19920101", "061")[:-1] + "0", "12345", "", "100", ""],
        [sealed.name, "", sealed.id_number, "", "", "5000", ""],
    ])
    dialog = page.open_import()
    dialog.file.setText(str(workbook))
    qtbot.mouseClick(dialog.start_button, LEFT)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=15000)
    assert dialog.added == 2
    assert dialog.summary.text().startswith("共读取 4 行：2 行已加入缴存人登记清册；2 行有问题")
    assert [(r["row"], r["column"], r["message"]) for r in dialog.problems.rows] == [
        (4, "证件号码", "身份证号码校验位错误，请核对"), (4, "手机号码", "手机号码应为以1开头的11位数字，请核对"),
        (4, "缴存基数", "缴存基数100.00低于下限2420.00，请核对"),
        (5, "证件号码", f"该职工在本单位已有封存账户（个人账号{sealed.person_account}），请办理启封，不能重复登记")]
    assert model.rowCount() == 3 and model.text(2, "department") == "研发中心"
    assert model.text(2, "source") == "导入第3行"
    errors = tmp_path / "错误清单.xlsx"
    dialog.export_errors(str(errors))
    settle(qtbot)
    from openpyxl import load_workbook

    sheet = load_workbook(errors)["缴存人登记"]
    written = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert [(row[0], row[-2]) for row in written] == [("坏行", 4), (sealed.name, 5)]   # name, 原行号
    assert written[0][-1] == ("证件号码：身份证号码校验位错误，请核对；手机号码：手机号码应为以1开头的11位数字，请核对；"
                              "缴存基数：缴存基数100.00低于下限2420.00，请核对")
    dialog.accept()

    # delete with confirmation: 取消 keeps the row, 删除 removes it
    model_names = [model.draft[i]["name"] for i in range(model.rowCount())]
    assert model_names == ["周星", "吴用", "花荣"]
    panel.table.selectRow(1)
    asked: list[str] = []
    answer_next_box("取消", asked)
    qtbot.mouseClick(panel.delete_button, LEFT)
    assert model.rowCount() == 3 and asked == ["确定从清册中删除“吴用”这条记录吗？"]
    panel.table.selectRow(1)
    answer_next_box("删除")
    qtbot.mouseClick(panel.delete_button, LEFT)
    assert [model.draft[i]["name"] for i in range(model.rowCount())] == ["周星", "花荣"]
    assert panel.summary.text().startswith("共 2 人　｜　缴存基数合计 13,500.00 元")
    settle(qtbot)

    # 完成办理: signed on the SoftHSM UKey, every row opened, accounts shown
    asked.clear()
    answer_next_box("完成办理", asked)
    qtbot.mouseClick(panel.submit_button, LEFT)
    qtbot.waitUntil(lambda: page.result_dialog is not None, timeout=20000)
    assert asked == ["确定为清册中全部2人办理缴存人登记吗？全部通过才办理，提交时将使用UKey签名。"]
    assert model.rowCount() == 0 and panel.message.text() == "已完成办理缴存人登记（2人）"
    opened = page.result_dialog.model.rows
    assert [r["name"] for r in opened] == ["周星", "花荣"]
    for row in opened:
        record = server_employee(real_centre, row["person_account"])
        assert record["status"] == "01" and record["id_number"] == row["id_number"]
    assert server_employee(real_centre, opened[0]["person_account"])["department"] == "02"
    page.result_dialog.accept()
    settle(qtbot)
    # the roster follows (for the pickers and the next checks)
    qtbot.waitUntil(lambda: main._employee_hub.roster.get(opened[1]["person_account"]) is not None, timeout=10000)


# -- 缴存人状态变更 and 缴存人信息查询 -------------------------------------------------------------------------
def test_seal_then_unseal_then_query_and_share(qtbot, real_centre, ukey, real_desk, tmp_path):
    main = login(qtbot, real_centre, ukey, real_desk)
    hub = main._employee_hub
    page = tab(main, "缴存人状态变更")
    settle(qtbot)
    seal = page.seal
    page.sheets.setCurrentWidget(seal)
    active = [e for e in hub.roster.entries if e.status == "01" and e.paid_through][:2]
    # the 封存 picker finds 正常 people only; 姓名 and 证件号码 are shown back
    sealed_one = next(e for e in hub.roster.entries if e.status == "02")
    assert seal.picker.search(sealed_one.id_number) == []
    type_text(qtbot, seal.picker.edit, active[0].id_number[:12])
    assert active[0] in seal.picker.matches
    seal.picker.choose(active[0])
    assert seal.name.text() == active[0].name and seal.id_number.text() == active[0].id_number
    qtbot.mouseClick(seal.enter_button, LEFT)
    assert seal.message.text() == "请选择封存原因"
    seal.reason.setCurrentIndex(seal.reason.findData("2"))
    qtbot.mouseClick(seal.enter_button, LEFT)
    assert seal.message.text() == "缴存人状态变更清册录入成功"
    assert seal.model.text(0, "reason_label") == "离职/解除劳动合同"
    seal.picker.select_account(active[1].person_account)
    seal.reason.setCurrentIndex(seal.reason.findData("1"))
    qtbot.mouseClick(seal.enter_button, LEFT)
    assert seal.model.rowCount() == 2
    # 确定封存 for the selected row only
    seal.panel.table.selectRow(0)
    asked: list[str] = []
    answer_next_box("确定封存", asked)
    qtbot.mouseClick(seal.panel.submit_button, LEFT)
    qtbot.waitUntil(lambda: seal.model.rowCount() == 1, timeout=20000)
    assert asked == ["确定为选中的1人办理缴存人封存吗？全部通过才办理，提交时将使用UKey签名。"]
    assert seal.panel.message.text() == "已完成办理缴存人封存（1人）"
    assert server_employee(real_centre, active[0].person_account)["status"] == "02"
    assert server_employee(real_centre, active[1].person_account)["status"] == "01"
    assert seal.model.draft[0]["person_account"] == active[1].person_account  # still in the 清册
    settle(qtbot)
    qtbot.waitUntil(lambda: hub.roster.get(active[0].person_account).status == "02", timeout=10000)

    # 启封 the one just sealed, with a new base
    unseal = page.unseal
    page.sheets.setCurrentWidget(unseal)
    assert unseal.picker.select_account(active[0].person_account)
    unseal.reason.setCurrentIndex(unseal.reason.findData("2"))
    unseal.base.setText("9000")
    qtbot.mouseClick(unseal.enter_button, LEFT)
    assert unseal.message.text() == "缴存人状态变更清册录入成功", unseal.message.text()
    assert unseal.model.text(0, "base") == "9,000.00"
    answer_next_box("确定启封")
    qtbot.mouseClick(unseal.panel.submit_button, LEFT)
    qtbot.waitUntil(lambda: unseal.model.rowCount() == 0, timeout=20000)
    record = server_employee(real_centre, active[0].person_account)
    assert record["status"] == "01" and record["base"] in (900000, "9000.00", 9000)
    settle(qtbot)

    # 缴存人信息查询: 账户信息 of that person, then 账户状态变更查询
    query = tab(main, "缴存人信息查询")
    accounts = query.accounts
    accounts.person.select_account(active[0].person_account)
    qtbot.mouseClick(accounts.query_button, LEFT)
    qtbot.waitUntil(lambda: accounts.model.rowCount() == 1, timeout=10000)
    assert accounts.model.text(0, "status") == "正常" and accounts.model.text(0, "base") == "9,000.00"
    assert accounts.model.text(0, "name") == active[0].name
    assert accounts.count.text().startswith("共 1 人　｜　月缴存额合计 ")     # the totals line, not a bare count
    changes = query.status_changes
    query.sheets.setCurrentWidget(changes)
    changes.person.select_account(active[0].person_account)
    qtbot.mouseClick(changes.query_button, LEFT)
    qtbot.waitUntil(lambda: changes.model.rowCount() >= 2, timeout=10000)
    kinds = [changes.model.text(i, "type_label") for i in range(changes.model.rowCount())]
    assert "封存" in kinds and "启封" in kinds
    seal_row = kinds.index("封存")
    assert changes.model.text(seal_row, "reason_label") == "离职/解除劳动合同"
    log = query.changes
    query.sheets.setCurrentWidget(log)
    log.person.select_account(active[0].person_account)
    qtbot.mouseClick(log.query_button, LEFT)
    qtbot.waitUntil(lambda: log.model.rowCount() >= 2, timeout=10000)
    items = {log.model.text(i, "item") for i in range(log.model.rowCount())}
    assert "个人账户状态" in items and "缴存基数" in items

    # 分享: a person whose name a spreadsheet would run as a formula (registered through 缴存人登记)
    evil = "=HYPERLINK(\"http://x\",\"点我\")"
    opening = tab(main, "缴存人登记")
    type_text(qtbot, opening.form.name, evil)
    qtbot.keyClicks(opening.form.id_number, resident_id("19930815", "072"))
    qtbot.keyClicks(opening.form.base, "5000")
    qtbot.mouseClick(opening.form.enter_button, LEFT)
    answer_next_box("完成办理")
    qtbot.mouseClick(opening.panel.submit_button, LEFT)
    qtbot.waitUntil(lambda: opening.result_dialog is not None, timeout=20000)
    account = opening.result_dialog.model.rows[0]["person_account"]
    opening.result_dialog.accept()
    settle(qtbot)
    query = tab(main, "缴存人信息查询")
    query.sheets.setCurrentWidget(accounts)
    qtbot.waitUntil(lambda: hub.roster.get(account) is not None, timeout=10000)
    accounts.person.clear()
    qtbot.mouseClick(accounts.query_button, LEFT)
    qtbot.waitUntil(lambda: accounts.model.rowCount() > 100, timeout=10000)
    where = next(i for i, r in enumerate(accounts.model.rows) if r["person_account"] == account)
    assert accounts.model.text(where, "name") == evil
    xlsx, csv_path = tmp_path / "账户信息.xlsx", tmp_path / "账户信息.csv"
    accounts.sharing.share("xlsx", str(xlsx))
    settle(qtbot)
    accounts.sharing.share("csv", str(csv_path))
    settle(qtbot)
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).active
    assert sheet["A1"].value.startswith("单位：") and sheet["A3"].value == "个人账号"
    assert sheet.max_row == 3 + accounts.model.rowCount()
    name = sheet.cell(row=4 + where, column=2)
    assert name.value == evil and name.data_type == "s" and name.quotePrefix
    assert sheet.cell(row=4 + where, column=1).value == account
    import csv

    lines = list(csv.reader(csv_path.read_text(encoding="utf-8-sig").splitlines()))
    assert lines[0][:3] == ["个人账号", "姓名", "证件号码"]
    assert lines[1 + where][:2] == [account, "'" + evil]
    assert accounts.message.text().startswith(f"已导出{accounts.model.rowCount()}条记录")


# -- the 清册 survives killing the desk ---------------------------------------------------------------------
KILLED_DESK = r"""
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
from client.settings import Settings
from hsm import TokenClient
from ui import ops
from ui.desk import Desk

url, module, unit, login_name, password, pin = sys.argv[1:7]
app = QApplication([])

def wait(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            print("TIMEOUT", flush=True)
            os._exit(3)
        app.processEvents()
        time.sleep(0.01)

desk = Desk(Settings(centre_url=url, pkcs11_module=module), TokenClient(module))
desk.start()
window = desk.login_window
wait(lambda: desk.watcher.state is not None and desk.watcher.state.present)
window.unit_account.setText(unit)
window.login_name.setText(login_name)
window.password.setText(password)
window.pin.setText(pin)
window.submit()
wait(lambda: desk.main_window is not None)
main = desk.main_window
page = main.modules["缴存人登记"]
hub = main._employee_hub
wait(lambda: hub.roster is not None and page.keeper.is_loaded)
for name, number, base in zip(sys.argv[7::3], sys.argv[8::3], sys.argv[9::3]):
    page.form.name.setText(name)
    page.form.id_number.setText(number)
    page.form.base.setText(base)
    page.form.submit()
seal = main.modules["缴存人状态变更"].seal
wait(lambda: seal.keeper.is_loaded)
seal.picker.choose(next(e for e in hub.roster.entries if e.status == "01"))
seal.reason.setCurrentIndex(seal.reason.findData("4"))
seal.submit()
wait(lambda: ops.active_count() == 0 and not page.keeper.busy and not seal.keeper.busy)
print("FILLED", page.model.rowCount(), seal.model.rowCount(), flush=True)
os._exit(9)   # killed: no logout, no closing of the store, nothing flushed on the way out
"""


def test_the_draft_survives_killing_the_desk(qtbot, real_centre, ukey, real_desk, softhsm):
    import subprocess
    import sys

    ukey(0)
    creds = real_centre.creds["units"][0]
    people = [("林冲", resident_id("19870620", "081"), "7000"), ("武松", resident_id("19891111", "091"), "6600")]
    args = [real_centre.url, softhsm.module, creds["unit_account"], creds["login_name"], creds["password"], TEST_PIN]
    for person in people:
        args += list(person)
    child = subprocess.run([sys.executable, "-c", KILLED_DESK, *args], capture_output=True, text=True, timeout=90,
                           cwd=Path(__file__).resolve().parents[2])
    assert child.returncode == 9, child.stdout + child.stderr
    assert "FILLED 2 1" in child.stdout

    # a new desk, the same clerk: both 清册 are back
    desk = real_desk(qtbot)
    main = log_in(qtbot, desk, unit_account=creds["unit_account"], login_name=creds["login_name"],
                  password=creds["password"], pin=TEST_PIN)
    page = tab(main, "缴存人登记")
    qtbot.waitUntil(lambda: page.keeper.is_loaded, timeout=10000)
    assert [page.model.draft[i]["name"] for i in range(page.model.rowCount())] == ["林冲", "武松"]
    assert page.model.text(1, "base") == "6,600.00" and page.model.text(1, "gender") == "男"
    assert page.panel.summary.text().startswith("共 2 人　｜　缴存基数合计 13,600.00 元")
    seal = main.modules["缴存人状态变更"].seal
    qtbot.waitUntil(lambda: seal.keeper.is_loaded, timeout=10000)
    assert seal.model.rowCount() == 1 and seal.model.text(0, "reason_label") == "退休"
    # nothing was sent: the centre does not know them
    with centre_db(real_centre) as db:
        assert db.execute("SELECT count(*) FROM employees WHERE id_number IN (?, ?)",
                          (people[0][1], people[1][1])).fetchone()[0] == 0
    settle(qtbot)
