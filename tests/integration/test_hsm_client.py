"""TokenClient against a real PKCS#11 module (SoftHSM2) in its separate token process."""

import os
import signal
import threading
import time

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding

from hsm import (
    DriverNotFound,
    NoCertificate,
    NoToken,
    NotLoggedIn,
    PinIncorrect,
    TokenClient,
    TokenProcessDied,
    TokenRemoved,
    TokenState,
    TokenTimeout,
)
from hsm.provision import init_softhsm_token
from tests.integration.hsm_fixtures import delete_softhsm_token, make_softhsm, make_test_ca, provision_test_token


@pytest.fixture(scope="module")
def ca():
    return make_test_ca()


@pytest.fixture
def softhsm(tmp_path, monkeypatch):
    return make_softhsm(tmp_path, monkeypatch)


@pytest.fixture
def token(softhsm, ca):
    return provision_test_token(softhsm, ca, key_type="ec-p256")


@pytest.fixture
def client(softhsm):
    client = TokenClient(softhsm.module, env=softhsm.env, call_timeout=5.0)
    yield client
    client.close()


class StateRecorder:
    """A watch callback that lets the test wait for a state."""

    def __init__(self):
        self.states = []
        self._changed = threading.Condition()

    def __call__(self, state):
        with self._changed:
            self.states.append(state)
            self._changed.notify_all()

    def wait_for(self, predicate, timeout=3.0):
        with self._changed:
            assert self._changed.wait_for(lambda: self.states and predicate(self.states[-1]), timeout), self.states
            return self.states[-1]


def verify(cert, signature, data):
    key = cert.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey):
        key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
    else:
        key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())


@pytest.mark.parametrize("key_type", ["rsa2048", "ec-p256"])
def test_signature_verifies_against_the_tokens_certificate(softhsm, ca, client, key_type):
    token = provision_test_token(softhsm, ca, key_type=key_type)
    assert client.certificate() == token.cert_der  # readable before login
    client.login(token.pin)
    assert client.logged_in and client.key_type == key_type
    data = "gjj-login|nonce|100001|张三".encode()
    verify(token.cert, client.sign(data), data)
    client.logout()
    assert not client.logged_in and client.key_type is None
    with pytest.raises(NotLoggedIn):
        client.sign(data)


def test_list_tokens_and_state(token, client):
    [info] = client.list_tokens()
    assert info.label == token.label and info.model == "SoftHSM v2"
    assert not (info.pin_count_low or info.pin_final_try or info.pin_locked)
    assert client.state() == TokenState(present=True, serial=info.serial, label=token.label)


def test_wrong_pin_is_refused_and_the_right_one_still_works(token, client):
    with pytest.raises(PinIncorrect) as caught:
        client.login("999999")
    assert caught.value.message.startswith("UKey PIN码错误，请重新输入")
    print(f"SoftHSM after one wrong PIN: count_low={caught.value.count_low} final_try={caught.value.final_try}")
    assert not client.logged_in
    assert client.list_tokens()[0].pin_count_low == caught.value.count_low
    client.login(token.pin)
    assert client.logged_in


def test_sign_before_login_is_refused(token, client):
    with pytest.raises(NotLoggedIn):
        client.sign(b"x")


def test_no_token(softhsm, client):
    assert client.state() == TokenState(present=False)
    assert client.list_tokens() == []
    with pytest.raises(NoToken):
        client.certificate()
    with pytest.raises(NoToken):
        client.login("123456")


def test_unknown_serial_is_no_token(token, client):
    with pytest.raises(NoToken):
        client.login(token.pin, serial="not-this-one")


@pytest.mark.parametrize("kind", ["missing", "not_a_library", "not_pkcs11", "not_set"])
def test_bad_driver_path(tmp_path, kind):
    path = {
        "not_set": "",
        "missing": str(tmp_path / "nope" / "libukey.so"),
        "not_a_library": str(tmp_path / "readme.so"),
        "not_pkcs11": "/usr/lib/x86_64-linux-gnu/libz.so.1",
    }[kind]
    (tmp_path / "readme.so").write_text("not a shared object")
    with TokenClient(path) as client:
        with pytest.raises(DriverNotFound) as caught:
            client.list_tokens()
        assert caught.value.path == path
        assert (path or "（未设置）") in caught.value.message
        with pytest.raises(DriverNotFound):
            client.state()
        recorder = StateRecorder()
        client.watch(recorder)
        state = recorder.wait_for(lambda s: True)
        assert state == TokenState(present=False, error=caught.value.message)


def test_env_reaches_the_token_process(softhsm, token, monkeypatch):
    monkeypatch.delenv("SOFTHSM2_CONF")
    with TokenClient(softhsm.module, env=softhsm.env) as client:
        assert client.state().label == token.label


def test_pulling_the_ukey_is_noticed_and_drops_the_login(token, client):
    client.login(token.pin)
    recorder = StateRecorder()
    client.watch(recorder)
    recorder.wait_for(lambda s: s.present)
    delete_softhsm_token(token.label)
    pulled = time.monotonic()
    recorder.wait_for(lambda s: not s.present, timeout=3.0)
    print(f"removal noticed after {time.monotonic() - pulled:.2f} s")
    assert client.state() == TokenState(present=False)
    assert not client.logged_in
    with pytest.raises(TokenRemoved):
        client.sign(b"x")


def test_pulled_before_any_poll_sign_says_removed(token, client):
    client.login(token.pin)
    delete_softhsm_token(token.label)
    with pytest.raises(TokenRemoved):
        client.sign(b"x")
    assert not client.logged_in


def test_plugging_a_ukey_back_in_is_seen(softhsm, ca, token, client):
    client.login(token.pin)
    first_serial = client.state().serial
    recorder = StateRecorder()
    client.watch(recorder, interval=0.1)
    delete_softhsm_token(token.label)
    recorder.wait_for(lambda s: not s.present)
    again = provision_test_token(softhsm, ca, label=token.label)  # same label, new token
    state = recorder.wait_for(lambda s: s.present)
    assert state.label == token.label and state.serial != first_serial
    with pytest.raises(TokenRemoved):
        client.sign(b"x")
    client.login(again.pin)
    verify(again.cert, client.sign(b"x"), b"x")


def test_a_blank_ukey_is_not_a_ukey(softhsm, client):
    init_softhsm_token("BLANK", "123456", "12345678")  # initialised but never issued
    assert client.state().label == "BLANK"
    with pytest.raises(NoCertificate):
        client.login("123456")
    assert not client.logged_in


def test_killed_token_process_is_reported_and_replaced(token, client):
    client.login(token.pin)
    old_pid = client.pid
    os.kill(old_pid, signal.SIGKILL)
    deadline = time.monotonic() + 3
    while client.alive and time.monotonic() < deadline:  # died between calls, not during one
        time.sleep(0.01)
    with pytest.raises(TokenProcessDied):
        client.sign(b"x")
    assert client.alive and client.pid != old_pid
    assert not client.logged_in
    with pytest.raises(TokenProcessDied):  # until the clerk types the PIN again
        client.sign(b"x")
    client.login(token.pin)
    verify(token.cert, client.sign(b"x"), b"x")


def test_process_killed_during_a_call(token, client):
    client.state()
    old_pid = client.pid
    threading.Timer(0.3, os.kill, (old_pid, signal.SIGKILL)).start()
    started = time.monotonic()
    with pytest.raises(TokenProcessDied):
        client._debug_sleep(3.0)
    assert time.monotonic() - started < 2.0
    assert client.state().present and client.pid != old_pid


def test_watch_reports_process_death(token, client):
    recorder = StateRecorder()
    client.watch(recorder, interval=0.1)
    recorder.wait_for(lambda s: s.present)
    os.kill(client.pid, signal.SIGKILL)
    recorder.wait_for(lambda s: s.error == TokenProcessDied().message)
    recorder.wait_for(lambda s: s.present)


def test_hanging_call_times_out_and_the_next_call_gets_a_fresh_process(token, softhsm):
    with TokenClient(softhsm.module, env=softhsm.env, call_timeout=0.5) as client:
        client.login(token.pin)
        old_pid = client.pid
        started = time.monotonic()
        with pytest.raises(TokenTimeout):
            client._debug_sleep(10)
        assert time.monotonic() - started < 2.0
        assert not client.logged_in
        assert client.state().present and client.pid != old_pid
        with pytest.raises(NotLoggedIn):
            client.sign(b"x")


def test_caller_and_watcher_share_the_process(token, client):
    client.login(token.pin)
    recorder = StateRecorder()
    client.watch(recorder, interval=0.001)
    for i in range(200):
        data = f"row {i}".encode()
        verify(token.cert, client.sign(data), data)
    client.unwatch()
    assert recorder.states == [TokenState(present=True, serial=client.state().serial, label=token.label)]


def test_start_is_idempotent_and_close_stops_the_process(softhsm):
    client = TokenClient(softhsm.module, env=softhsm.env)
    assert client.pid is None and not client.alive
    client.start()
    pid = client.pid
    client.start()
    assert client.pid == pid and client.alive
    client.restart()
    assert client.pid != pid
    client.close()
    assert not client.alive and client.pid is None
    assert client.state() == TokenState(present=False)  # lazily started again
    client.close()


@pytest.mark.parametrize("key_type", ["rsa2048", "ec-p256"])
def test_timings(softhsm, ca, client, key_type):
    """Measured, not asserted: a state() poll and a sign through the process round trip."""
    token = provision_test_token(softhsm, ca, key_type=key_type)
    client.login(token.pin)
    client.state()
    rounds = 200
    started = time.perf_counter()
    for _ in range(rounds):
        client.state()
    poll_ms = (time.perf_counter() - started) * 1000 / rounds
    started = time.perf_counter()
    for _ in range(rounds):
        client.sign(b"x" * 200)
    sign_ms = (time.perf_counter() - started) * 1000 / rounds
    print(f"\nstate() poll {poll_ms:.3f} ms; {token.key_type} sign {sign_ms:.3f} ms")
