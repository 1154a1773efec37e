"""The UKey watcher's callback, carried over to the GUI thread.

``TokenClient.watch`` calls back on its own polling thread; this object re-emits every state as a Qt
signal delivered on the GUI thread, and remembers the last one for windows that open later.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from hsm.errors import TokenProcessDied
from hsm.types import TokenState


def process_died(state: TokenState) -> bool:
    """The token service itself died (and is being restarted), as opposed to the UKey being pulled."""
    return not state.present and state.error == TokenProcessDied.default_message


class TokenWatcher(QObject):
    state_changed = Signal(object)  # TokenState, always on the GUI thread
    _from_thread = Signal(object, object)  # (the TokenClient polled, its TokenState)

    def __init__(self, token, interval: float = 0.5, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.token = token
        self.interval = interval
        self.state: TokenState | None = None  # None until the first poll answered
        self._from_thread.connect(self._deliver)

    def start(self) -> None:
        token = self.token
        # On the polling thread: Qt queues the signal over to the GUI thread.
        token.watch(lambda state: self._from_thread.emit(token, state), self.interval)

    def stop(self) -> None:
        """Stop polling (waits for a poll in progress: call it when leaving, not while working)."""
        self.token.unwatch()

    def replace_token(self, token) -> None:
        """Watch another TokenClient (the driver path changed). The caller closes the old one, in the
        background: closing waits for its polling thread, and a hung driver may take a while."""
        self.token = token
        self.state = None
        self.start()

    @Slot(object, object)
    def _deliver(self, token, state: TokenState) -> None:
        if token is not self.token:
            return  # a last poll of a replaced TokenClient
        self.state = state
        self.state_changed.emit(state)
