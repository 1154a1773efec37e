"""`gjj-desk --self-test` from the source tree (the frozen bundle runs the same code: tests/slow/test_bundle.py):
one line, exit 0 when the font, a rendered slip, PyKCS11 with the configured UKey driver and QtPdf all work."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from client.settings import Settings, save_settings

ROOT = Path(__file__).resolve().parents[2]


def self_test(home: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["GJJ_DESK_HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "ui", "--self-test"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_self_test_passes_offscreen_with_one_line(tmp_path):
    done = self_test(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    line, = done.stdout.splitlines()
    assert line.startswith("gjj-desk 自检通过：")
    assert "字体 WenQuanYi Micro Hei" in line and "汇补缴书" in line and "QtPdf 渲染 1页" in line
    assert "UKey驱动" in line or "PyKCS11 已加载" in line


def test_self_test_loads_the_configured_driver(tmp_path):
    save_settings(Settings(pkcs11_module="/usr/lib/softhsm/libsofthsm2.so"), tmp_path / "config" / "settings.json")
    done = self_test(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "UKey驱动 libsofthsm2.so 已加载" in done.stdout


def test_self_test_fails_with_a_reason_when_the_driver_is_missing(tmp_path):
    save_settings(Settings(pkcs11_module=str(tmp_path / "vendor-pkcs11.so")), tmp_path / "config" / "settings.json")
    done = self_test(tmp_path)
    assert done.returncode == 1
    line, = done.stdout.splitlines()
    assert line.startswith("gjj-desk 自检失败：UKey驱动：找不到") and "服务器设置" in line
