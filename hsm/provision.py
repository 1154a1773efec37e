"""Issuing a UKey at the centre (``gjj-centre issue-ukey``): a key pair generated on the token, a
certificate for it written back next to it. Runs in the calling process (a CLI), not the token process."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable

import PyKCS11
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from PyKCS11 import Mechanism, PyKCS11Error

from hsm.errors import TokenError
from hsm.pkcs11 import (
    attribute_bytes,
    error_from_ckr,
    find_token,
    initialised_tokens,
    load_library,
    login_user,
    quietly,
)

KEY_TYPES = ("rsa2048", "ec-p256")
_P256_OID_DER = bytes.fromhex("06082a8648ce3d030107")  # prime256v1 / secp256r1
_RSA_EXPONENT = (0x01, 0x00, 0x01)


def provision_ukey(
    module_path: str,
    token_label: str,
    pin: str,
    make_certificate: Callable[[bytes], bytes],
    *,
    key_type: str = "rsa2048",
    key_label: str = "gjj-ukey",
) -> bytes:
    """Generate a key pair on the token labelled ``token_label``, have ``make_certificate(spki_der)``
    certify its public key, store the certificate on the token and return it (DER).

    Earlier keys and certificates on the token are deleted, but only once the new certificate is stored:
    a failure half-way (e.g. the CA refuses) leaves the old UKey as it was.
    """
    if key_type not in KEY_TYPES:
        raise ValueError(f"key_type must be one of {KEY_TYPES}, not {key_type!r}")
    lib = load_library(module_path)
    try:
        slot, _ = find_token(initialised_tokens(lib), label=token_label)
        session = lib.openSession(slot, PyKCS11.CKF_RW_SESSION)
        try:
            login_user(lib, slot, session, pin)
            return _issue(session, make_certificate, key_type, key_label)
        finally:
            quietly(session.logout)
            quietly(session.closeSession)
    except PyKCS11Error as exc:
        raise error_from_ckr(exc, "UKey发放") from exc
    finally:
        lib.unload()


def _issue(session, make_certificate: Callable[[bytes], bytes], key_type: str, key_label: str) -> bytes:
    old = [
        obj
        for cls in (PyKCS11.CKO_PRIVATE_KEY, PyKCS11.CKO_PUBLIC_KEY, PyKCS11.CKO_CERTIFICATE)
        for obj in session.findObjects([(PyKCS11.CKA_CLASS, cls)])
    ]
    key_id = os.urandom(16)
    public, private = _generate_key_pair(session, key_type, key_id, key_label)
    try:
        spki_der = _public_key(session, public, key_type).public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        cert_der = make_certificate(spki_der)
        cert = x509.load_der_x509_certificate(cert_der)
        if cert.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        ) != spki_der:
            raise ValueError("make_certificate returned a certificate for another public key")
        session.createObject(_certificate_template(cert, cert_der, key_id, key_label))
    except BaseException:
        quietly(session.destroyObject, private)
        quietly(session.destroyObject, public)
        raise
    for obj in old:
        session.destroyObject(obj)
    return cert_der


def _generate_key_pair(session, key_type: str, key_id: bytes, key_label: str):
    common = [(PyKCS11.CKA_TOKEN, True), (PyKCS11.CKA_ID, key_id), (PyKCS11.CKA_LABEL, key_label)]
    public = [(PyKCS11.CKA_CLASS, PyKCS11.CKO_PUBLIC_KEY), (PyKCS11.CKA_PRIVATE, False), (PyKCS11.CKA_VERIFY, True)]
    private = [
        (PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY),
        (PyKCS11.CKA_PRIVATE, True),
        (PyKCS11.CKA_SENSITIVE, True),
        (PyKCS11.CKA_EXTRACTABLE, False),
        (PyKCS11.CKA_SIGN, True),
    ]
    if key_type == "rsa2048":
        kind = [(PyKCS11.CKA_KEY_TYPE, PyKCS11.CKK_RSA)]
        public += [(PyKCS11.CKA_MODULUS_BITS, 2048), (PyKCS11.CKA_PUBLIC_EXPONENT, _RSA_EXPONENT)]
        mechanism = Mechanism(PyKCS11.CKM_RSA_PKCS_KEY_PAIR_GEN)
    else:
        kind = [(PyKCS11.CKA_KEY_TYPE, PyKCS11.CKK_EC)]
        public += [(PyKCS11.CKA_EC_PARAMS, _P256_OID_DER)]
        mechanism = Mechanism(PyKCS11.CKM_EC_KEY_PAIR_GEN)
    return session.generateKeyPair(common + kind + public, common + kind + private, mechanism)


def _public_key(session, public, key_type: str) -> rsa.RSAPublicKey | ec.EllipticCurvePublicKey:
    if key_type == "rsa2048":
        modulus = attribute_bytes(session, public, PyKCS11.CKA_MODULUS)
        exponent = attribute_bytes(session, public, PyKCS11.CKA_PUBLIC_EXPONENT)
        return rsa.RSAPublicNumbers(int.from_bytes(exponent, "big"), int.from_bytes(modulus, "big")).public_key()
    point = unwrap_ec_point(attribute_bytes(session, public, PyKCS11.CKA_EC_POINT))
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)


def unwrap_ec_point(value: bytes) -> bytes:
    """CKA_EC_POINT is a DER OCTET STRING around the point (PKCS#11 2.40); some drivers give it bare."""
    if len(value) >= 2 and value[0] == 0x04:
        length, start = value[1], 2
        if length & 0x80:
            n = length & 0x7F
            length, start = int.from_bytes(value[2 : 2 + n], "big"), 2 + n
        if start + length == len(value):
            return value[start:]
    return value


def _certificate_template(cert: x509.Certificate, cert_der: bytes, key_id: bytes, key_label: str) -> list:
    serial = cert.serial_number
    serial_der = _der_integer(serial)
    return [
        (PyKCS11.CKA_CLASS, PyKCS11.CKO_CERTIFICATE),
        (PyKCS11.CKA_CERTIFICATE_TYPE, PyKCS11.CKC_X_509),
        (PyKCS11.CKA_TOKEN, True),
        (PyKCS11.CKA_PRIVATE, False),
        (PyKCS11.CKA_ID, key_id),
        (PyKCS11.CKA_LABEL, key_label),
        (PyKCS11.CKA_SUBJECT, cert.subject.public_bytes()),
        (PyKCS11.CKA_ISSUER, cert.issuer.public_bytes()),
        (PyKCS11.CKA_SERIAL_NUMBER, serial_der),
        (PyKCS11.CKA_VALUE, cert_der),
    ]


def _der_integer(value: int) -> bytes:
    body = value.to_bytes(value.bit_length() // 8 + 1, "big", signed=True)
    if len(body) < 0x80:
        return bytes([0x02, len(body)]) + body
    size = len(body).to_bytes((len(body).bit_length() + 7) // 8, "big")
    return bytes([0x02, 0x80 | len(size)]) + size + body


def init_softhsm_token(label: str, pin: str, so_pin: str) -> None:
    """Create a SoftHSM token in the free slot (``softhsm2-util --init-token --free``); SOFTHSM2_CONF is
    taken from the environment. For demo scripts and tests: a stand-in for a blank UKey."""
    args = ["softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", so_pin]
    try:
        result = subprocess.run(args, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise TokenError(f"无法运行softhsm2-util：{exc}") from exc
    if result.returncode != 0:
        raise TokenError(f"softhsm2-util初始化UKey失败：{(result.stderr or result.stdout).strip()}")
