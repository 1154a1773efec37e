"""`gjj-desk` as a program: it starts, shows the login window, quits quietly (the start-up benchmark hook)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_starts_shows_the_login_window_and_quits_quietly(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GJJ_DESK_HOME": str(tmp_path),
           "GJJ_DESK_EXIT_AFTER_SHOWN": "1"}
    env.pop("QT_LOGGING_RULES", None)
    result = subprocess.run([sys.executable, "-c", "import sys; from ui.app import main; sys.exit(main([]))"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == ""
    assert (tmp_path / "log").is_dir()


def test_style_sheet_and_chime_ship_with_the_client():
    import resources

    base = Path(resources.__file__).parent
    assert "QPushButton#primary" in (base / "style.qss").read_text(encoding="utf-8")
    import wave

    with wave.open(str(base / "sounds" / "message.wav")) as chime:
        assert chime.getnchannels() == 1 and chime.getsampwidth() == 2
        assert 0.2 < chime.getnframes() / chime.getframerate() < 1.5
