"""A throwaway PostgreSQL 15 cluster for tests, and a fresh schema per test.

    url = start_test_postgres(tmp_dir)        # initdb + pg_ctl start on a Unix socket, no TCP
    os.environ["GJJ_TEST_PG_URL"] = url       # server tests then also run on PostgreSQL
    ...
    stop_test_postgres(tmp_dir)

initdb refuses to run as root: as root the cluster runs as the `postgres` user (created if missing).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PG_BIN = Path(os.environ.get("GJJ_PG_BIN", "/usr/lib/postgresql/15/bin"))
DEFAULT_PORT = 5433
DATABASE = "gjjtest"


def start_test_postgres(base_dir: Path | str, *, port: int = DEFAULT_PORT) -> str:
    """Start (or reuse, if already running there) a cluster under base_dir; return its SQLAlchemy URL
    `postgresql+psycopg://postgres@/gjjtest?host=<socket dir>&port=<port>`."""
    base = Path(base_dir).resolve()
    data, sock, log = base / "pgdata", base / "pgsock", base / "pg.log"
    as_root = os.geteuid() == 0
    if as_root:
        _ensure_postgres_user()
    base.mkdir(parents=True, exist_ok=True)
    sock.mkdir(exist_ok=True)
    if as_root:
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
        if log.exists():
            shutil.chown(log, "postgres")
    if not (data / "PG_VERSION").exists():
        _run(as_root, [str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                       "--locale=C.UTF-8"])
    if _run(as_root, [str(PG_BIN / "pg_ctl"), "-D", str(data), "status"], check=False).returncode != 0:
        options = f"-k {sock} -p {port} -c listen_addresses='' -c fsync=off -c synchronous_commit=off " \
                  "-c full_page_writes=off -c max_connections=200"
        _run(as_root, [str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "-t", "60",
                       "start"])
    _wait_ready(sock, port)
    exists = _run(as_root, [str(PG_BIN / "psql"), "-h", str(sock), "-p", str(port), "-U", "postgres", "-d",
                            "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"]).stdout
    if "1" not in exists:
        _run(as_root, [str(PG_BIN / "createdb"), "-h", str(sock), "-p", str(port), "-U", "postgres", DATABASE])
    return f"postgresql+psycopg://postgres@/{DATABASE}?host={sock}&port={port}"


def stop_test_postgres(base_dir: Path | str) -> None:
    data = Path(base_dir).resolve() / "pgdata"
    if (data / "PG_VERSION").exists():
        _run(os.geteuid() == 0, [str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], check=False)


@contextmanager
def fresh_schema(base_url: str) -> Iterator[str]:
    """A new empty schema in the test database, dropped afterwards; yields a URL whose connections use it
    (search_path), which subprocesses can be given as GJJ_DATABASE_URL too."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def _ensure_postgres_user() -> None:
    if subprocess.run(["id", "postgres"], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "-m", "postgres"], check=True, capture_output=True)


def _run(as_root: bool, args: list[str], *, check: bool = True) -> subprocess.CompletedProcess:
    command = ["runuser", "-u", "postgres", "--", *args] if as_root else args
    result = subprocess.run(command, capture_output=True, text=True, cwd="/")
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {result.stderr or result.stdout}")
    return result


def _wait_ready(sock: Path, port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = subprocess.run([str(PG_BIN / "pg_isready"), "-h", str(sock), "-p", str(port)], capture_output=True)
        if result.returncode == 0:
            return
        time.sleep(0.2)
    raise RuntimeError(f"PostgreSQL on {sock}:{port} did not become ready")


def main(argv: list[str] | None = None) -> int:
    """`python -m tests.support.pg start DIR` prints the URL; `python -m tests.support.pg stop DIR`."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] not in ("start", "stop"):
        print("usage: python -m tests.support.pg start|stop DIR", file=sys.stderr)
        return 2
    if args[0] == "start":
        print(start_test_postgres(args[1]))
    else:
        stop_test_postgres(args[1])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
