"""Helpers for tests that need a real PKCS#11 UKey: a private SoftHSM2 store, a throwaway CA, and a
token provisioned the way the centre issues one. Plain functions so any test module can import them
(``from tests.integration.hsm_fixtures import make_softhsm, ...``)."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from hsm.provision import init_softhsm_token, provision_ukey

SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"
TEST_PIN = "123456"
TEST_SO_PIN = "12345678"


@dataclass(frozen=True)
class SoftHsm:
    """A private SoftHSM2 token directory. ``env`` is what a process needs to see it."""

    directory: Path
    conf: Path
    module: str = SOFTHSM_MODULE

    @property
    def env(self) -> dict[str, str]:
        return {"SOFTHSM2_CONF": str(self.conf)}


def make_softhsm(tmp_path: Path, monkeypatch=None) -> SoftHsm:
    """Write softhsm2.conf under ``tmp_path``; with ``monkeypatch``, also point SOFTHSM2_CONF at it (needed
    before anything in this process loads the library, e.g. ``provision_test_token``)."""
    directory = tmp_path / "softhsm"
    (directory / "tokens").mkdir(parents=True)
    conf = directory / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {directory / 'tokens'}\n"
        "objectstore.backend = file\n"
        "log.level = ERROR\n"
        "slots.removable = true\n"
    )
    if monkeypatch is not None:
        monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    return SoftHsm(directory=directory, conf=conf)


@dataclass
class TestCA:
    """A throwaway centre CA (EC P-256) that certifies UKey public keys."""

    __test__ = False  # not a pytest class

    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate
    issued: list[x509.Certificate] = field(default_factory=list)

    def make_certificate(self, spki_der: bytes, common_name: str = "测试单位 UKey") -> bytes:
        public_key = serialization.load_der_public_key(spki_der)
        now = dt.datetime.now(dt.timezone.utc)
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
            .issuer_name(self.cert.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        self.issued.append(cert)
        return cert.public_bytes(serialization.Encoding.DER)


def make_test_ca(common_name: str = "测试公积金中心 CA") -> TestCA:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    return TestCA(key=key, cert=cert)


@dataclass(frozen=True)
class TestToken:
    __test__ = False

    label: str
    pin: str
    so_pin: str
    key_type: str
    cert_der: bytes

    @property
    def cert(self) -> x509.Certificate:
        return x509.load_der_x509_certificate(self.cert_der)


def provision_test_token(
    softhsm: SoftHsm,
    ca: TestCA,
    *,
    label: str = "UKEY01",
    pin: str = TEST_PIN,
    so_pin: str = TEST_SO_PIN,
    key_type: str = "ec-p256",
) -> TestToken:
    """Initialise a token in the free slot and issue it like the centre does. SOFTHSM2_CONF must already
    point at ``softhsm`` in this process (``make_softhsm(tmp_path, monkeypatch)``)."""
    init_softhsm_token(label, pin, so_pin)
    cert_der = provision_ukey(softhsm.module, label, pin, ca.make_certificate, key_type=key_type)
    return TestToken(label=label, pin=pin, so_pin=so_pin, key_type=key_type, cert_der=cert_der)


def delete_softhsm_token(label: str) -> None:
    """Pull the UKey: delete the token from another process, as RECIPES.md describes."""
    subprocess.run(["softhsm2-util", "--delete-token", "--token", label], check=True, capture_output=True)
