"""The 自主开户 form: the unit, its first operator (经办人, who logs in once the centre approves and issues the
UKey) and the business licence scan. Required fields carry a red *; the body is built as POST /registrations
wants it; the centre's per-field refusals are marked on the fields."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.uploads import fmt_size
from services.dictionaries import Dictionaries
from services.identity import ID_TYPES

FORM_STYLE = """
QLineEdit[mark="error"], QComboBox[mark="error"] { background: #fdf0ef; border: 1px solid #d9534f; }
QLabel#required { color: #c0392b; font-weight: bold; }
"""
LABEL_WIDTH = 170  # every group's label column: the fields line up from group to group
LICENCE_FILTER = "营业执照扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;所有文件 (*)"

# (key, label, required, kind, span) — kind: text | password | combo:<dictionary> | day
UNIT_ROWS = [
    ("name", "单位名称", True, "text", True),
    ("uscc", "统一社会信用代码", True, "text", False), ("pay_day", "发薪日", True, "day", False),
    ("address", "单位地址", True, "text", True),
    ("postcode", "邮政编码", True, "text", False), ("email", "电子信箱", False, "text", False),
    ("legal_rep_name", "法定代表人姓名", True, "text", False),
    ("legal_rep_id_type", "法定代表人证件类型", True, "combo:id_type", False),
    ("legal_rep_id_number", "法定代表人证件号码", True, "text", False),
    ("contact_phone", "单位联系电话", False, "text", False),
    ("industry", "所属行业", True, "combo:industry", False),
    ("economic_type", "经济类型", True, "combo:economic_type", False),
    ("unit_ratio", "单位缴存比例（%）", True, "text", False), ("person_ratio", "个人缴存比例（%）", True, "text", False),
]
OPERATOR_ROWS = [
    ("operator.name", "经办人姓名", True, "text", False), ("operator.id_type", "证件类型", True, "combo:id_type", False),
    ("operator.id_number", "证件号码", True, "text", False), ("operator.mobile", "手机号码", True, "text", False),
    ("operator.login_name", "登录名", True, "text", False), ("", "", False, "", False),
    ("operator.password", "登录密码", True, "password", False),
    ("password_again", "确认密码", True, "password", False),
]
LABELS = {key: label for key, label, *_ in UNIT_ROWS + OPERATOR_ROWS if key}
LABELS["licence"] = "营业执照扫描件"


def required_label(text: str, required: bool) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(2)
    row.addStretch(1)
    if required:
        star = QLabel("*")
        star.setObjectName("required")
        row.addWidget(star)
    label = QLabel(f"{text}：")
    label.setObjectName("formLabel")
    row.addWidget(label)
    return box


class RegistrationForm(QWidget):
    def __init__(self, dictionaries: Dictionaries, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("registrationForm")
        self.setStyleSheet(FORM_STYLE)
        self.dictionaries = dictionaries
        self.fields: dict[str, QWidget] = {}
        self.required = {key for key, _l, req, *_ in UNIT_ROWS + OPERATOR_ROWS if req}
        self.licence_path: str | None = None
        self.licence_label = QLabel("未选择文件")
        self.licence_label.setObjectName("hint")
        self.licence_button = QPushButton("选择文件…")
        self.licence_button.setObjectName("pickLicence")
        self.licence_button.clicked.connect(self.pick_licence)

        unit = QGroupBox("单位信息")
        unit.setLayout(self._grid(UNIT_ROWS))
        self.ratio_hint = QLabel()
        self.ratio_hint.setObjectName("hint")
        unit.layout().addWidget(self.ratio_hint, unit.layout().rowCount(), 1, 1, 3)
        operator = QGroupBox("经办人（审批通过后用此登录名和密码登录本系统）")
        operator.setLayout(self._grid(OPERATOR_ROWS))
        hint = QLabel("登录名：3–40位字母、数字、下划线、点或减号，以字母开头；密码：8–64位，同时包含字母和数字")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        operator.layout().addWidget(hint, operator.layout().rowCount(), 1, 1, 3)
        licence = QGroupBox("营业执照")
        row = QGridLayout(licence)
        row.addWidget(required_label("营业执照扫描件", True), 0, 0)
        row.addWidget(self.licence_label, 0, 1)
        row.addWidget(self.licence_button, 0, 2)
        note = QLabel("PDF、JPEG、PNG或TIFF格式，不超过20 MB；按文件内容识别格式")
        note.setObjectName("hint")
        row.addWidget(note, 1, 1, 1, 2)
        row.setColumnStretch(1, 1)
        row.setColumnMinimumWidth(0, LABEL_WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(unit)
        layout.addWidget(operator)
        layout.addWidget(licence)

    def _grid(self, rows) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(9)
        r = c = 0
        for key, label, required, kind, span in rows:
            if span and c:
                r, c = r + 1, 0
            if key:
                widget = self._make(key, kind)
                self.fields[key] = widget
                grid.addWidget(required_label(label, required), r, c * 2)
                grid.addWidget(widget, r, c * 2 + 1, 1, 3 if span else 1)
            if span:
                r += 1
            else:
                r, c = (r, 1) if c == 0 else (r + 1, 0)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setColumnMinimumWidth(0, LABEL_WIDTH)
        grid.setColumnMinimumWidth(2, LABEL_WIDTH)
        return grid

    def _make(self, key: str, kind: str) -> QWidget:
        if kind.startswith("combo:"):
            combo = QComboBox()
            name = kind.split(":", 1)[1]
            table = self.dictionaries.tables.get(name) or (ID_TYPES if name == "id_type" else {})
            for code, label in table.items():
                combo.addItem(f"{code} {label}", code)
            widget: QWidget = combo
        elif kind == "day":
            days = QComboBox()
            for day in range(1, 32):
                days.addItem(f"每月{day}日", day)
            days.setCurrentIndex(9)
            widget = days
        else:
            edit = QLineEdit()
            if kind == "password":
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            widget = edit
        widget.setObjectName("reg_" + key.replace(".", "_"))
        return widget

    # -- values -----------------------------------------------------------------------------------

    def value(self, key: str) -> Any:
        widget = self.fields[key]
        if isinstance(widget, QComboBox):
            return widget.currentData() or ""
        return widget.text().strip() if not (isinstance(widget, QLineEdit) and
                                             widget.echoMode() == QLineEdit.EchoMode.Password) else widget.text()

    def set_value(self, key: str, value: Any) -> None:
        widget = self.fields[key]
        if isinstance(widget, QComboBox):
            index = widget.findData(value)
            widget.setCurrentIndex(index if index >= 0 else max(0, widget.findData(str(value))))
        else:
            widget.setText(str(value))

    def body(self, uscc_confirmed: bool = False) -> dict:
        """POST /registrations."""
        unit = {key: self.value(key) for key, *_ in UNIT_ROWS}
        operator = {key.split(".", 1)[1]: self.value(key) for key, *_ in OPERATOR_ROWS if key.startswith("operator.")}
        unit["uscc"] = str(unit["uscc"]).replace(" ", "").upper()
        return {**unit, "uscc_confirmed": uscc_confirmed, "operator": operator}

    def missing(self) -> list[str]:
        """The labels of required fields left empty (the licence included)."""
        empty = [key for key in LABELS if key in self.required and self.value(key) in ("", None)]
        if not self.licence_path:
            empty.append("licence")
        return empty

    def set_ratio_range(self, unit: tuple[str, str], person: tuple[str, str]) -> None:
        self.fields["unit_ratio"].setPlaceholderText(f"{unit[0]}–{unit[1]}")
        self.fields["person_ratio"].setPlaceholderText(f"{person[0]}–{person[1]}")
        self.ratio_hint.setText(f"缴存比例政策范围：单位{unit[0]}%–{unit[1]}%，个人{person[0]}%–{person[1]}%")

    def mark(self, keys: set[str]) -> None:
        for key, widget in self.fields.items():
            state = "error" if key in keys else ""
            if widget.property("mark") != state:
                widget.setProperty("mark", state)
                widget.style().unpolish(widget)
                widget.style().polish(widget)
        self.licence_label.setStyleSheet("color: #b3261e;" if "licence" in keys else "")

    # -- the licence ------------------------------------------------------------------------------

    def pick_licence(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择营业执照扫描件", "", LICENCE_FILTER)
        if path:
            self.set_licence(path)

    def set_licence(self, path: str, size: int | None = None) -> None:
        from pathlib import Path  # noqa: PLC0415

        self.licence_path = path
        name = Path(path).name
        self.licence_label.setText(f"{name}（{fmt_size(size)}）" if size is not None else name)
        self.licence_label.setToolTip(path)
