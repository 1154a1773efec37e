"""缴存人信息变更 (SPEC 4.12): pick the employee (the searchable 个人账号 picker over the cached roster; the
record itself is fetched from the centre), the locked items grey, the editable ones as drop-downs and line
edits; 【录入清册】 puts each changed item into the 待变更清册 (变更项目, 原值, 新值), × removes a row;
【保存】 opens 档案扫描 (optional for this business) whose 上传完成并提交审批 signs and submits the application
(client.applications.Applications.finish) → 提交成功. The draft (person, 清册, scans, how far a submission
got) is kept in the local store after every change, so it survives a restart; a returned application
comes back here from 待办 (修改后重新提交)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.applications import BusinessDraft
from client.employee_info import (
    DRAFT_MODULE,
    EMPLOYEE_INFO_CHANGE,
    NO_PERSON,
    NOTHING_CHANGED,
    InfoDraft,
    current_values,
    entry,
    fetch_person,
    new_draft,
)
from client.uploads import Spool
from services import employee_info as items
from ui.application_host import StoredDraftHost
from ui.errors import message_for
from ui.modules.employee_info.form import InfoForm
from ui.modules.employee_kit.dialogs import scrolling
from ui.modules.employee_kit.hub import hub_of
from ui.modules.employee_kit.picker import PersonPicker
from ui.modules.unit_change.change_list import ChangeList, PendingBox, button_row
from ui.ops import Op
from ui.tasks.context import TaskContext
from ui.widgets import InlineMessage

TITLE = "缴存人信息变更"
EMPTY_LIST = "修改右侧需要变更的项目后点击“录入清册”，变更内容将列入待变更清册"
SCAN_INTRO = ("档案扫描为可选项：如有证明材料（如学历证书、结婚证、户口簿等），可上传扫描件供中心审核参考——PDF、JPEG、PNG"
              "或TIFF格式，单个文件不超过20 MB，可点击“添加文件”或将文件拖到下方区域；没有材料可直接点击“上传完成并提交审批”。")
SCAN_NOTE = "点击【保存】后可上传证明材料扫描件（可选），然后提交中心审批，审批通过后生效"
SWITCH_QUESTION = "待变更清册中有{name}的{count}项变更尚未提交，选择其他缴存人将清空清册。确定继续吗？"
RETURNED_LOCK = "正在修改退回的业务，不能更换缴存人；如需办理其他缴存人，请先点击“放弃修改”"


class InfoChangeList(ChangeList):
    HEADERS = ["序号", "变更项目", "原值", "新值", ""]


class EmployeeInfoTab(StoredDraftHost, QWidget):
    application_type = EMPLOYEE_INFO_CHANGE
    title = TITLE
    draft_module = DRAFT_MODULE
    question_name = "employeeInfoQuestion"

    def __init__(self, main) -> None:
        super().__init__()
        self.setObjectName("employeeInfoTab")
        self.main = main
        self.session = main.session
        self.dictionaries = main.session.dictionaries
        self.context = TaskContext(main)
        self.hub = hub_of(main)
        self.draft: BusinessDraft = new_draft()
        self.person: dict | None = None          # the centre's record of the person in the draft
        self.current: dict[str, str] = {}        # its nine items as text
        self.fetching: str | None = None         # the 个人账号 being fetched
        self._quiet = False                      # picking in code, not by the clerk
        self._build()
        self._show_draft()
        self.hub.roster_changed.connect(self._roster_changed)
        main.changed.connect(self._on_changed)
        Op(self, self._load_draft).success(self._draft_loaded).failure(self._load_failed).run()

    @property
    def info(self) -> InfoDraft:
        return InfoDraft(self.draft)

    # -- layout -----------------------------------------------------------------------------------

    def _build(self) -> None:
        banner_row = self.returned_banner()
        self.picker = PersonPicker(self.hub, show_details=False)
        self.picker.picked.connect(self._picked)
        self.reset_button = QPushButton("重置")
        self.reset_button.clicked.connect(self.reset)
        self.enter_button = QPushButton("录入清册")
        self.enter_button.setObjectName("primary")
        self.enter_button.clicked.connect(self.enter)
        self.form = InfoForm(self.dictionaries, leading=self.picker,
                             trailing=button_row(self.reset_button, self.enter_button))
        self.error = InlineMessage()
        left = QGroupBox("缴存人信息")
        left_box = QVBoxLayout(left)
        left_box.setSpacing(10)
        left_box.addWidget(self.form)
        left_box.addWidget(self.error)
        left_box.addStretch(1)

        self.changes = InfoChangeList()
        self.changes.removed.connect(self.remove_change)
        self.note = QLabel(SCAN_NOTE)
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        self.notice = InlineMessage()
        self.save_button = QPushButton("保存")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        right = self.pending = PendingBox(self.changes, EMPTY_LIST, self.save_button, (self.notice, self.note))
        self.empty, self.count_label = right.empty, right.count_label

        content = QWidget()
        columns = QHBoxLayout(content)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(14)
        columns.addWidget(left, 3)
        columns.addWidget(right, 2)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 4, 16, 16)
        outer.setSpacing(8)
        outer.addLayout(banner_row)
        outer.addWidget(scrolling(content), 1)     # a small screen scrolls instead of squeezing the form

    # -- the draft in the local store (ui.application_host.StoredDraftHost) --------------------------

    def new_draft(self) -> BusinessDraft:
        """An empty 清册 for the person in the draft (the picker keeps showing them)."""
        return new_draft(self.info.person_account)

    def _draft_loaded(self, result: tuple[Spool, dict | None]) -> None:
        self.spool, saved = result
        self.loaded = True
        if self.info.is_empty():
            self.restore(saved)
        if self.info.person_account:
            self._show_picked(self.info.person_account)
            self._fetch(self.info.person_account)
        self._show_draft()

    def _load_failed(self, exc: BaseException) -> None:
        self.loaded = True
        self.error.show_error(message_for(exc))
        self._show_draft()

    # -- the person ---------------------------------------------------------------------------------

    def _picked(self, picked) -> None:
        if self._quiet or picked is None:   # typing a new search: keep what is shown until a person is picked
            return
        account = picked.person_account
        if account == self.info.person_account and (self.person is not None or self.fetching == account):
            return
        if self.draft.application_id is not None and self.draft.returned_opinion:
            self.error.show_error(RETURNED_LOCK)
            self._show_picked(self.info.person_account)
            return
        rows = self.info.changes()
        if (rows or self.draft.files) and not self.ask(SWITCH_QUESTION.format(
                name=(self.person or {}).get("name") or self.info.person_account, count=len(rows))):
            self._show_picked(self.info.person_account)
            return
        self.release_scans()
        self.draft = new_draft(account)
        self.person, self.current = None, {}
        self.error.clear_message()
        self.notice.clear_message()
        self.persist()
        self._fetch(account)
        self._show_draft()

    def _show_picked(self, account: str) -> None:
        """Put `account` into the picker without treating it as the clerk's choice."""
        self._quiet = True
        try:
            if not account:
                self.picker.clear()
            elif not self.picker.select_account(account):
                name = (self.person or {}).get("name") or ""
                self.picker.edit.setText(f"{account}  {name}".strip())
        finally:
            self._quiet = False

    def _roster_changed(self) -> None:
        """The roster arrived (or changed): show the draft's person in the picker, unless the clerk is typing."""
        account = self.info.person_account
        if account and self.picker.account() != account and not self.picker.edit.hasFocus():
            self._show_picked(account)

    def _fetch(self, account: str) -> None:
        self.fetching = account
        self._show_draft()
        (Op(self, lambda: fetch_person(self.hub.client(), account))
         .success(self._person_loaded).failure(lambda exc, a=account: self._person_failed(a, exc)).run())

    def _person_loaded(self, person: dict) -> None:
        account = person.get("person_account")
        if account != self.info.person_account:
            return                                   # the clerk picked someone else meanwhile
        self.fetching = None
        self.person, self.current = person, current_values(person)
        if self.picker.account() != account:
            self._show_picked(account)
        self._warn_stale()
        self._show_draft()

    def _warn_stale(self) -> None:
        stale = self.info.stale(self.current)
        if stale:
            self.error.show_error(f"{'、'.join(stale)}在中心的记录已变化（原值与中心记录不符），"
                                  "请点击清册中该行的×移除后重新录入")

    def _person_failed(self, account: str, exc: BaseException) -> None:
        if account == self.info.person_account:
            self.fetching = None
            self.error.show_error(message_for(exc))
            self._show_draft()

    # -- showing ----------------------------------------------------------------------------------

    def _show_draft(self) -> None:
        info = self.info
        rows = {c["field"]: c for c in info.changes()}
        ready = self.person is not None and self.fetching is None
        self.form.show_person(self.person if ready else None)
        self.changes.set_rows(info.rows(self.dictionaries))
        for name in items.EDITABLE:
            if name in rows:
                self.form.set_value(name, rows[name].get("new") or "")
                old = items.display(name, rows[name].get("old"), self.dictionaries) or "（空）"
                self.form.mark(name, "pending", f"已列入待变更清册，原值：{old}")
            else:
                self.form.set_value(name, self.current.get(name, "") if ready else "")
                self.form.mark(name, None)
        self.form.set_editable(ready)
        self.enter_button.setEnabled(ready)
        self.reset_button.setEnabled(ready)
        count = len(rows)
        self.pending.show_count(count, self.scan_count())
        self.empty.setText(EMPTY_LIST if info.person_account else NO_PERSON)
        self.save_button.setEnabled(bool(count) and self.loaded and ready)
        self.picker.edit.setEnabled(self.draft.application_id is None or not self.draft.returned_opinion)
        self.show_returned()

    def redraw(self) -> None:
        self._show_draft()

    def _on_changed(self, scope: str) -> None:
        self.announce_waiting(scope)
        account = self.info.person_account
        if scope in ("employees", "applications", "*") and account and self.fetching is None:
            (Op(self, lambda: fetch_person(self.hub.client(), account))
             .success(self._person_refreshed).failure(lambda _e: None).run())

    def _person_refreshed(self, person: dict) -> None:
        """The record again (e.g. after an approval): what the clerk is typing stays; an item still showing
        the old record value shows the new one."""
        if person.get("person_account") != self.info.person_account or self.fetching is not None:
            return
        values, before = current_values(person), self.current
        self.person = person
        self.form.show_person(person)
        if values == before:
            return
        self.current = values
        pending = set(self.info.fields())
        for name in items.EDITABLE:
            if name not in pending and items.same(name, self.form.value(name), before.get(name, "")):
                self.form.set_value(name, values[name])
        self._warn_stale()

    # -- 录入清册, ×, 重置 ---------------------------------------------------------------------------

    def enter(self) -> None:
        self.error.clear_message()
        self.notice.clear_message()
        if self.person is None:
            self.error.show_error(NO_PERSON)
            return
        found = entry(self.current, self.form.values(), self.dictionaries)
        pending = set(self.info.fields())
        if found.problems:
            for name in items.EDITABLE:
                if name in found.problems:
                    self.form.mark(name, "error", found.problems[name])
                else:
                    self.form.mark(name, "pending" if name in pending else None)
            self.error.show_error("\n".join(found.problems[n] for n in items.EDITABLE if n in found.problems))
            return
        if not found.changes and not pending:
            self.error.show_error(NOTHING_CHANGED)
            return
        self.info.set_changes(found.changes)
        self._show_draft()
        self.persist()

    def remove_change(self, field: str) -> None:
        self.info.remove(field)
        self.error.clear_message()
        self._show_draft()
        self.persist()

    # -- 保存 → 档案扫描 → 提交 -------------------------------------------------------------------------

    def save(self) -> None:
        self.notice.clear_message()
        if not self.info.changes():
            self.error.show_error(EMPTY_LIST)
            return
        if self.spool is None or self.person is None:
            return
        self.open_scan(f"档案扫描（可选）— {self.person.get('name') or ''}", intro=SCAN_INTRO, missing=None)
        self._show_draft()

    def submitted(self, detail: dict) -> None:
        self.draft = self.new_draft()
        self.error.clear_message()
        self.notice.show_info(f"已提交审批（业务编号{detail.get('application_no') or ''}），中心审批通过后生效")
        self._show_draft()
        self.persist()
        self.announce_later(detail)

    def announce(self, detail: dict) -> None:
        from ui.modules.unit_change.success import receipt_pdf  # noqa: PLC0415

        self.show_submitted(detail, "缴存人信息变更业务回执", receipt_pdf, dict(self.hub.unit),
                            self.session.operator_name)

    # -- 修改后重新提交 / 结束流程 from 待办: ui.application_host.StoredDraftHost -----------------------------

    def returned_loaded(self) -> None:
        """The returned application's person: the picker shows them, their record is fetched again."""
        self.person, self.current = None, {}
        self.error.clear_message()
        self.notice.clear_message()
        self._show_picked(self.info.person_account)
        self._fetch(self.info.person_account)
