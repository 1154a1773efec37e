"""The centre's settings: one dataclass, filled from arguments and `GJJ_*` environment variables."""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

DEFAULT_CENTRE_NAME = "示范市住房公积金管理中心"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class CentreConfig:
    data_dir: Path
    database_url: str | None = None          # None: SQLite file DATA_DIR/centre.db
    demo_mode: bool = False                  # allows POST /centre/business-date
    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    nonce_seconds: int = 120
    lockout_failures: int = 5
    lockout_minutes: int = 15
    timezone: str = "Asia/Shanghai"          # how timestamps are shown to clerks ("请于HH:MM后再试")
    centre_name: str = DEFAULT_CENTRE_NAME   # used by init (CA subject, certificates)
    argon2_time_cost: int = 3                # lowered in tests only
    argon2_memory_kib: int = 65536
    argon2_parallelism: int = 4
    second_review_types: str = "base_adjustment,supplementary"  # application types with a 中心复审 step
    registration_limit: int = 5              # POST /registrations per client address …
    registration_window_minutes: int = 60    # … in this many minutes (429 beyond)
    # Requests inside the database at once. A request's transaction spans several worker-thread hops
    # (dependencies, route, commit); with more requests than worker threads all waiting for the lock
    # (SQLite) or a pooled connection (PostgreSQL: pool 5 + overflow 10), the holder would get no thread
    # to finish on. Kept below both the worker threads (40) and the connection pool (15).
    max_active_requests: int = 10
    # The security clock (sessions, nonces, lockout, certificates). Business "today" is the stored
    # business date, never this clock.
    clock: Callable[[], dt.datetime] = field(default=utc_now, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "data_dir", Path(self.data_dir))

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return normalise_database_url(self.database_url)
        return f"sqlite:///{self.data_dir / 'centre.db'}"

    @property
    def ca_dir(self) -> Path:
        return self.data_dir / "ca"

    @classmethod
    def from_env(cls, data_dir: Path | str | None = None, env: Mapping[str, str] | None = None,
                 **overrides) -> "CentreConfig":
        """Arguments win over `GJJ_*` variables, which win over the defaults."""
        env = os.environ if env is None else env
        values: dict = {}
        for f in fields(cls):
            name = f"GJJ_{f.name.upper()}"
            if f.name in ("data_dir", "clock") or name not in env:
                continue
            values[f.name] = _parse(env[name], f.default)
        if "GJJ_DATABASE_URL" in env and env["GJJ_DATABASE_URL"].strip():
            values["database_url"] = env["GJJ_DATABASE_URL"].strip()
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(data_dir=Path(data_dir) if data_dir else default_data_dir(env), **values)

    def with_(self, **changes) -> "CentreConfig":
        return replace(self, **changes)


def default_data_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get("GJJ_CENTRE_HOME"):
        return Path(env["GJJ_CENTRE_HOME"])
    import platformdirs
    return Path(platformdirs.site_data_dir("gjj-centre", appauthor=False))


def normalise_database_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean the psycopg 3 driver we ship."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _parse(text: str, default):
    if isinstance(default, bool):
        return text.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(text)
    return text
