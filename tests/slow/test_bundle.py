"""The installer: scripts/build-bundle.sh builds the PyInstaller one-folder bundle from build_installer.spec, packs
the tar.gz (bundle, .desktop entry, icons, install.sh), unpacks it elsewhere and runs the bundle's own
`gjj-desk --self-test` (offscreen: font + slip, PyKCS11 + the UKey driver, QtPdf). About 70 s on 2 cores, so it
runs with `scripts/test.sh --slow`."""
from __future__ import annotations

import os
import subprocess
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_bundle_builds_packs_and_passes_its_self_test(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    done = subprocess.run(["scripts/build-bundle.sh", str(tmp_path / "dist"), str(tmp_path / "build")], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("gjj-desk 自检通过：")
    assert "WenQuanYi Micro Hei" in last and "QtPdf 渲染 1页" in last and ("UKey驱动" in last or "PyKCS11" in last)

    tarball, = (tmp_path / "dist").glob("gjj-desk-*-linux-*.tar.gz")
    with tarfile.open(tarball) as archive:
        names = set(archive.getnames())
    for member in ("gjj-desk/gjj-desk", "gjj-desk/gjj-desk.desktop", "gjj-desk/gjj-desk-256.png",
                   "gjj-desk/install.sh", "gjj-desk/_internal/resources/fonts/wqy-microhei.ttc",
                   "gjj-desk/_internal/resources/fonts/LICENSE-wqy-microhei.txt"):
        assert member in names, member
    assert not any("tkinter" in n or "server_stub" in n for n in names)
    desktop = (tmp_path / "dist" / "gjj-desk" / "gjj-desk.desktop").read_text(encoding="utf-8")
    assert "Exec=/opt/gjj-desk/gjj-desk" in desktop and "Icon=gjj-desk" in desktop
