"""单位信息变更 (SPEC 4.3): the unit's registered information with the locked fields grey; 确定 puts each
changed field into the 待变更清册 (变更项目, 变更前, 变更后), × cancels a row; 完成办理 opens 档案扫描, whose
上传完成并提交审批 signs and submits the application → 提交成功. The draft (清册, scans, how far a submission
got) is kept in the local store after every change, so it survives a restart. A returned application comes
back here from 待办 (修改后重新提交) with its payload loaded."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.applications import UNIT_INFO_CHANGE, BusinessDraft
from client.uploads import Spool
from ui.application_host import StoredDraftHost
from ui.errors import message_for
from ui.modules.unit_change.change_list import ChangeList, PendingBox, button_row
from ui.modules.unit_change.fields import BY_NAME, EDITABLE, LOCKED_HINT, as_text, display, problems
from ui.modules.unit_change.form import UnitForm
from ui.ops import Op
from ui.tasks.context import TaskContext
from ui.widgets import InlineMessage

DRAFT_MODULE = UNIT_INFO_CHANGE
NOTHING_CHANGED = "未修改任何项目：请先修改需要变更的项目，再点击“确定”"
EMPTY_LIST = "请先修改需要变更的项目并点击“确定”，变更内容将列入待变更清册"


class UnitChangeTab(StoredDraftHost, QWidget):
    application_type = UNIT_INFO_CHANGE
    title = "单位信息变更"
    draft_module = DRAFT_MODULE
    question_name = "unitChangeQuestion"

    def __init__(self, main) -> None:
        super().__init__()
        self.setObjectName("unitChangeTab")
        self.main = main
        self.session = main.session
        self.context = TaskContext(main)
        self.unit: dict[str, Any] = dict(main.session.unit or {})
        self.draft = self.new_draft()
        self._build()
        self._show_unit()
        self._show_draft()
        main.changed.connect(self._on_changed)
        Op(self, self._load_draft).success(self._draft_loaded).failure(self._load_failed).run()

    # -- layout -----------------------------------------------------------------------------------

    def _build(self) -> None:
        banner_row = self.returned_banner()
        self.reset_button = QPushButton("重置")
        self.reset_button.clicked.connect(self.reset)
        self.confirm_button = QPushButton("确定")
        self.confirm_button.setObjectName("primary")
        self.confirm_button.clicked.connect(self.confirm)
        self.form = UnitForm(self.session.dictionaries, trailing=button_row(self.reset_button, self.confirm_button))
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
        self.finish_button = QPushButton("完成办理")
        self.finish_button.setObjectName("primary")
        self.finish_button.clicked.connect(self.finish)
        right = self.pending = PendingBox(self.changes, EMPTY_LIST, self.finish_button)
        self.empty, self.count_label = right.empty, right.count_label

        columns = QHBoxLayout()
        columns.setSpacing(14)
        columns.addWidget(left, 3)
        columns.addWidget(right, 2)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 4, 16, 16)
        outer.setSpacing(8)
        outer.addLayout(banner_row)
        outer.addLayout(columns, 1)

    # -- the draft in the local store (ui.application_host.StoredDraftHost) --------------------------

    def new_draft(self) -> BusinessDraft:
        return BusinessDraft(UNIT_INFO_CHANGE, {"changes": []})

    def _draft_loaded(self, result: tuple[Spool, dict | None]) -> None:
        self.spool, saved = result
        self.loaded = True
        self.restore(saved)
        self._show_draft()

    def _load_failed(self, exc: BaseException) -> None:
        self.loaded = True
        self.error.show_error(message_for(exc))

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
        self.pending.show_count(count, self.scan_count())
        self.finish_button.setEnabled(bool(count) and self.loaded)
        self.show_returned()

    def redraw(self) -> None:
        self._show_unit()
        self._show_draft()

    def _on_changed(self, scope: str) -> None:
        self.announce_waiting(scope)
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

    # -- 完成办理 → 档案扫描 → 提交 ------------------------------------------------------------------

    def finish(self) -> None:
        if not self._rows():
            self.error.show_error(EMPTY_LIST)
            return
        if self.spool is None:
            return
        self.open_scan()
        self._show_draft()

    def submitted(self, detail: dict) -> None:
        self.draft = self.new_draft()
        self.redraw()
        self.persist()
        self.announce_later(detail)

    def announce(self, detail: dict) -> None:
        from ui.modules.unit_change.success import receipt_pdf  # noqa: PLC0415

        self.show_submitted(detail, "单位信息变更业务回执", receipt_pdf, dict(self.unit), self.session.operator_name)

    # -- 修改后重新提交 / 结束流程 from 待办: ui.application_host.StoredDraftHost -----------------------------

    def returned_loaded(self) -> None:
        self.error.clear_message()
        self.redraw()
