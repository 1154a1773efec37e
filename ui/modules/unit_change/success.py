"""提交成功 after 上传完成并提交审批: the 业务编号 and where to follow it, and "完成办理，是否打印？" — the business
receipt (printing.business_receipt through ui.printing_dialogs)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.widgets import fmt_timestamp

FOLLOW_UP = "已提交公积金中心审批，审批进度可在首页“我发起的”中查看，审批结果将以消息通知。"
RECEIPT_NOTE = "本回执由系统在完成办理时生成，请妥善留存；审批进度可在首页“我发起的”中查看。"


def receipt_pdf(detail: dict[str, Any], unit: dict[str, Any], operator: str) -> bytes:
    """Background: the 业务回执 of this submission as PDF."""
    from printing import BusinessReceipt, ChangeRow, PrintContext, business_receipt  # noqa: PLC0415

    files = detail.get("attachments") or []
    receipt = BusinessReceipt(
        business=detail.get("type_label") or "单位信息变更", number=str(detail.get("application_no") or ""),
        result="已提交，待中心审批", submitted_at=str(detail.get("submitted_at") or ""), number_label="业务编号",
        fields=(("经办人", operator), ("档案扫描", f"{len(files)}个文件")),
        changes=tuple(ChangeRow(str(c.get("item") or ""), str(c.get("old") or ""), str(c.get("new") or ""))
                      for c in detail.get("changes") or []),
        note=RECEIPT_NOTE)
    return business_receipt(receipt, PrintContext.from_api(unit, operator))


class SubmittedDialog(QDialog):
    def __init__(self, detail: dict[str, Any], can_print: bool, parent: QWidget | None = None, *,
                 question: str = "完成办理，是否打印业务回执？") -> None:
        super().__init__(parent)
        self.setObjectName("submittedDialog")
        self.setWindowTitle("提交成功")
        self.setMinimumWidth(520)
        self.print_chosen = False
        headline = QLabel("✔ 提交成功")
        headline.setStyleSheet("font-size: 20px; font-weight: bold; color: #1d6b35;")
        number = QLabel(f"业务编号：{detail.get('application_no') or ''}")
        number.setObjectName("applicationNo")
        number.setStyleSheet("font-size: 15px; font-weight: bold;")
        number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        when = QLabel(f"提交时间：{fmt_timestamp(detail.get('submitted_at'))}")
        follow = QLabel(FOLLOW_UP)
        follow.setWordWrap(True)
        follow.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        for widget in (headline, number, when, follow):
            layout.addWidget(widget)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        if can_print:
            question = QLabel(question)
            question.setObjectName("printQuestion")
            question.setStyleSheet("font-weight: bold; margin-top: 6px;")
            layout.addWidget(question)
            self.print_button = QPushButton("打印")
            self.print_button.setObjectName("primary")
            self.print_button.clicked.connect(self._print)
            self.close_button = QPushButton("不打印")
            buttons.addWidget(self.print_button)
        else:
            self.print_button = None
            self.close_button = QPushButton("确定")
            self.close_button.setObjectName("primary")
        self.close_button.clicked.connect(self.accept)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

    def _print(self) -> None:
        self.print_chosen = True
        self.accept()
