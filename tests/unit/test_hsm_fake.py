"""FakeTokenClient: the lockout, removal and crash behaviour screens are tested against."""

import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding

from hsm.errors import NoToken, NotLoggedIn, PinIncorrect, PinLocked, TokenProcessDied, TokenRemoved
from hsm.fake import FakeTokenClient
from hsm.types import TokenState


@pytest.fixture(scope="module")
def ec_fake_parts():
    fake = FakeTokenClient.generate(pin="123456")
    return fake._certificate_der, fake._private_key


@pytest.fixture
def fake(ec_fake_parts):
    cert, key = ec_fake_parts
    return FakeTokenClient("123456", cert, key)


def test_lockout_progression_of_six_tries(fake):
    seen = []
    for _ in range(5):
        with pytest.raises(PinIncorrect) as caught:
            fake.login("000000")
        seen.append((caught.value.count_low, caught.value.final_try))
        info = fake.list_tokens()[0]
        assert (info.pin_final_try, info.pin_locked) == (caught.value.final_try, False)
    assert seen == [(False, False), (False, False), (True, False), (True, False), (True, True)]
    assert "最后一次机会" in str(caught.value)
    with pytest.raises(PinLocked):
        fake.login("000000")
    assert fake.list_tokens()[0].pin_locked
    with pytest.raises(PinLocked):  # the right PIN no longer helps
        fake.login("123456")
    assert not fake.logged_in


def test_right_pin_resets_the_counter(fake):
    for _ in range(4):
        with pytest.raises(PinIncorrect):
            fake.login("000000")
    fake.login("123456")
    assert fake.tries_left == 6 and fake.logged_in
    with pytest.raises(PinIncorrect) as caught:
        fake.login("000000")
    assert not caught.value.count_low


def test_signs_with_the_certificates_key(fake):
    fake.login("123456")
    assert fake.key_type == "ec-p256"
    cert = x509.load_der_x509_certificate(fake.certificate())
    cert.public_key().verify(fake.sign(b"data"), b"data", ec.ECDSA(hashes.SHA256()))


def test_rsa_fake():
    fake = FakeTokenClient.generate(key_type="rsa2048")
    fake.login("123456")
    assert fake.key_type == "rsa2048"
    cert = x509.load_der_x509_certificate(fake.certificate())
    cert.public_key().verify(fake.sign(b"data"), b"data", padding.PKCS1v15(), hashes.SHA256())


def test_sign_needs_login(fake):
    with pytest.raises(NotLoggedIn):
        fake.sign(b"x")


def test_remove_and_insert(fake):
    fake.login("123456")
    fake.remove()
    assert fake.state() == TokenState(present=False)
    assert not fake.logged_in
    with pytest.raises(TokenRemoved):
        fake.sign(b"x")
    with pytest.raises(NoToken):
        fake.certificate()
    fake.insert()
    assert fake.state().present
    fake.login("123456")
    fake.sign(b"x")


def test_die_fails_the_next_call_and_loses_the_login(fake):
    fake.login("123456")
    fake.die()
    with pytest.raises(TokenProcessDied):
        fake.state()
    assert not fake.logged_in
    with pytest.raises(TokenProcessDied):  # until the clerk types the PIN again
        fake.sign(b"x")
    assert fake.state().present
    fake.login("123456")
    fake.sign(b"x")


def test_watch_reports_changes(fake):
    states = []
    changed = threading.Semaphore(0)

    def next_state():
        assert changed.acquire(timeout=2)
        return states[-1]

    def record(state):
        states.append(state)
        changed.release()

    fake.watch(record, interval=0.01)
    try:
        assert next_state() == TokenState(present=True, serial=fake.serial, label=fake.label)
        fake.remove()
        assert next_state() == TokenState(present=False)
        fake.die()
        assert next_state() == TokenState(present=False, error=TokenProcessDied().message)
        fake.insert()
        assert next_state().present
    finally:
        fake.unwatch()
    assert len(states) == 4
