"""The real `gjj-centre` as subprocesses, for end-to-end tests:

    creds = init_centre(data_dir)                         # gjj-centre init --demo --json
    issue_ukey(data_dir, creds["units"][0]["unit_account"], module, "UKEY01", "123456",
               env={"SOFTHSM2_CONF": conf})
    with running_centre(data_dir) as centre:              # gjj-centre serve on a free loopback port
        httpx.get(centre.url + "/api/v1/business-date")

`env` entries are added to os.environ for the child (e.g. GJJ_DATABASE_URL for PostgreSQL, SOFTHSM2_CONF).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

START_TIMEOUT = 30.0


def centre_command(data_dir: Path | str, *args: str) -> list[str]:
    return [sys.executable, "-m", "server_stub.cli", "--data-dir", str(data_dir), *args]


def run_centre(data_dir: Path | str, *args: str, env: Mapping[str, str] | None = None, check: bool = True,
               timeout: float = 120) -> subprocess.CompletedProcess:
    """Run one gjj-centre command; with check, a failure raises with its stderr."""
    result = subprocess.run(centre_command(data_dir, *args), capture_output=True, text=True, timeout=timeout,
                            env=_environment(env))
    if check and result.returncode != 0:
        raise RuntimeError(f"gjj-centre {' '.join(args)} failed ({result.returncode}): {result.stderr}")
    return result


def init_centre(data_dir: Path | str, demo: bool = True, business_date: dt.date | str | None = None, *,
                env: Mapping[str, str] | None = None) -> dict:
    """`gjj-centre init --json [--demo] [--business-date]`: {"units": [...], "reviewer": {...}}."""
    args = ["init", "--json"] + (["--demo"] if demo else [])
    if business_date is not None:
        args += ["--business-date", str(business_date)]
    return json.loads(run_centre(data_dir, *args, env=env).stdout)


def issue_ukey(data_dir: Path | str, unit: str, module: str, token_label: str, pin: str, *,
               key_type: str | None = None, valid_days: int | None = None, not_before: dt.date | str | None = None,
               not_after: dt.date | str | None = None, env: Mapping[str, str] | None = None,
               check: bool = True) -> subprocess.CompletedProcess:
    """`gjj-centre issue-ukey`: key pair on the token, centre-signed certificate, bound to the unit."""
    args = ["issue-ukey", "--unit", unit, "--module", module, "--token-label", token_label, "--pin", pin]
    for flag, value in (("--key-type", key_type), ("--valid-days", valid_days), ("--not-before", not_before),
                        ("--not-after", not_after)):
        if value is not None:
            args += [flag, str(value)]
    return run_centre(data_dir, *args, env=env, check=check)


@dataclass
class CentreProcess:
    url: str                   # http://127.0.0.1:PORT (the API is under url + "/api/v1")
    data_dir: Path
    proc: subprocess.Popen
    output: str = ""           # what the server printed, filled in once it has stopped

    @property
    def api(self) -> str:
        return self.url + "/api/v1"


@contextmanager
def running_centre(data_dir: Path | str, *, demo_mode: bool = True, env: Mapping[str, str] | None = None,
                   port: int | None = None, tls: tuple[Path | str, Path | str] | None = None
                   ) -> Iterator[CentreProcess]:
    """`gjj-centre serve` on a free loopback port (HTTPS with `tls=(cert_file, key_file)`); waits until
    /api/v1/business-date answers; stopped (SIGTERM, then SIGKILL) when the block ends."""
    port = port or free_port()
    args = ["serve", "--host", "127.0.0.1", "--port", str(port)] + (["--demo-mode"] if demo_mode else [])
    if tls:
        args += ["--tls-cert", str(tls[0]), "--tls-key", str(tls[1])]
    log_path = Path(data_dir) / f"serve-{port}.log"
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    with open(log_path, "w+", encoding="utf-8") as log:
        proc = subprocess.Popen(centre_command(data_dir, *args), stdout=log, stderr=subprocess.STDOUT,
                                env=_environment(env))
        centre = CentreProcess(f"{'https' if tls else 'http'}://127.0.0.1:{port}", Path(data_dir), proc)
        try:
            verify = ssl.create_default_context(cafile=str(tls[0])) if tls else True
            _wait_until_serving(centre, log_path, verify=verify)
            yield centre
        finally:
            _stop(proc)
            log.seek(0)
            centre.output = log.read()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(centre: CentreProcess, log_path: Path, verify: ssl.SSLContext | bool = True) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if centre.proc.poll() is not None:
            raise RuntimeError(f"gjj-centre serve exited ({centre.proc.returncode}): {log_path.read_text()}")
        try:
            if httpx.get(centre.api + "/business-date", timeout=1.0, verify=verify).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"gjj-centre serve did not answer within {START_TIMEOUT}s: {log_path.read_text()}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def _environment(extra: Mapping[str, str] | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra or {})
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env
