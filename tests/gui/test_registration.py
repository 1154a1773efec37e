"""自主开户 from the login window with a mock centre: required fields marked and named, a USCC whose check
character fails is a warning the clerk confirms (or goes back to correct), the licence is checked by content,
提交审批 shows the application number and query code, 状态查询, 返回首页. (Against the real centre, approved and
logged in: tests/integration/test_approval_e2e.py.)"""

from __future__ import annotations

import json

import httpx
import pytest
from stdnum.cn import uscc as uscc_check

from tests.gui.support import _json, _problem
from tests.gui.test_tasks_helpers import PDF, AppsCentre, click_box_button, in_dialog, message_box, visible, \
    when_visible
from ui.registration.dialog import USCC_CONFIRM, RegistrationDialog
from ui.registration.status import RegistrationStatusDialog

USCC_BODY = "91330106MA2K0X1Y2"
USCC = USCC_BODY + uscc_check.calc_check_digit(USCC_BODY)
BAD_CHECK = USCC_BODY + ("0" if USCC[-1] != "0" else "1")


class RegistrationCentre(AppsCentre):
    def __init__(self) -> None:
        super().__init__()
        self.registered: list[dict] = []
        self.keys: list[str] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v1")
        if not path.startswith("/registrations"):
            return super().handle(request)
        self.calls.append((request.method, path))
        self.keys.append(request.headers.get("idempotency-key", ""))
        if request.method == "POST" and path == "/registrations":
            body = json.loads(request.content)
            if body["uscc"][-1] != uscc_check.calc_check_digit(body["uscc"][:-1]) and not body["uscc_confirmed"]:
                return _problem(422, {"code": "uscc_checksum_warning", "detail": "统一社会信用代码校验位不符"})
            self.registered.append(body)
            return httpx.Response(201, json={"application_no": "20260701000009", "query_code": "K7M2Q9XZ",
                                             "status": "draft"})
        if path.endswith("/attachments"):
            return httpx.Response(201, json={"attachment_id": 1, "kind": "business_licence"})
        if path.endswith("/submit"):
            return _json({"id": 9, "application_no": "20260701000009", "type": "registration", "status": "pending",
                          "current_node": "中心初审"})
        if request.method == "GET":
            if request.url.params.get("query_code") != "K7M2Q9XZ":
                return _problem(404, {"code": "not_found", "detail": "申请编号或查询码不正确，请核对"})
            return _json({"application_no": "20260701000009", "status": "pending", "status_label": "审核中",
                          "current_node": "中心初审", "opinion": "", "submitted_at": "2026-07-01T09:00:00+08:00",
                          "updated_at": "2026-07-01T09:00:00+08:00", "unit_account": None, "login_name": "lina",
                          "steps": [], "attachments": []})
        return _problem(404, {"code": "not_found", "detail": "没有这个接口"})


@pytest.fixture
def centre():
    return RegistrationCentre()


def fill(dialog: RegistrationDialog, licence: str, uscc: str = USCC) -> None:
    form = dialog.form
    values = {"name": "示范市新星文化传媒有限公司", "uscc": uscc, "address": "示范市上城区解放路18号", "postcode": "310002",
              "email": "hr@xinxing-demo.cn", "legal_rep_name": "周明", "legal_rep_id_number": "110102197501018678",
              "contact_phone": "0571-87000000", "pay_day": 10, "industry": "M", "economic_type": "170",
              "unit_ratio": "10", "person_ratio": "10", "operator.name": "李娜", "operator.id_number": "120101199001011386",
              "operator.mobile": "13900001111", "operator.login_name": "lina", "operator.password": "Start2025",
              "password_again": "Start2025"}
    for key, value in values.items():
        form.set_value(key, value)
    form.set_licence(licence, len(PDF))


def _open(qtbot, login_window, act):
    in_dialog(lambda: visible(RegistrationDialog), lambda: qtbot.mouseClick(login_window.register_button, _left()), act)


def test_required_fields_are_marked_and_named(qtbot, login_window, centre):
    seen = {}

    def act(dialog):
        stars = [w for w in dialog.form.findChildren(object, "required")]
        seen["stars"] = len(stars)
        dialog.form.set_value("name", "某单位")
        dialog.submit_button.click()
        seen["error"] = dialog.error.text()
        seen["marked"] = dialog.form.fields["uscc"].property("mark")

    _open(qtbot, login_window, act)
    assert login_window.register_button.text() == "自主开户"
    assert seen["stars"] == 20  # 12 unit fields + 7 operator fields + the licence
    assert seen["error"].startswith("请填写以下必填项：统一社会信用代码、单位地址、邮政编码、法定代表人姓名")
    assert seen["error"].endswith("登录名、登录密码、确认密码、营业执照扫描件")
    assert seen["marked"] == "error"
    assert not [c for c in centre.calls if c[0] == "POST"]


def test_a_uscc_check_warning_can_be_corrected_or_confirmed(qtbot, login_window, centre, tmp_path):
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(PDF)
    seen = {}

    def act(dialog):
        fill(dialog, str(licence), uscc=BAD_CHECK)
        when_visible(message_box, lambda box: seen.setdefault("first", click_box_button(box, "返回修改")))
        dialog.submit_button.click()
        seen["after_back"] = (dialog.form.fields["uscc"].property("mark"), len(centre.registered))
        when_visible(message_box, lambda box: seen.setdefault("second", click_box_button(box, "确认无误，继续提交")))
        dialog.submit_button.click()
        qtbot.waitUntil(lambda: dialog.stack.currentIndex() == 1, timeout=5000)
        seen["number"] = dialog.number_label.text()
        seen["code"] = dialog.code_label.text()
        when_visible(lambda: visible(RegistrationStatusDialog), status)
        dialog.open_status()
        dialog.done_home_button.click()  # 返回首页

    def status(box: RegistrationStatusDialog):
        qtbot.waitUntil(lambda: box.result.isVisible(), timeout=5000)
        seen["status"] = box.result.text("status_label"), box.next_step.text()
        box.code.setText("WRONG000")
        box.query()
        qtbot.waitUntil(lambda: box.error.isVisible(), timeout=5000)
        seen["wrong"] = box.error.text()
        box.reject()

    _open(qtbot, login_window, act)
    message = "统一社会信用代码校验位不符，请核对；如确认与营业执照一致，可确认后继续"
    assert seen["first"] == USCC_CONFIRM.format(message=message, code=BAD_CHECK)
    assert seen["after_back"] == ("error", 0)
    assert seen["second"] == seen["first"]
    assert centre.registered[0]["uscc_confirmed"] is True and centre.registered[0]["uscc"] == BAD_CHECK
    assert centre.registered[0]["operator"]["login_name"] == "lina"
    assert [c[1] for c in centre.calls if c[0] == "POST"] == [
        "/registrations", "/registrations/20260701000009/attachments", "/registrations/20260701000009/submit"]
    assert seen["number"] == "申请编号：20260701000009" and seen["code"] == "查询码：K7M2Q9XZ"
    assert seen["status"] == ("审核中", "开户申请正在审批中，请耐心等待。")
    assert seen["wrong"] == "申请编号或查询码不正确，请核对"
    assert not login_window.isHidden()  # back on the login window


def test_a_licence_that_is_not_a_scan_is_refused(qtbot, login_window, tmp_path):
    fake = tmp_path / "营业执照.pdf"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 64)
    seen = {}

    def act(dialog):
        dialog.use_licence(str(fake))
        qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=5000)
        seen["error"] = dialog.error.text()
        seen["path"] = dialog.form.licence_path

    _open(qtbot, login_window, act)
    assert seen["error"].startswith("文件“营业执照.pdf”不是PDF、JPEG、PNG或TIFF文件")
    assert seen["path"] is None


def _left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
