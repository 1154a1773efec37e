"""The one background-operation helper: the GUI thread never waits on the network, the disk or the token.

    Op(parent, fn, *args).success(on_done).failure(on_error).with_progress("正在登录…").run()

``fn(*args)`` runs on a worker thread; ``success(result)`` / ``failure(exc)`` run back on the GUI thread.
Without ``.failure()`` errors go to ``ui.errors.show_error``. Nothing is called back once ``parent`` has been
deleted. A cancellable operation drops its result when the clerk cancels; long work may poll
``op.cancel_event`` (a ``threading.Event``) to stop early.

The workers are a ``concurrent.futures`` pool, so that ``fn`` is plain Python with no Qt object alive on the
worker thread; results cross back through a queued signal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from ui.errors import show_error

PROGRESS_DELAY_MS = 400  # quick operations never flash a progress dialog
MAX_WORKERS = 4

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

_live: set[Op] = set()  # keeps running operations (and their relays) alive until they report back
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415 - first used after start-up

            _pool = ThreadPoolExecutor(max_workers=MAX_WORKERS, thread_name_prefix="gjj-op")
        return _pool


def active_count() -> int:
    """How many operations have not yet reported back (tests wait for 0)."""
    return len(_live)


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits ``done`` from its own thread, so Qt queues the call over.
    The outcome travels in the Op: a signal without arguments is the plainest thing to send across threads.
    Parented to the application, so the C++ object is only ever deleted by ``deleteLater`` on the GUI thread,
    never by the worker dropping the last Python reference."""

    done = Signal()

    def __init__(self, op: Op) -> None:
        super().__init__(QCoreApplication.instance())
        self._op = op
        self.done.connect(self._on_done)

    @Slot()
    def _on_done(self) -> None:
        self._op._report()


class Op:
    def __init__(self, parent: QObject | None, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self.parent = parent
        self._fn = fn
        self._args = args
        self._kwargs = kwargs
        self._on_success: Callable[[Any], Any] | None = None
        self._on_failure: Callable[[BaseException], Any] | None = None
        self._progress_label: str | None = None
        self._cancellable = False
        self._progress: QProgressDialog | None = None
        self._relay: _Relay | None = None
        self._result: Any = None
        self._error: BaseException | None = None
        self.cancel_event = threading.Event()

    def success(self, callback: Callable[[Any], Any]) -> Op:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], Any]) -> Op:
        self._on_failure = callback
        return self

    def with_progress(self, label: str, cancellable: bool = False) -> Op:
        self._progress_label = label
        self._cancellable = cancellable
        return self

    def run(self) -> Op:
        self._relay = _Relay(self)
        _live.add(self)
        if self._progress_label is not None:
            self._show_progress()
        _executor().submit(self._work, self._relay)
        return self

    def cancel(self) -> None:
        """Drop the result: neither callback runs; the worker may notice ``cancel_event`` and stop."""
        self.cancel_event.set()

    # -- worker thread ----------------------------------------------------------------------------

    def _work(self, relay: _Relay) -> None:
        try:
            self._result = self._fn(*self._args, **self._kwargs)
        except BaseException as exc:  # noqa: BLE001 - every failure is classified on the GUI thread
            self._error = exc
        relay.done.emit()

    # -- GUI thread -------------------------------------------------------------------------------

    def _show_progress(self) -> None:
        from PySide6.QtCore import Qt, QTimer  # noqa: PLC0415 - the Qt namespace costs 15 ms at start-up

        parent = self.parent if isinstance(self.parent, QWidget) else None
        dialog = QProgressDialog(self._progress_label, "取消" if self._cancellable else None, 0, 0, parent)
        dialog.setWindowTitle("请稍候")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.hide()  # QProgressDialog shows itself on its own schedule; ours is PROGRESS_DELAY_MS
        if self._cancellable:
            dialog.canceled.connect(self.cancel)
        self._progress = dialog
        QTimer.singleShot(PROGRESS_DELAY_MS, dialog, lambda: dialog.show() if self._progress is dialog else None)

    def _report(self) -> None:
        result, exc = self._result, self._error
        self._result = self._error = None
        _live.discard(self)
        if self._progress is not None:
            if shiboken6.isValid(self._progress):
                if self._cancellable:  # closing a QProgressDialog emits canceled: not a cancellation
                    self._progress.canceled.disconnect(self.cancel)
                self._progress.close()
                self._progress.deleteLater()
            self._progress = None
        if self._relay is not None:
            self._relay.deleteLater()
            self._relay = None
        if self.parent is not None and not shiboken6.isValid(self.parent):
            return  # the window that asked is gone: nobody to tell
        if self.cancel_event.is_set():
            return  # the clerk cancelled: say nothing
        if exc is None:
            if self._on_success is not None:
                self._on_success(result)
            return
        if self._on_failure is not None:
            self._on_failure(exc)
        else:
            show_error(self.parent if isinstance(self.parent, QWidget) else None, exc)


class Reload:
    """A list fetched again whenever it may have changed (刷新, the window's `changed`): one fetch at a time —
    asked while one runs, one more runs after it, so what is shown is never older than the last change.

        self.reload = Reload(self, fetch, self._loaded, self._failed)   # then self.reload.run()

    ``fetch()`` runs on a worker thread; ``loaded(result)`` / ``failed(exc)`` back on the GUI thread (as Op)."""

    def __init__(self, parent: QObject, fetch: Callable[[], Any], loaded: Callable[[Any], Any],
                 failed: Callable[[BaseException], Any]) -> None:
        self.parent = parent
        self.fetch = fetch
        self.loaded = loaded
        self.failed = failed
        self.running = False
        self.again = False

    def run(self) -> None:
        if self.running:
            self.again = True
            return
        self.running = True
        Op(self.parent, self.fetch).success(self._done).failure(self._failed).run()

    def _done(self, result: Any) -> None:
        self.running = False
        self.loaded(result)
        if self.again:
            self.again = False
            self.run()

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self.again = False
        self.failed(exc)
