"""startup: process start until the login window is shown, vs a bare PySide6 process showing an empty
QMainWindow. Both run offscreen as fresh processes, alternated, median of N."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile

from bench.common import report

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow()
w.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""


def _time(cmd: list[str], env: dict) -> float:
    import time
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def run(repeat: int | None = None) -> str:
    repeat = repeat or 7
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GJJ_DESK_HOME=home, GJJ_DESK_EXIT_AFTER_SHOWN="1",
                   PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
        ours_cmd = [sys.executable, "-m", "ui.app"]
        bare_cmd = [sys.executable, "-c", BARE]
        _time(ours_cmd, env), _time(bare_cmd, env)  # warm the file cache for both
        ours, bare = [], []
        for _ in range(repeat):
            ours.append(_time(ours_cmd, env))
            bare.append(_time(bare_cmd, env))
    ours.sort(), bare.sort()
    return report("startup", ours[len(ours) // 2], bare[len(bare) // 2])
