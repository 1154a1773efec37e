"""The tab side of submitting an approval business, written once for 单位信息变更, 缴存人信息变更 and the approval
batch pages (基数调整, 补缴): the owner the 档案扫描 dialog (ui.modules.unit_change.scan.ScanDialog) works for.

`ApplicationHost` is mixed into the tab (a QWidget with `main`, `session`, `context`, `draft`, `spool` and a
background `save_now(draft)`). It gives the dialog `persist`, `run_finish`, `remove_uploaded` and `release`;
after 提交, `announce_later(*what)` has the tab's `announce(*what)` say it now — or, while the window is locked,
once it is unlocked (`announce_waiting(scope)` in the tab's `changed` handler); `show_submitted` is the
提交成功 dialog with the tab's printout; `returned_banner` / `show_returned` the line above a returned
application being edited (the centre's opinion and 放弃修改).

`StoredDraftHost` is a tab of one application whose draft (清册, scans, how far a submission got) is kept in
the local store under `draft_module` after every change, so it survives a restart; it takes a returned
application back from 待办 (修改后重新提交), drops it on 放弃修改 or 结束流程. The tab gives `new_draft()`,
`redraw()` and `returned_loaded()`."""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton

from client.applications import BusinessDraft
from client.uploads import ScanFile, Spool
from ui.ops import Op

log = logging.getLogger("gjj_desk.ui")

DISCARD_QUESTION = "待变更清册中还有未提交的变更，载入退回的业务将放弃这些内容。确定继续吗？"
ABANDON_QUESTION = "放弃对退回业务的修改吗？该业务仍在“待办”中，可稍后再修改或结束流程。"


class ApplicationHost:
    draft: BusinessDraft
    spool: Spool | None = None
    scan_dialog = None                       # the open 档案扫描 (tests reach it)
    submitted_dialog = None                  # the open 提交成功
    _success_waiting: tuple | None = None    # what to announce once the window is unlocked

    # -- what the 档案扫描 dialog calls ------------------------------------------------------------------
    def save_now(self, draft: BusinessDraft) -> None:
        """Background (also called by client.applications.finish while it runs): keep `draft`."""
        raise NotImplementedError

    def persist(self) -> None:
        snapshot = BusinessDraft.from_json(self.draft.to_json())
        Op(self, self.save_now, snapshot).run()

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

    def open_scan(self, title: str = "", **options: Any) -> None:
        """档案扫描 (modal) for the draft; `options`: the dialog's `intro` and `missing`."""
        from ui.modules.unit_change.scan import ScanDialog  # noqa: PLC0415

        dialog = ScanDialog(self, **options)
        if title:
            dialog.setWindowTitle(title)
        self.scan_dialog = dialog
        dialog.exec()
        self.scan_dialog = None

    def release_scans(self) -> None:
        """The draft's local scans are no longer wanted (another draft takes its place)."""
        for entry in self.draft.files:
            self.release(entry.file)

    # -- after 提交 -------------------------------------------------------------------------------------
    def announce(self, *what: Any) -> None:
        """The centre took the application: 提交成功 (and the printout)."""
        raise NotImplementedError

    def announce_later(self, *what: Any) -> None:
        """After 提交: 待办 and 我发起的 refresh; `announce(*what)` now, or once the window is unlocked (an
        upload carries on while the window locks, and no dialog may open over the lock screen)."""
        self.main.changed.emit("applications")
        lock = getattr(self.main, "lock", None)
        if lock is not None and lock.locked:
            self._success_waiting = what
            return
        self.announce(*what)

    def announce_waiting(self, scope: str) -> None:
        if scope == "*" and self._success_waiting is not None:  # unlocked: say what finished meanwhile
            what, self._success_waiting = self._success_waiting, None
            self.announce(*what)

    def show_submitted(self, detail: dict, title: str, build, *args: Any, **options: Any) -> None:
        """提交成功 (SubmittedDialog with `options`, e.g. its `question`); if the clerk chooses 打印, `build(detail,
        *args)` makes the printout in the background, previewed under `title`."""
        from ui.modules.unit_change.success import SubmittedDialog  # noqa: PLC0415

        dialog = SubmittedDialog(detail, True, self, **options)
        self.submitted_dialog = dialog
        dialog.exec()
        self.submitted_dialog = None
        if dialog.print_chosen:
            from ui.printing_dialogs import print_later  # noqa: PLC0415

            print_later(self, build, title, detail, *args)

    # -- a returned application being edited --------------------------------------------------------------
    def returned_banner(self) -> QHBoxLayout:
        """The line (hidden until `show_returned` finds a returned application): the centre's opinion and
        【放弃修改】."""
        self.banner = QLabel()
        self.banner.setObjectName("errorText")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.abandon_button = QPushButton("放弃修改")
        self.abandon_button.setObjectName("linkButton")
        self.abandon_button.clicked.connect(lambda: self.abandon_resubmit())
        self.abandon_button.hide()
        row = QHBoxLayout()
        row.addWidget(self.banner, 1)
        row.addWidget(self.abandon_button)
        return row

    def show_returned(self) -> None:
        returned = self.draft.application_id is not None and bool(self.draft.returned_opinion)
        if returned:
            self.banner.setText(f"正在修改退回的业务（业务编号{self.draft.application_no}）。"
                                f"中心审批意见：{self.draft.returned_opinion}")
        self.banner.setVisible(returned)
        self.abandon_button.setVisible(returned)

    def abandon_resubmit(self) -> None:
        raise NotImplementedError


class StoredDraftHost(ApplicationHost):
    title: str              # the business: the questions' title
    draft_module: str       # the draft's key in the local store (with the unit and the login name)
    question_name: str      # the question boxes' object name
    loaded = False          # the saved draft has been read (or could not be)

    # -- what the tab gives -------------------------------------------------------------------------------
    def new_draft(self) -> BusinessDraft:
        raise NotImplementedError

    def redraw(self) -> None:
        """Show the draft as it is now."""
        raise NotImplementedError

    def returned_loaded(self) -> None:
        """A returned application has just become the draft: show it."""
        self.redraw()

    # -- the draft in the local store -----------------------------------------------------------------------
    def _draft_key(self) -> tuple[str, str, str]:
        return self.session.unit_account, self.session.login_name, self.draft_module

    def _load_draft(self) -> tuple[Spool, dict | None]:
        """Background: the scans' folder and the saved draft."""
        store = self.main.desk.store()
        return Spool.beside(store.path), store.load_draft(*self._draft_key())

    def restore(self, saved: dict | None) -> None:
        """The saved draft becomes the draft (one the store cannot read is dropped)."""
        if saved:
            try:
                self.draft = BusinessDraft.from_json(saved)
            except (KeyError, TypeError, ValueError):
                log.warning("unreadable %s draft dropped: %r", self.title, saved)

    def save_now(self, draft: BusinessDraft) -> None:
        store = self.main.desk.store()
        if draft.payload_rows() or draft.files or draft.remote or draft.application_id is not None:
            store.save_draft(*self._draft_key(), draft.to_json())
        else:
            store.delete_draft(*self._draft_key())

    def reset(self) -> None:
        """【重置】: the form shows the draft again (what was typed and not entered goes)."""
        self.error.clear_message()
        self.redraw()

    def scan_count(self) -> int:
        """The scans added: kept here, and those the centre already has."""
        return len(self.draft.files) + len(self.draft.remote)

    # -- 修改后重新提交 / 结束流程 from 待办, 放弃修改 -------------------------------------------------------------
    def edit_application(self, detail: dict) -> bool:
        """Load a returned application (its payload and attachments) for editing; False if the clerk keeps
        the draft in progress instead."""
        if self.draft.application_id == detail.get("id"):
            return True  # already being edited here: keep the clerk's edits
        if (self.draft.payload_rows() or self.draft.files) and not self.ask(DISCARD_QUESTION):
            return False
        self.release_scans()
        self.draft = BusinessDraft.from_application(detail)
        self.returned_loaded()
        self.persist()
        return True

    def application_ended(self, application_id: int) -> None:
        if self.draft.application_id == application_id:
            self.drop_draft()

    def abandon_resubmit(self) -> None:
        if self.ask(ABANDON_QUESTION):
            self.drop_draft()

    def drop_draft(self) -> None:
        self.release_scans()
        self.draft = self.new_draft()
        self.redraw()
        self.persist()

    def ask(self, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.title, text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName(self.question_name)
        box.button(QMessageBox.StandardButton.Yes).setText("确定")
        box.button(QMessageBox.StandardButton.No).setText("取消")
        return box.exec() == QMessageBox.StandardButton.Yes
