"""The remembered 单位账号 and 登录名 for the login window: in the OS keyring (service "gjj-desk") when
there is one, else in `remembered.json` in the config dir (they are not secrets). Never a password or
a PIN: this module has no way to store one."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

from .settings import app_dirs, atomic_write_json

log = logging.getLogger(__name__)

SERVICE = "gjj-desk"
FILE_NAME = "remembered.json"
_FIELDS = ("unit_account", "login_name")


@dataclass(frozen=True)
class Remembered:
    unit_account: str = ""
    login_name: str = ""


def _file(config_dir: Path | None) -> Path:
    return (config_dir or app_dirs().config) / FILE_NAME


def load_remembered(config_dir: Path | None = None) -> Remembered:
    try:
        values = {f: keyring.get_password(SERVICE, f) for f in _FIELDS}
        if any(values.values()):
            return Remembered(**{k: v or "" for k, v in values.items()})
    except KeyringError as exc:
        log.info("keyring unavailable (%s); reading %s", type(exc).__name__, FILE_NAME)
    return _load_file(_file(config_dir))


def save_remembered(unit_account: str, login_name: str, config_dir: Path | None = None) -> None:
    values = {"unit_account": unit_account.strip(), "login_name": login_name.strip()}
    path = _file(config_dir)
    try:
        for k, v in values.items():
            if v:
                keyring.set_password(SERVICE, k, v)
            else:
                _delete(k)
    except KeyringError as exc:
        log.info("keyring unavailable (%s); writing %s", type(exc).__name__, path)
        atomic_write_json(path, values)
        return
    path.unlink(missing_ok=True)  # the keyring holds them now; no stale copy in a file


def forget(config_dir: Path | None = None) -> None:
    """Clear what is remembered (the clerk unticked 记住单位账号和登录名)."""
    try:
        for k in _FIELDS:
            _delete(k)
    except KeyringError as exc:
        log.info("keyring unavailable (%s)", type(exc).__name__)
    _file(config_dir).unlink(missing_ok=True)


def _delete(name: str) -> None:
    try:
        keyring.delete_password(SERVICE, name)
    except PasswordDeleteError:
        pass  # nothing stored under that name


def _load_file(path: Path) -> Remembered:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Remembered()
    except ValueError:
        log.warning("%s is corrupt; ignoring it", path)
        return Remembered()
    if not isinstance(data, dict):
        return Remembered()
    return Remembered(**{k: str(data.get(k) or "") for k in _FIELDS})
