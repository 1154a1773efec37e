"""The centre CA (EC P-256), created by `gjj-centre init` under DATA_DIR/ca/: it certifies UKey keys.

A UKey certificate binds a unit: subject CN=<unit name>, UID=<unit account>, O=<centre name>."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_KEY_FILE = "ca.key.pem"
CA_CERT_FILE = "ca.cert.pem"
CA_YEARS = 20


class CaMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class CentreCA:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    @classmethod
    def create(cls, ca_dir: Path, *, centre_name: str, now: dt.datetime) -> "CentreCA":
        """A new CA; refuses to overwrite an existing one (every issued UKey would stop working)."""
        ca_dir = Path(ca_dir)
        if (ca_dir / CA_KEY_FILE).exists() or (ca_dir / CA_CERT_FILE).exists():
            raise FileExistsError(f"中心CA已存在：{ca_dir}")
        ca_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(ca_dir, 0o700)
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{centre_name} UKey CA"),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, centre_name)])
        public = key.public_key()
        cert = (
            x509.CertificateBuilder()
            .subject_name(name).issuer_name(name).public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=365 * CA_YEARS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .sign(key, hashes.SHA256())
        )
        key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
        _write_private(ca_dir / CA_KEY_FILE, key_pem)
        (ca_dir / CA_CERT_FILE).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return cls(key, cert)

    @classmethod
    def load(cls, ca_dir: Path) -> "CentreCA":
        key_path = Path(ca_dir) / CA_KEY_FILE
        if not key_path.exists():
            raise CaMissing(f"未找到中心CA私钥：{key_path}（请先运行 gjj-centre init）")
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        return cls(key, load_ca_certificate(ca_dir))

    def issue_ukey_certificate(self, spki_der: bytes, *, unit_name: str, unit_account: str, centre_name: str,
                               not_before: dt.datetime, not_after: dt.datetime) -> bytes:
        """Certify a UKey's public key (SubjectPublicKeyInfo DER) for a unit; returns the certificate DER."""
        public = serialization.load_der_public_key(spki_der)
        subject = x509.Name([
            x509.NameAttribute(NameOID.COMMON_NAME, unit_name),
            x509.NameAttribute(NameOID.USER_ID, unit_account),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, centre_name),
        ])
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject).issuer_name(self.cert.subject).public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        return cert.public_bytes(serialization.Encoding.DER)


def load_ca_certificate(ca_dir: Path) -> x509.Certificate:
    path = Path(ca_dir) / CA_CERT_FILE
    if not path.exists():
        raise CaMissing(f"未找到中心CA证书：{path}（请先运行 gjj-centre init）")
    return x509.load_pem_x509_certificate(path.read_bytes())


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)
