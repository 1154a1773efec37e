"""CentreClient over real TLS: a centre certificate from a private CA, served by uvicorn on loopback.
With the CA configured the desk connects; without it (or with another CA) the clerk is told to choose
the centre's CA file."""
import datetime as dt
import ipaddress
import subprocess
import threading
import time

import pytest
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from client.api import CentreClient
from client.errors import CentreCertificateUntrusted, CentreUnreachable
from tests.support.centre import centre_command, free_port, init_centre


def _name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_ca(cn):
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(_name(cn))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return key, cert


def make_server_cert(ca_key, ca_cert):
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(_name("gjj-centre")).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return key, cert


def write_pem(path, cert=None, key=None):
    if cert is not None:
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    else:
        path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(path)


async def app(scope, receive, send):
    """A stand-in centre: only GET /api/v1/business-date."""
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b'{"date": "2026-07-15"}'})


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    d = tmp_path_factory.mktemp("tls")
    ca_key, ca_cert = make_ca("测试公积金中心 根CA")
    key, cert = make_server_cert(ca_key, ca_cert)
    return {"dir": d, "ca_file": write_pem(d / "ca.pem", cert=ca_cert),
            "other_ca": write_pem(d / "other-ca.pem", cert=make_ca("别的CA")[1]),
            "cert": write_pem(d / "server.pem", cert=cert), "key": write_pem(d / "server.key", key=key)}


@pytest.fixture(scope="module")
def tls_centre(pki):
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           ssl_certfile=pki["cert"], ssl_keyfile=pki["key"]))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield {**pki, "port": port}
    server.should_exit = True
    thread.join(5)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_connects_with_the_centre_ca(tls_centre, host):
    with CentreClient(f"https://{host}:{tls_centre['port']}", ca_file=tls_centre["ca_file"]) as api:
        assert api.business_date() == dt.date(2026, 7, 15)


@pytest.mark.parametrize("ca", [None, "other_ca"])
def test_refuses_a_centre_it_cannot_verify(tls_centre, ca):
    with CentreClient(f"https://127.0.0.1:{tls_centre['port']}", ca_file=tls_centre.get(ca)) as api:
        with pytest.raises(CentreCertificateUntrusted) as info:
            api.business_date()
    assert info.value.message == "无法验证中心服务器证书，请在服务器设置中选择中心CA证书文件"


def test_plain_http_to_a_tls_port_is_unreachable_not_a_crash(tls_centre):
    with CentreClient(f"http://127.0.0.1:{tls_centre['port']}", timeout=5) as api:
        with pytest.raises(CentreUnreachable):
            api.business_date()


def test_the_real_centre_over_tls(pki):
    """`gjj-centre serve --tls-cert --tls-key`: the desk with the centre CA gets the policy; without it
    the clerk is told to choose the CA file."""
    data_dir = pki["dir"] / "centre"
    init_centre(data_dir, demo=False)
    port = free_port()
    proc = subprocess.Popen(centre_command(data_dir, "serve", "--host", "127.0.0.1", "--port", str(port),
                                           "--tls-cert", pki["cert"], "--tls-key", pki["key"]),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with CentreClient(f"https://127.0.0.1:{port}", ca_file=pki["ca_file"], timeout=5) as api:
            deadline = time.monotonic() + 30
            while True:
                try:
                    api.business_date()
                    break
                except CentreUnreachable:
                    assert proc.poll() is None and time.monotonic() < deadline, "gjj-centre serve did not start"
                    time.sleep(0.1)
            assert api.policy().version >= 1
        with CentreClient(f"https://127.0.0.1:{port}", timeout=5) as api:
            with pytest.raises(CentreCertificateUntrusted):
                api.policy()
    finally:
        proc.terminate()
        proc.wait(10)
