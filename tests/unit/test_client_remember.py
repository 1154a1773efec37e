"""client.remember: the remembered 单位账号 / 登录名 in a keyring, or in a small file without one."""
import json

import keyring
import keyring.backend
import pytest
from keyring.backends import fail

from client.remember import Remembered, forget, load_remembered, save_remembered
from client.settings import app_dirs
from tests.support.keyrings import DictKeyring




@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("GJJ_DESK_HOME", str(tmp_path / "desk"))
    previous = keyring.get_keyring()
    yield tmp_path / "desk"
    keyring.set_keyring(previous)


def test_keyring_holds_them(home):
    ring = DictKeyring()
    keyring.set_keyring(ring)
    assert load_remembered() == Remembered("", "")
    save_remembered(" 110100000001 ", "zhangsan")
    assert ring.values == {("gjj-desk", "unit_account"): "110100000001", ("gjj-desk", "login_name"): "zhangsan"}
    assert load_remembered() == Remembered("110100000001", "zhangsan")
    assert not (app_dirs().config / "remembered.json").exists()
    forget()
    assert ring.values == {} and load_remembered() == Remembered()


def test_no_keyring_falls_back_to_a_file(home):
    keyring.set_keyring(fail.Keyring())
    save_remembered("110100000001", "李四")
    path = app_dirs().config / "remembered.json"
    assert json.loads(path.read_text(encoding="utf-8")) == {"unit_account": "110100000001", "login_name": "李四"}
    assert load_remembered() == Remembered("110100000001", "李四")
    forget()
    assert not path.exists() and load_remembered() == Remembered()


def test_moving_to_a_keyring_removes_the_file(home):
    keyring.set_keyring(fail.Keyring())
    save_remembered("U1", "a")
    keyring.set_keyring(DictKeyring())
    assert load_remembered() == Remembered("U1", "a")  # read from the file while the keyring is empty
    save_remembered("U2", "b")
    assert not (app_dirs().config / "remembered.json").exists()
    assert load_remembered() == Remembered("U2", "b")


def test_corrupt_file_is_ignored(home):
    keyring.set_keyring(fail.Keyring())
    (app_dirs().config / "remembered.json").write_text("{oops", encoding="utf-8")
    assert load_remembered() == Remembered()
