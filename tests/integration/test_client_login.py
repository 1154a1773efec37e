"""The clerk's path through the real pieces: `gjj-centre serve` on loopback, a SoftHSM UKey issued by
`gjj-centre issue-ukey`, hsm.TokenClient in its token process, and client.LoginFlow / Submitter /
MessageSync on top. Plus: nothing secret lands in the desk's files or the keyring; an outbox replay
after a lost answer is applied once by the centre."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import httpx
import keyring
import keyring.backend
import pytest

from client.api import CentreClient
from client.errors import ApiError, CentreUnreachable, LoginRefused, SessionExpired
from client.outbox import Submitter
from client.remember import load_remembered, save_remembered
from client.session import LoginFlow
from client.settings import app_dirs
from client.store import LocalStore
from client.sync import MessageSync
from hsm import PinIncorrect, TokenClient
from hsm.provision import init_softhsm_token
from tests.integration.hsm_fixtures import make_softhsm
from tests.support.centre import init_centre, issue_ukey, run_centre, running_centre
from tests.support.keyrings import DictKeyring

PIN = "735914"          # distinctive, so a search of the desk's files cannot hit it by chance
SO_PIN = "87654321"
LABEL = "UKEY-CLIENT"


@dataclasses.dataclass
class World:
    centre_url: str
    data_dir: Path
    unit_account: str
    login_name: str
    password: str
    token: TokenClient


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    base = tmp_path_factory.mktemp("client-login")
    with pytest.MonkeyPatch.context() as mp:
        softhsm = make_softhsm(base, mp)
        data_dir = base / "centre"
        unit = init_centre(data_dir)["units"][0]
        init_softhsm_token(LABEL, PIN, SO_PIN)
        issue_ukey(data_dir, unit["unit_account"], softhsm.module, LABEL, PIN, key_type="ec-p256",
                   env=softhsm.env)
        with running_centre(data_dir) as centre:
            token = TokenClient(softhsm.module, env=softhsm.env, call_timeout=10.0)
            try:
                yield World(centre.url, data_dir, unit["unit_account"], unit["login_name"], unit["password"],
                            token)
            finally:
                token.close()


class LossyTransport(httpx.HTTPTransport):
    """The real network, except that the answer to the next request matching `lose` is lost after the
    centre has processed it (the clerk's Wi-Fi dropping at the wrong moment)."""

    def __init__(self):
        super().__init__()
        self.lose: str | None = None
        self.seen: list[tuple[str, str | None, str | None]] = []  # (path, Idempotency-Key, replayed?)

    def handle_request(self, request):
        response = super().handle_request(request)
        response.read()
        self.seen.append((request.url.path, request.headers.get("idempotency-key"),
                          response.headers.get("idempotency-replayed")))
        if self.lose and request.url.path.endswith(self.lose):
            self.lose = None
            response.close()
            raise httpx.ReadTimeout("answer lost", request=request)
        return response


@pytest.fixture
def lossy():
    return LossyTransport()


@pytest.fixture
def flow(world, tmp_path, lossy):
    api = CentreClient(world.centre_url, transport=lossy)
    flow = LoginFlow(api, world.token, LocalStore(tmp_path / "local.sqlite3"))
    yield flow
    flow.logout()  # also logs the UKey out: each test enters the PIN again




def test_login_with_the_real_ukey_and_centre(world, tmp_path, monkeypatch):
    monkeypatch.setenv("GJJ_DESK_HOME", str(tmp_path / "desk"))
    ring = DictKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(ring)
    try:
        store = LocalStore(app_dirs().store_file)
        flow = LoginFlow(CentreClient(world.centre_url), world.token, store)
        session = flow.login(world.unit_account, world.login_name, world.password, PIN)
        save_remembered(world.unit_account, world.login_name)
        assert load_remembered().unit_account == world.unit_account

        assert session.unit["unit_account"] == world.unit_account
        assert session.unit_name and session.unit_name == session.certificate.holder  # CN = the unit's name
        assert session.certificate.unit_account == world.unit_account
        assert session.operator["name"] and session.business_date and session.expires_at
        assert session.policy.version >= 1 and session.dictionaries.tables
        assert store.get_cache("policy").version == str(session.policy.version)

        old_token = session.token
        flow.logout()
        assert not world.token.logged_in
        flow.api.token = old_token  # the centre ended that session
        with pytest.raises(SessionExpired):
            flow.api.unit()
        store.close()
    finally:
        keyring.set_keyring(previous)

    secrets = [world.password.encode(), PIN.encode(), old_token.encode()]
    files = [p for p in (tmp_path / "desk").rglob("*") if p.is_file()]
    assert any(p.name == "local.sqlite3" for p in files)
    for path in files:
        data = path.read_bytes()
        assert not [s for s in secrets if s in data], path
    assert set(ring.values.values()) == {world.unit_account, world.login_name}


def test_wrong_password_says_how_many_tries_remain(world, flow):
    with pytest.raises(LoginRefused) as info:
        flow.login(world.unit_account, world.login_name, world.password + "x", PIN)
    assert info.value.message == "密码错误，还可尝试4次"
    assert info.value.code == "bad_credentials" and flow.api.token is None
    session = flow.login(world.unit_account, world.login_name, world.password, PIN)  # resets the count
    assert session.unit["unit_account"] == world.unit_account


def test_wrong_pin_is_told_by_the_ukey(world, flow):
    world.token.logout()
    with pytest.raises(PinIncorrect) as info:
        flow.login(world.unit_account, world.login_name, world.password, "000000")
    assert "PIN" in info.value.message
    assert not [p for p, _, _ in flow.api._http._transport.seen if p.endswith("/auth/login")]


def test_outbox_replay_after_a_lost_answer_is_applied_once(world, flow, lossy):
    flow.login(world.unit_account, world.login_name, world.password, PIN)
    api = flow.api
    unread = api.messages(unread=True)["items"]
    assert unread, "the demo centre has unread messages"
    message_id = unread[0]["id"]
    submitter = Submitter(api, flow.store)

    lossy.lose = f"/messages/{message_id}/read"
    with pytest.raises(CentreUnreachable):
        submitter.submit("POST", f"/messages/{message_id}/read", None, unit_account=world.unit_account,
                         label="标记已读")
    [pending] = flow.store.pending(world.unit_account)
    assert [m["read"] for m in api.messages()["items"] if m["id"] == message_id] == [True]  # it was applied

    result = submitter.retry_pending(world.unit_account)
    assert [i.idempotency_key for i in result.done] == [pending.idempotency_key]
    sends = [(key, replayed) for path, key, replayed in lossy.seen if path.endswith(f"/{message_id}/read")]
    assert sends == [(pending.idempotency_key, None), (pending.idempotency_key, "true")]


def test_password_change_replayed_with_the_same_key_applies_once(world, flow, lossy):
    flow.login(world.unit_account, world.login_name, world.password, PIN)
    api, new_password = flow.api, "Client2026x"
    key = "client-test-password-1"
    lossy.lose = "/auth/password"
    with pytest.raises(CentreUnreachable):
        api.change_password(world.password, new_password, idempotency_key=key)
    try:
        # Applied a second time it would be refused (the old password no longer matches): it is replayed.
        assert api.change_password(world.password, new_password, idempotency_key=key) is None
        assert lossy.seen[-1] == ("/api/v1/auth/password", key, "true")
        with pytest.raises(ApiError) as info:
            api.change_password(world.password, new_password)  # a fresh key: really checked again
        assert info.value.code == "bad_credentials"
    finally:
        api.change_password(new_password, world.password)
    flow.logout()
    assert flow.login(world.unit_account, world.login_name, world.password, PIN).unit


def test_messages_are_announced_once_across_a_restart(world, flow, tmp_path):
    flow.login(world.unit_account, world.login_name, world.password, PIN)
    sync = MessageSync(flow.api, flow.store, world.unit_account)
    first = sync.poll()
    assert first and all(not m["read"] for m in first)
    assert sync.poll() == []
    run_centre(world.data_dir, "send-message", "--unit", world.unit_account, "--title", "客户端测试通知",
               "--body", "请于月底前完成基数调整")
    assert [m["title"] for m in sync.poll()] == ["客户端测试通知"]
    flow.store.close()
    restarted = MessageSync(flow.api, LocalStore(tmp_path / "local.sqlite3"), world.unit_account)
    assert restarted.poll() == []
