"""单位信息变更 (SPEC 4.3): the unit's registered information with the locked fields grey; 确定 puts each
changed field into the 待变更清册 (变更项目, 变更前, 变更后), × cancels a row; 完成办理 opens 档案扫描, whose
上传完成并提交审批 signs and submits the application → 提交成功. The draft (清册, scans, how far a submission
got) is kept in the local store after every change, so it survives a restart. A returned application comes
back here from 待办 (修改后重新提交) with its payload loaded."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.applications import UNIT_INFO_CHANGE, BusinessDraft
from client.uploads import ScanFile, Spool
from ui.errors import message_for
from ui.modules.unit_change.change_list import ChangeList
from ui.modules.unit_change.fields import BY_NAME, EDITABLE, LOCKED_HINT, as_text, display, problems
from ui.modules.unit_change.form import UnitForm
from ui.ops import Op
from ui.tasks.context import TaskContext
from ui.widgets import InlineMessage

log = logging.getLogger("gjj_desk.ui")

DRAFT_MODULE = UNIT_INFO_CHANGE
NOTHING_CHANGED = "未修改任何项目：请先修改需要变更的项目，再点击“确定”"
EMPTY_LIST = "请先修改需要变更的项目并点击“确定”，变更内容将列入待变更清册"
DISCARD_QUESTION = "待变更清册中还有未提交的变更，载入退回的业务将放弃这些内容。确定继续吗？"


class UnitChangeTab(QWidget):
    application_type = UNIT_INFO_CHANGE

    def __init__(self, main) -> None:
        super().__init__()
        self.setObjectName("unitChangeTab")
        self.main = main
        self.session = main.session
        self.context = TaskContext(main)
        self.unit: dict[str, Any] = dict(main.session.unit or {})
        self.draft = BusinessDraft(UNIT_INFO_CHANGE, {"changes": []})
        self.spool: Spool | None = None
        self.loaded = False
        self.scan_dialog = None
        self.submitted_dialog = None
        self._success_waiting: dict | None = None  # 提交成功 to show once the window is unlocked
        self._build()
        self._show_unit()
        self._show_draft()
        main.changed.connect(self._on_changed)
        Op(self, self._load_draft).success(self._draft_loaded).failure(self._load_failed).run()

    # -- layout -----------------------------------------------------------------------------------

    def _build(self) -> None:
        self.banner = QLabel()
        self.banner.setObjectName("errorText")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.abandon_button = QPushButton("放弃修改")
        self.abandon_button.setObjectName("linkButton")
        self.abandon_button.clicked.connect(self.abandon_resubmit)
        self.abandon_button.hide()

        self.reset_button = QPushButton("重置")
        self.reset_button.clicked.connect(self.reset)
        self.confirm_button = QPushButton("确定")
        self.confirm_button.setObjectName("primary")
        self.confirm_button.clicked.connect(self.confirm)
        form_buttons = QWidget()
        row = QHBoxLayout(form_buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        row.addWidget(self.reset_button)
        row.addWidget(self.confirm_button)
        self.form = UnitForm(self.session.dictionaries, trailing=form_buttons)
        hint = QLabel(LOCKED_HINT)
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.error = InlineMessage()
        left = QGroupBox("单位登记信息")
        left_box = QVBoxLayout(left)
        left_box.setSpacing(10)
        left_box.addWidget(hint)
        left_box.addWidget(self.form)
        left_box.addWidget(self.error)
        left_box.addStretch(1)

        self.changes = ChangeList()
        self.changes.removed.connect(self.remove_change)
        self.empty = QLabel(EMPTY_LIST)
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        self.count_label = QLabel()
        self.count_label.setObjectName("hint")
        self.finish_button = QPushButton("完成办理")
        self.finish_button.setObjectName("primary")
        self.finish_button.clicked.connect(self.finish)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.count_label, 1)
        list_buttons.addWidget(self.finish_button)
        right = QGroupBox("待变更清册")
        right_box = QVBoxLayout(right)
        right_box.setSpacing(10)
        right_box.addWidget(self.changes, 1)
        right_box.addWidget(self.empty)
        right_box.addLayout(list_buttons)

        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.abandon_button)
        columns = QHBoxLayout()
        columns.setSpacing(14)
        columns.addWidget(left, 3)
        columns.addWidget(right, 2)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 4, 16, 16)
        outer.setSpacing(8)
        outer.addLayout(banner_row)
        outer.addLayout(columns, 1)

    # -- the draft in the local store ----------------------------------------------------------

    def _draft_key(self) -> tuple[str, str, str]:
        return self.session.unit_account, self.session.login_name, DRAFT_MODULE

    def _load_draft(self) -> tuple[Spool, dict | None]:
        store = self.main.desk.store()
        return Spool.beside(store.path), store.load_draft(*self._draft_key())

    def _draft_loaded(self, result: tuple[Spool, dict | None]) -> None:
        self.spool, saved = result
        self.loaded = True
        if saved:
            try:
                self.draft = BusinessDraft.from_json(saved)
            except (KeyError, TypeError, ValueError):
                log.warning("unreadable 单位信息变更 draft dropped: %r", saved)
        self._show_draft()

    def _load_failed(self, exc: BaseException) -> None:
        self.loaded = True
        self.error.show_error(message_for(exc))

    def save_now(self, draft: BusinessDraft) -> None:
        """Background (also called by client.applications.finish while it runs)."""
        store = self.main.desk.store()
        if draft.payload_rows() or draft.files or draft.remote or draft.application_id is not None:
            store.save_draft(*self._draft_key(), draft.to_json())
        else:
            store.delete_draft(*self._draft_key())

    def persist(self) -> None:
        snapshot = BusinessDraft.from_json(self.draft.to_json())
        Op(self, self.save_now, snapshot).run()

    # -- showing ----------------------------------------------------------------------------------

    def _rows(self) -> dict[str, dict]:
        return {c["field"]: c for c in self.draft.payload.get("changes") or []}

    def _show_unit(self) -> None:
        rows = self._rows()
        for name in BY_NAME:
            if name not in rows:
                self.form.set_value(name, self.unit.get(name))

    def _show_draft(self) -> None:
        rows = self._rows()
        dictionaries = self.session.dictionaries
        self.changes.set_rows([(f, BY_NAME[f].label if f in BY_NAME else f, display(f, as_text(c.get("old")), dictionaries),
                                display(f, as_text(c.get("new")), dictionaries)) for f, c in rows.items()])
        for field in EDITABLE:
            if field.name in rows:
                self.form.set_value(field.name, rows[field.name].get("new"))
                self.form.mark(field.name, "pending", f"已列入待变更清册，原值：{as_text(rows[field.name].get('old'))}")
            else:
                self.form.set_value(field.name, self.unit.get(field.name))
                self.form.mark(field.name, None)
        count = len(rows)
        self.changes.setVisible(bool(count))
        self.empty.setVisible(not count)
        files = len(self.draft.files) + len(self.draft.remote)
        self.count_label.setText(f"共{count}项变更" + (f"，已添加{files}个扫描件" if files else "") if count else "")
        self.finish_button.setEnabled(bool(count) and self.loaded)
        if self.draft.application_id is not None and self.draft.returned_opinion:
            self.banner.setText(f"正在修改退回的业务（业务编号{self.draft.application_no}）。"
                                f"中心审批意见：{self.draft.returned_opinion}")
            self.banner.show()
            self.abandon_button.show()
        else:
            self.banner.hide()
            self.abandon_button.hide()

    def _on_changed(self, scope: str) -> None:
        if scope == "*" and self._success_waiting is not None:  # unlocked: say what finished meanwhile
            detail, self._success_waiting = self._success_waiting, None
            self._announce(detail)
        if scope in ("unit", "*"):
            Op(self, self.main.api.unit).success(self._unit_loaded).failure(lambda _e: None).run()

    def _unit_loaded(self, unit: dict) -> None:
        self.unit = unit
        self._show_unit()

    # -- 确定, ×, 重置 -------------------------------------------------------------------------------

    def confirm(self) -> None:
        self.error.clear_message()
        rows = self._rows()
        values = {name: as_text(self.unit.get(name)) for name in BY_NAME}
        changed = []
        for field in EDITABLE:
            value = self.form.value(field.name)
            values[field.name] = value
            if value != as_text(self.unit.get(field.name)):
                changed.append(field.name)
        found = problems(values, changed, self.session.business_date)
        if found:
            for name in (f.name for f in EDITABLE):
                if name in found:
                    self.form.mark(name, "error", found[name])
                else:
                    self.form.mark(name, "pending" if name in rows else None)
            self.error.show_error("\n".join(found.values()))
            return
        if not changed and not rows:
            self.error.show_error(NOTHING_CHANGED)
            return
        self.draft.payload["changes"] = [
            {"field": name, "old": as_text(self.unit.get(name)), "new": values[name]} for name in
            (f.name for f in EDITABLE) if name in changed]
        self._show_draft()
        self.persist()

    def remove_change(self, field: str) -> None:
        self.draft.payload["changes"] = [c for c in self.draft.payload.get("changes") or [] if c["field"] != field]
        self.form.set_value(field, self.unit.get(field))
        self._show_draft()
        self.persist()

    def reset(self) -> None:
        self.error.clear_message()
        self._show_draft()

    # -- 完成办理 → 档案扫描 → 提交 ------------------------------------------------------------------

    def finish(self) -> None:
        from ui.modules.unit_change.scan import ScanDialog  # noqa: PLC0415

        if not self._rows():
            self.error.show_error(EMPTY_LIST)
            return
        if self.spool is None:
            return
        self.scan_dialog = ScanDialog(self)
        self.scan_dialog.exec()
        self.scan_dialog = None
        self._show_draft()

    def run_finish(self, progress) -> dict:
        """Background: sign, create or update, upload, submit (client.applications.finish)."""
        return self.context.applications().finish(self.draft, progress, save=self.save_now)

    def remove_uploaded(self, attachment_ids: list[int]) -> None:
        """Background: files the centre already has, removed from the application."""
        applications = self.context.applications()
        for attachment_id in attachment_ids:
            applications.remove_attachment(self.draft.application_id, attachment_id)

    def release(self, file: ScanFile) -> None:
        spool = self.spool
        if spool is not None:
            Op(self, spool.release, file).run()

    def submitted(self, detail: dict) -> None:
        self.draft = BusinessDraft(UNIT_INFO_CHANGE, {"changes": []})
        self._show_unit()
        self._show_draft()
        self.persist()
        self.main.changed.emit("applications")
        lock = getattr(self.main, "lock", None)
        if lock is not None and lock.locked:
            self._success_waiting = detail
            return
        self._announce(detail)

    def _announce(self, detail: dict) -> None:
        from ui.modules.unit_change.success import SubmittedDialog, receipt_pdf  # noqa: PLC0415

        dialog = SubmittedDialog(detail, True, self)
        self.submitted_dialog = dialog
        dialog.exec()
        self.submitted_dialog = None
        if dialog.print_chosen:
            from ui.printing_dialogs import print_later  # noqa: PLC0415

            print_later(self, receipt_pdf, "单位信息变更业务回执", detail, dict(self.unit),
                        self.session.operator_name)

    # -- 修改后重新提交 / 结束流程 from 待办 ------------------------------------------------------------

    def edit_application(self, detail: dict) -> bool:
        """Load a returned application (its payload and attachments) for editing; False if the clerk keeps
        the draft in progress instead."""
        if self.draft.application_id == detail.get("id"):
            return True  # already being edited here: keep the clerk's edits
        if (self.draft.payload_rows() or self.draft.files) and not self._ask(DISCARD_QUESTION):
            return False
        for entry in self.draft.files:
            self.release(entry.file)
        self.draft = BusinessDraft.from_application(detail)
        self.error.clear_message()
        self._show_unit()
        self._show_draft()
        self.persist()
        return True

    def application_ended(self, application_id: int) -> None:
        if self.draft.application_id == application_id:
            self._drop_draft()

    def abandon_resubmit(self) -> None:
        if self._ask("放弃对退回业务的修改吗？该业务仍在“待办”中，可稍后再修改或结束流程。"):
            self._drop_draft()

    def _drop_draft(self) -> None:
        for entry in self.draft.files:
            self.release(entry.file)
        self.draft = BusinessDraft(UNIT_INFO_CHANGE, {"changes": []})
        self._show_unit()
        self._show_draft()
        self.persist()

    def _ask(self, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "单位信息变更", text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("unitChangeQuestion")
        box.button(QMessageBox.StandardButton.Yes).setText("确定")
        box.button(QMessageBox.StandardButton.No).setText("取消")
        return box.exec() == QMessageBox.StandardButton.Yes
