"""CPython's cyclic garbage collector paused around one bulk operation.

A batch of 10^4–10^5 rows (an import, 缴存人登记) allocates a few long-lived objects per row and makes no
reference cycles, yet every time the survivors grow by a quarter the collector walks every object of the
process again: for 10,000 rows in the centre that was about a third of the request, for a 100,000-row
import a fifth of the row loop. Reference counting still frees everything as usual; cycles made meanwhile
(by other threads too) are collected once the last pause ends.

Nested and concurrent pauses (several requests in the server's thread pool) share one counter: the
collector is switched back on when the last of them ends, and only if it was on before the first began.
"""
from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
