"""Work-arounds for reference-count bugs of PySide6 6.12.0 on CPython 3.11 (True/None are not immortal there):

- ``Signal.emit()`` called from Python returns ``True`` without a new reference, so every emit drops one
  reference to ``True``; after some hundred emits the interpreter aborts ("bool_dealloc: deallocating True").
  Always emit through :func:`emit`, which gives the reference back when (and only when) the bug is present.
- A Python callable run by ``QThreadPool`` drops one reference to ``None`` per run ("none_dealloc"); that is
  why ``ui.ops`` runs its work on a ``concurrent.futures`` thread pool instead.

The probe measures the bug once, so a fixed PySide6 (or CPython ≥ 3.12, with immortal True) costs nothing.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal, SignalInstance


class _Probe(QObject):
    ping = Signal()


def _emit_drops_true() -> bool:
    probe = _Probe()
    drops = []
    for _ in range(3):
        before = sys.getrefcount(True)
        probe.ping.emit()
        drops.append(before - sys.getrefcount(True))
    return drops == [1, 1, 1]


_DROPS_TRUE = _emit_drops_true()
if _DROPS_TRUE:
    import ctypes

    _incref = ctypes.pythonapi.Py_IncRef
    _incref.argtypes = [ctypes.py_object]
    _incref.restype = None


def emit(signal: SignalInstance, *args: object) -> None:
    """``signal.emit(*args)``, without the lost reference to True."""
    signal.emit(*args)
    if _DROPS_TRUE:
        _incref(True)
