"""Screenshots of the client against a throwaway demo centre, for a person to look at.

    .venv/bin/python scripts/screenshots.py [--out /tmp/gjj-shots]

Without a display it re-runs itself under Xvfb (xvfb-run, 1280x1024, the xcb platform). It creates a demo
centre (gjj-centre init --demo, serve on a free port), a SoftHSM UKey issued for the first demo unit, and a
private GJJ_DESK_HOME, all in a temporary directory, then drives the real windows and saves PNGs:
login window, a refusal, the main window, 修改密码, 消息详情, 更多, the lock; and the approval screens
(shoot_registration, shoot_approvals): 自主开户 form, its USCC warning, the number and query code, 状态查询;
单位信息变更 with the 待变更清册, 档案扫描 with thumbnails, 提交成功, 首页 with 待办/已办/我发起的, 业务详情
(approved; returned with 结束流程 and 修改后重新提交), 更多; and the approval tabs (shoot_approval_tabs): 基数调整
outside July and in July with the 清册 and the preview, 补缴 (清册 both ways, 档案上传, 提交成功, the 补缴凭条, after
two reviewers approve 补缴书查询 with 明细 and the 汇补缴书), 缴存人信息变更 with its 待变更清册.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULE = "/usr/lib/softhsm/libsofthsm2.so"
LABEL, PIN, SO_PIN = "GJJ-SHOTS", "123456", "12345678"


def centre(data_dir: Path, *args: str) -> str:
    cmd = [sys.executable, "-m", "server_stub.cli", "--data-dir", str(data_dir), *args]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(work: Path) -> tuple[dict, subprocess.Popen, str]:
    """Demo centre + SoftHSM UKey + desk home; returns (credentials, the serve process, its URL)."""
    hsm = work / "softhsm"
    (hsm / "tokens").mkdir(parents=True)
    conf = hsm / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {hsm / 'tokens'}\nobjectstore.backend = file\n"
                    "log.level = ERROR\nslots.removable = true\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    os.environ["GJJ_DESK_HOME"] = str(work / "desk")
    data = work / "centre"
    creds = json.loads(centre(data, "init", "--demo", "--json"))
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", LABEL, "--so-pin", SO_PIN, "--pin", PIN],
                   check=True, capture_output=True)
    centre(data, "issue-ukey", "--unit", creds["units"][0]["unit_account"], "--module", MODULE,
           "--token-label", LABEL, "--pin", PIN)
    port = free_port()
    log = open(work / "serve.log", "w")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen([sys.executable, "-m", "server_stub.cli", "--data-dir", str(data), "serve",
                             "--port", str(port), "--demo-mode"], stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    import httpx

    for _ in range(300):
        try:
            if httpx.get(url + "/api/v1/business-date", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    else:
        raise SystemExit("gjj-centre serve did not start: " + (work / "serve.log").read_text())
    return creds, proc, url


def shoot(out: Path, work: Path) -> list[Path]:
    creds, server, url = prepare(work)
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    from client.settings import Settings, save_settings
    from hsm import TokenClient
    from ui.app import apply_look, route_qt_messages
    from ui.desk import Desk
    from ui.messages import MessageDetailDialog, MessagesDialog
    from ui.password_dialog import ChangePasswordDialog

    app = QApplication([sys.argv[0]])
    apply_look(app)
    route_qt_messages()
    settings = Settings(centre_url=url, pkcs11_module=MODULE)
    save_settings(settings)
    desk = Desk(settings, TokenClient(MODULE))
    unit = creds["units"][0]
    saved: list[Path] = []

    def wait(condition, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise SystemExit(f"timed out waiting for {condition}")
            app.processEvents()
            time.sleep(0.02)
        for _ in range(20):  # let layouts and paints settle
            app.processEvents()
            time.sleep(0.01)

    def save(widget, name: str) -> None:
        path = out / name
        widget.grab().save(str(path))
        saved.append(path)

    def fill(window, password: str) -> None:
        window.unit_account.setText(unit["unit_account"])
        window.login_name.setText(unit["login_name"])
        window.password.setText(password)
        window.pin.setText(PIN)
        window.submit()

    try:
        desk.start()
        login = desk.login_window
        wait(lambda: login.ukey.holder.isVisible())
        save(login, "01-login.png")

        fill(login, "Wrong0000")
        wait(lambda: not login._busy and login.error.isVisible())
        save(login, "02-login-refused.png")
        shoot_registration(app, desk, login, work, save, wait)

        fill(login, unit["password"])
        wait(lambda: desk.main_window is not None and desk.main_window.isVisible())
        main = desk.main_window
        main.resize(1280, 800)
        wait(lambda: main.home.messages.model.rowCount() > 0)
        save(main, "03-main-home.png")

        dialog = ChangePasswordDialog(main.api, main)
        dialog.show()
        dialog.old.setText("x")
        dialog.new.setText("abc")
        dialog.confirm.setText("abd")
        dialog.submit()
        wait(lambda: dialog.error.isVisible())
        save(dialog, "04-change-password.png")
        dialog.close()

        detail = MessageDetailDialog(main.home.messages.model.message(0), main)
        detail.show()
        wait(lambda: detail.isVisible())
        save(detail, "05-message-detail.png")
        detail.close()

        history = MessagesDialog(lambda p, s, u: main.api.messages(p, s, unread=u or None), lambda m, w: None, main)
        history.show()
        history.load(1)
        wait(lambda: history.model.rowCount() > 0)
        save(history, "06-messages-more.png")
        history.close()

        shoot_approvals(app, main, work, url, creds, save, wait)
        shoot_employees(app, main, work, save, wait)
        shoot_remittance(app, main, url, creds, out, save, wait)
        shoot_unit_query(app, main, save, wait)
        shoot_approval_tabs(app, main, work, url, creds, out, save, wait)

        subprocess.run(["softhsm2-util", "--delete-token", "--token", LABEL], check=True, capture_output=True)
        wait(lambda: main.overlay.isVisible())
        save(main, "07-lock-overlay.png")
    finally:
        desk.shutdown()
        server.terminate()
        server.wait(10)
    return saved


# -- approvals (issue 3) ----------------------------------------------------------------------------------

def sample_files(work: Path) -> list[Path]:
    """A PDF, a PNG and a JPEG that look like scans (for the 档案扫描 thumbnails)."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = work / "门牌证明.pdf"
    page = canvas.Canvas(str(pdf), pagesize=A4)
    page.setFont("Helvetica-Bold", 28)
    page.drawCentredString(A4[0] / 2, A4[1] - 120, "CERTIFICATE OF ADDRESS")
    page.setLineWidth(2)
    page.rect(60, 80, A4[0] - 120, A4[1] - 240)
    page.setFont("Helvetica", 14)
    for i in range(14):
        page.drawString(90, A4[1] - 200 - i * 34, "No. 699 Wangshang Road, Binjiang District " + "." * (i % 5))
    page.save()
    paths = [pdf]
    for name, colour in (("营业执照副本.png", "#f3efe2"), ("法定代表人身份证明.jpg", "#e8eef6")):
        image = QImage(700, 990, QImage.Format.Format_RGB32)
        image.fill(QColor(colour))
        painter = QPainter(image)
        painter.setPen(QColor("#8a1c1c"))
        painter.drawRect(QRect(30, 30, 640, 930))
        font = QFont()
        font.setPixelSize(54)
        painter.setFont(font)
        painter.drawText(QRect(0, 90, 700, 90), Qt.AlignmentFlag.AlignCenter, name.split(".")[0])
        font.setPixelSize(26)
        painter.setFont(font)
        painter.setPen(QColor("#333333"))
        for i in range(12):
            painter.drawText(80, 280 + i * 52, "示范市智联科技有限公司  统一社会信用代码  ××××××")
        painter.end()
        path = work / name
        image.save(str(path))
        paths.append(path)
    return paths


def when_shown(app, find, act) -> None:
    """Run act(widget) once find() returns a visible widget: inside a modal dialog's own event loop."""
    from PySide6.QtCore import QTimer

    timer = QTimer(app)
    timer.setInterval(50)

    def check():
        widget = find()
        if widget is not None and widget.isVisible():
            timer.stop()
            for _ in range(20):
                app.processEvents()
                time.sleep(0.01)
            act(widget)

    timer.timeout.connect(check)
    timer.start()


def shoot_registration(app, desk, login, work: Path, save, wait) -> None:
    from PySide6.QtWidgets import QMessageBox

    from ui.registration.dialog import RegistrationDialog
    from ui.registration.status import RegistrationStatusDialog

    dialog = RegistrationDialog(desk, login)
    dialog.show()
    wait(lambda: dialog.form.ratio_hint.text() != "")
    save(dialog, "08-registration-form.png")
    form = dialog.form
    values = {"name": "示范市新星文化传媒有限公司", "uscc": "91330106MA2K0X1Y20", "address": "示范市上城区解放路18号",
              "postcode": "310002", "email": "hr@xinxing-demo.cn", "legal_rep_name": "周明",
              "legal_rep_id_number": "110102197501018678", "contact_phone": "0571-87000000", "industry": "M",
              "economic_type": "170", "unit_ratio": "10", "person_ratio": "10", "operator.name": "李娜",
              "operator.id_number": "120101199001011386", "operator.mobile": "13900001111",
              "operator.login_name": "lina", "operator.password": "Start2025", "password_again": "Start2025"}
    for key, value in values.items():
        form.set_value(key, value)
    licence = sample_files(work)[1]
    dialog.use_licence(str(licence))
    wait(lambda: form.licence_path is not None)
    from PySide6.QtWidgets import QScrollArea

    bar = dialog.findChild(QScrollArea).verticalScrollBar()
    bar.setValue(bar.maximum())
    wait(lambda: True)
    save(dialog, "08-registration-form-filled.png")

    def warn(box):
        save(box, "09-registration-uscc-warning.png")
        next(b for b in box.buttons() if b.text() == "确认无误，继续提交").click()

    when_shown(app, lambda: next((w for w in app.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()),
                                 None), warn)
    dialog.submit()
    wait(lambda: dialog.stack.currentIndex() == 1 or dialog.error.isVisible())
    save(dialog, "10-registration-submitted.png")
    status = RegistrationStatusDialog(desk, dialog.result_info["application_no"], dialog.result_info["query_code"],
                                      dialog)
    status.show()
    wait(lambda: status.result.isVisible() or status.error.isVisible())
    save(status, "11-registration-status.png")
    status.close()
    dialog.close()


def shoot_approvals(app, main, work: Path, url: str, creds: dict, save, wait) -> None:
    import httpx

    from ui.modules.unit_change.scan import ScanDialog
    from ui.modules.unit_change.success import SubmittedDialog
    from ui.tasks.context import TaskContext
    from ui.tasks.detail import ApplicationDetailDialog
    from ui.tasks.history import TasksDialog

    reviewer = creds["reviewer"]
    centre_api = httpx.Client(base_url=url + "/api/v1", timeout=30)
    token = centre_api.post("/centre/login", json=reviewer).json()["token"]
    centre_api.headers["Authorization"] = f"Bearer {token}"
    files = sample_files(work)

    def submit_change(changes: dict, shots: bool) -> str:
        tab = main.modules["单位信息变更"]
        main.tabs.setCurrentWidget(tab)
        wait(lambda: tab.loaded)
        for field, value in changes.items():
            widget = tab.form.widgets[field]
            if hasattr(widget, "setText"):
                widget.setText(value)
            else:
                widget.setCurrentIndex(widget.findData(value))
        tab.confirm_button.click()
        wait(lambda: tab.changes.rowCount() == len(changes))
        if shots:
            save(main, "12-unit-change-list.png")
        scan = ScanDialog(tab)
        scan.show()
        scan.add_paths([str(f) for f in (files if shots else files[:1])])
        wait(lambda: not scan.busy and scan.list.count() == (3 if shots else 1))
        wait(lambda: len(scan._thumbs) == (3 if shots else 1))
        if shots:
            save(scan, "13-scan.png")
        number = {}

        def success(dialog):
            number["no"] = dialog.findChild(object, "applicationNo").text().removeprefix("业务编号：")
            if shots:
                save(dialog, "14-submitted.png")
            dialog.close_button.click()

        when_shown(app, lambda: next((w for w in app.topLevelWidgets() if isinstance(w, SubmittedDialog)
                                      and w.isVisible()), None), success)
        scan.submit()
        wait(lambda: "no" in number or scan.error.isVisible(), 60)
        if "no" not in number:
            raise SystemExit("submission failed: " + scan.error.text())
        return number["no"]

    def decide(number: str, decision: str, opinion: str) -> int:
        queue = centre_api.get("/centre/applications", params={"status": "pending"}).json()["items"]
        application_id = next(a["id"] for a in queue if a["application_no"] == number)
        centre_api.post(f"/centre/applications/{application_id}/decision",
                        json={"decision": decision, "opinion": opinion}).raise_for_status()
        return application_id

    first = submit_change({"address": "示范市滨江区网商路699号", "contact_phone": "0571-86668888",
                           "industry": "M"}, shots=True)
    first_id = decide(first, "approve", "材料齐全，同意变更")
    second = submit_change({"postcode": "310052"}, shots=False)
    second_id = decide(second, "return", "邮政编码与门牌证明不一致，请核对后重新提交")
    main.tabs.setCurrentIndex(0)
    main.changed.emit("applications")
    home = main.home
    wait(lambda: home.tasks["todo"].model.rowCount() == 1 and home.tasks["done"].model.rowCount() >= 1)
    save(main, "15-home-tasks.png")
    for name, application_id in (("16-detail-approved.png", first_id), ("17-detail-returned.png", second_id)):
        detail = main.api.request("GET", f"/applications/{application_id}")
        dialog = ApplicationDetailDialog(detail, TaskContext(main), main)
        dialog.show()
        wait(lambda: dialog.isVisible())
        save(dialog, name)
        if name.startswith("16"):  # the rest of it: files and the UKey signature
            from PySide6.QtWidgets import QScrollArea

            bar = dialog.findChild(QScrollArea).verticalScrollBar()
            bar.setValue(bar.maximum())
            wait(lambda: True)
            save(dialog, "16-detail-approved-signature.png")
        dialog.close()
    history = TasksDialog("initiated", lambda p, s, f: home._list_applications("initiated", p, s, f),
                          lambda a, w: None, main)
    history.show()
    history.load(1)
    wait(lambda: history.model.rowCount() >= 2)
    save(history, "18-tasks-more.png")
    history.close()


# -- employees and departments (issue 4) -----------------------------------------------------------------

def resident_id(birth: str, serial: str) -> str:
    body = "110101" + birth + serial
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


def shoot_employees(app, main, work: Path, save, wait) -> None:
    """缴存人登记 (entry, import, refused rows, issued accounts), 状态变更 (picker, 封存/启封 清册), 信息查询,
    单位部门管理, the delete question: 20-… to 31-…."""
    import sqlite3

    from PySide6.QtWidgets import QMessageBox

    from services.batch import write_template
    from ui import ops

    def settle() -> None:
        wait(lambda: ops.active_count() == 0)

    def screen(widget, name: str) -> None:
        """With pop-ups (the picker's list): what the screen shows over the window."""
        from PySide6.QtWidgets import QLabel

        app.processEvents()
        geometry = widget.window().frameGeometry()
        shot = app.primaryScreen().grabWindow(0, geometry.x(), geometry.y(), geometry.width(), geometry.height())
        label = QLabel()
        label.setPixmap(shot)
        label.resize(shot.size())
        save(label, name)
        label.deleteLater()

    hub = main._employee_hub
    wait(lambda: hub.roster is not None and bool(hub.departments))
    # 缴存人登记: two entries, a batch import with problems, one row the centre refuses
    page = main.modules["缴存人登记"]
    main.tabs.setCurrentWidget(page)
    form = page.form
    for name, number, department, base in (("陈思远", resident_id("19900307", "031"), "02", "8500"),
                                          ("刘雨桐", resident_id("19950612", "042"), "03", "6200.50")):
        form.name.setText(name)
        form.id_number.setText(number)
        form.department.setCurrentIndex(form.department.findData(department))
        form.base.setText(base)
        form.submit()
    sealed = next(e for e in hub.roster.entries if e.status == "02")
    book = write_template("open", work / "登记导入.xlsx", rows=[
        ["赵一鸣", "居民身份证", resident_id("19880512", "052"), "13800138000", "01", "6000", ""],
        ["钱多多", "", resident_id("19920101", "061").lower(), "", "研发中心", "5,500.00", ""],
        ["孙小美", "", resident_id("19920101", "071")[:-1] + "0", "12345", "", "100", ""],
        [sealed.name, "", sealed.id_number, "", "", "5000", ""],
    ])
    dialog = page.open_import()
    dialog.file.setText(str(book))
    dialog.start()
    wait(lambda: dialog.result is not None)
    save(dialog, "21-open-import-result.png")
    dialog.accept()
    # a person already 正常 in the other demo unit: the centre refuses that row
    with sqlite3.connect(work / "centre" / "centre.db") as db:
        other = db.execute("SELECT e.name, e.id_number FROM employees e JOIN units u ON u.id = e.unit_id "
                           "WHERE u.unit_account = '100100000002' AND e.status = '01' LIMIT 1").fetchone()
    form.name.setText(other[0])
    form.id_number.setText(other[1])
    form.base.setText("4800")
    form.submit()
    settle()
    when_shown(app, lambda: app.activeModalWidget() if isinstance(app.activeModalWidget(), QMessageBox) else None,
               lambda box: next(b for b in box.buttons() if b.text() == "完成办理").click())
    page.panel.submit_button.click()
    wait(lambda: page.panel.model.draft.refused_count() > 0 or page.result_dialog is not None, 30)
    settle()
    form.name.setText("周晓")
    form.id_number.setText(resident_id("19930815", "08"))
    form.base.setText("7200")
    save(main, "20-open-entry-refused-row.png")
    # delete the refused row (the question), then 完成办理
    page.panel.table.selectRow(page.model.draft.rows.index(next(r for r in page.model.draft.rows
                                                                if r.get("_status") == "refused")))

    def delete(box):
        save(box, "22-open-delete-question.png")
        next(b for b in box.buttons() if b.text() == "删除").click()

    when_shown(app, lambda: app.activeModalWidget() if isinstance(app.activeModalWidget(), QMessageBox) else None,
               delete)
    page.panel.delete_button.click()
    settle()
    when_shown(app, lambda: app.activeModalWidget() if isinstance(app.activeModalWidget(), QMessageBox) else None,
               lambda box: next(b for b in box.buttons() if b.text() == "完成办理").click())
    page.panel.submit_button.click()
    wait(lambda: page.result_dialog is not None, 30)
    save(page.result_dialog, "23-open-accounts-issued.png")
    page.result_dialog.accept()
    form.reset()
    settle()

    # 缴存人状态变更: the picker's matches, a 封存 清册, a 启封 清册
    status = main.modules["缴存人状态变更"]
    main.tabs.setCurrentWidget(status)
    seal = status.seal
    status.sheets.setCurrentWidget(seal)
    for entry, reason in zip([e for e in hub.roster.entries if e.status == "01"][:3], ("2", "1", "4")):
        seal.picker.choose(entry)
        seal.reason.setCurrentIndex(seal.reason.findData(reason))
        seal.submit()
    seal.picker.edit.setFocus()
    seal.picker.edit.setText("王")
    seal.picker.edit.textEdited.emit("王")
    wait(lambda: seal.picker.completer.popup().isVisible())
    screen(main, "24-status-seal-picker.png")
    seal.picker.completer.popup().hide()
    seal.picker.choose(next(e for e in hub.roster.entries if e.status == "01" and e.name.startswith("王")))
    save(main, "25-status-seal.png")
    unseal = status.unseal
    status.sheets.setCurrentWidget(unseal)
    for entry in [e for e in hub.roster.entries if e.status == "02"][:2]:
        unseal.picker.choose(entry)
        unseal.reason.setCurrentIndex(unseal.reason.findData("1"))
        unseal.base.setText("6500")
        unseal.submit()
    save(main, "26-status-unseal.png")
    unseal.panel.table.selectRow(0)
    when_shown(app, lambda: app.activeModalWidget() if isinstance(app.activeModalWidget(), QMessageBox) else None,
               lambda box: next(b for b in box.buttons() if b.text() == "确定启封").click())
    unseal.panel.submit_button.click()
    wait(lambda: unseal.model.rowCount() == 1, 30)
    settle()

    # 缴存人信息查询
    query = main.modules["缴存人信息查询"]
    main.tabs.setCurrentWidget(query)
    query.accounts.query()
    wait(lambda: query.accounts.model.rowCount() > 0)
    settle()
    save(main, "27-query-accounts.png")
    query.sheets.setCurrentWidget(query.status_changes)
    query.status_changes.query()
    wait(lambda: query.status_changes.model.rowCount() > 0)
    settle()
    save(main, "28-query-status-changes.png")

    # 单位部门管理
    departments = main.modules["单位部门管理"]
    main.tabs.setCurrentWidget(departments)
    departments.setup.select("03")
    save(main, "29-departments.png")
    transfer = departments.transfer
    departments.sheets.setCurrentWidget(transfer)
    for entry in [e for e in hub.roster.entries if e.department == "04"][:3]:
        transfer.picker.choose(entry)
        transfer.add_picked()
    transfer.target.setCurrentIndex(transfer.target.findData("02"))
    save(main, "30-departments-transfer.png")
    when_shown(app, lambda: app.activeModalWidget() if isinstance(app.activeModalWidget(), QMessageBox) else None,
               lambda box: next(b for b in box.buttons() if b.text() == "确定调动").click())
    transfer.panel.submit_button.click()
    wait(lambda: transfer.model.rowCount() == 0, 30)
    settle()
    history = departments.history
    departments.sheets.setCurrentWidget(history)
    history.query()
    wait(lambda: history.model.rowCount() > 0)
    settle()
    save(main, "31-departments-history.png")


# -- 单位信息查询 (issue 5) ----------------------------------------------------------------------------------

def shoot_unit_query(app, main, save, wait) -> None:
    """单位信息查询: 客户信息变更查询, 账户信息查询 with the balance chart, 业务流水查询 and its 明细: 50-… to 53-…."""
    import datetime as dt

    from ui import ops

    def settle() -> None:
        wait(lambda: ops.active_count() == 0)

    page = main.modules["单位信息查询"]
    main.tabs.setCurrentWidget(page)
    changes = page.changes
    page.sheets.setCurrentWidget(changes)
    changes.dates.set(dt.date(2000, 1, 1), main.session.business_date)
    changes.query()
    wait(lambda: changes.queried)
    settle()
    save(main, "50-unit-query-changes.png")

    account = page.account
    page.sheets.setCurrentWidget(account)
    account.query()
    wait(lambda: account.overview is not None)
    settle()
    save(main, "51-unit-query-account.png")

    journal = page.journal
    page.sheets.setCurrentWidget(journal)
    journal.query()
    wait(lambda: journal.model.rowCount() > 0)
    settle()
    journal.table.selectRow(next(i for i, r in enumerate(journal.model.rows) if r.get("headcount")))
    save(main, "52-unit-query-journal.png")
    journal.show_detail()
    dialog = journal.detail_dialog
    wait(lambda: dialog.model.rowCount() > 0)
    settle()
    save(dialog, "53-unit-query-journal-detail.png")
    dialog.close()


# -- 汇缴 (issue 5) ------------------------------------------------------------------------------------------

def shoot_remittance(app, main, url: str, creds: dict, out: Path, save, wait) -> None:
    """汇缴核定 (the breakdown, two months chosen), 核定成功, 汇缴核定查询, 明细, and the 汇补缴书 as PNG: 40-… to 44-…
    The centre's business date moves two months on first (demo mode), so that several months are payable."""
    import datetime as dt

    import httpx
    from PySide6.QtWidgets import QMessageBox

    from ui import ops
    from ui.printing_dialogs import PrintPreview

    def settle() -> None:
        wait(lambda: ops.active_count() == 0)

    token = httpx.post(url + "/api/v1/centre/login", json=creds["reviewer"]).json()["token"]
    today = dt.date.fromisoformat(httpx.get(url + "/api/v1/business-date").json()["date"])
    index = today.year * 12 + today.month - 1 + 2
    moved = dt.date(index // 12, index % 12 + 1, min(today.day, 28))
    httpx.post(url + "/api/v1/centre/business-date", json={"date": moved.isoformat()},
               headers={"Authorization": f"Bearer {token}"}).raise_for_status()
    page = main.modules["汇缴"]
    main.tabs.setCurrentWidget(page)
    main.changed.emit("*")
    sheet = page.assess
    wait(lambda: sheet.next is not None and sheet.next.choosable >= 2)
    settle()
    sheet.months.setValue(2)
    save(main, "40-remittance-assess.png")
    when_shown(app, lambda: app.activeModalWidget() if isinstance(app.activeModalWidget(), QMessageBox) else None,
               lambda box: next(b for b in box.buttons() if b.text() == "汇缴核定").click())
    month = str(sheet.next.month)
    sheet.assess_button.click()
    wait(lambda: sheet.message.text() == "核定成功", 30)
    wait(lambda: str(sheet.next.month) != month)
    settle()
    save(main, "41-remittance-assessed.png")
    query = page.query
    page.sheets.setCurrentWidget(query)
    wait(lambda: query.table.rowCount() >= 2)
    settle()
    save(main, "42-remittance-query.png")
    query.select_month(month)
    query.show_detail()
    wait(lambda: getattr(query, "detail_dialog", None) is not None and query.detail_dialog.isVisible())
    settle()
    save(query.detail_dialog, "43-remittance-detail.png")
    query.detail_dialog.accept()
    query.print_slip()
    wait(lambda: any(isinstance(w, PrintPreview) and w.isVisible() for w in app.topLevelWidgets()), 30)
    preview = next(w for w in app.topLevelWidgets() if isinstance(w, PrintPreview) and w.isVisible())
    pdf = out / "44-remittance-slip.pdf"
    pdf.write_bytes(preview.pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "2", str(pdf), str(out / "44-remittance-slip")],
                   check=True, capture_output=True)
    save(preview, "44-remittance-preview.png")
    preview.close()
    settle()
    # leave the centre as found for the shots that follow: the business date back (the assessments stay)
    httpx.post(url + "/api/v1/centre/business-date", json={"date": today.isoformat()},
               headers={"Authorization": f"Bearer {token}"}).raise_for_status()
    main.changed.emit("*")
    settle()


# -- 基数调整, 补缴, 缴存人信息变更 (the approval tabs) --------------------------------------------------------

def render_pdf(preview, out: Path, name: str, save) -> None:
    """The print preview as the clerk sees it, and the PDF's first pages rendered as the paper will look."""
    pdf = out / f"{name}.pdf"
    pdf.write_bytes(preview.pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "2", str(pdf), str(out / name)],
                   check=True, capture_output=True)
    save(preview, f"{name}-preview.png")


def shoot_approval_tabs(app, main, work: Path, url: str, creds: dict, out: Path, save, wait) -> None:
    """基数调整 outside the adjustment month (the notice), then in July (the centre's business date moved; the
    desk follows): two people in the 清册 and a third one's preview; 补缴 with a row split from a total and one
    entered in parts, 档案上传, 提交成功, the 补缴凭条; two reviewers approve it → 补缴书查询, 明细, the 汇补缴书;
    缴存人信息变更 with two changes in the 待变更清册: 60-… to 69-…. The business date is put back at the end."""
    import datetime as dt

    import httpx
    from PySide6.QtWidgets import QScrollArea

    from services.yearmonth import YearMonth
    from ui import ops
    from ui.modules.supplementary.bills import BillDialog
    from ui.modules.unit_change.scan import ScanDialog
    from ui.modules.unit_change.success import SubmittedDialog
    from ui.printing_dialogs import PrintPreview

    def settle() -> None:
        wait(lambda: ops.active_count() == 0)

    def shown(kind):
        return next((w for w in app.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)

    def login(reviewer: dict) -> dict:
        token = httpx.post(url + "/api/v1/centre/login", json={"username": reviewer["username"],
                                                               "password": reviewer["password"]}).json()["token"]
        return {"Authorization": f"Bearer {token}"}

    first_reviewer = login(creds["reviewer"])

    def move_to(day: dt.date) -> None:
        httpx.post(url + "/api/v1/centre/business-date", json={"date": day.isoformat()},
                   headers=first_reviewer).raise_for_status()
        main.refresh_unit()                 # what the poll does: the desk follows the centre's "today"
        wait(lambda: main.session.business_date == day, 30)
        settle()

    policy = main.session.policy
    today = dt.date.fromisoformat(httpx.get(url + "/api/v1/business-date").json()["date"])
    july = policy.adjustment_month
    if today.month == july:                 # the notice needs a date outside the adjustment month
        move_to(today.replace(month=july - 1, day=min(today.day, 28)))
    hub = main._employee_hub
    wait(lambda: hub.roster is not None)

    # 基数调整 outside the adjustment month: the notice, 录入 / 导入 / 提交 off; the picker still shows the base
    base_tab = main.modules["基数调整"]
    main.tabs.setCurrentWidget(base_tab)
    active = [e for e in hub.roster.entries if e.status == "01" and e.base]
    base_tab.form.picker.choose(active[0])
    settle()
    save(main, "60-base-adjust-outside-july.png")
    base_tab.form.picker.clear()

    # July: the desk follows the centre's business date; the notice goes
    july_day = dt.date(today.year if today.month < july else today.year + 1, july, 10)
    move_to(july_day)
    wait(lambda: not base_tab.notice.isVisible() and base_tab.form.enter_button.isEnabled())
    form = base_tab.form
    for person, base in zip(active[3:5], ("9600", "12345.67")):
        form.picker.choose(person)
        form.new_base.setText(base)
        form.submit()
    wait(lambda: base_tab.model.rowCount() == 2)
    form.picker.choose(active[5])
    form.new_base.setText("7800")
    settle()
    save(main, "61-base-adjust-list.png")
    form.picker.clear()
    form.new_base.clear()

    # 补缴: one row as a total split by the ratios, one as the two parts; a third one's split previewed
    owner = main.modules["补缴"]
    main.tabs.setCurrentWidget(owner)
    owner.sheets.setCurrentWidget(owner.entry)
    entry = owner.entry
    sform = entry.form
    month = YearMonth.of(today)
    earliest = str(month - 6)
    people = [e for e in active[6:] if (e.opened_on or "0000")[:7] <= earliest][:3]

    def reason(text: str) -> None:
        sform.reason.setCurrentIndex(sform.reason.findText(text))

    sform.picker.choose(people[0])
    reason("漏缴")
    sform.from_month.setText(str(month - 6))
    sform.to_month.setText(str(month - 5))
    sform.by_total.setChecked(True)
    sform.total.setText("801.00")
    sform.submit()
    sform.picker.choose(people[1])
    reason("少缴(基数/比例差额)")
    sform.by_parts.setChecked(True)
    sform.from_month.setText(str(month - 4))
    sform.unit_amount.setText("120")
    sform.person_amount.setText("100.50")
    sform.submit()
    wait(lambda: entry.model.rowCount() == 2)
    sform.picker.choose(people[2])
    reason("新录用未及时开户")
    sform.from_month.setText(str(month - 3))
    sform.to_month.setText(str(month - 1))
    sform.by_total.setChecked(True)
    sform.total.setText("1500")
    settle()
    save(main, "62-supplementary-list.png")
    bar = entry.findChild(QScrollArea).verticalScrollBar()   # a small screen: the 清册 under the form
    if bar.maximum() > 0:
        bar.setValue(bar.maximum())
        wait(lambda: True)
        save(main, "62-supplementary-list-scrolled.png")
        bar.setValue(0)
    sform.picker.clear()
    for edit in sform.cleared:
        edit.clear()
    sform.reason.setCurrentIndex(0)
    sform.by_parts.setChecked(True)

    # 完成办理 → 档案上传 → 提交成功 → 打印 → the 补缴凭条
    number: dict = {}

    def success(dialog) -> None:
        number["no"] = dialog.findChild(object, "applicationNo").text().removeprefix("业务编号：")
        save(dialog, "64-supplementary-submitted.png")
        dialog.print_button.click()

    def upload(dialog) -> None:
        dialog.add_paths([str(sample_files(work)[0])])
        wait(lambda: not dialog.busy and dialog.list.count() == 1)
        wait(lambda: len(dialog._thumbs) == 1)
        save(dialog, "63-supplementary-upload.png")
        when_shown(app, lambda: shown(SubmittedDialog), success)
        dialog.submit()

    when_shown(app, lambda: shown(ScanDialog), upload)
    settle()
    entry.finish()
    if "no" not in number:
        raise SystemExit("补缴 submission failed: " + entry.panel.message.text())
    wait(lambda: shown(PrintPreview) is not None, 30)
    preview = shown(PrintPreview)
    render_pdf(preview, out, "65-supplementary-slip", save)
    preview.close()
    settle()

    # two reviewers approve (中心初审, 中心复审) → a bill in 补缴书查询
    second = json.loads(centre(work / "centre", "add-reviewer", "--username", "fuhe01", "--name", "复审员", "--json"))
    queue = httpx.get(url + "/api/v1/centre/applications", params={"type": "supplementary", "status": "pending"},
                      headers=first_reviewer).json()["items"]
    application_id = next(a["id"] for a in queue if a["application_no"] == number["no"])
    for headers, opinion in ((first_reviewer, "材料齐全，同意"), (login(second), "复核无误")):
        httpx.post(f"{url}/api/v1/centre/applications/{application_id}/decision",
                   json={"decision": "approve", "opinion": opinion}, headers=headers).raise_for_status()
    bills = owner.bills
    owner.sheets.setCurrentWidget(bills)
    main.changed.emit("applications")
    wait(lambda: any(r.get("application_no") == number["no"] for r in bills.model.rows), 30)
    settle()
    bills.select(next(r["id"] for r in bills.model.rows if r["application_no"] == number["no"]))
    save(main, "66-supplementary-bills.png")

    def detail(dialog) -> None:
        save(dialog, "67-supplementary-bill-detail.png")
        number["detail"] = True
        dialog.accept()

    when_shown(app, lambda: shown(BillDialog), detail)
    bills.show_detail()
    wait(lambda: "detail" in number, 30)
    settle()
    bills.print_bill()
    wait(lambda: shown(PrintPreview) is not None, 30)
    preview = shown(PrintPreview)
    render_pdf(preview, out, "68-supplementary-bill", save)
    preview.close()
    settle()

    # 缴存人信息变更: a person picked, two changes in the 待变更清册
    info = main.modules["缴存人信息变更"]
    main.tabs.setCurrentWidget(info)
    wait(lambda: info.loaded)
    info.picker.choose(active[-1])
    wait(lambda: info.person is not None and info.fetching is None, 30)
    settle()
    education = info.form.widgets["education"]
    education.setCurrentIndex(education.findData("20" if info.current.get("education") != "20" else "10"))
    info.form.widgets["home_address"].setText("示范市滨江区江南大道88号3幢1201室")
    info.enter()
    wait(lambda: info.changes.rowCount() == 2)
    settle()
    save(main, "69-employee-info-list.png")

    # leave the centre as found for the shots that follow
    move_to(today)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/gjj-shots"))
    args = parser.parse_args()
    if not os.environ.get("DISPLAY") and os.environ.get("QT_QPA_PLATFORM") not in ("offscreen", "xcb"):
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", "env", "QT_QPA_PLATFORM=xcb",
               sys.executable, __file__, "--out", str(args.out)]
        return subprocess.call(cmd)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gjj-shots-") as work:
        for path in shoot(args.out, Path(work)):
            print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
