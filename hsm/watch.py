"""Insert/remove detection by polling: shared by TokenClient and FakeTokenClient."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from hsm.errors import TokenError
from hsm.types import TokenState

log = logging.getLogger(__name__)


class StatePolling:
    """Mixin: ``watch``/``unwatch`` over the host's ``state()`` (SoftHSM has no slot events)."""

    _watch_thread: threading.Thread | None = None
    _watch_stop: threading.Event | None = None

    def state(self) -> TokenState:  # pragma: no cover - provided by the host class
        raise NotImplementedError

    def watch(self, callback: Callable[[TokenState], None], interval: float = 0.5) -> None:
        """Poll ``state()`` on a daemon thread and call ``callback(state)`` (on that thread) with the first
        state and on every change; a failing poll is ``TokenState(present=False, error=message)``. A GUI
        must hand the state over to its own thread (a Qt signal). Replaces an earlier watch."""
        self.unwatch()
        stop = threading.Event()
        thread = threading.Thread(
            target=self._watch_loop, args=(callback, interval, stop), name="gjj-ukey-watch", daemon=True
        )
        self._watch_stop, self._watch_thread = stop, thread
        thread.start()

    def unwatch(self) -> None:
        """Stop polling; waits for a poll in progress unless called from the callback itself."""
        stop, thread = self._watch_stop, self._watch_thread
        self._watch_stop = self._watch_thread = None
        if stop is not None:
            stop.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def _watch_loop(self, callback: Callable[[TokenState], None], interval: float, stop: threading.Event) -> None:
        last: TokenState | None = None
        while not stop.is_set():
            try:
                current = self.state()
            except TokenError as exc:
                current = TokenState(present=False, error=exc.message)
            if current != last and not stop.is_set():
                last = current
                try:
                    callback(current)
                except Exception:
                    log.exception("UKey watch callback failed")
            stop.wait(interval)
