"""The desk's local SQLite file: drafts (清册 being prepared), caches of centre data with versions, the
outbox of submissions awaiting the centre's confirmation, and small sync state.

WAL, synchronous=FULL and one commit per write, so a crash (or a pulled plug) loses nothing already
saved. The schema is versioned with `PRAGMA user_version`; `MIGRATIONS[n]` upgrades version n to n+1.
One connection guarded by a lock: the UI's background threads share the store."""
from __future__ import annotations

import datetime as dt
import decimal
import json
import logging
import sqlite3
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from .errors import ClientError

log = logging.getLogger(__name__)

# Each step is a list of statements run in one transaction. Never edit a released step: add one.
MIGRATIONS: list[list[str]] = [
    # 0 → 1: the first layout.
    [
        """CREATE TABLE drafts (
             unit_account TEXT NOT NULL, operator TEXT NOT NULL, module TEXT NOT NULL,
             data TEXT NOT NULL, updated_at TEXT NOT NULL,
             PRIMARY KEY (unit_account, operator, module))""",
        """CREATE TABLE caches (
             key TEXT PRIMARY KEY, version TEXT, etag TEXT, data TEXT NOT NULL, fetched_at TEXT NOT NULL)""",
        """CREATE TABLE outbox (
             idempotency_key TEXT PRIMARY KEY, unit_account TEXT NOT NULL, method TEXT NOT NULL,
             path TEXT NOT NULL, body TEXT, status TEXT NOT NULL DEFAULT 'pending'
               CHECK (status IN ('pending', 'done', 'failed')),
             attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, response TEXT,
             created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
    ],
    # 1 → 2: sync state (newest message seen) and a clerk-readable label for outbox items.
    [
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)",
        "ALTER TABLE outbox ADD COLUMN label TEXT",
        "CREATE INDEX outbox_by_unit_status ON outbox (unit_account, status, created_at)",
    ],
]
SCHEMA_VERSION = len(MIGRATIONS)

PENDING, DONE, FAILED = "pending", "done", "failed"


@dataclass(frozen=True)
class CacheEntry:
    key: str
    version: str | None
    etag: str | None
    data: Any
    fetched_at: dt.datetime


@dataclass(frozen=True)
class OutboxItem:
    idempotency_key: str
    unit_account: str
    method: str
    path: str
    body: Any
    status: str
    attempts: int
    last_error: str | None
    response: Any
    created_at: dt.datetime
    updated_at: dt.datetime
    label: str | None


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def _json_default(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


class LocalStore:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._upgrade()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise ClientError(f"本地数据文件已损坏，无法打开：{self.path}，请联系信息技术人员") from exc

    # -- schema ---------------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        with self._lock:
            return self._db.execute("PRAGMA user_version").fetchone()[0]

    def _upgrade(self) -> None:
        with self._lock:
            version = self.schema_version
            if version > SCHEMA_VERSION:
                raise ClientError(f"本地数据文件由更新版本的程序创建（版本{version}），请安装最新版本的客户端")
            for step in range(version, SCHEMA_VERSION):
                with self._transaction() as db:
                    for statement in MIGRATIONS[step]:
                        db.execute(statement)
                    db.execute(f"PRAGMA user_version = {step + 1}")
                log.info("local store %s upgraded to schema %d", self.path, step + 1)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _query(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- drafts (清册) ----------------------------------------------------------------------------
    def save_draft(self, unit_account: str, operator: str, module: str, data: Any) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO drafts (unit_account, operator, module, data, updated_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (unit_account, operator, module) DO UPDATE SET data = excluded.data, "
                "updated_at = excluded.updated_at",
                (unit_account, operator, module, _dump(data), _now()))

    def load_draft(self, unit_account: str, operator: str, module: str) -> Any | None:
        rows = self._query("SELECT data FROM drafts WHERE unit_account = ? AND operator = ? AND module = ?",
                           (unit_account, operator, module))
        return _load(rows[0][0]) if rows else None

    def delete_draft(self, unit_account: str, operator: str, module: str) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM drafts WHERE unit_account = ? AND operator = ? AND module = ?",
                       (unit_account, operator, module))

    def list_drafts(self, unit_account: str, operator: str) -> dict[str, dt.datetime]:
        """{module: updated_at} of this operator's saved drafts."""
        rows = self._query("SELECT module, updated_at FROM drafts WHERE unit_account = ? AND operator = ? "
                           "ORDER BY module", (unit_account, operator))
        return {m: dt.datetime.fromisoformat(t) for m, t in rows}

    # -- caches ---------------------------------------------------------------------------------
    def put_cache(self, key: str, data: Any, *, version: str | int | None = None, etag: str | None = None) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO caches (key, version, etag, data, fetched_at) VALUES (?, ?, ?, ?, ?)",
                (key, None if version is None else str(version), etag, _dump(data), _now()))

    def get_cache(self, key: str) -> CacheEntry | None:
        rows = self._query("SELECT key, version, etag, data, fetched_at FROM caches WHERE key = ?", (key,))
        if not rows:
            return None
        k, version, etag, data, fetched_at = rows[0]
        return CacheEntry(k, version, etag, _load(data), dt.datetime.fromisoformat(fetched_at))

    # -- outbox ---------------------------------------------------------------------------------
    _OUTBOX_COLUMNS = ("idempotency_key, unit_account, method, path, body, status, attempts, last_error, "
                       "response, created_at, updated_at, label")

    def enqueue(self, unit_account: str, method: str, path: str, body: Any = None, *,
                idempotency_key: str | None = None, label: str | None = None) -> str:
        """Persist a submission before it is sent; returns its Idempotency-Key."""
        key = idempotency_key or str(uuid.uuid4())
        now = _now()
        with self._transaction() as db:
            db.execute(f"INSERT INTO outbox ({self._OUTBOX_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, 0, NULL, NULL, ?, ?, ?)",
                       (key, unit_account, method.upper(), path, _dump(body), PENDING, now, now, label))
        return key

    def _items(self, where: str, args: tuple) -> list[OutboxItem]:
        rows = self._query(f"SELECT {self._OUTBOX_COLUMNS} FROM outbox WHERE {where} ORDER BY created_at, rowid",
                           args)
        return [OutboxItem(key, unit, method, path, _load(body), status, attempts, err, _load(resp),
                           dt.datetime.fromisoformat(created), dt.datetime.fromisoformat(updated), label)
                for key, unit, method, path, body, status, attempts, err, resp, created, updated, label in rows]

    def outbox_item(self, key: str) -> OutboxItem | None:
        items = self._items("idempotency_key = ?", (key,))
        return items[0] if items else None

    def pending(self, unit_account: str) -> list[OutboxItem]:
        return self._items("unit_account = ? AND status = ?", (unit_account, PENDING))

    def failed(self, unit_account: str) -> list[OutboxItem]:
        return self._items("unit_account = ? AND status = ?", (unit_account, FAILED))

    def record_attempt(self, key: str, error: str | None = None) -> None:
        """One more try that did not settle the item (it stays pending)."""
        with self._transaction() as db:
            db.execute("UPDATE outbox SET attempts = attempts + 1, last_error = ?, updated_at = ? "
                       "WHERE idempotency_key = ?", (error, _now(), key))

    def mark_done(self, key: str, response: Any = None) -> None:
        self._settle(key, DONE, response=response, error=None)

    def mark_failed(self, key: str, error: str) -> None:
        self._settle(key, FAILED, response=None, error=error)

    def _settle(self, key: str, status: str, *, response: Any, error: str | None) -> None:
        with self._transaction() as db:
            cur = db.execute("UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, response = ?, "
                             "updated_at = ? WHERE idempotency_key = ?",
                             (status, error, _dump(response), _now(), key))
            if cur.rowcount != 1:
                raise KeyError(key)

    def purge_done(self, older_than: dt.timedelta = dt.timedelta(days=30)) -> int:
        cutoff = (dt.datetime.now(dt.timezone.utc) - older_than).isoformat(timespec="microseconds")
        with self._transaction() as db:
            return db.execute("DELETE FROM outbox WHERE status = ? AND updated_at < ?", (DONE, cutoff)).rowcount

    # -- small state (sync) ---------------------------------------------------------------------
    def get_meta(self, key: str, default: Any = None) -> Any:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return _load(rows[0][0]) if rows else default

    def set_meta(self, key: str, value: Any) -> None:
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta (key, value, updated_at) VALUES (?, ?, ?)",
                       (key, _dump(value), _now()))
