"""GUI test fixtures: offscreen Qt, a private GJJ_DESK_HOME, an in-memory keyring, a fake UKey, and a
mock centre for screens that need no real server (the real-server + SoftHSM path is test_login_e2e.py)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything loads Qt
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")

import keyring  # noqa: E402
import pytest  # noqa: E402

from tests.gui.support import MockCentre, dispose_desk, make_fake_token, wait_ops  # noqa: E402
from tests.support.keyrings import DictKeyring  # noqa: E402


@pytest.fixture(autouse=True)
def desk_home(tmp_path, monkeypatch):
    home = tmp_path / "desk-home"
    monkeypatch.setenv("GJJ_DESK_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def memory_keyring():
    previous = keyring.get_keyring()
    backend = DictKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def fake_token():
    token = make_fake_token()
    yield token
    token.close()


@pytest.fixture
def centre():
    return MockCentre()


@pytest.fixture
def desk_factory(qapp, centre, desk_home):
    """make(token) -> a Desk talking to the mock centre, started (login window shown)."""
    from client.api import CentreClient
    from client.settings import Settings
    from ui.desk import Desk

    made = []

    def make(token, *, start: bool = True):
        settings = Settings(centre_url="http://127.0.0.1:8700", pkcs11_module="fake", message_poll_seconds=1)
        api = CentreClient(settings.centre_url, transport=centre.transport())
        desk = Desk(settings, token, api=api)
        desk.watcher.interval = 0.05
        made.append(desk)
        if start:
            desk.start()
        return desk

    yield make
    for desk in made:
        dispose_desk(qapp, desk)
    wait_ops(qapp)


@pytest.fixture
def desk(desk_factory, fake_token):
    return desk_factory(fake_token, start=False)


@pytest.fixture
def login_window(qtbot, desk):
    desk.start()
    qtbot.waitUntil(lambda: desk.watcher.state is not None and desk.watcher.state.present, timeout=3000)
    return desk.login_window
