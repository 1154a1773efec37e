"""自主开户 状态查询: the application number and query code → the status, the current step, the centre's
opinion, and once approved the 单位账号 and the operator's 登录名 with what to do next."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QGroupBox, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from client.applications import Registrations
from ui.errors import message_for
from ui.ops import Op
from ui.widgets import InfoGrid, InlineMessage, fmt_timestamp, form_grid

NEXT_STEP = {
    "pending": "开户申请正在审批中，请耐心等待。",
    "returned": "开户申请被退回，请按审批意见准备材料后联系公积金中心，或重新提交开户申请。",
    "approved": ("开户申请已审批通过。请携带营业执照原件和经办人身份证件到公积金中心领取UKey，"
                 "然后用上面的单位账号、登录名和申请时设置的密码登录。"),
    "rejected": "开户申请未予受理，详见审批意见；如有疑问请联系公积金中心。",
    "ended": "开户申请已结束。",
    "draft": "开户申请尚未提交审批（营业执照扫描件未上传或未提交），请重新提交开户申请。",
}


class RegistrationStatusDialog(QDialog):
    def __init__(self, desk, application_no: str = "", query_code: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("registrationStatus")
        self.setWindowTitle("自主开户 — 状态查询")
        self.setMinimumWidth(620)
        self.desk = desk
        self.number = QLineEdit(application_no)
        self.number.setObjectName("statusNumber")
        self.code = QLineEdit(query_code)
        self.code.setObjectName("statusCode")
        self.code.setPlaceholderText("提交开户申请时显示的8位查询码")
        self.query_button = QPushButton("查询")
        self.query_button.setObjectName("primary")
        self.query_button.clicked.connect(self.query)
        for edit in (self.number, self.code):
            edit.returnPressed.connect(self.query)
        self.error = InlineMessage()
        self.result = InfoGrid([("status_label", "申请状态"), ("current_node", "当前环节"), ("opinion", "审批意见"),
                                ("submitted_at", "提交时间"), ("updated_at", "最后更新"), ("unit_account", "单位账号"),
                                ("login_name", "登录名")])
        self.result_box = QGroupBox("查询结果")
        QVBoxLayout(self.result_box).addWidget(self.result)
        self.result_box.hide()
        self.next_step = InlineMessage()
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.query_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 16)
        layout.setSpacing(12)
        layout.addLayout(form_grid([("申请编号：", self.number), ("查询码：", self.code)]))
        layout.addWidget(self.error)
        layout.addWidget(self.result_box)
        layout.addWidget(self.next_step)
        layout.addLayout(buttons)
        if application_no and query_code:
            self.query()

    def query(self) -> None:
        number, code = self.number.text().strip(), self.code.text().strip()
        self.error.clear_message()
        if not number or not code:
            self.error.show_error("请输入申请编号和查询码")
            return
        self.query_button.setEnabled(False)
        (Op(self, lambda: Registrations(self.desk.api()).status(number, code))
         .success(self._shown).failure(self._failed).run())

    def _shown(self, status: dict[str, Any]) -> None:
        self.query_button.setEnabled(True)
        for key in ("status_label", "current_node", "opinion", "unit_account", "login_name"):
            self.result.set(key, str(status.get(key) or ""))
        for key in ("submitted_at", "updated_at"):
            self.result.set(key, fmt_timestamp(status.get(key)))
        self.result_box.show()
        self.status = status
        self.next_step.show_info(NEXT_STEP.get(str(status.get("status")), ""))
        self.adjustSize()

    def _failed(self, exc: BaseException) -> None:
        self.query_button.setEnabled(True)
        self.result_box = QGroupBox("查询结果")
        QVBoxLayout(self.result_box).addWidget(self.result)
        self.result_box.hide()
        self.next_step.clear_message()
        self.error.show_error(message_for(exc))
