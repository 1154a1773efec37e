"""缴存人登记 (SPEC 4.8): 单个录入 or 批量导入 into the 开户清册, 【删除】, 【完成办理】 opens every row at once
(signed with the UKey; the centre issues the 个人账号s) or none, with every refused row marked."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy,
                               QTableView, QVBoxLayout, QWidget)

from client.draft_list import DraftList
from client.employees import OPEN_DRAFT
from client.errors import ClientError
from services.identity import ID_TYPE_RESIDENT, ID_TYPES
from services.money import D
from ui.modules.employee_kit.dialogs import flash_info, scrolling
from ui.modules.employee_kit.draft_panel import DraftPanel
from ui.modules.employee_kit.hub import EmployeeHub, hub_of
from ui.modules.employee_kit.importer import ImportDialog
from ui.modules.employee_kit.keeper import DraftKeeper
from ui.modules.employee_kit.submit import DraftSubmission
from ui.modules.employee_kit.table import Col, DraftTableModel, RowsModel, make_table
from ui.modules.employee_open.form import OpenForm

MONEY_KEYS = ("base", "monthly")


def _id_text(row: dict) -> str:
    kind = row.get("id_type") or ID_TYPE_RESIDENT
    number = row.get("id_number") or ""
    return number if kind == ID_TYPE_RESIDENT else f"{ID_TYPES.get(kind, kind)} {number}"


def columns(hub: EmployeeHub) -> list[Col]:
    return [Col("#", "序号", 50), Col("name", "姓名", 80), Col("id_number", "证件号码", 160, fmt=_id_text),
            Col("gender", "性别", 50, "gender"), Col("mobile", "手机号码", 105),
            Col("department", "部门", 130, fmt=lambda r: hub.department_name(r.get("department"))),
            Col("base", "缴存基数", 100, "money"),
            Col("ratios", "缴存比例", 100, fmt=lambda r: f"{r.get('unit_ratio')}% / {r.get('person_ratio')}%"),
            Col("monthly", "月缴存额", 100, "money"), Col("first_month", "首次缴存年月", 100, "month"),
            Col("source", "来源", 85), Col("_status", "清册状态", 90)]


class OpenTab(QWidget):
    def __init__(self, main) -> None:
        super().__init__()
        self.setObjectName("employeeOpenTab")
        self.hub = hub_of(main)
        self.form = OpenForm(self.hub)
        self.model = DraftTableModel(DraftList(money_keys=MONEY_KEYS), columns(self.hub), self)
        self.panel = DraftPanel("开户清册", self.model, "完成办理", totals=[("base", "缴存基数"), ("monthly", "月缴存额")])
        self.keeper = DraftKeeper(self.model, lambda: self.hub.draft_place(OPEN_DRAFT), MONEY_KEYS, self)
        self.submission = DraftSubmission(self.hub, self.panel, business="缴存人登记", identity="id_number",
                                          send=lambda client, rows, _o: client.open_employees(rows))
        self.submission.done.connect(self._opened)
        self.form.draft_rows = lambda: self.model.draft.rows
        self.form.entered.connect(self.add_entry)
        self.form.import_button.clicked.connect(lambda: self.open_import())
        self.result_dialog: OpenedDialog | None = None
        self.import_dialog: ImportDialog | None = None
        self.form.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.panel.table.setMinimumHeight(120)   # and no more than fits: the page scrolls only when it must
        self.panel.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(8)
        layout.addWidget(self.form)
        layout.addWidget(self.panel, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(content))
        self.keeper.load()

    def add_entry(self, row: dict) -> None:
        self.model.append([row])
        self.panel.table.scrollToBottom()

    # -- 批量导入 -------------------------------------------------------------------------------------
    def open_import(self) -> ImportDialog:
        ratios = RatioChoice(self.hub)
        dialog = ImportDialog(self.hub, "open", "缴存人登记", self.add_imported, options=ratios,
                              options_value=ratios.value, parent=self)
        self.import_dialog = dialog
        dialog.open()
        return dialog

    def add_imported(self, rows: list[dict]) -> list[tuple[int, str]]:
        there = {(r.get("id_type"), r.get("id_number")): i for i, r in enumerate(self.model.draft.rows)}
        good, refused = [], []
        for row in rows:
            at = there.get((row.get("id_type"), row.get("id_number")))
            line = int(str(row.get("source", "")).removeprefix("导入第").removesuffix("行") or 0)
            if at is not None:
                refused.append((line, f"证件号码已在开户清册第{at + 1}行，未重复加入"))
            else:
                good.append(row)
        self.model.append(good)
        if good:
            flash_info(self.form.message, f"已从文件导入{len(good)}人到开户清册")
        return refused

    # -- 完成办理 -------------------------------------------------------------------------------------
    def _opened(self, answer: dict, rows: list[dict]) -> None:
        opened = answer.get("opened") or []
        shown = []
        for item in opened:
            index = int(item.get("row", 0)) - 1
            if 0 <= index < len(rows):
                shown.append({**rows[index], "person_account": item.get("person_account")})
        self.result_dialog = OpenedDialog(shown, self)
        self.result_dialog.open()


class RatioChoice(QWidget):
    """The ratios of a batch 登记 (SPEC 4.8: chosen when importing; default the unit's)."""

    def __init__(self, hub: EmployeeHub) -> None:
        super().__init__()
        self.policy = hub.session.policy
        unit_ratio, person_ratio = hub.entry_context().unit_ratios()
        self.unit = QLineEdit(str(unit_ratio or ""))
        self.person = QLineEdit(str(person_ratio or ""))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for text, edit in (("单位", self.unit), ("个人", self.person)):
            edit.setMaximumWidth(70)
            row.addWidget(QLabel(text))
            row.addWidget(edit)
            row.addWidget(QLabel("%"))
            row.addSpacing(12)
        hint = QLabel(f"（允许范围 {self.policy.unit_ratio_min}%–{self.policy.unit_ratio_max}%）")
        hint.setObjectName("hint")
        row.addWidget(hint)
        row.addStretch(1)

    def value(self) -> dict[str, Decimal]:
        try:
            unit, person = D(self.unit.text().strip()), D(self.person.text().strip())
        except (ValueError, TypeError, ArithmeticError):
            raise ClientError("缴存比例应为百分数，如12") from None
        reason = self.policy.check_ratios(unit, person)
        if reason:
            raise ClientError(reason + "，请修改缴存比例")
        return {"unit_ratio": unit, "person_ratio": person}


RESULT_COLUMNS = [Col("#", "序号", 50), Col("person_account", "个人账号", 150), Col("name", "姓名", 90),
                  Col("id_number", "证件号码", 180), Col("base", "缴存基数", 100, "money"),
                  Col("first_month", "首次缴存年月", 110, "month")]


class OpenedDialog(QDialog):
    """After 完成办理: the 个人账号 the centre issued to each person."""

    def __init__(self, rows: list[dict], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("openedDialog")
        self.setWindowTitle("缴存人登记办理成功")
        self.setMinimumSize(800, 420)
        title = QLabel(f"已完成办理缴存人登记（{len(rows)}人），公积金中心发放的个人账号如下：")
        title.setObjectName("sectionTitle")
        title.setWordWrap(True)
        self.model = RowsModel(RESULT_COLUMNS, rows, self)
        self.table: QTableView = make_table(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        close = QPushButton("关闭")
        close.setObjectName("primary")
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(title)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)


def tab(main) -> OpenTab:
    return OpenTab(main)
