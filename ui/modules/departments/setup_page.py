"""部门设立 (SPEC 4.11): the unit's departments with their headcounts; 增加部门 (code + name), 修改名称 of the
selected one, 撤销部门 (asks; the centre refuses while anyone, even 封存, is in it)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from client.employees import check_department
from client.errors import ClientError
from ui.errors import message_for
from ui.modules.employee_kit.dialogs import confirm
from ui.modules.employee_kit.hub import DEPARTMENTS, EmployeeHub
from ui.modules.employee_kit.table import Col, RowsModel, make_table, selected_rows
from ui.ops import Op
from ui.widgets import InlineMessage

COLUMNS = [Col("#", "序号", 60), Col("code", "部门代码", 140), Col("name", "部门名称", 320),
           Col("active_count", "正常缴存人数", 130, "int"), Col("sealed_count", "封存人数", 120, "int")]


class DepartmentSetupPage(QWidget):
    def __init__(self, hub: EmployeeHub, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        self.code = QLineEdit()
        self.code.setObjectName("departmentCode")
        self.code.setPlaceholderText("1–20位字母、数字、-或_")
        self.code.setMaxLength(20)
        self.name = QLineEdit()
        self.name.setObjectName("departmentName")
        self.name.setPlaceholderText("如：研发中心")
        self.name.setMaxLength(100)
        self.add_button = QPushButton("增加部门")
        self.add_button.setObjectName("primary")
        self.add_button.clicked.connect(lambda: self.add())
        self.rename_button = QPushButton("修改名称")
        self.rename_button.clicked.connect(lambda: self.rename())
        self.delete_button = QPushButton("撤销部门")
        self.delete_button.clicked.connect(lambda: self.delete())
        self.message = InlineMessage()
        form = QGroupBox("部门信息")
        row = QHBoxLayout()
        row.setSpacing(8)
        for text, widget, stretch in (("部门代码", self.code, 1), ("部门名称", self.name, 2)):
            label = QLabel(text)
            label.setObjectName("formLabel")
            row.addWidget(label)
            row.addWidget(widget, stretch)
            row.addSpacing(6)
        for button in (self.add_button, self.rename_button, self.delete_button):
            row.addWidget(button)
        hint = QLabel("增加部门：填写部门代码和部门名称后点击【增加部门】。修改或撤销：先在下表中选择部门。"
                      "部门中还有职工（含封存）时不能撤销，请先到【部门调动】将他们调往其他部门。")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        inner = QVBoxLayout(form)
        inner.addLayout(row)
        inner.addWidget(hint)
        self.model = RowsModel(COLUMNS, parent=self)
        self.table = make_table(self.model, multi=False, stretch="name")
        self.table.setObjectName("departmentTable")
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.count = QLabel()
        self.count.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        layout.addWidget(form)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self._pending_select: str | None = None
        hub.departments_changed.connect(self.show_departments)
        self.show_departments()

    def show_departments(self) -> None:
        current = self._pending_select or self.selected_code()
        self._pending_select = None
        self.model.set_rows(self.hub.departments)
        active = sum(int(d.get("active_count") or 0) for d in self.hub.departments)
        sealed = sum(int(d.get("sealed_count") or 0) for d in self.hub.departments)
        self.count.setText(f"共 {len(self.hub.departments)} 个部门，正常缴存 {active} 人，封存 {sealed} 人")
        if current:
            self.select(current)
        self._selected()

    def selected_code(self) -> str | None:
        rows = selected_rows(self.table)
        return self.model.row(rows[0])["code"] if rows else None

    def select(self, code: str) -> bool:
        for i, d in enumerate(self.model.rows):
            if d["code"] == code:
                self.table.selectRow(i)
                return True
        return False

    def _selected(self) -> None:
        code = self.selected_code()
        self.rename_button.setEnabled(code is not None)
        self.delete_button.setEnabled(code is not None)
        if code is not None:
            department = next(d for d in self.model.rows if d["code"] == code)
            self.code.setText(code)
            self.name.setText(department["name"])

    # -- actions ------------------------------------------------------------------------------------
    def add(self) -> Op | None:
        try:
            code, name = check_department(self.code.text(), self.name.text())
        except ClientError as exc:
            self.message.show_error(exc.message)
            return None
        if code in self.hub.department_names():
            self.message.show_error(f"部门代码{code}已存在，请使用其他代码")
            return None
        return self._run(lambda c: c.create_department(code, name), f"已增加部门：{name}（{code}）", code)

    def rename(self) -> Op | None:
        code = self.selected_code()
        if code is None:
            self.message.show_error("请先在表中选择要修改的部门")
            return None
        try:
            _code, name = check_department(code, self.name.text())
        except ClientError as exc:
            self.message.show_error(exc.message)
            return None
        return self._run(lambda c: c.rename_department(code, name), f"部门{code}的名称已改为：{name}", code)

    def delete(self, *, ask: Callable[..., bool] = confirm) -> Op | None:
        code = self.selected_code()
        if code is None:
            self.message.show_error("请先在表中选择要撤销的部门")
            return None
        department = next(d for d in self.model.rows if d["code"] == code)
        people = int(department.get("active_count") or 0) + int(department.get("sealed_count") or 0)
        if people:
            self.message.show_error(f"部门“{department['name']}”还有{people}名职工（正常{department['active_count']}人、"
                                    f"封存{department['sealed_count']}人），不能撤销：请先到【部门调动】将他们调往其他部门")
            return None
        if not ask(self, "撤销部门", f"确定撤销部门“{department['name']}（{code}）”吗？", "撤销",
                   name="confirmDeleteDepartment"):
            return None
        return self._run(lambda c: c.delete_department(code), f"已撤销部门：{department['name']}（{code}）", None)

    def _run(self, call, done_text: str, select: str | None) -> Op:
        self.message.clear_message()
        for button in (self.add_button, self.rename_button, self.delete_button):
            button.setEnabled(False)

        def finished(_answer) -> None:
            self.add_button.setEnabled(True)
            self._selected()
            self.message.show_info(done_text)
            if select is None:
                self.code.clear()
                self.name.clear()
            self._pending_select = select
            self.hub.announce(DEPARTMENTS)

        def failed(exc: BaseException) -> None:
            self._selected()
            self.add_button.setEnabled(True)
            self.message.show_error(message_for(exc))

        return (Op(self, lambda: call(self.hub.client())).with_progress("正在提交…")
                .success(finished).failure(failed).run())
