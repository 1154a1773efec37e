"""The desk: what lives as long as the program — settings, the UKey client and its watcher, the local store,
the centre client — and the switch between the login window and the main window."""

from __future__ import annotations

import dataclasses
import logging
import threading

from PySide6.QtCore import QObject, QTimer, Signal

from client.settings import Settings, app_dirs, save_settings
from ui.ops import Op
from ui.token_watch import TokenWatcher

log = logging.getLogger("gjj_desk.ui")


class Desk(QObject):
    reachability_changed = Signal(bool)  # the centre answered / stopped answering (from any thread)

    def __init__(self, settings: Settings, token, *, api=None, parent: QObject | None = None) -> None:
        """``api``: a ready CentreClient (tests); by default one is made from the settings when first needed."""
        super().__init__(parent)
        self.settings = settings
        self.token = token
        self.watcher = TokenWatcher(token, parent=self)
        self.login_window = None
        self.main_window = None
        self._lock = threading.Lock()
        self._store = None
        self._api = None
        if api is not None:
            self._adopt_api(api)

    def _adopt_api(self, api) -> None:
        api.add_reachability_listener(lambda reachable: self.reachability_changed.emit(reachable))
        self._api = api

    # -- shared objects (created on first use, on a worker thread) --------------------------------

    def store(self):
        with self._lock:
            if self._store is None:
                from client.store import LocalStore  # noqa: PLC0415

                self._store = LocalStore(app_dirs().store_file)
            return self._store

    def api(self):
        with self._lock:
            if self._api is None:
                from client.api import CentreClient  # noqa: PLC0415 - httpx is slow to import

                self._adopt_api(CentreClient(self.settings.centre_url, ca_file=self.settings.ca_file))
            return self._api

    # -- what the login window runs in the background ---------------------------------------------

    def login(self, unit_account: str, login_name: str, password: str, pin: str):
        from client.session import LoginFlow  # noqa: PLC0415

        flow = LoginFlow(self.api(), self.token, self.store())
        return flow.login(unit_account, login_name, password, pin), flow

    def load_remembered(self):
        from client.remember import load_remembered  # noqa: PLC0415 - keyring is slow to import

        return load_remembered()

    def remember_login(self, remember: bool, unit_account: str, login_name: str) -> None:
        from client.remember import forget, save_remembered  # noqa: PLC0415

        if remember:
            save_remembered(unit_account, login_name)
        else:
            forget()

    # -- settings ---------------------------------------------------------------------------------

    def save(self) -> None:
        save_settings(self.settings)

    def update_settings(self, **changes) -> None:
        self.settings = dataclasses.replace(self.settings, **changes)
        self.save()

    def apply_settings(self, new: Settings) -> None:
        """【服务器设置】 saved: a new centre address drops the centre client; a new driver restarts the UKey."""
        old = self.settings
        self.settings = new
        self.save()
        if (new.centre_url, new.ca_file) != (old.centre_url, old.ca_file):
            with self._lock:
                api, self._api = self._api, None
            if api is not None:
                Op(self, api.close).failure(lambda _e: None).run()
        if new.pkcs11_module != old.pkcs11_module:
            self.restart_token(new.pkcs11_module)

    def restart_token(self, module_path: str) -> None:
        from hsm import TokenClient  # noqa: PLC0415

        old = self.token
        self.token = TokenClient(module_path)
        self.watcher.replace_token(self.token)
        Op(self, old.close).failure(lambda exc: log.warning("closing the old token client: %r", exc)).run()

    # -- windows ----------------------------------------------------------------------------------

    def start(self) -> None:
        """Show the login window; the token process starts once it is on screen."""
        self.show_login()
        QTimer.singleShot(0, self._after_login_shown)

    def _after_login_shown(self) -> None:
        self.watcher.start()  # the polling thread spawns the token process
        self.login_window.load_remembered()

    def show_login(self, message: str | None = None) -> None:
        from ui.login_window import LoginWindow  # noqa: PLC0415

        if self.login_window is None:
            self.login_window = LoginWindow(self)
            self.login_window.logged_in.connect(self.open_main)
        self.login_window.reset_for_next_login(message)
        self.login_window.show()

    def open_main(self, session, flow) -> None:
        from ui.main_window import MainWindow  # noqa: PLC0415 - the main window is not needed at start-up

        self.main_window = MainWindow(self, session, flow)
        self.main_window.logged_out.connect(self._back_to_login)
        self.main_window.show()
        if self.login_window is not None:
            self.login_window.hide()

    def _back_to_login(self, message: str | None = None) -> None:
        window, self.main_window = self.main_window, None
        self.show_login(message)
        self.login_window.activateWindow()
        if window is not None:
            window.deleteLater()

    def shutdown(self) -> None:
        """Quit: stop watching, end the token process, close the local store."""
        if self.main_window is not None:
            self.main_window.shutdown()
        self.watcher.stop()
        try:
            self.token.close()
        except Exception:  # noqa: BLE001 - leaving anyway
            log.exception("closing the token client")
        with self._lock:
            if self._api is not None:
                self._api.close()
            if self._store is not None:
                self._store.close()
