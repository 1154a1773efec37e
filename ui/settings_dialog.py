"""【服务器设置】: the centre's address, its CA certificate file and the UKey (PKCS#11) driver path."""

from __future__ import annotations

import dataclasses
import os
import sys

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.errors import ClientError
from client.settings import Settings
from ui.widgets import InlineMessage, form_grid

_DRIVER_FILTER = {
    "win32": "PKCS#11驱动 (*.dll);;所有文件 (*)",
    "darwin": "PKCS#11驱动 (*.dylib *.so);;所有文件 (*)",
}.get(sys.platform, "PKCS#11驱动 (*.so *.so.*);;所有文件 (*)")


class ServerSettingsDialog(QDialog):
    """Edits a copy of ``settings``; ``result_settings`` holds the checked values after 【保存】."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serverSettings")
        self.setWindowTitle("服务器设置")
        self.setMinimumWidth(620)
        self.result_settings: Settings | None = None
        self._settings = settings

        self.url = QLineEdit(settings.centre_url)
        self.url.setPlaceholderText("https://gjj.example.gov.cn:8700")
        self.ca_file = QLineEdit(settings.ca_file or "")
        self.ca_file.setPlaceholderText("使用系统信任的证书（可不填）")
        self.driver = QLineEdit(settings.pkcs11_module)
        self.driver.setPlaceholderText("UKey厂商提供的PKCS#11驱动文件")
        self.error = InlineMessage()

        form = form_grid([
            ("中心服务器地址：", self.url),
            ("中心CA证书文件：", self._with_picker(self.ca_file, "选择中心CA证书文件",
                                                "证书文件 (*.pem *.crt *.cer);;所有文件 (*)")),
            ("UKey驱动路径：", self._with_picker(self.driver, "选择UKey驱动（PKCS#11）", _DRIVER_FILTER)),
        ])
        note = QLabel("以上设置请按公积金中心或本单位信息技术人员的说明填写。修改UKey驱动后将重新检测UKey。")
        note.setObjectName("hint")
        note.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("primary")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _with_picker(self, edit: QLineEdit, caption: str, filters: str) -> QWidget:
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(edit, 1)
        button = QPushButton("选择…")
        button.clicked.connect(lambda: self._pick(edit, caption, filters))
        box.addWidget(button)
        return row

    def _pick(self, edit: QLineEdit, caption: str, filters: str) -> None:
        start = os.path.dirname(edit.text()) if edit.text() else ""
        path, _ = QFileDialog.getOpenFileName(self, caption, start, filters)
        if path:
            edit.setText(path)

    def accept(self) -> None:
        try:
            self.result_settings = self._checked()
        except ClientError as exc:
            self.error.show_error(exc.message)
            return
        super().accept()

    def _checked(self) -> Settings:
        from client.api import normalise_centre_url  # noqa: PLC0415 - pulls httpx: only when saving

        url = normalise_centre_url(self.url.text())
        ca_file = self.ca_file.text().strip() or None
        if ca_file and not os.path.isfile(ca_file):
            raise ClientError(f"找不到中心CA证书文件：{ca_file}")
        driver = self.driver.text().strip()
        if not driver:
            raise ClientError("请选择UKey驱动（PKCS#11）文件")
        if not os.path.isfile(driver):
            raise ClientError(f"找不到UKey驱动文件：{driver}")
        return dataclasses.replace(self._settings, centre_url=url, ca_file=ca_file, pkcs11_module=driver)
