"""One page of an approval batch business (基数调整, 补缴): a notice at the top while the business cannot be
done, the tab's single-entry form with 【批量导入】 and 【录入清册】, the 清册 (kept at every change) and its
submit button → 档案上传 → 提交成功.

The 清册 is the employee kit's DraftList under `batch.draft_module`; the submission's progress (application
id and number, each step's Idempotency-Key, the scans and which the centre has) is a BusinessDraft under
`batch.submission_module`, saved whenever it learns something, so 提交审批 resumes after a crash without a
second application. The page is the owner the 档案上传 dialog (ui.modules.unit_change.scan.ScanDialog)
works for (ui.application_host.ApplicationHost, as 单位信息变更 and 缴存人信息变更 are).

A tab subclasses it: `make_form()` (a widget with the signal `entered(dict)`, `enter_button`,
`import_button`, a `draft_rows` callable it reads, `set_blocked(bool)`), `columns()`, `totals`,
`blocked_reason()`, `announce(detail, rows)`."""
from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from client.applications import BusinessDraft
from client.approval_batches import (ApprovalBatch, SubmissionPlace, attachment_rule, merge_rows, prepare,
                                     rows_from_payload)
from client.draft_list import READY, DraftList
from client.employees import row_problems
from client.errors import ApiError, ClientError
from client.uploads import MAX_FILES, Spool
from ui.application_host import ApplicationHost
from ui.errors import message_for
from ui.modules.approval_kit.panel import ApprovalDraftPanel
from ui.modules.employee_kit.dialogs import confirm, flash_info, scrolling
from ui.modules.employee_kit.hub import hub_of
from ui.modules.employee_kit.keeper import DraftKeeper
from ui.modules.employee_kit.table import Col, DraftTableModel
from ui.ops import Op
from ui.tasks.context import TaskContext

log = logging.getLogger("gjj_desk.ui")

NOTICE_STYLE = ("QLabel#blockedNotice { background: #fff4e5; border: 1px solid #e0a040; border-radius: 4px;"
                " color: #7a4a00; padding: 8px 12px; font-weight: bold; }")
SHOWN = 2   # refused rows quoted in the message (all are marked in the 清册, with the reason as tool tip)


class ApprovalBatchPage(ApplicationHost, QWidget):
    submit_text = "提交审批"
    count_unit = "人"
    totals: Sequence[tuple[str, str]] = ()

    def __init__(self, main, batch: ApprovalBatch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.main = main
        self.session = main.session
        self.hub = hub_of(main)
        self.context = TaskContext(main)
        self.batch = batch
        self.application_type = batch.type
        self.draft = BusinessDraft(batch.type, {"rows": []})
        self.loaded = False
        self.rule = attachment_rule([], batch.type)
        self.import_dialog = None
        self._refusal: ApiError | None = None

        self.notice = QLabel()
        self.notice.setObjectName("blockedNotice")
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.notice.setWordWrap(True)
        self.notice.hide()
        banner_row = self.returned_banner()

        self.form = self.make_form()
        self.form.draft_rows = lambda: self.model.draft.rows
        self.form.entered.connect(self.add_entry)
        self.form.import_button.clicked.connect(lambda: self.open_import())
        self.model = DraftTableModel(DraftList(money_keys=batch.money_keys), self.columns(), self)
        self.panel = ApprovalDraftPanel(f"{batch.title}清册", self.model, self.submit_text, totals=self.totals,
                                        count_unit=self.count_unit)
        self.panel.submit_clicked.connect(lambda: self.finish())
        self.keeper = DraftKeeper(self.model, lambda: self.hub.draft_place(batch.draft_module), batch.money_keys, self)

        self.form.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.panel.table.setMinimumHeight(140)   # and no more than fits: the page scrolls only when it must
        self.panel.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(8)
        layout.addWidget(self.notice)
        layout.addLayout(banner_row)
        layout.addWidget(self.form)
        layout.addWidget(self.panel, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(content))

        self.apply_blocked()
        main.changed.connect(self._on_changed)
        self.keeper.load()
        Op(self, self._load_submission).success(self._submission_loaded).failure(self._load_failed).run()
        Op(self, lambda: self.context.applications().types()).success(self._types_loaded) \
            .failure(lambda _e: None).run()

    # -- what a tab provides -------------------------------------------------------------------------
    def make_form(self) -> QWidget:
        raise NotImplementedError

    def columns(self) -> list[Col]:
        raise NotImplementedError

    def blocked_reason(self) -> str | None:
        """Why nothing can be entered or submitted now (shown at the top), or None."""
        return None

    def notice_text(self) -> str | None:
        return self.blocked_reason()

    def announce(self, detail: dict, rows: list[dict]) -> None:
        """After the centre took the application (提交成功, printing)."""

    # -- blocked -------------------------------------------------------------------------------------
    def apply_blocked(self) -> None:
        reason = self.blocked_reason()
        notice = self.notice_text()
        self.notice.setText(notice or "")
        self.notice.setVisible(bool(notice))
        self.form.set_blocked(reason is not None)
        self.panel.set_blocked(reason is not None, reason or "")

    # -- the 清册 ------------------------------------------------------------------------------------
    def add_entry(self, row: dict) -> None:
        self.model.append([row])
        self.panel.table.scrollToBottom()

    def open_import(self):
        from ui.modules.approval_kit.importer import ApprovalImportDialog  # noqa: PLC0415

        if self.blocked_reason() is not None:
            return None
        dialog = ApprovalImportDialog(self.hub, self.batch.key, self.batch.title, self.add_imported, parent=self)
        self.import_dialog = dialog
        dialog.open()
        return dialog

    def add_imported(self, rows: list[dict]) -> list[tuple[int, str]]:
        good, refused = merge_rows(self.batch.key, rows, self.model.draft.rows)
        self.model.append(good)
        if good:
            flash_info(self.form.message, f"已导入{len(good)}条记录到{self.batch.title}清册")
            self.panel.table.scrollToBottom()
        return refused

    # -- the submission's draft in the local store -----------------------------------------------------
    def _place(self) -> SubmissionPlace:
        return SubmissionPlace(self.main.desk.store(), self.session.unit_account, self.session.login_name, self.batch)

    def _load_submission(self) -> tuple[Spool, BusinessDraft]:
        store = self.main.desk.store()
        return Spool.beside(store.path), self._place().load()

    def _submission_loaded(self, result: tuple[Spool, BusinessDraft]) -> None:
        self.spool, saved = result
        if self.draft.application_id is None and not self.draft.files:   # not replaced meanwhile (退回)
            self.draft = saved
        self.loaded = True
        self.show_returned()

    def _load_failed(self, exc: BaseException) -> None:
        self.loaded = True
        self.panel.message.show_error(message_for(exc))

    def _types_loaded(self, types: list[dict]) -> None:
        self.rule = attachment_rule(types, self.batch.type)

    def save_now(self, draft: BusinessDraft) -> None:
        """Background (also called by client.applications.finish while it runs)."""
        self._place().save(draft)

    # -- 提交审批 → 档案上传 → 提交 ---------------------------------------------------------------------
    def scan_intro(self) -> str:
        required = self.rule.get("required") or "证明材料"
        flow = "中心初审、复审" if self.rule.get("second_review") else "中心审批"
        return (f"请上传{required}的扫描件：PDF、JPEG、PNG或TIFF格式，单个文件不超过20 MB，每笔业务最多{MAX_FILES}个文件。"
                f"可点击“添加文件”，也可将文件拖到下方区域。提交后经{flow}通过才生效。")

    def missing_text(self) -> str:
        return f"请上传{self.rule.get('required') or '证明材料'}后再提交审批"

    def finish(self) -> None:
        self.panel.message.clear_message()
        reason = self.blocked_reason()
        if reason is not None:
            self.panel.message.show_error(reason)
            return
        rows = [_clean(r) for r in self.model.draft.rows]
        if not rows:
            self.panel.message.show_error(f"{self.batch.title}清册中没有记录，请先录入清册或批量导入")
            return
        if self.spool is None:
            self.panel.message.show_error("正在读取本机保存的提交记录，请稍候再点击")
            return
        try:
            prepare(self.draft, self.batch, rows)
        except ClientError as exc:
            self.panel.message.show_error(exc.message)
            return
        self.persist()
        self._refusal = None
        self.open_scan(f"档案上传 — {self.batch.title}", intro=self.scan_intro(), missing=self.missing_text())
        self.show_returned()
        if self._refusal is not None:
            refusal, self._refusal = self._refusal, None
            self.mark_refused(refusal, len(rows))

    def run_finish(self, progress) -> dict:
        """Background: sign, create or update, upload, submit (client.applications.finish)."""
        try:
            return super().run_finish(progress)
        except ApiError as exc:
            if exc.errors:
                self._refusal = exc
            raise

    def mark_refused(self, exc: ApiError, count: int) -> None:
        """The centre refused rows of the application: each is marked 未通过 with its reason (tool tip)."""
        model = self.model
        by_row, general = row_problems(exc, min(count, len(model.draft)))
        model.set_statuses({i: (READY, "") for i in range(len(model.draft)) if model.draft.status(i) != READY})
        if not by_row:
            return
        self.panel.mark_refused(by_row)
        shown = [f"清册第{i + 1}行 {'；'.join(msgs)}" for i, msgs in sorted(by_row.items())[:SHOWN]]
        more = f"……（共{len(by_row)}行）" if len(by_row) > SHOWN else ""
        self.panel.message.show_error(f"未提交：{len(by_row)}行有误，已标红，请修改或删除后重新提交。"
                                      + "；".join(shown + general) + more)
        first = model.index(min(by_row), 0)
        QTimer.singleShot(0, self.panel.table, lambda: self.panel.table.scrollTo(first))

    def submitted(self, detail: dict) -> None:
        rows = [_clean(r) for r in self.model.draft.rows]
        self.model.clear()
        self.draft = BusinessDraft(self.batch.type, {"rows": []})
        self.persist()
        self.show_returned()
        self.panel.message.show_info(f"已提交{self.batch.title}审批（业务编号{detail.get('application_no') or ''}，"
                                     f"{len(rows)}{self.count_unit}），审批进度可在首页“我发起的”中查看")
        self.announce_later(detail, rows)

    def _on_changed(self, scope: str) -> None:
        self.announce_waiting(scope)
        if scope in ("business_date", "*"):   # the centre's "today" moved: the adjustment month may have begun
            self.apply_blocked()
        if scope == "messages":               # maybe an approval: bases and ratios as the centre has them now
            self.hub.refresh()

    # -- 修改后重新提交 / 结束流程 from 待办 ------------------------------------------------------------
    def edit_application(self, detail: dict) -> bool:
        """Load a returned application (its rows into the 清册, its attachments) for editing; False if the
        clerk keeps the 清册 in progress instead."""
        if self.draft.application_id == detail.get("id"):
            return True
        if (len(self.model.draft) or self.draft.files) and not confirm(
                self, self.batch.title, f"{self.batch.title}清册中还有未提交的记录，载入退回的业务将清空清册。确定继续吗？",
                "确定", name="confirmDiscard"):
            return False
        try:
            rows = rows_from_payload(self.batch.key, detail.get("payload") or {}, self.hub.entry_context())
        except (KeyError, TypeError, ValueError, ArithmeticError):
            log.warning("returned %s application %s not loadable: %r", self.batch.type, detail.get("id"),
                        detail.get("payload"))
            self.panel.message.show_error("退回的业务内容无法载入，请在首页“待办”中结束流程后重新办理")
            return False
        self.release_scans()
        self.draft = BusinessDraft.from_application(detail)
        self.model.clear()
        self.model.append(rows)
        self.persist()
        self.show_returned()
        return True

    def application_ended(self, application_id: int) -> None:
        if self.draft.application_id == application_id:
            self._drop_submission()
            self.panel.message.show_info("退回的业务已结束流程；清册中的记录已保留，可修改后作为新的申请提交")

    def abandon_resubmit(self) -> None:
        if confirm(self, self.batch.title, "放弃对退回业务的修改吗？该业务仍在“待办”中，可稍后再修改或结束流程。"
                   "清册中的记录将清空。", "放弃修改", name="confirmAbandon"):
            self._drop_submission()
            self.model.clear()

    def _drop_submission(self) -> None:
        self.release_scans()
        self.draft = BusinessDraft(self.batch.type, {"rows": []})
        self.persist()
        self.show_returned()

    # -- for tests and the printouts -----------------------------------------------------------------
    def rows(self) -> list[dict]:
        return [_clean(r) for r in self.model.draft.rows]


def _clean(row: dict) -> dict:
    return {k: v for k, v in row.items() if not k.startswith("_")}


