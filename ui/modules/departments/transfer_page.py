"""部门调动 (SPEC 4.11): pick employees (one by one with the picker, or everyone of a department) into the
调动清册, choose the 调入部门, 【确定调动】 moves them all or none."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from client.draft_list import DraftList
from client.employees import TRANSFER_DRAFT
from client.errors import ClientError
from client.roster import RosterEntry
from ui.modules.employee_kit.dialogs import flash_info
from ui.modules.employee_kit.draft_panel import DraftPanel
from ui.modules.employee_kit.hub import EmployeeHub
from ui.modules.employee_kit.keeper import DraftKeeper
from ui.modules.employee_kit.picker import PersonPicker
from ui.modules.employee_kit.submit import DraftSubmission
from ui.modules.employee_kit.table import Col, DraftTableModel
from ui.widgets import InlineMessage


def columns(hub: EmployeeHub) -> list[Col]:
    return [Col("#", "序号", 60), Col("person_account", "个人账号", 150), Col("name", "姓名", 100),
            Col("id_number", "证件号码", 190), Col("status", "状态", 70, "status"),
            Col("department", "当前部门", 200, fmt=lambda r: hub.department_name(r.get("department")) or "未分配"),
            Col("_status", "清册状态", 100)]


def row_of(entry: RosterEntry) -> dict:
    return {"person_account": entry.person_account, "name": entry.name, "id_number": entry.id_number,
            "status": entry.status, "department": entry.department}


class TransferPage(QWidget):
    def __init__(self, hub: EmployeeHub, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        self.picker = PersonPicker(hub)
        self.add_button = QPushButton("录入清册")
        self.add_button.setObjectName("primary")
        self.add_button.clicked.connect(lambda: self.add_picked())
        self.source = QComboBox()
        self.source.setObjectName("sourceDepartment")
        self.source.setMinimumWidth(180)
        self.add_all_button = QPushButton("加入该部门全部职工")
        self.add_all_button.clicked.connect(lambda: self.add_department())
        self.target = QComboBox()
        self.target.setObjectName("targetDepartment")
        self.target.setMinimumWidth(200)
        self.model = DraftTableModel(DraftList(), columns(hub), self)
        target_box = QWidget()
        target_row = QHBoxLayout(target_box)
        target_row.setContentsMargins(0, 0, 0, 0)
        target_label = QLabel("调入部门")
        target_label.setObjectName("formLabel")
        target_row.addWidget(target_label)
        target_row.addWidget(self.target)
        self.panel = DraftPanel("调动清册", self.model, "确定调动", extra_buttons=[target_box])
        self.keeper = DraftKeeper(self.model, lambda: hub.draft_place(TRANSFER_DRAFT), (), self)
        self.submission = DraftSubmission(
            hub, self.panel, business="部门调动", identity="person_account", signed=False,
            options=self._target, send=lambda client, rows, target: client.transfer(
                [r["person_account"] for r in rows], target))
        pick = QGroupBox("选择职工")
        line = QHBoxLayout()
        line.setSpacing(8)
        who = QLabel("职工")
        who.setObjectName("formLabel")
        line.addWidget(who)
        line.addWidget(self.picker, 3)
        line.addWidget(self.add_button)
        line.addSpacing(24)
        whole = QLabel("或按部门")
        whole.setObjectName("formLabel")
        line.addWidget(whole)
        line.addWidget(self.source, 1)
        line.addWidget(self.add_all_button)
        self.message = InlineMessage()
        pick_layout = QVBoxLayout(pick)
        pick_layout.addLayout(line)
        pick_layout.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        layout.addWidget(pick)
        layout.addWidget(self.panel, 1)
        hub.departments_changed.connect(self._fill_departments)
        self._fill_departments()
        self.keeper.load()

    def _fill_departments(self) -> None:
        for combo, first in ((self.target, "请选择调入部门"), (self.source, "请选择部门")):
            current = combo.currentData()
            combo.clear()
            combo.addItem(first, "")
            for d in self.hub.departments:
                combo.addItem(f"{d['name']}（{d['code']}）", d["code"])
            if current:
                combo.setCurrentIndex(max(0, combo.findData(current)))

    def _target(self) -> str:
        code = self.target.currentData()
        if not code:
            raise ClientError("请选择调入部门")
        return code

    def add_picked(self) -> bool:
        entry = self.picker.entry
        if entry is None:
            self.message.show_error("请先选择职工（输入姓名、证件号码或个人账号查找）")
            return False
        if self.model.draft.find("person_account", entry.person_account) is not None:
            self.message.show_error(f"{entry.name}（{entry.person_account}）已在调动清册中")
            return False
        self.model.append([row_of(entry)])
        flash_info(self.message, f"已将{entry.name}加入调动清册")
        self.picker.clear()
        return True

    def add_department(self) -> int:
        code = self.source.currentData()
        if not code or self.hub.roster is None:
            self.message.show_error("请先选择部门")
            return 0
        there = {r["person_account"] for r in self.model.draft.rows}
        people = [row_of(e) for e in self.hub.roster.in_department(code) if e.person_account not in there]
        self.model.append(people)
        if people:
            flash_info(self.message, f"已将{self.source.currentText()}的{len(people)}人加入调动清册")
        else:
            self.message.show_error("该部门没有职工，或其职工都已在调动清册中")
        return len(people)
