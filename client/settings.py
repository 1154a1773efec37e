"""The desk's settings (centre address, CA file, UKey driver, …) as a JSON file in the per-user config
dir, and where the desk keeps its files. `GJJ_DESK_HOME` moves everything under one directory."""
from __future__ import annotations

import dataclasses
import json
import logging
import os
import sys
import tempfile
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import platformdirs

log = logging.getLogger(__name__)

APP_NAME = "gjj-desk"
HOME_ENV = "GJJ_DESK_HOME"
SETTINGS_FILE = "settings.json"
STORE_FILE = "local.sqlite3"
_LINUX_PKCS11 = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")


def default_pkcs11_module() -> str:
    """The UKey driver to start from: SoftHSM2 on Linux when installed (tests, demo); elsewhere empty
    (the IT staff choose the vendor's DLL in 服务器设置)."""
    if sys.platform.startswith("linux"):
        for path in _LINUX_PKCS11:
            if os.path.exists(path):
                return path
    return ""


@dataclass
class Settings:
    centre_url: str = "http://127.0.0.1:8700"
    ca_file: str | None = None
    pkcs11_module: str = dataclasses.field(default_factory=default_pkcs11_module)
    idle_lock_minutes: int = 15
    sound_enabled: bool = True
    message_poll_seconds: int = 30
    last_printer: str | None = None

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Settings":
        """Known keys of the right type are taken; anything else keeps its default (a hand-edited or
        older file never stops the desk from starting)."""
        s = cls()
        for f in fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            if _type_ok(getattr(s, f.name), f.name, value):
                setattr(s, f.name, value)
            else:
                log.warning("settings: ignoring %s=%r (wrong type)", f.name, value)
        return s


_OPTIONAL_STR = {"ca_file", "last_printer"}


def _type_ok(default: Any, name: str, value: Any) -> bool:
    if name in _OPTIONAL_STR:
        return value is None or isinstance(value, str)
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool) and value > 0
    return isinstance(value, type(default))


@dataclass(frozen=True)
class AppDirs:
    config: Path
    data: Path
    log: Path

    @property
    def settings_file(self) -> Path:
        return self.config / SETTINGS_FILE

    @property
    def store_file(self) -> Path:
        return self.data / STORE_FILE


def app_dirs(create: bool = True) -> AppDirs:
    """Per-user dirs (platformdirs "gjj-desk"); with GJJ_DESK_HOME set: config/, data/, log/ under it."""
    home = os.environ.get(HOME_ENV)
    if home:
        base = Path(home)
        dirs = AppDirs(base / "config", base / "data", base / "log")
    else:
        pd = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
        dirs = AppDirs(Path(pd.user_config_dir), Path(pd.user_data_dir), Path(pd.user_log_dir))
    if create:
        for p in (dirs.config, dirs.data, dirs.log):
            p.mkdir(parents=True, exist_ok=True)
    return dirs


def load_settings(path: Path | str | None = None) -> Settings:
    """The saved settings, or defaults when there is no file. A file that cannot be read as settings
    is moved aside to `settings.json.bak` (for IT staff to look at) and defaults are used."""
    path = Path(path) if path else app_dirs().settings_file
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("settings file is not a JSON object")
    except ValueError as exc:
        backup = path.with_name(path.name + ".bak")
        log.warning("settings file %s is corrupt (%s); moved to %s, using defaults", path, exc, backup)
        os.replace(path, backup)
        return Settings()
    return Settings.from_json(data)


def save_settings(settings: Settings, path: Path | str | None = None) -> Path:
    path = Path(path) if path else app_dirs().settings_file
    atomic_write_json(path, settings.to_json())
    return path


def atomic_write_json(path: Path, data: Any) -> None:
    """Write to a temp file in the same dir, fsync, then os.replace: a crash leaves the old or the new."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
