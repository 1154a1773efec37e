"""What the employee tabs share in one main window: the centre calls (client.employees.EmployeesClient,
made in the background: it opens the local store), the cached roster, the departments and the unit. It
shows the cached roster at once, then asks the centre (a 304 when nothing changed), and again whenever
the main window's "changed" signal says employees, departments or everything changed."""
from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from client.draft_list import DraftStore
from client.employees import EmployeesClient, EntryContext
from client.roster import Roster
from ui.ops import Op, Reload

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger("gjj_desk.ui")

SCOPES = frozenset({"employees", "departments", "*"})
EMPLOYEES, DEPARTMENTS = "employees", "departments"


def hub_of(main: MainWindow) -> EmployeeHub:
    """The one hub of a main window (made by the first employee tab)."""
    hub = getattr(main, "_employee_hub", None)
    if hub is None:
        hub = EmployeeHub(main)
        main._employee_hub = hub  # noqa: SLF001 - one per window, owned by it
        hub.start()
    return hub


class EmployeeHub(QObject):
    roster_changed = Signal()        # self.roster is new
    departments_changed = Signal()   # self.departments is new

    def __init__(self, main: MainWindow) -> None:
        super().__init__(main)
        self.main = main
        self.session = main.session
        self.unit: dict[str, Any] = dict(main.session.unit)
        self.roster: Roster | None = None
        self.departments: list[dict] = []
        self._client: EmployeesClient | None = None
        self._client_lock = threading.Lock()
        self.reload = Reload(self, self._fetch, self._fetched, self._failed)
        main.changed.connect(self._on_changed)

    # -- background side ----------------------------------------------------------------------------
    def client(self) -> EmployeesClient:
        """Called in the background only (two first calls at once make one client)."""
        with self._client_lock:
            if self._client is None:
                desk = self.main.desk
                self._client = EmployeesClient(self.main.api, desk.store(), self.session.unit_account,
                                               sign=lambda data: desk.token.sign(data))
            return self._client

    def draft_place(self, module: str) -> DraftStore:
        """Where this operator's 清册 of `module` lives (background)."""
        return DraftStore(self.main.desk.store(), self.session.unit_account, self.session.login_name, module)

    # -- GUI side -----------------------------------------------------------------------------------
    def start(self) -> None:
        Op(self, lambda: self.client().cached_roster()).success(self._cached).failure(lambda exc: None).run()
        self.refresh()

    def _cached(self, roster: Roster | None) -> None:
        if roster is not None and self.roster is None:
            self.roster = roster
            self.roster_changed.emit()

    def refresh(self) -> None:
        self.reload.run()

    def _fetch(self) -> tuple[Roster, list[dict], dict]:
        client = self.client()
        return client.roster(), client.departments(), client.api.unit()

    def _fetched(self, result) -> None:
        roster, departments, unit = result
        self.unit = unit
        if departments != self.departments:
            self.departments = departments
            self.departments_changed.emit()
        if self.roster is None or roster.version != self.roster.version or len(roster) != len(self.roster):
            self.roster = roster
            self.roster_changed.emit()

    def _failed(self, exc: BaseException) -> None:
        self.main._background_failed(exc)  # noqa: SLF001 - the window's handler of unrequested work

    def _on_changed(self, scope: str) -> None:
        if scope in SCOPES:
            self.refresh()

    def announce(self, scope: str = EMPLOYEES) -> None:
        """After a submission: every tab (and the header's counts) refreshes."""
        self.main.changed.emit(scope)
        self.main.changed.emit("unit")

    # -- what the forms need ------------------------------------------------------------------------
    def department_names(self) -> dict[str, str]:
        return {d["code"]: d["name"] for d in self.departments}

    def department_label(self, code: str | None) -> str:
        if not code:
            return ""
        name = self.department_names().get(code)
        return f"{name}（{code}）" if name else code

    def department_name(self, code: str | None) -> str:
        """For table cells: the name ("" for none; the code itself when the department is gone)."""
        if not code:
            return ""
        return self.department_names().get(code) or code

    def entry_context(self) -> EntryContext:
        s = self.session
        return EntryContext(s.policy, s.dictionaries, s.business_date, self.unit, self.department_names(),
                            self.roster)
