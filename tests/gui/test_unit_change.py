"""单位信息变更 with a fake UKey and a mock centre: locked fields grey, 确定 fills the 待变更清册, × cancels a row,
local checks, the 档案扫描 checks (type by content, > 20 MB, > 20 files), the draft surviving a restart, and
完成办理 → 档案扫描 → 上传完成并提交审批 → 提交成功. (Against the real centre: tests/integration/test_approval_e2e.py.)"""

from __future__ import annotations

import pytest

from client.uploads import MAX_FILE_BYTES
from tests.gui.support import log_in, wait_ops
from tests.gui.test_tasks_helpers import PDF, UNIT_FIELDS, AppsCentre, in_dialog, visible, when_visible
from ui.modules.unit_change.scan import ScanDialog
from ui.modules.unit_change.success import SubmittedDialog

NEW_ADDRESS = "示范市滨江区网商路699号"


@pytest.fixture
def centre():
    return AppsCentre()


def _tab(qtbot, desk):
    desk.start()
    qtbot.waitUntil(lambda: desk.watcher.state is not None and desk.watcher.state.present, timeout=3000)
    main = log_in(qtbot, desk)
    tab = main.modules["单位信息变更"]
    qtbot.waitUntil(lambda: tab.loaded, timeout=5000)
    main.tabs.setCurrentWidget(tab)
    return main, tab


def _rows(tab) -> list[list[str]]:
    table = tab.changes
    return [[table.item(r, c).text() for c in range(1, 4)] for r in range(table.rowCount())]


def _edit(tab, name: str, text: str) -> None:
    tab.form.widgets[name].setText(text)


def test_locked_fields_are_grey_and_confirm_fills_the_list_with_cancel(qtbot, desk):
    _main, tab = _tab(qtbot, desk)
    for name in ("unit_account", "name", "uscc", "opened_on"):
        assert tab.form.is_locked(name)
    assert tab.form.value("opened_on") == "2015-03-01"
    assert tab.form.value("address") == UNIT_FIELDS["address"]
    assert not tab.finish_button.isEnabled() and tab.empty.isVisible()

    _edit(tab, "address", NEW_ADDRESS)
    _edit(tab, "contact_mobile", "13900001111")
    tab.form.widgets["industry"].setCurrentIndex(tab.form.widgets["industry"].findData("M"))
    tab.confirm_button.click()
    assert _rows(tab) == [["单位地址", UNIT_FIELDS["address"], NEW_ADDRESS],
                          ["经办人手机", "13800138000", "13900001111"],
                          ["所属行业", "I 信息传输、软件和信息技术服务业", "M 科学研究和技术服务业"]]
    assert tab.form.widgets["address"].property("mark") == "pending"
    assert tab.finish_button.isEnabled() and tab.count_label.text() == "共3项变更"

    qtbot.mouseClick(tab.changes.remove_button(1), qtbot_left())  # × on 经办人手机
    assert [r[0] for r in _rows(tab)] == ["单位地址", "所属行业"]
    assert tab.form.value("contact_mobile") == "13800138000"
    assert tab.form.widgets["contact_mobile"].property("mark") == ""


def test_bad_values_never_reach_the_list(qtbot, desk):
    _main, tab = _tab(qtbot, desk)
    _edit(tab, "postcode", "3100")
    _edit(tab, "contact_mobile", "2380013800")
    tab.confirm_button.click()
    assert tab.error.text() == "邮政编码应为6位数字\n经办人手机号码应为以1开头的11位数字，请核对"
    assert tab.form.widgets["postcode"].property("mark") == "error"
    assert _rows(tab) == []
    _edit(tab, "postcode", "310012")
    _edit(tab, "contact_mobile", "13800138000")
    tab.confirm_button.click()
    assert tab.error.text() == "未修改任何项目：请先修改需要变更的项目，再点击“确定”"


def _scan(qtbot, tab, act):
    """Open 档案扫描 (modal) and run act(dialog) in it."""
    in_dialog(lambda: visible(ScanDialog), tab.finish_button.click, act)


def test_scan_checks_refuse_wrong_type_too_large_and_too_many(qtbot, desk, tmp_path):
    _main, tab = _tab(qtbot, desk)
    _edit(tab, "address", NEW_ADDRESS)
    tab.confirm_button.click()
    fake = tmp_path / "营业执照.pdf"
    fake.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 512)  # an executable renamed .pdf
    big = tmp_path / "大图.pdf"
    with open(big, "wb") as out:
        out.write(PDF)
        out.truncate(MAX_FILE_BYTES + 1024 * 1024)
    many = []
    for i in range(21):
        path = tmp_path / f"第{i + 1}页.pdf"
        path.write_bytes(PDF + str(i).encode())
        many.append(str(path))
    seen = {}

    def act(dialog):
        dialog.add_paths([str(fake), str(big)])
        qtbot.waitUntil(lambda: not dialog.busy and dialog.error.isVisible(), timeout=5000)
        seen["type_and_size"] = dialog.error.text()
        dialog.add_paths(many)
        qtbot.waitUntil(lambda: not dialog.busy and dialog.error.text() != seen["type_and_size"], timeout=5000)
        seen["count"] = dialog.error.text()
        seen["files"] = dialog.list.count()
        dialog.submit()
        seen["none"] = dialog.error.text()

    _scan(qtbot, tab, act)
    assert seen["type_and_size"] == (
        "以下文件未添加：\n"
        "文件“营业执照.pdf”不是PDF、JPEG、PNG或TIFF文件（按文件内容识别，与扩展名无关），请上传扫描件或图片\n"
        "文件“大图.pdf”大小为21.0 MB，超过单个文件20 MB的上限，请降低扫描分辨率或分页扫描后再上传")
    assert seen["count"] == "每笔业务最多上传20个文件：已有0个，最多还能添加20个，请合并或删除部分文件"
    assert seen["files"] == 0
    assert seen["none"] == "请上传变更证明材料后再提交审批"
    assert tab.draft.files == []


def test_the_draft_survives_a_restart(qtbot, desk_factory, fake_token, tmp_path, qapp):
    desk = desk_factory(fake_token, start=False)
    _main, tab = _tab(qtbot, desk)
    _edit(tab, "address", NEW_ADDRESS)
    tab.confirm_button.click()
    scan = tmp_path / "门牌证明.pdf"
    scan.write_bytes(PDF)

    def act(dialog):
        dialog.add_paths([str(scan)])
        qtbot.waitUntil(lambda: dialog.list.count() == 1 and not dialog.busy, timeout=5000)

    _scan(qtbot, tab, act)
    wait_ops(qapp)
    scan.unlink()  # the kept copy is what will be uploaded
    desk.shutdown()
    desk.main_window.shutdown()

    again = desk_factory(fake_token, start=False)  # same GJJ_DESK_HOME: a restart of the desk
    _main2, tab2 = _tab(qtbot, again)
    assert _rows(tab2) == [["单位地址", UNIT_FIELDS["address"], NEW_ADDRESS]]
    assert [f.file.label for f in tab2.draft.files] == ["门牌证明.pdf"]
    assert tab2.spool.has(tab2.draft.files[0].file)
    assert tab2.form.value("address") == NEW_ADDRESS


def test_finish_uploads_and_submits(qtbot, desk, centre, tmp_path, monkeypatch):
    main, tab = _tab(qtbot, desk)
    _edit(tab, "address", NEW_ADDRESS)
    tab.confirm_button.click()
    scan = tmp_path / "门牌证明.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    seen = {}

    def on_success(dialog):
        seen["number"] = dialog.findChild(object, "applicationNo").text()
        seen["print"] = dialog.print_button is not None
        dialog.close_button.click()  # 不打印

    def act(dialog):
        dialog.add_paths([str(scan)])
        qtbot.waitUntil(lambda: dialog.list.count() == 1 and not dialog.busy, timeout=5000)
        seen["item"] = dialog.list.item(0).text()
        when_visible(lambda: visible(SubmittedDialog), on_success)
        dialog.submit()

    _scan(qtbot, tab, act)
    qtbot.waitUntil(lambda: "number" in seen, timeout=5000)
    assert seen["item"] == "门牌证明.png\nPNG · 72 B · 待上传"
    assert seen["number"] == "业务编号：20260701000001" and seen["print"]
    assert [c for c in centre.calls if c[0] == "POST"][-3:] == [
        ("POST", "/applications"), ("POST", "/applications/1/attachments"), ("POST", "/applications/1/submit")]
    content_type, body = centre.uploads[0]
    assert content_type.startswith("multipart/form-data; boundary=gjj-") and b"\x89PNG" in body
    assert _rows(tab) == [] and tab.draft.application_id is None
    assert tab.form.widgets["address"].property("mark") == ""


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_the_receipt_of_a_submission_prints():
    from tests.gui.test_tasks_helpers import detail
    from ui.modules.unit_change.success import receipt_pdf

    pdf = receipt_pdf(detail(3, "pending"), {"name": "测试科技有限公司", "unit_account": "100100000001"}, "王经办")
    assert pdf.startswith(b"%PDF-")


def test_a_long_value_in_the_list_is_shown_in_full(qtbot):
    """Each row of the 待变更清册 is as tall as its wrapped 变更前 / 变更后: Qt's own measure leaves out the style
    sheet's cell padding and used to cut the last line of an address with "…"."""
    from PySide6.QtCore import Qt

    from ui.modules.unit_change.change_list import CELL_SPARE, ChangeList

    table = ChangeList()
    table.setStyleSheet(table.styleSheet() + "QTableView::item { padding: 0 6px; }")   # as resources/style.qss
    qtbot.addWidget(table)
    table.resize(360, 300)
    table.show()
    address = "示范市滨江区江南大道88号3幢1201室"
    table.set_rows([("education", "学历", "", "本科"), ("home_address", "家庭住址", "", address)])
    flags = Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextWrapAnywhere
    text = table.fontMetrics().boundingRect(0, 0, table.columnWidth(3) - CELL_SPARE, 10_000, flags, address)
    assert text.height() >= 2 * table.fontMetrics().lineSpacing()       # wrapped in this width
    assert table.rowHeight(1) >= text.height() + 12 > table.rowHeight(0)
