"""The pinned Qt binding must not leak references to True or None: PySide6 6.12.0 on CPython 3.11 drops
one on every Signal.emit() and on every QThreadPool job, and the interpreter aborts after a few hundred.
Run in a child process, so that a binding with the bug fails this test instead of killing the run."""
import subprocess
import sys

PROBE = r"""
import sys
from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal
app = QCoreApplication([])
class Probe(QObject):
    ping = Signal(int)
probe = Probe()
probe.ping.connect(lambda n: None)
true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
for i in range(200):
    probe.ping.emit(i)
pool = QThreadPool.globalInstance()
for _ in range(200):
    pool.start(lambda: None)
pool.waitForDone()
print(sys.getrefcount(True) - true_before, sys.getrefcount(None) - none_before)
"""


def test_signal_emit_and_thread_pool_keep_refcounts():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    true_delta, none_delta = map(int, result.stdout.split())
    assert true_delta > -50, f"Signal.emit() leaks references to True ({true_delta} over 200 emits)"
    assert none_delta > -50, f"QThreadPool jobs leak references to None ({none_delta} over 200 jobs)"
