"""What the task boxes and the detail dialog need of the main window: the centre client, the unit's
applications (client.applications, made on a worker: it opens the local store), the "changed" signal, and
the business tab that can take a returned application back for 修改后重新提交."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget


class TaskContext:
    def __init__(self, main) -> None:
        self.main = main
        self.api = main.api
        self.changed = main.changed

    @classmethod
    def of(cls, widget: QWidget) -> TaskContext | None:
        """The context of the main window `widget` is in (None outside one, e.g. a lone dialog in a test)."""
        window = widget.window()
        if all(hasattr(window, name) for name in ("session", "desk", "api", "changed")):
            return cls(window)
        return None

    def applications(self):
        """Background only: the local store may be opened here, and signing runs in the token process."""
        from client.applications import Applications  # noqa: PLC0415

        desk, session = self.main.desk, self.main.session
        return Applications(self.api, desk.store(), session.unit_account, sign=desk.token.sign)

    def editor_for(self, type_code: str) -> Any | None:
        """The business tab that edits applications of `type_code` (it has `application_type` and
        `edit_application(detail)`), or None while that business has no tab."""
        for widget in getattr(self.main, "modules", {}).values():
            if getattr(widget, "application_type", None) == type_code and hasattr(widget, "edit_application"):
                return widget
        return None

    def show_tab(self, widget: QWidget) -> None:
        tabs = getattr(self.main, "tabs", None)
        if tabs is not None:
            tabs.setCurrentWidget(widget)
