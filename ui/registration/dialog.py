"""自主开户 (SPEC 4.13), opened from the login window: the registration form → 提交审批 (the USCC checked, a
failed check character is a warning the clerk may confirm after comparing with the licence; the licence scan
uploaded; submitted) → the application number and the query code; 状态查询; 返回首页 (the login window).

No session and no outbox here (the body holds the operator's password): a retry after the centre was
unreachable reuses the Idempotency-Keys kept in memory for the same body and file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from client.applications import Registrations, new_key
from client.errors import ApiError
from client.uploads import ScanFile, check_content, check_file, safe_label
from services.identity import check_uscc
from ui.errors import message_for
from ui.ops import Op
from ui.registration.form import LABELS, RegistrationForm
from ui.widgets import InlineMessage

INTRO = ("新开户单位可在此提交开户申请。带 * 的为必填项。提交后请记下申请编号和查询码，凭此查询审批进度；"
         "审批通过后，请携带营业执照原件和经办人身份证件到公积金中心领取UKey。")
USCC_CONFIRM = "{message}\n\n请对照营业执照再次核对：{code}\n确认与营业执照一致，继续提交吗？"
AFTER_SUBMIT = ("请记下申请编号和查询码（查询码只显示这一次）。凭申请编号和查询码可随时查询审批进度；"
                "审批通过后，请携带营业执照原件和经办人身份证件到公积金中心领取UKey，"
                "然后用申请时设置的登录名和密码登录。")


def _digest(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def check_licence(path: str) -> int:
    """Background: the licence scan's size, or ClientError (type by content, size)."""
    return check_file(path)[0]


def send_registration(api, body: dict, licence_path: str, keys: dict[str, str]) -> dict:
    """Background: register (or replay), upload the licence, submit. `keys` keeps one key per step and
    content, so sending again after a failure repeats what already arrived instead of doing it twice."""
    registrations = Registrations(api)
    check_file(licence_path)
    content = Path(licence_path).read_bytes()
    file = ScanFile(hashlib.sha256(content).hexdigest(), safe_label(Path(licence_path).name), len(content),
                    check_content(safe_label(Path(licence_path).name), len(content), content[:8]))
    created = registrations.register(body, keys.setdefault("register:" + _digest(body), new_key()))
    number, code = created["application_no"], created["query_code"]
    registrations.upload(number, code, file, content, keys.setdefault(f"upload:{number}:{file.sha256}", new_key()))
    state = registrations.submit(number, code, keys.setdefault(f"submit:{number}", new_key()))
    return {"application_no": number, "query_code": code, "status": state.get("status")}


class RegistrationDialog(QDialog):
    def __init__(self, desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("registrationDialog")
        self.setWindowTitle("自主开户")
        self.resize(940, 720)
        self.desk = desk
        self.busy = False
        self.keys: dict[str, str] = {}
        self.result_info: dict[str, Any] | None = None
        self.stack = QStackedWidget()
        self.stack.addWidget(self._form_page())
        self.stack.addWidget(self._done_page())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 14)
        outer.addWidget(self.stack)
        Op(self, self._reference).success(self._reference_loaded).failure(lambda _e: None).run()

    # -- pages ------------------------------------------------------------------------------------

    def _form_page(self) -> QWidget:
        from services.dictionaries import default_dictionaries  # noqa: PLC0415

        page = QWidget()
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        intro.setObjectName("hint")
        self.form = RegistrationForm(default_dictionaries())
        self.form.licence_button.clicked.disconnect()
        self.form.licence_button.clicked.connect(self.pick_licence)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        holder = QWidget()
        inner = QVBoxLayout(holder)
        inner.setContentsMargins(0, 0, 8, 0)
        inner.addWidget(self.form)
        inner.addStretch(1)
        scroll.setWidget(holder)
        self.error = InlineMessage()
        self.status_button = QPushButton("状态查询")
        self.status_button.clicked.connect(self.open_status)
        self.home_button = QPushButton("返回首页")
        self.home_button.clicked.connect(self.reject)
        self.submit_button = QPushButton("提交审批")
        self.submit_button.setObjectName("primary")
        self.submit_button.clicked.connect(self.submit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_button)
        buttons.addStretch(1)
        buttons.addWidget(self.home_button)
        buttons.addWidget(self.submit_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        return page

    def _done_page(self) -> QWidget:
        page = QWidget()
        headline = QLabel("✔ 开户申请已提交")
        headline.setStyleSheet("font-size: 22px; font-weight: bold; color: #1d6b35;")
        self.number_label = QLabel()
        self.number_label.setObjectName("applicationNo")
        self.code_label = QLabel()
        self.code_label.setObjectName("queryCode")
        for label in (self.number_label, self.code_label):
            label.setStyleSheet("font-size: 18px; font-weight: bold; color: #1a4f94;")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        note = QLabel(AFTER_SUBMIT)
        note.setWordWrap(True)
        copy = QPushButton("复制申请编号和查询码")
        copy.clicked.connect(self.copy_numbers)
        status = QPushButton("状态查询")
        status.clicked.connect(self.open_status)
        home = QPushButton("返回首页")
        home.setObjectName("primary")
        home.clicked.connect(self.accept)
        self.done_home_button = home
        card = QFrame()
        card.setObjectName("card")
        box = QVBoxLayout(card)
        box.setContentsMargins(32, 28, 32, 24)
        box.setSpacing(14)
        box.addWidget(headline)
        box.addWidget(self.number_label)
        box.addWidget(self.code_label)
        box.addWidget(note)
        row = QHBoxLayout()
        row.addWidget(copy)
        row.addStretch(1)
        row.addWidget(status)
        row.addWidget(home)
        box.addLayout(row)
        card.setFixedWidth(720)
        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(card)
        middle.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addLayout(middle)
        layout.addStretch(2)
        return page

    # -- reference data (no login needed) ---------------------------------------------------------

    def _reference(self):
        api = self.desk.api()
        return api.dictionaries(), api.policy()

    def _reference_loaded(self, result) -> None:
        dictionaries, policy = result
        for key, widget in self.form.fields.items():
            name = {"industry": "industry", "economic_type": "economic_type"}.get(key)
            if name and dictionaries.tables.get(name):
                current = widget.currentData()
                widget.clear()
                for code, label in dictionaries.tables[name].items():
                    widget.addItem(f"{code} {label}", code)
                widget.setCurrentIndex(max(0, widget.findData(current)))
        self.form.set_ratio_range((f"{policy.unit_ratio_min.normalize():f}", f"{policy.unit_ratio_max.normalize():f}"),
                                  (f"{policy.person_ratio_min.normalize():f}", f"{policy.person_ratio_max.normalize():f}"))

    # -- the licence ------------------------------------------------------------------------------

    def pick_licence(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # noqa: PLC0415

        from ui.registration.form import LICENCE_FILTER  # noqa: PLC0415

        path, _ = QFileDialog.getOpenFileName(self, "选择营业执照扫描件", "", LICENCE_FILTER)
        if path:
            self.use_licence(path)

    def use_licence(self, path: str) -> None:
        self.error.clear_message()
        Op(self, check_licence, path).success(lambda size: self.form.set_licence(path, size)).failure(
            lambda exc: self.error.show_error(message_for(exc))).run()

    # -- 提交审批 ----------------------------------------------------------------------------------

    def submit(self) -> None:
        if self.busy:
            return
        self.error.clear_message()
        missing = self.form.missing()
        self.form.mark(set(missing))
        if missing:
            self.error.show_error("请填写以下必填项：" + "、".join(LABELS[k] for k in missing))
            return
        if self.form.value("operator.password") != self.form.value("password_again"):
            self.form.mark({"operator.password", "password_again"})
            self.error.show_error("两次输入的登录密码不一致，请重新输入")
            return
        uscc = check_uscc(self.form.value("uscc"))
        confirmed = False
        if not uscc.ok and uscc.level != "warning":
            self.form.mark({"uscc"})
            self.error.show_error(uscc.message)
            return
        if not uscc.ok:
            if not self.confirm_uscc(uscc.message, uscc.value):
                self.form.mark({"uscc"})
                self.form.fields["uscc"].setFocus()
                return
            confirmed = True
        self.send(confirmed)

    def confirm_uscc(self, message: str, code: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, "核对统一社会信用代码", USCC_CONFIRM.format(message=message, code=code),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("usccWarning")
        box.button(QMessageBox.StandardButton.Yes).setText("确认无误，继续提交")
        box.button(QMessageBox.StandardButton.No).setText("返回修改")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def send(self, uscc_confirmed: bool) -> None:
        body = self.form.body(uscc_confirmed)
        self._set_busy(True)
        (Op(self, lambda: send_registration(self.desk.api(), body, self.form.licence_path, self.keys))
         .with_progress("正在提交开户申请…")
         .success(self._sent)
         .failure(lambda exc: self._refused(exc, uscc_confirmed))
         .run())

    def _sent(self, info: dict) -> None:
        self._set_busy(False)
        self.result_info = info
        self.number_label.setText(f"申请编号：{info['application_no']}")
        self.code_label.setText(f"查询码：{info['query_code']}")
        self.stack.setCurrentIndex(1)
        self.setWindowTitle("自主开户 — 提交成功")

    def _refused(self, exc: BaseException, confirmed: bool) -> None:
        self._set_busy(False)
        if isinstance(exc, ApiError) and exc.code == "uscc_checksum_warning" and not confirmed:
            if self.confirm_uscc(exc.message, self.form.body()["uscc"]):
                self.send(True)
            return
        if isinstance(exc, ApiError) and exc.errors:
            self.form.mark({str(e.get("field") or "") for e in exc.errors})
            lines = [str(e.get("message") or "") for e in exc.errors if e.get("message")]
            self.error.show_error("开户信息有误，请修改后重新提交：\n" + "\n".join(lines))
            return
        self.error.show_error(message_for(exc))

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for button in (self.submit_button, self.status_button, self.home_button):
            button.setEnabled(not busy)

    def reject(self) -> None:
        if not self.busy:
            super().reject()

    # -- after ------------------------------------------------------------------------------------

    def copy_numbers(self) -> None:
        if self.result_info:
            QGuiApplication.clipboard().setText(
                f"申请编号：{self.result_info['application_no']}  查询码：{self.result_info['query_code']}")

    def open_status(self) -> None:
        from ui.registration.status import RegistrationStatusDialog  # noqa: PLC0415

        info = self.result_info or {}
        dialog = RegistrationStatusDialog(self.desk, info.get("application_no", ""), info.get("query_code", ""), self)
        self.status_dialog = dialog
        dialog.exec()
        self.status_dialog = None

