"""业务详情: an application as `GET /applications/{id}` shows it — the flow chart with the current node
highlighted, each step (环节, 处理人, 处理结果, 审批意见, 时间), the changes (项目, 原值, 新值), the scanned
files, and the UKey signature it was submitted with. A returned application (待办) offers 结束流程 and
修改后重新提交 (the business tab opens with it loaded)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from client.uploads import fmt_size
from ui.ops import Op
from ui.tasks.context import TaskContext
from ui.tasks.flowchart import FlowChart
from ui.widgets import InfoGrid, InlineMessage, fmt_timestamp

END_QUESTION = "确定要结束此业务流程吗？\n结束后该业务不再办理；如仍需办理，请重新发起。"
NO_EDITOR = "该业务暂不能在本客户端修改，请到公积金中心柜台办理"
EDITABLE_STATUSES = frozenset({"returned"})
ENDABLE_STATUSES = frozenset({"returned", "draft"})


def fmt_fingerprint(value: str) -> str:
    text = (value or "").upper()
    return " ".join(text[i:i + 16] for i in range(0, len(text), 16))


def small_table(headers: list[str], rows: list[list[str]], stretch: int | tuple[int, ...]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(True)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)
    header = table.horizontalHeader()
    stretched = stretch if isinstance(stretch, tuple) else (stretch,)
    for c in range(len(headers)):
        header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch if c in stretched
                                    else QHeaderView.ResizeMode.ResizeToContents)
    table.resizeRowsToContents()
    height = table.horizontalHeader().sizeHint().height() + sum(table.rowHeight(r) for r in range(len(rows))) + 4
    table.setFixedHeight(max(height, 40))
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return table


def group(title: str, *widgets: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(10, 8, 10, 10)
    layout.setSpacing(8)
    for widget in widgets:
        layout.addWidget(widget)
    return box


class ApplicationDetailDialog(QDialog):
    def __init__(self, detail: dict[str, Any], context: TaskContext | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("applicationDetail")
        self.detail = detail
        self.context = context
        self.setWindowTitle(f"业务详情 — {detail.get('type_label') or ''}")
        self.resize(940, 720)
        title = QLabel(f"{detail.get('title') or detail.get('type_label') or ''}")
        title.setObjectName("sectionTitle")
        title.setWordWrap(True)
        self.info = InfoGrid([("application_no", "业务编号"), ("type_label", "业务名称"), ("status_label", "当前状态"),
                              ("current_node", "当前环节"), ("initiator", "发起人"), ("submitted_at", "提交时间"),
                              ("updated_at", "最后更新"), ("finished_at", "办结时间")], columns=4)
        for key in ("application_no", "type_label", "status_label", "current_node", "initiator"):
            self.info.set(key, str(detail.get(key) or ""))
        for key in ("submitted_at", "updated_at", "finished_at"):
            self.info.set(key, fmt_timestamp(detail.get(key)))
        self.opinion = QLabel()
        self.opinion.setWordWrap(True)
        self.opinion.setObjectName("infoText" if detail.get("status") != "returned" else "errorText")
        self.opinion.setText(f"中心审批意见：{detail.get('opinion')}" if detail.get("opinion") else "")
        self.opinion.setVisible(bool(detail.get("opinion")))
        self.opinion.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.flow = FlowChart(detail)
        steps = detail.get("steps") or []
        self.steps = small_table(["环节", "处理人", "处理结果", "审批意见", "时间"],
                                 [[s.get("node") or "", s.get("actor") or "", s.get("decision_label") or "",
                                   s.get("opinion") or "", fmt_timestamp(s.get("at"))] for s in steps], stretch=3)
        self.steps.setObjectName("stepsTable")
        changes = detail.get("changes") or []
        self.changes = small_table(["序号", "变更项目", "原值", "新值"],
                                   [[str(i), c.get("item") or "", c.get("old") or "", c.get("new") or ""]
                                    for i, c in enumerate(changes, 1)], stretch=(2, 3))
        self.changes.setObjectName("changesTable")

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(self.info)
        layout.addWidget(self.opinion)
        layout.addWidget(group("审批流程", self.flow, self.steps))
        if changes:
            layout.addWidget(group("变更内容", self.changes))
        layout.addWidget(group("档案扫描", self._attachments()))
        layout.addWidget(group("电子签名", self._signature()))
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)

        self.error = InlineMessage()
        self.end_button = QPushButton("结束流程")
        self.end_button.setObjectName("endFlow")
        self.resubmit_button = QPushButton("修改后重新提交")
        self.resubmit_button.setObjectName("primary")
        self.close_button = QPushButton("关闭")
        self.end_button.clicked.connect(self.end_flow)
        self.resubmit_button.clicked.connect(self.resubmit)
        self.close_button.clicked.connect(self.reject)
        status = detail.get("status")
        self.end_button.setVisible(context is not None and status in ENDABLE_STATUSES)
        self.resubmit_button.setVisible(context is not None and status in EDITABLE_STATUSES)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.end_button)
        buttons.addWidget(self.resubmit_button)
        buttons.addWidget(self.close_button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 16, 18, 14)
        outer.setSpacing(10)
        outer.addWidget(scroll, 1)
        outer.addWidget(self.error)
        outer.addLayout(buttons)

    def _attachments(self) -> QWidget:
        files = self.detail.get("attachments") or []
        if not files:
            label = QLabel("无")
            label.setObjectName("hint")
            return label
        return small_table(["序号", "材料类别", "文件名", "类型", "大小", "上传时间"],
                           [[str(i), a.get("kind_label") or "", a.get("label") or "",
                             (a.get("media_type") or "").split("/")[-1].upper(), fmt_size(int(a.get("size") or 0)),
                             fmt_timestamp(a.get("uploaded_at"))] for i, a in enumerate(files, 1)], stretch=2)

    def _signature(self) -> QWidget:
        signature = self.detail.get("signature")
        if not signature:
            label = QLabel("未签名")
            label.setObjectName("hint")
            return label
        grid = InfoGrid([("state", "签名状态"), ("signer", "签名经办人"), ("subject", "证书主题"),
                         ("serial", "证书序列号"), ("fingerprint", "证书指纹（SHA-256）"), ("signed_at", "签名时间"),
                         ("version", "业务内容版本")])
        grid.setObjectName("signatureInfo")
        verified = signature.get("verified")
        grid.set("state", "已使用UKey签名，中心验签通过" if verified else "已签名（未验证）")
        grid.set("signer", str(signature.get("signer") or ""))
        grid.set("subject", str(signature.get("certificate_subject") or ""))
        grid.set("serial", str(signature.get("certificate_serial") or "").upper())
        grid.set("fingerprint", fmt_fingerprint(str(signature.get("certificate_fingerprint") or "")))
        grid.set("signed_at", fmt_timestamp(signature.get("signed_at")))
        grid.set("version", f"第{signature.get('version')}版" if signature.get("version") else "")
        return grid

    # -- 待办 actions -------------------------------------------------------------------------------

    def end_flow(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, "结束流程", END_QUESTION,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("confirmEnd")
        box.button(QMessageBox.StandardButton.Yes).setText("结束流程")
        box.button(QMessageBox.StandardButton.No).setText("取消")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return
        self._busy(True)
        application_id, no = self.detail["id"], self.detail.get("application_no") or ""
        context = self.context
        (Op(self, lambda: context.applications().end(application_id, no))
         .with_progress("正在结束流程…")
         .success(self._ended)
         .failure(self._failed)
         .run())

    def _ended(self, _state: dict) -> None:
        self._busy(False)
        editor = self.context.editor_for(self.detail.get("type", ""))
        if editor is not None and hasattr(editor, "application_ended"):
            editor.application_ended(self.detail["id"])
        self.context.changed.emit("applications")
        box = QMessageBox(QMessageBox.Icon.Information, "结束流程",
                          f"业务编号{self.detail.get('application_no')}的流程已结束", QMessageBox.StandardButton.Ok, self)
        box.setObjectName("endedBox")
        box.button(QMessageBox.StandardButton.Ok).setText("确定")
        box.exec()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        from ui.errors import message_for  # noqa: PLC0415

        self._busy(False)
        self.error.show_error(message_for(exc))

    def _busy(self, busy: bool) -> None:
        for button in (self.end_button, self.resubmit_button, self.close_button):
            button.setEnabled(not busy)

    def resubmit(self) -> None:
        editor = self.context.editor_for(self.detail.get("type", ""))
        if editor is None:
            self.error.show_error(NO_EDITOR)
            return
        if editor.edit_application(self.detail):
            self.context.show_tab(editor)
            self.accept()
