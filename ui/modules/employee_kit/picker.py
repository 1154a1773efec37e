"""The 个人账号 picker: the clerk types part of a name, or the start of an 证件号码 or 个人账号, and picks
from the matches in the cached roster (no network while typing). Optionally only people of some statuses
(封存 only for 启封, 正常 only for 封存)."""
from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

from client.roster import RosterEntry
from ui.modules.employee_kit.hub import EmployeeHub

MAX_MATCHES = 50
PLACEHOLDER = "输入姓名、证件号码或个人账号查找"


class PersonPicker(QWidget):
    picked = Signal(object)   # the RosterEntry, or None when the field was cleared

    def __init__(self, hub: EmployeeHub, statuses: Iterable[str] | None = None, *, show_details: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        self.statuses = set(statuses) if statuses is not None else None
        self.entry: RosterEntry | None = None
        self.matches: list[RosterEntry] = []
        self.edit = QLineEdit()
        self.edit.setObjectName("personPicker")
        self.edit.setPlaceholderText(PLACEHOLDER)
        self.edit.setClearButtonEnabled(True)
        self._list = QStringListModel(self)
        self.completer = QCompleter(self._list, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(12)
        self.completer.popup().setObjectName("pickerPopup")
        self.completer.popup().setStyleSheet("QListView#pickerPopup { font-size: 14px; }"
                                             " QListView#pickerPopup::item { padding: 5px 8px; }")
        self.completer.setWidget(self.edit)
        self.completer.activated[QModelIndex].connect(self._activated)
        self.edit.textEdited.connect(self._typed)
        self.edit.editingFinished.connect(self._finished)
        self.details = QLabel(self)
        self.details.setObjectName("hint")
        self.details.setVisible(False)
        self.details_enabled = show_details
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit)
        layout.addLayout(row)
        if show_details:
            layout.addWidget(self.details)

    # -- typing -------------------------------------------------------------------------------------
    def details_label(self) -> QLabel:
        """The line of 状态 / 部门 / 缴至年月, for a form that places it elsewhere."""
        self.details_enabled = True
        return self.details

    def search(self, text: str) -> list[RosterEntry]:
        roster = self.hub.roster
        if roster is None:
            return []
        return roster.search(text, self.statuses, MAX_MATCHES)

    def _typed(self, text: str) -> None:
        if self.entry is not None and text != self._label(self.entry):
            self._set(None)
        self.matches = self.search(text) if text.strip() else []
        if not self.matches and text.strip():
            self._list.setStringList(["（没有符合条件的职工）" if self.hub.roster is not None else "（职工名单正在加载…）"])
            self.matches = []
        else:
            self._list.setStringList([m.describe() for m in self.matches])
        if text.strip():
            self.completer.complete()
        else:
            self.completer.popup().hide()

    def _activated(self, index: QModelIndex) -> None:
        row = index.row()
        if 0 <= row < len(self.matches):
            self.choose(self.matches[row])
        else:
            self.edit.clear()

    def _finished(self) -> None:
        """Typed a whole 个人账号 or 证件号码 (or a name only one person has) and left the field: take it."""
        text = self.edit.text().strip()
        if self.entry is not None or not text:
            return
        matches = self.search(text)
        exact = [m for m in matches if text in (m.person_account, m.id_number) or text.upper() == m.id_number
                 or text == m.name]
        if len(exact) == 1:
            self.choose(exact[0])

    # -- picking ------------------------------------------------------------------------------------
    def choose(self, entry: RosterEntry | None) -> None:
        self._set(entry)
        self.edit.setText(self._label(entry) if entry is not None else "")
        self.completer.popup().hide()

    def select_account(self, account: str) -> bool:
        """Pick by 个人账号 (from the roster); False when it is not there (or not of the wanted status)."""
        roster = self.hub.roster
        entry = roster.get(account) if roster is not None else None
        if entry is None or (self.statuses is not None and entry.status not in self.statuses):
            return False
        self.choose(entry)
        return True

    def clear(self) -> None:
        self.choose(None)

    def _set(self, entry: RosterEntry | None) -> None:
        changed = entry is not self.entry
        self.entry = entry
        if entry is None:
            self.details.setVisible(False)
        elif self.details_enabled:
            parts = [f"状态：{entry.status_label}", f"部门：{self.hub.department_label(entry.department) or '未分配'}"]
            if entry.paid_through:
                parts.append(f"缴至年月：{entry.paid_through[:4]}年{entry.paid_through[5:7]}月")
            self.details.setText("　".join(parts))
            self.details.setVisible(True)
        if changed:
            self.picked.emit(entry)

    @staticmethod
    def _label(entry: RosterEntry | None) -> str:
        return f"{entry.person_account}  {entry.name}" if entry is not None else ""

    def account(self) -> str:
        return self.entry.person_account if self.entry is not None else ""

    def setFocus(self) -> None:  # noqa: N802 - Qt name
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)
