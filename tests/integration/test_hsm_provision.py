"""Issuing a UKey (provision_ukey) on a real PKCS#11 module (SoftHSM2), checked with PyKCS11 directly."""

import PyKCS11
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from hsm import DriverNotFound, NoToken, PinIncorrect
from hsm.provision import init_softhsm_token, provision_ukey
from tests.integration.hsm_fixtures import TEST_PIN, make_softhsm, make_test_ca, provision_test_token


@pytest.fixture(scope="module")
def ca():
    return make_test_ca()


@pytest.fixture
def softhsm(tmp_path, monkeypatch):
    return make_softhsm(tmp_path, monkeypatch)


class TokenObjects:
    """What is on a token, read with PyKCS11 as a user session sees it."""

    def __init__(self, module, label, pin=TEST_PIN):
        self.lib = PyKCS11.PyKCS11Lib()
        self.lib.load(module)
        slot = next(s for s in self.lib.getSlotList(True) if self.lib.getTokenInfo(s).label.strip() == label)
        self.session = self.lib.openSession(slot)
        self.session.login(pin)

    def find(self, cls):
        return self.session.findObjects([(PyKCS11.CKA_CLASS, cls)])

    def attrs(self, obj, *names):
        return self.session.getAttributeValue(obj, list(names))

    def value(self, obj, name):
        return bytes(self.session.getAttributeValue(obj, [name], allAsBinary=True)[0])

    def close(self):
        self.session.logout()
        self.session.closeSession()
        self.lib.unload()


@pytest.fixture
def open_token(softhsm):
    opened = []

    def open_(label):
        opened.append(TokenObjects(softhsm.module, label))
        return opened[-1]

    yield open_
    for objects in opened:
        objects.close()


def spki(cert: x509.Certificate) -> bytes:
    return cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


@pytest.mark.parametrize(("key_type", "key_class"), [("rsa2048", rsa.RSAPublicKey), ("ec-p256", ec.EllipticCurvePublicKey)])
def test_issued_token_holds_one_key_pair_and_its_certificate(softhsm, ca, open_token, key_type, key_class):
    token = provision_test_token(softhsm, ca, key_type=key_type)
    assert isinstance(token.cert.public_key(), key_class)
    if key_type == "ec-p256":
        assert isinstance(token.cert.public_key().curve, ec.SECP256R1)
    objects = open_token(token.label)
    [cert] = objects.find(PyKCS11.CKO_CERTIFICATE)
    [private] = objects.find(PyKCS11.CKO_PRIVATE_KEY)
    [public] = objects.find(PyKCS11.CKO_PUBLIC_KEY)
    assert objects.value(cert, PyKCS11.CKA_VALUE) == token.cert_der
    assert objects.value(cert, PyKCS11.CKA_SUBJECT) == token.cert.subject.public_bytes()
    assert objects.attrs(cert, PyKCS11.CKA_CERTIFICATE_TYPE, PyKCS11.CKA_LABEL) == [PyKCS11.CKC_X_509, "gjj-ukey"]
    key_id = objects.value(cert, PyKCS11.CKA_ID)
    assert key_id and objects.value(private, PyKCS11.CKA_ID) == key_id == objects.value(public, PyKCS11.CKA_ID)


def test_private_key_never_leaves_the_token(softhsm, ca, open_token):
    token = provision_test_token(softhsm, ca, key_type="rsa2048")
    objects = open_token(token.label)
    [private] = objects.find(PyKCS11.CKO_PRIVATE_KEY)
    flags = objects.attrs(
        private,
        PyKCS11.CKA_SENSITIVE,
        PyKCS11.CKA_EXTRACTABLE,
        PyKCS11.CKA_ALWAYS_SENSITIVE,
        PyKCS11.CKA_NEVER_EXTRACTABLE,  # both true only for a key generated on the token
        PyKCS11.CKA_SIGN,
        PyKCS11.CKA_TOKEN,
        PyKCS11.CKA_PRIVATE,
    )
    assert flags == [True, False, True, True, True, True, True]
    template = PyKCS11.LowLevel.ckattrlist(1)
    template[0].SetType(PyKCS11.CKA_PRIVATE_EXPONENT)
    rv = objects.lib.lib.C_GetAttributeValue(objects.session.session, private, template)
    assert rv == PyKCS11.CKR_ATTRIBUTE_SENSITIVE
    assert objects.value(private, PyKCS11.CKA_MODULUS)  # public parts stay readable


def test_reissue_replaces_the_key_and_the_certificate(softhsm, ca, open_token):
    first = provision_test_token(softhsm, ca, key_type="ec-p256")
    second_der = provision_ukey(softhsm.module, first.label, first.pin, ca.make_certificate, key_type="ec-p256")
    second = x509.load_der_x509_certificate(second_der)
    assert spki(second) != spki(first.cert)
    objects = open_token(first.label)
    assert [objects.value(c, PyKCS11.CKA_VALUE) for c in objects.find(PyKCS11.CKO_CERTIFICATE)] == [second_der]
    assert len(objects.find(PyKCS11.CKO_PRIVATE_KEY)) == 1
    assert len(objects.find(PyKCS11.CKO_PUBLIC_KEY)) == 1


def test_a_failed_reissue_leaves_the_old_ukey_working(softhsm, ca, open_token):
    first = provision_test_token(softhsm, ca, key_type="ec-p256")

    def refuse(spki_der):
        raise RuntimeError("CA offline")

    with pytest.raises(RuntimeError, match="CA offline"):
        provision_ukey(softhsm.module, first.label, first.pin, refuse, key_type="ec-p256")

    other_ca = make_test_ca()
    with pytest.raises(ValueError, match="another public key"):
        provision_ukey(
            softhsm.module, first.label, first.pin, lambda _: other_ca.make_certificate(spki(other_ca.cert))
        )

    objects = open_token(first.label)
    assert [objects.value(c, PyKCS11.CKA_VALUE) for c in objects.find(PyKCS11.CKO_CERTIFICATE)] == [first.cert_der]
    assert len(objects.find(PyKCS11.CKO_PRIVATE_KEY)) == 1
    assert len(objects.find(PyKCS11.CKO_PUBLIC_KEY)) == 1


def test_unknown_label_wrong_pin_and_bad_driver(softhsm, ca, tmp_path):
    init_softhsm_token("UKEY09", TEST_PIN, "12345678")
    with pytest.raises(NoToken, match="UKEY08"):
        provision_ukey(softhsm.module, "UKEY08", TEST_PIN, ca.make_certificate)
    with pytest.raises(PinIncorrect):
        provision_ukey(softhsm.module, "UKEY09", "000000", ca.make_certificate)
    with pytest.raises(DriverNotFound):
        provision_ukey(str(tmp_path / "missing.so"), "UKEY09", TEST_PIN, ca.make_certificate)
    with pytest.raises(ValueError):
        provision_ukey(softhsm.module, "UKEY09", TEST_PIN, ca.make_certificate, key_type="sm2")
