"""The employee tabs' shared pieces without a centre: the 个人账号 picker driven from the keyboard, the 清册
keeper saving every change to the local store, and 批量导入 cancelled from its progress dialog (the engine
stops, nothing goes into the 清册)."""
from __future__ import annotations

import datetime as dt
import threading
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from client.draft_list import REFUSED, DraftList, DraftStore
from client.roster import Roster
from client.store import LocalStore
from services.dictionaries import default_dictionaries
from services.policy import DEMO_POLICY
from tests.gui.support import wait_ops
from ui import ops
from ui.modules.employee_kit.hub import EmployeeHub
from ui.modules.employee_kit.keeper import DraftKeeper
from ui.modules.employee_kit.picker import PersonPicker
from ui.modules.employee_kit.table import Col, DraftTableModel

DAY = dt.date(2025, 3, 10)
ROSTER = Roster.from_api({"version": "v1", "fields": ["person_account", "name", "id_number", "status", "department"],
                          "rows": [["200100000001", "张三", "110101199003070011", "01", "01"],
                                   ["200100000002", "李四", "110101198505120027", "02", "01"],
                                   ["200100000003", "张三丰", "440301199511110035", "01", "02"]]})


class FakeMain(QWidget):
    changed = Signal(str)

    def __init__(self, store) -> None:
        super().__init__()
        self.session = SimpleNamespace(unit={"unit_ratio": "12", "person_ratio": "12", "paid_through": "2025-02"},
                                       policy=DEMO_POLICY, dictionaries=default_dictionaries(), business_date=DAY,
                                       unit_account="100100000001", login_name="zhangli", unit_name="测试单位",
                                       operator_name="张丽")
        self.desk = SimpleNamespace(store=lambda: store)
        self.api = None


@pytest.fixture
def hub(qapp, tmp_path):
    store = LocalStore(tmp_path / "local.sqlite3")
    main = FakeMain(store)
    hub = EmployeeHub(main)
    hub.roster = ROSTER
    hub.departments = [{"code": "01", "name": "综合管理部"}, {"code": "02", "name": "研发中心"}]
    yield hub
    wait_ops(qapp)
    main.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    store.close()


def _type(edit, text: str) -> None:
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(edit, event)


def test_picker_from_the_keyboard(qtbot, hub):
    picker = PersonPicker(hub, {"01"})
    qtbot.addWidget(picker)
    picker.show()
    picked = []
    picker.picked.connect(picked.append)
    picker.edit.setFocus()
    _type(picker.edit, "张")
    popup = picker.completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    assert [m.name for m in picker.matches] == ["张三", "张三丰"]
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert picker.entry is not None and picker.entry.name == "张三丰"
    assert picker.edit.text() == "200100000003  张三丰" and picked == [picker.entry]
    assert picker.details.text() == "状态：正常　部门：研发中心（02）"
    # editing the text drops the choice; a whole 证件号码 typed and left is taken
    picker.edit.clear()
    qtbot.keyClicks(picker.edit, "110101199003070011")
    picker.edit.editingFinished.emit()
    assert picker.entry.name == "张三"
    # 李四 is 封存: not offered to a picker of 正常 people
    assert picker.search("李四") == [] and not picker.select_account("200100000002")


def test_every_change_of_a_draft_is_saved(qtbot, hub):
    place = DraftStore(hub.main.desk.store(), "100100000001", "zhangli", "employees.test")
    model = DraftTableModel(DraftList(money_keys=("base",)), [Col("name", "姓名"), Col("base", "基数", kind="money")])
    keeper = DraftKeeper(model, lambda: place, ("base",))
    keeper.load()
    qtbot.waitUntil(lambda: keeper.is_loaded, timeout=3000)

    def stored():
        qtbot.waitUntil(lambda: ops.active_count() == 0 and not keeper.busy, timeout=3000)
        return DraftList.from_snapshot(place.load(), money_keys=("base",))

    model.append([{"name": "甲", "base": "5000.00"}])
    model.append([{"name": "乙", "base": "1234.50"}, {"name": "丙", "base": "100.00"}])
    for _ in range(5):   # quick changes: saved one after the other, the last one wins
        model.set_meta("note", _)
    saved = stored()
    assert [r["name"] for r in saved.rows] == ["甲", "乙", "丙"] and str(saved.total("base")) == "6334.50"
    assert saved.meta["note"] == 4
    model.set_statuses({1: (REFUSED, "证件号码：校验位错误")})
    assert stored().refused_count() == 1 and model.data(model.index(1, 0), Qt.ItemDataRole.ToolTipRole) == \
        "证件号码：校验位错误"
    model.remove([0, 2])
    saved = stored()
    assert [r["name"] for r in saved.rows] == ["乙"] and str(saved.total("base")) == "1234.50"
    model.set_meta("note", None)
    model.clear()
    assert stored().rows == [] and place.load() is None   # an empty 清册 leaves nothing behind
    keeper.deleteLater()
    model.deleteLater()


def test_a_cancelled_import_adds_nothing(qtbot, hub, tmp_path, monkeypatch):
    from services.batch import write_template
    from ui.modules.employee_kit import importer

    rows = [[f"职工{i}", "", "", "", "", "5000", ""] for i in range(2500)]
    book = write_template("open", tmp_path / "big.xlsx", rows=rows)
    reached = threading.Event()
    real = importer.import_rows

    def held(*args, progress, cancel, **kwargs):
        def report(done, total):
            progress(done, total)
            reached.set()
            cancel.wait(10)   # the clerk is looking at the progress dialog
        return real(*args, progress=report, cancel=cancel, **kwargs)

    monkeypatch.setattr(importer, "import_rows", held)
    added = []
    dialog = importer.ImportDialog(hub, "open", "缴存人登记", lambda r: added.extend(r) or [])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.file.setText(str(book))
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert not dialog.start_button.isEnabled()
    qtbot.waitUntil(reached.is_set, timeout=10000)
    progress = dialog.findChildren(QProgressDialog)[0]
    qtbot.waitUntil(progress.isVisible, timeout=3000)
    qtbot.waitUntil(lambda: "已处理 1,000 / 2,5" in progress.labelText(), timeout=3000)
    from PySide6.QtWidgets import QPushButton

    cancel_button = next(b for b in progress.findChildren(QPushButton) if b.text() == "取消")
    qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ops.active_count() == 0, timeout=10000)
    assert added == [] and dialog.result is None
    assert dialog.message.text() == "已取消导入，清册未改变" and dialog.start_button.isEnabled()
