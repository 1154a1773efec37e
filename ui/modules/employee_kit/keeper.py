"""Keeps a 清册 in the local store: loads it when the tab opens, saves it after every change. Saving runs
in the background (the GUI thread never touches the disk); changes made while a save is running are saved
right after it, so the store always ends with the latest 清册."""
from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from client.draft_list import DraftList, DraftStore
from ui.ops import Op
from ui.modules.employee_kit.table import DraftTableModel

log = logging.getLogger("gjj_desk.ui")


class DraftKeeper(QObject):
    loaded = Signal()    # the stored 清册 is in the model
    saved = Signal()     # everything changed so far is in the store

    def __init__(self, model: DraftTableModel, place: Callable[[], DraftStore], money_keys: tuple[str, ...],
                 parent: QObject | None = None) -> None:
        """`place()` runs in the background (it may open the local store) and says where the 清册 lives."""
        super().__init__(parent)
        self.model = model
        self._place_factory = place
        self._place: DraftStore | None = None
        self.money_keys = money_keys
        self._saving = False
        self._dirty = False
        self.is_loaded = False
        model.changed.connect(self.save)

    def place(self) -> DraftStore:
        if self._place is None:
            self._place = self._place_factory()
        return self._place

    def load(self) -> None:
        Op(self, self._read).success(self._show).run()

    def _read(self) -> DraftList:
        return DraftList.from_snapshot(self.place().load(), money_keys=self.money_keys)

    def _show(self, draft: DraftList) -> None:
        if len(self.model.draft):  # the clerk was quicker than the disk: keep both
            draft.extend(self.model.draft.rows)
            draft.meta.update(self.model.draft.meta)
        self.model.load(draft)
        self.is_loaded = True
        self.loaded.emit()
        if len(self.model.draft):
            self.save()

    def save(self) -> None:
        if self._saving:
            self._dirty = True
            return
        self._saving = True
        self._dirty = False
        (Op(self, self._write, self.model.draft.snapshot())
         .success(self._written).failure(self._failed).run())

    def _write(self, snapshot: dict) -> None:
        self.place().save(snapshot)

    def _written(self, _result) -> None:
        self._saving = False
        if self._dirty:
            self.save()
        else:
            self.saved.emit()

    def _failed(self, exc: BaseException) -> None:
        self._saving = False
        from ui.errors import show_error  # noqa: PLC0415

        log.error("saving the 清册 failed: %r", exc)
        show_error(self.parent() if self.parent() is not None and self.parent().isWidgetType() else None, exc)

    @property
    def busy(self) -> bool:
        return self._saving
