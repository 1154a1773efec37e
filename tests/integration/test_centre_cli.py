"""The real `gjj-centre`: init --demo --json, issue-ukey onto a SoftHSM token, serve on loopback, and a
UKey login whose signature is made on the token (through hsm.TokenClient, as the client does). Also
revocation and an expired certificate from the command line, a centre notice reaching the unit, TLS,
and racing duplicates of one Idempotency-Key."""
from __future__ import annotations

import base64
import os
import ssl
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import httpx
import pytest
from sqlalchemy import func, select

from hsm import TokenClient
from hsm.provision import init_softhsm_token
from server_stub.config import CentreConfig
from server_stub.database import Database
from server_stub.messages.models import Message
from services.signing import login_message
from tests.integration.hsm_fixtures import TEST_PIN, TEST_SO_PIN, make_softhsm
from tests.support.centre import init_centre, issue_ukey, run_centre, running_centre
from tests.support.pg import fresh_schema

pytestmark = pytest.mark.postgres   # also run on PostgreSQL when GJJ_TEST_PG_URL is set


@pytest.fixture
def centre_env():
    """Extra environment for the gjj-centre processes: a fresh PostgreSQL schema when asked for."""
    with ExitStack() as stack:
        base = os.environ.get("GJJ_TEST_PG_URL")
        yield {"GJJ_DATABASE_URL": stack.enter_context(fresh_schema(base))} if base else {}


@pytest.fixture
def softhsm(tmp_path, monkeypatch):
    return make_softhsm(tmp_path, monkeypatch)


def token_login(api: str, softhsm, unit: dict, label: str) -> httpx.Response:
    """The client's login: challenge, sign on the token, post certificate + signature + password."""
    with httpx.Client(base_url=api, timeout=10) as http:
        nonce = http.post("/auth/challenge").json()["nonce"]
        with TokenClient(softhsm.module, env=softhsm.env) as token:
            serial = next(t.serial for t in token.list_tokens() if t.label == label)
            certificate = token.certificate(serial)
            token.login(TEST_PIN, serial)
            signature = token.sign(login_message(nonce, unit["unit_account"], unit["login_name"]))
        return http.post("/auth/login", json={
            "unit_account": unit["unit_account"], "login_name": unit["login_name"], "password": unit["password"],
            "nonce": nonce, "certificate": base64.b64encode(certificate).decode(),
            "signature": base64.b64encode(signature).decode()})


def test_init_issue_serve_login(tmp_path, softhsm, centre_env):
    data_dir = tmp_path / "centre"
    creds = init_centre(data_dir, demo=True, env=centre_env)
    assert set(creds) == {"units", "reviewer"} and len(creds["units"]) == 2
    unit = creds["units"][0]
    init_softhsm_token("UKEY01", TEST_PIN, TEST_SO_PIN)
    issued = issue_ukey(data_dir, unit["unit_account"], softhsm.module, "UKEY01", TEST_PIN, key_type="ec-p256",
                        env={**centre_env, **softhsm.env})
    assert "证书序列号" in issued.stdout

    with running_centre(data_dir, env=centre_env) as centre:
        assert httpx.post(centre.api + "/auth/challenge").status_code == 200
        response = token_login(centre.api, softhsm, unit, "UKEY01")
        assert response.status_code == 200, response.text
        token = response.json()["token"]
        home = httpx.get(centre.api + "/unit", headers={"Authorization": f"Bearer {token}"})
        assert home.status_code == 200 and home.json()["unit_account"] == unit["unit_account"]
        assert home.json()["active_count"] > 150

        # the other unit's login with this unit's UKey: not bound
        other = {**creds["units"][1]}
        refused = token_login(centre.api, softhsm, other, "UKEY01")
        assert refused.status_code == 401 and refused.json()["code"] == "certificate_not_bound"

        # a centre notice from the command line reaches the unit
        run_centre(data_dir, "send-message", "--unit", unit["unit_account"], "--title", "CLI通知", "--body", "正文",
                   env=centre_env)
        messages = httpx.get(centre.api + "/messages", params={"unread": "true"},
                             headers={"Authorization": f"Bearer {token}"}).json()
        assert messages["items"][0]["title"] == "CLI通知"

        # revoked while logged in: the session ends and the UKey no longer logs in
        run_centre(data_dir, "revoke-ukey", "--unit", unit["unit_account"], env=centre_env)
        after = httpx.get(centre.api + "/unit", headers={"Authorization": f"Bearer {token}"})
        assert after.status_code == 401 and after.json()["code"] == "certificate_revoked"
        again = token_login(centre.api, softhsm, unit, "UKEY01")
        assert again.status_code == 401 and again.json()["code"] == "certificate_revoked"


def test_expired_certificate_from_the_command_line(tmp_path, softhsm, centre_env):
    data_dir = tmp_path / "centre"
    unit = init_centre(data_dir, demo=True, env=centre_env)["units"][1]
    init_softhsm_token("OLDKEY", TEST_PIN, TEST_SO_PIN)
    issue_ukey(data_dir, unit["unit_account"], softhsm.module, "OLDKEY", TEST_PIN, key_type="rsa2048",
               not_before="2020-01-01", not_after="2020-12-31", env={**centre_env, **softhsm.env})
    with running_centre(data_dir, env=centre_env, demo_mode=False) as centre:
        response = token_login(centre.api, softhsm, unit, "OLDKEY")
        assert response.status_code == 401 and response.json()["code"] == "certificate_expired"
        reviewer_refused = httpx.post(centre.api + "/centre/business-date", json={"date": "2025-01-01"})
        assert reviewer_refused.status_code == 401


def self_signed(tmp_path):
    """A TLS certificate for 127.0.0.1, written as PEM files."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "tls.pem", tmp_path / "tls.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def test_serve_over_tls(tmp_path, centre_env):
    data_dir = tmp_path / "centre"
    init_centre(data_dir, demo=False, business_date="2025-03-10", env=centre_env)
    cert_file, key_file = self_signed(tmp_path)
    with running_centre(data_dir, env=centre_env, tls=(cert_file, key_file)) as centre:
        assert centre.url.startswith("https://")
        context = ssl.create_default_context(cafile=str(cert_file))
        assert httpx.get(centre.api + "/business-date", verify=context).json() == {"date": "2025-03-10"}


def test_concurrent_duplicates_change_once(tmp_path, centre_env):
    """16 racing requests with one Idempotency-Key: one change; the others replay it or get 409."""
    data_dir = tmp_path / "centre"
    creds = init_centre(data_dir, demo=True, env=centre_env)
    unit_account = creds["units"][0]["unit_account"]
    with running_centre(data_dir, env=centre_env) as centre:
        token = httpx.post(centre.api + "/centre/login", json=creds["reviewer"]).json()["token"]
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())}
        body = {"unit_account": unit_account, "title": "并发通知", "body": "正文"}

        def send(_):
            return httpx.post(centre.api + "/centre/messages", json=body, headers=headers, timeout=30).status_code

        with ThreadPoolExecutor(16) as pool:
            statuses = list(pool.map(send, range(16)))
    assert set(statuses) <= {201, 409} and 201 in statuses
    config = CentreConfig.from_env(data_dir, env=centre_env)
    database = Database(config)
    try:
        with database.session() as session:
            assert session.scalar(select(func.count()).select_from(Message).where(Message.title == "并发通知")) == 1
    finally:
        database.dispose()


def test_serve_refuses_plain_http_off_loopback(tmp_path, centre_env):
    data_dir = tmp_path / "centre"
    init_centre(data_dir, demo=False, env=centre_env)
    result = run_centre(data_dir, "serve", "--host", "0.0.0.0", "--port", "1", env=centre_env, check=False)
    assert result.returncode == 1 and "明文HTTP" in result.stderr
