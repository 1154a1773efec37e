"""login: challenge + sign on the SoftHSM token + login + GET /unit against a real gjj-centre on loopback,
through our client (CentreClient + the token process), vs the same HTTP calls made with bare httpx and a
signature made in-process with PyKCS11 on the same token (no token layer). Both logged in to the token
beforehand (the PIN is not part of either side)."""
from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from bench.common import median_time, report

LABEL, PIN = "BENCH", "123456"
MODULE = "/usr/lib/softhsm/libsofthsm2.so"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _centre(data_dir: Path, *args: str) -> str:
    return subprocess.run([sys.executable, "-m", "server_stub.cli", "--data-dir", str(data_dir), *args],
                          check=True, capture_output=True, text=True).stdout


@contextmanager
def demo_centre_with_ukey():
    """A demo gjj-centre serving on a free loopback port, with a SoftHSM UKey issued for the first demo
    unit (token label BENCH, PIN 123456); yields (url, unit credentials)."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "tokens").mkdir()
        conf = tmp / "softhsm2.conf"
        conf.write_text(f"directories.tokendir = {tmp / 'tokens'}\nobjectstore.backend = file\n"
                        "log.level = ERROR\nslots.removable = true\n")
        os.environ["SOFTHSM2_CONF"] = str(conf)
        subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", LABEL, "--so-pin", "12345678",
                        "--pin", PIN], check=True, capture_output=True)
        creds = json.loads(_centre(tmp / "centre", "init", "--demo", "--json"))
        unit = creds["units"][0]
        _centre(tmp / "centre", "issue-ukey", "--unit", unit["unit_account"], "--module", MODULE,
                "--token-label", LABEL, "--pin", PIN)
        port = _free_port()
        server = subprocess.Popen([sys.executable, "-m", "server_stub.cli", "--data-dir", str(tmp / "centre"),
                                   "serve", "--port", str(port)], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_serving(url)
            yield url, unit
        finally:
            server.terminate()
            server.wait(10)


def run(repeat: int | None = None) -> str:
    with demo_centre_with_ukey() as (url, unit):
        return _measure(url, unit, repeat or 30)


def wait_until_serving(url: str) -> None:
    import httpx
    for _ in range(200):
        try:
            httpx.get(url + "/api/v1/business-date", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("gjj-centre did not start")


def _measure(url: str, unit: dict, repeat: int) -> str:
    import httpx
    import PyKCS11

    from client.api import CentreClient
    from hsm import TokenClient
    from services.signing import login_message

    account, login_name, password = unit["unit_account"], unit["login_name"], unit["password"]

    token = TokenClient(MODULE)
    token.login(PIN)
    cert = token.certificate()
    api = CentreClient(url)

    def ours():
        nonce = api.challenge()["nonce"]
        signature = token.sign(login_message(nonce, account, login_name))
        api.login(account, login_name, password, nonce, cert, signature)
        api.unit()

    lib = PyKCS11.PyKCS11Lib()
    lib.load(MODULE)
    slot = lib.getSlotList(tokenPresent=True)[0]
    session = lib.openSession(slot, PyKCS11.CKF_SERIAL_SESSION)
    session.login(PIN)
    key = session.findObjects([(PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY)])[0]
    mech = PyKCS11.Mechanism(PyKCS11.CKM_SHA256_RSA_PKCS, None)
    cert_b64 = base64.b64encode(cert).decode()
    http = httpx.Client(base_url=url + "/api/v1")

    def baseline():
        nonce = http.post("/auth/challenge").json()["nonce"]
        signature = bytes(session.sign(key, login_message(nonce, account, login_name), mech))
        answer = http.post("/auth/login", json={
            "unit_account": account, "login_name": login_name, "password": password, "nonce": nonce,
            "certificate": cert_b64, "signature": base64.b64encode(signature).decode()}).json()
        http.get("/unit", headers={"Authorization": f"Bearer {answer['token']}"}).raise_for_status()

    for _ in range(3):  # warm both paths (connections, caches)
        ours(), baseline()
    ours_times, base_times = [], []
    for _ in range(repeat):  # alternate so drift hits both sides alike
        ours_times.append(median_time(ours, 1))
        base_times.append(median_time(baseline, 1))
    token.close()
    session.logout()
    ours_t, base_t = sorted(ours_times)[repeat // 2], sorted(base_times)[repeat // 2]
    return report("login", ours_t, base_t,
                  note=f"login: our layers add {1000 * (ours_t - base_t):.1f} ms over the baseline (target ≤ 50 ms)")
