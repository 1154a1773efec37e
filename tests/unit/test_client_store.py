"""client.store.LocalStore: drafts, caches, outbox; schema upgrade from a frozen v1 file; threads."""
import sqlite3
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from client.errors import ClientError
from client.store import SCHEMA_VERSION, LocalStore

# The v1 layout exactly as the first release wrote it (frozen: never edit to follow the code).
FROZEN_V1 = """
CREATE TABLE drafts (
  unit_account TEXT NOT NULL, operator TEXT NOT NULL, module TEXT NOT NULL,
  data TEXT NOT NULL, updated_at TEXT NOT NULL,
  PRIMARY KEY (unit_account, operator, module));
CREATE TABLE caches (
  key TEXT PRIMARY KEY, version TEXT, etag TEXT, data TEXT NOT NULL, fetched_at TEXT NOT NULL);
CREATE TABLE outbox (
  idempotency_key TEXT PRIMARY KEY, unit_account TEXT NOT NULL, method TEXT NOT NULL,
  path TEXT NOT NULL, body TEXT, status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, response TEXT,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
INSERT INTO drafts VALUES ('110100000001', 'zhangsan', 'open',
  '{"rows": [{"name": "王五", "base": "5000.00"}]}', '2026-07-01T08:00:00.000000+00:00');
INSERT INTO caches VALUES ('policy', '1', NULL, '{"year": 2026}', '2026-07-01T08:00:00.000000+00:00');
INSERT INTO outbox VALUES ('5b0c1d2e-0000-4000-8000-000000000001', '110100000001', 'POST',
  '/api/v1/employees/seal', '{"rows": [], "signature": "c2ln"}', 'pending', 1, '无法连接', NULL,
  '2026-07-01T08:00:00.000000+00:00', '2026-07-01T08:00:05.000000+00:00');
PRAGMA user_version = 1;
"""


def test_new_file_has_the_current_schema(tmp_path):
    store = LocalStore(tmp_path / "a" / "local.sqlite3")
    assert store.schema_version == SCHEMA_VERSION == 2
    assert store._query("PRAGMA journal_mode")[0][0] == "wal"


def test_upgrade_from_frozen_v1(tmp_path):
    path = tmp_path / "v1.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(FROZEN_V1)
    db.close()

    store = LocalStore(path)
    assert store.schema_version == 2
    assert store.load_draft("110100000001", "zhangsan", "open") == {"rows": [{"name": "王五", "base": "5000.00"}]}
    assert store.get_cache("policy").version == "1"
    [item] = store.pending("110100000001")
    assert item.idempotency_key == "5b0c1d2e-0000-4000-8000-000000000001"
    assert item.body == {"rows": [], "signature": "c2ln"} and item.attempts == 1 and item.label is None
    store.set_meta("k", {"v": 1})  # the v2 table exists
    assert store.get_meta("k") == {"v": 1}
    store.close()
    assert LocalStore(path).schema_version == 2  # opening again changes nothing


def test_a_file_from_a_newer_desk_is_refused(tmp_path):
    path = tmp_path / "new.sqlite3"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(ClientError, match="更新版本"):
        LocalStore(path)


def test_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ClientError, match="本地数据文件已损坏"):
        LocalStore(path)


def test_drafts(tmp_path):
    store = LocalStore(tmp_path / "s.sqlite3")
    assert store.load_draft("U1", "op", "open") is None
    store.save_draft("U1", "op", "open", {"rows": [{"base": Decimal("5000.00")}]})
    store.save_draft("U1", "op", "open", {"rows": [{"base": Decimal("6000.50")}]})
    store.save_draft("U1", "other", "open", {"rows": []})
    assert store.load_draft("U1", "op", "open") == {"rows": [{"base": "6000.50"}]}
    assert list(store.list_drafts("U1", "op")) == ["open"]
    store.delete_draft("U1", "op", "open")
    assert store.load_draft("U1", "op", "open") is None
    assert store.load_draft("U1", "other", "open") == {"rows": []}


def test_caches(tmp_path):
    store = LocalStore(tmp_path / "s.sqlite3")
    assert store.get_cache("policy") is None
    store.put_cache("policy", {"year": 2026}, version=3, etag='"abc"')
    entry = store.get_cache("policy")
    assert (entry.version, entry.etag, entry.data) == ("3", '"abc"', {"year": 2026})
    assert entry.fetched_at.tzinfo is not None


def test_outbox_states(tmp_path):
    store = LocalStore(tmp_path / "s.sqlite3")
    k1 = store.enqueue("U1", "post", "/api/v1/a", {"x": "甲"}, label="封存 2人")
    k2 = store.enqueue("U1", "POST", "/api/v1/b", None)
    store.enqueue("U2", "POST", "/api/v1/c", {})
    assert [i.idempotency_key for i in store.pending("U1")] == [k1, k2]
    store.record_attempt(k1, "无法连接")
    store.mark_done(k1, {"sealed": [1]})
    store.mark_failed(k2, "第1行 个人账号不存在")
    done, failed = store.outbox_item(k1), store.outbox_item(k2)
    assert (done.status, done.attempts, done.response, done.method, done.label) == (
        "done", 2, {"sealed": [1]}, "POST", "封存 2人")
    assert (failed.status, failed.last_error) == ("failed", "第1行 个人账号不存在")
    assert store.pending("U1") == [] and store.failed("U1") == [failed]
    with pytest.raises(KeyError):
        store.mark_done("no-such-key")


def test_a_draft_survives_a_killed_process(tmp_path):
    path = tmp_path / "crash.sqlite3"
    code = (
        "import os\n"
        "from client.store import LocalStore\n"
        f"s = LocalStore({str(path)!r})\n"
        "s.save_draft('U1', 'op', 'open', {'rows': [{'name': '赵六'}]})\n"
        "os._exit(9)\n"  # no close, no atexit: as if the desk crashed
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 9, done.stderr
    assert LocalStore(path).load_draft("U1", "op", "open") == {"rows": [{"name": "赵六"}]}


def test_shared_by_threads(tmp_path):
    store = LocalStore(tmp_path / "t.sqlite3")
    errors = []

    def work(n):
        try:
            for i in range(50):
                store.save_draft("U1", f"op{n}", "open", {"i": i})
                store.enqueue("U1", "POST", "/api/v1/x", {"n": n, "i": i})
                assert store.load_draft("U1", f"op{n}", "open") == {"i": i}
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.pending("U1")) == 200
