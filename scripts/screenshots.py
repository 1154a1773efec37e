"""Screenshots of the client against a throwaway demo centre, for a person to look at.

    .venv/bin/python scripts/screenshots.py [--out /tmp/gjj-shots]

Without a display it re-runs itself under Xvfb (xvfb-run, 1280x1024, the xcb platform). It creates a demo
centre (gjj-centre init --demo, serve on a free port), a SoftHSM UKey issued for the first demo unit, and a
private GJJ_DESK_HOME, all in a temporary directory, then drives the real windows and saves PNGs:
login window, a refusal, the main window, 修改密码, 消息详情, 更多, the lock.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULE = "/usr/lib/softhsm/libsofthsm2.so"
LABEL, PIN, SO_PIN = "GJJ-SHOTS", "123456", "12345678"


def centre(data_dir: Path, *args: str) -> str:
    cmd = [sys.executable, "-m", "server_stub.cli", "--data-dir", str(data_dir), *args]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(work: Path) -> tuple[dict, subprocess.Popen, str]:
    """Demo centre + SoftHSM UKey + desk home; returns (credentials, the serve process, its URL)."""
    hsm = work / "softhsm"
    (hsm / "tokens").mkdir(parents=True)
    conf = hsm / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {hsm / 'tokens'}\nobjectstore.backend = file\n"
                    "log.level = ERROR\nslots.removable = true\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    os.environ["GJJ_DESK_HOME"] = str(work / "desk")
    data = work / "centre"
    creds = json.loads(centre(data, "init", "--demo", "--json"))
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", LABEL, "--so-pin", SO_PIN, "--pin", PIN],
                   check=True, capture_output=True)
    centre(data, "issue-ukey", "--unit", creds["units"][0]["unit_account"], "--module", MODULE,
           "--token-label", LABEL, "--pin", PIN)
    port = free_port()
    log = open(work / "serve.log", "w")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen([sys.executable, "-m", "server_stub.cli", "--data-dir", str(data), "serve",
                             "--port", str(port), "--demo-mode"], stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    import httpx

    for _ in range(300):
        try:
            if httpx.get(url + "/api/v1/business-date", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    else:
        raise SystemExit("gjj-centre serve did not start: " + (work / "serve.log").read_text())
    return creds, proc, url


def shoot(out: Path, work: Path) -> list[Path]:
    creds, server, url = prepare(work)
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    from client.settings import Settings, save_settings
    from hsm import TokenClient
    from ui.app import apply_look, route_qt_messages
    from ui.desk import Desk
    from ui.messages import MessageDetailDialog, MessagesDialog
    from ui.password_dialog import ChangePasswordDialog

    app = QApplication([sys.argv[0]])
    apply_look(app)
    route_qt_messages()
    settings = Settings(centre_url=url, pkcs11_module=MODULE)
    save_settings(settings)
    desk = Desk(settings, TokenClient(MODULE))
    unit = creds["units"][0]
    saved: list[Path] = []

    def wait(condition, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise SystemExit(f"timed out waiting for {condition}")
            app.processEvents()
            time.sleep(0.02)
        for _ in range(20):  # let layouts and paints settle
            app.processEvents()
            time.sleep(0.01)

    def save(widget, name: str) -> None:
        path = out / name
        widget.grab().save(str(path))
        saved.append(path)

    def fill(window, password: str) -> None:
        window.unit_account.setText(unit["unit_account"])
        window.login_name.setText(unit["login_name"])
        window.password.setText(password)
        window.pin.setText(PIN)
        window.submit()

    try:
        desk.start()
        login = desk.login_window
        wait(lambda: login.ukey.holder.isVisible())
        save(login, "01-login.png")

        fill(login, "Wrong0000")
        wait(lambda: not login._busy and login.error.isVisible())
        save(login, "02-login-refused.png")

        fill(login, unit["password"])
        wait(lambda: desk.main_window is not None and desk.main_window.isVisible())
        main = desk.main_window
        main.resize(1280, 800)
        wait(lambda: main.home.messages.model.rowCount() > 0)
        save(main, "03-main-home.png")

        dialog = ChangePasswordDialog(main.api, main)
        dialog.show()
        dialog.old.setText("x")
        dialog.new.setText("abc")
        dialog.confirm.setText("abd")
        dialog.submit()
        wait(lambda: dialog.error.isVisible())
        save(dialog, "04-change-password.png")
        dialog.close()

        detail = MessageDetailDialog(main.home.messages.model.message(0), main)
        detail.show()
        wait(lambda: detail.isVisible())
        save(detail, "05-message-detail.png")
        detail.close()

        history = MessagesDialog(lambda p, s, u: main.api.messages(p, s, unread=u or None), lambda m, w: None, main)
        history.show()
        history.load(1)
        wait(lambda: history.model.rowCount() > 0)
        save(history, "06-messages-more.png")
        history.close()

        subprocess.run(["softhsm2-util", "--delete-token", "--token", LABEL], check=True, capture_output=True)
        wait(lambda: main.overlay.isVisible())
        save(main, "07-lock-overlay.png")
    finally:
        desk.shutdown()
        server.terminate()
        server.wait(10)
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/gjj-shots"))
    args = parser.parse_args()
    if not os.environ.get("DISPLAY") and os.environ.get("QT_QPA_PLATFORM") not in ("offscreen", "xcb"):
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", "env", "QT_QPA_PLATFORM=xcb",
               sys.executable, __file__, "--out", str(args.out)]
        return subprocess.call(cmd)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gjj-shots-") as work:
        for path in shoot(args.out, Path(work)):
            print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
