"""修改密码: old, new, confirm; the rules shown; checked locally, then applied by the centre."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from client.session import check_new_password
from ui.errors import message_for
from ui.ops import Op
from ui.widgets import InlineMessage, form_grid

PASSWORD_RULES = (
    "密码规则：长度8至64位，须同时包含字母和数字，不能与原密码相同。\n"
    "修改成功后，下次登录请使用新密码；请勿将密码告知他人。"
)
SUCCESS = "密码修改成功，下次登录请使用新密码"


class ChangePasswordDialog(QDialog):
    def __init__(self, api, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changePassword")
        self.setWindowTitle("修改密码")
        self.setMinimumWidth(460)
        self.api = api
        self.old = self._secret("oldPassword")
        self.new = self._secret("newPassword")
        self.confirm = self._secret("confirmPassword")
        rules = QLabel(PASSWORD_RULES)
        rules.setObjectName("hint")
        rules.setWordWrap(True)
        self.error = InlineMessage()
        form = form_grid([("原密码：", self.old), ("新密码：", self.new), ("确认新密码：", self.confirm)])
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("确定")
        self.ok_button.setObjectName("primary")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addWidget(rules)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _secret(self, name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setMaxLength(64)
        return edit

    def _field(self, name: str | None) -> QLineEdit | None:
        return {"old_password": self.old, "new_password": self.new, "confirm_password": self.confirm}.get(name or "")

    def submit(self) -> None:
        self.error.clear_message()
        old, new = self.old.text(), self.new.text()
        try:
            check_new_password(old, new, self.confirm.text())
        except Exception as exc:  # noqa: BLE001 - LoginInputError names the field to fix
            self._failed(exc)
            return
        self.ok_button.setEnabled(False)
        # Not through the outbox: it refuses /auth calls (it would keep the password on disk).
        Op(self, self.api.change_password, old, new).success(self._changed).failure(self._failed).run()

    def _changed(self, _result: object) -> None:
        self.ok_button.setEnabled(True)
        box = QMessageBox(QMessageBox.Icon.Information, "修改密码", SUCCESS, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("passwordChanged")
        box.button(QMessageBox.StandardButton.Ok).setText("确定")
        box.exec()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        message = message_for(exc)
        if message is None:
            return
        self.error.show_error(message)
        field = self._field(getattr(exc, "field", None))
        if field is None and getattr(exc, "code", None) in ("bad_credentials", "wrong_password"):
            field = self.old
        if field is not None:
            field.selectAll()
            field.setFocus()
