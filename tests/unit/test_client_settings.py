"""client.settings: where the desk keeps its files; settings round trip; a corrupt file."""
import json

import pytest

from client.settings import Settings, app_dirs, default_pkcs11_module, load_settings, save_settings


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("GJJ_DESK_HOME", str(tmp_path / "desk"))
    return tmp_path / "desk"


def test_dirs_under_gjj_desk_home(home):
    dirs = app_dirs()
    assert (dirs.config, dirs.data, dirs.log) == (home / "config", home / "data", home / "log")
    assert dirs.config.is_dir() and dirs.data.is_dir() and dirs.log.is_dir()
    assert dirs.settings_file == home / "config" / "settings.json"
    assert dirs.store_file == home / "data" / "local.sqlite3"


def test_platformdirs_without_override(monkeypatch):
    monkeypatch.delenv("GJJ_DESK_HOME", raising=False)
    dirs = app_dirs(create=False)
    assert "gjj-desk" in str(dirs.config) and "gjj-desk" in str(dirs.data)


def test_defaults(home):
    s = load_settings()
    assert s == Settings()
    assert s.centre_url == "http://127.0.0.1:8700" and s.ca_file is None
    assert s.idle_lock_minutes == 15 and s.sound_enabled is True and s.message_poll_seconds == 30
    assert s.pkcs11_module == default_pkcs11_module()


def test_round_trip_is_atomic_and_keeps_chinese(home):
    s = Settings(centre_url="https://gjj.example.cn", ca_file="C:/证书/centre-ca.pem", pkcs11_module="x.dll",
                 idle_lock_minutes=5, sound_enabled=False, message_poll_seconds=60, last_printer="财务室打印机")
    path = save_settings(s)
    assert load_settings() == s
    assert "财务室打印机" in path.read_text(encoding="utf-8")
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]  # no temp file left behind


def test_corrupt_file_gives_defaults_and_keeps_a_backup(home):
    path = app_dirs().settings_file
    path.write_text('{"centre_url": "https://gjj.exa', encoding="utf-8")
    assert load_settings() == Settings()
    backup = path.with_name("settings.json.bak")
    assert backup.read_text(encoding="utf-8") == '{"centre_url": "https://gjj.exa'
    assert not path.exists()
    save_settings(Settings(idle_lock_minutes=7))
    assert load_settings().idle_lock_minutes == 7


def test_not_an_object_is_corrupt_too(home):
    app_dirs().settings_file.write_text("[1, 2]", encoding="utf-8")
    assert load_settings() == Settings()
    assert app_dirs().settings_file.with_name("settings.json.bak").exists()


def test_wrong_types_and_unknown_keys_keep_defaults(home):
    app_dirs().settings_file.write_text(json.dumps({
        "centre_url": "https://gjj.example.cn", "idle_lock_minutes": "ten", "sound_enabled": 1,
        "message_poll_seconds": -5, "ca_file": None, "colour": "blue"}), encoding="utf-8")
    s = load_settings()
    assert s.centre_url == "https://gjj.example.cn"
    assert s.idle_lock_minutes == 15 and s.sound_enabled is True and s.message_poll_seconds == 30
