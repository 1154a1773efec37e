"""Setting a centre up: migrations, init, the CA, configuration, the command line (in-process; the
real subprocess run is tests/integration/test_centre_cli.py), and the published OpenAPI schema."""
from __future__ import annotations

import datetime as dt
import json
import stat

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from cryptography import x509
from cryptography.x509.oid import NameOID
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from services.addresses import is_loopback
from server_stub import cli
from server_stub.app import create_app
from server_stub.bootstrap import AlreadyInitialised, initialise
from server_stub.config import CentreConfig
from server_stub.database import Database
from server_stub.messages.models import Message
from server_stub.models import Base
from server_stub.reference.models import CentreSettings
from server_stub.ukeys.ca import CentreCA
from server_stub.ukeys.models import UkeyCertificate
from tests.support.server import FAST_ARGON2, SMALL_DEMO, FakeClock, centre_database_url, new_private_key, spki_der

pytestmark = pytest.mark.postgres   # also run on PostgreSQL when GJJ_TEST_PG_URL is set


@pytest.fixture
def config(tmp_path, monkeypatch):
    """A config for a fresh database; GJJ_* set so that in-process `cli.main` finds the same centre."""
    with centre_database_url(tmp_path) as url:
        monkeypatch.delenv("GJJ_DATABASE_URL", raising=False)
        monkeypatch.delenv("GJJ_CENTRE_HOME", raising=False)
        if url:
            monkeypatch.setenv("GJJ_DATABASE_URL", url)
        for name, value in FAST_ARGON2.items():
            monkeypatch.setenv(f"GJJ_{name.upper()}", str(value))
        yield CentreConfig(data_dir=tmp_path / "centre", database_url=url, clock=FakeClock(), **FAST_ARGON2)


def initialised(config: CentreConfig, **kwargs):
    return initialise(config, demo=True, business_date=dt.date(2025, 3, 10), spec=SMALL_DEMO, **kwargs)


# -- database -----------------------------------------------------------------------------------

def test_migrations_match_the_models(config):
    database = Database(config)
    try:
        database.migrate()
        database.migrate()   # a second run is a no-op
        with database.engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    finally:
        database.dispose()


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path):
    database = Database(CentreConfig(data_dir=tmp_path))
    try:
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert (tmp_path / "centre.db").exists()
    finally:
        database.dispose()


def test_init_refuses_an_initialised_database(config):
    initialised(config)
    with pytest.raises(AlreadyInitialised, match="数据库已初始化"):
        initialised(config)
    database = Database(config)
    try:
        with database.session() as session:
            assert session.scalar(select(func.count()).select_from(CentreSettings)) == 1
    finally:
        database.dispose()


def test_init_without_demo(config):
    result = initialise(config, business_date=dt.date(2025, 3, 10))
    assert result.units == [] and result.reviewer["username"] == "reviewer"
    assert len(result.reviewer["password"]) >= 12


# -- the CA -------------------------------------------------------------------------------------

def test_ca_files_and_certificates(config):
    initialised(config)
    key_file = config.ca_dir / "ca.key.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    ca = CentreCA.load(config.ca_dir)
    assert ca.cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    now = config.clock()
    der = ca.issue_ukey_certificate(spki_der(new_private_key()), unit_name="示范单位", unit_account="100100000001",
                                    centre_name=config.centre_name, not_before=now,
                                    not_after=now + dt.timedelta(days=1))
    cert = x509.load_der_x509_certificate(der)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "示范单位"
    assert cert.subject.get_attributes_for_oid(NameOID.USER_ID)[0].value == "100100000001"
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == config.centre_name
    assert cert.issuer == ca.cert.subject
    assert cert.extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature
    cert.verify_directly_issued_by(ca.cert)


def test_ca_is_never_overwritten(config):
    CentreCA.create(config.ca_dir, centre_name="中心", now=config.clock())
    with pytest.raises(FileExistsError):
        CentreCA.create(config.ca_dir, centre_name="中心", now=config.clock())


# -- configuration ------------------------------------------------------------------------------

def test_config_from_environment(tmp_path):
    env = {"GJJ_CENTRE_HOME": str(tmp_path), "GJJ_DATABASE_URL": "postgresql://u@db/gjj", "GJJ_DEMO_MODE": "1",
           "GJJ_SESSION_IDLE_MINUTES": "10", "GJJ_LOCKOUT_FAILURES": "3"}
    config = CentreConfig.from_env(env=env)
    assert config.data_dir == tmp_path
    assert config.resolved_database_url == "postgresql+psycopg://u@db/gjj"
    assert config.demo_mode is True and config.session_idle_minutes == 10 and config.lockout_failures == 3
    default = CentreConfig.from_env(tmp_path / "x", env={})
    assert default.resolved_database_url == f"sqlite:///{tmp_path / 'x'}/centre.db"
    assert CentreConfig.from_env(tmp_path, env={"GJJ_DEMO_MODE": "1"}, demo_mode=False).demo_mode is False


# -- the command line, in-process ---------------------------------------------------------------

def run(config, *args) -> int:
    return cli.main(["--data-dir", str(config.data_dir), *args])


def test_cli_init_json_prints_only_the_credentials(config, capsys):
    assert run(config, "init", "--demo", "--json", "--business-date", "2025-03-10") == 0
    out = capsys.readouterr().out
    body = json.loads(out)
    assert set(body) == {"units", "reviewer"}
    assert set(body["units"][0]) == {"unit_account", "login_name", "password"}
    assert set(body["reviewer"]) == {"username", "password"}
    assert run(config, "init") == 1
    assert "已初始化" in capsys.readouterr().err


def test_cli_serve_refuses_plain_http_off_loopback(config, capsys):
    assert run(config, "serve", "--host", "0.0.0.0") == 1
    assert "明文HTTP" in capsys.readouterr().err
    assert run(config, "serve", "--host", "127.0.0.1", "--tls-cert", "x.pem") == 1
    assert is_loopback("::1") and is_loopback("localhost") and not is_loopback("192.168.1.2")


def test_cli_serve_refuses_an_uninitialised_centre(config, capsys):
    assert run(config, "serve") == 1
    assert "gjj-centre init" in capsys.readouterr().err


def test_cli_set_business_date_and_send_message(config, capsys):
    result = initialised(config)
    assert run(config, "set-business-date", "2025-08-01") == 0
    assert run(config, "send-message", "--unit", result.units[0]["unit_account"], "--title", "标题", "--body", "正文") == 0
    assert run(config, "send-message", "--all", "--title", "全体", "--body", "正文") == 0
    assert run(config, "send-message", "--unit", "000", "--title", "t", "--body", "b") == 1
    assert "不存在" in capsys.readouterr().err
    database = Database(config)
    try:
        with database.session() as session:
            assert session.get(CentreSettings, 1).business_date == dt.date(2025, 8, 1)
            titles = session.scalars(select(Message.title).where(Message.channel == "中心推送")).all()
            assert titles.count("标题") == 1 and titles.count("全体") == 2
    finally:
        database.dispose()


def test_cli_add_reviewer_makes_a_second_reviewer_who_can_log_in(config, capsys):
    initialised(config)
    capsys.readouterr()
    assert run(config, "add-reviewer", "--username", "fushen01", "--name", "李复审", "--json") == 0
    created = json.loads(capsys.readouterr().out)
    assert created["username"] == "fushen01" and len(created["password"]) >= 12
    assert run(config, "add-reviewer", "--username", "fushen01") == 1
    assert "审核员账号fushen01已存在" in capsys.readouterr().err
    assert run(config, "add-reviewer", "--username", "坏 名") == 1
    assert "登录名应为" in capsys.readouterr().err
    with TestClient(create_app(config), base_url="http://testserver/api/v1") as client:
        answer = client.post("/centre/login", json=created)
        assert answer.status_code == 200, answer.text
        assert client.post("/centre/login", json={**created, "password": "wrong-Pass1"}).status_code == 401


@pytest.fixture
def fake_token(monkeypatch):
    """provision_ukey without a token: a software key, certified through the CLI's make_certificate."""
    import hsm.provision

    issued = []

    def provision(module_path, token_label, pin, make_certificate, *, key_type="rsa2048", key_label="gjj-ukey"):
        issued.append((module_path, token_label, pin, key_type))
        return make_certificate(spki_der(new_private_key(key_type)))

    monkeypatch.setattr(hsm.provision, "provision_ukey", provision)
    return issued


def certificates(config) -> list[UkeyCertificate]:
    database = Database(config)
    try:
        with database.session() as session:
            return list(session.scalars(select(UkeyCertificate).order_by(UkeyCertificate.id)))
    finally:
        database.dispose()


def test_cli_issue_and_revoke_ukey(config, fake_token, capsys):
    unit = initialised(config).units[0]["unit_account"]
    args = ["issue-ukey", "--unit", unit, "--module", "/lib/x.so", "--token-label", "UKEY01", "--pin", "123456"]
    assert run(config, *args) == 0
    assert run(config, *args, "--key-type", "ec-p256", "--not-before", "2020-01-01", "--not-after", "2020-12-31") == 0
    out = capsys.readouterr().out
    assert "证书序列号" in out and "已注销原证书" in out
    assert fake_token == [("/lib/x.so", "UKEY01", "123456", "rsa2048"), ("/lib/x.so", "UKEY01", "123456", "ec-p256")]
    first, second = certificates(config)
    assert first.revoked_at is not None and second.revoked_at is None
    assert second.key_type == "ec-p256" and second.not_after < dt.datetime(2021, 1, 1, tzinfo=dt.timezone.utc)
    assert run(config, "revoke-ukey", "--unit", unit) == 0
    assert all(c.revoked_at is not None for c in certificates(config))
    assert run(config, "revoke-ukey", "--unit", unit) == 0
    assert "没有有效的UKey证书" in capsys.readouterr().out


def test_cli_issue_ukey_refusals(config, fake_token, capsys):
    unit = initialised(config).units[0]["unit_account"]
    base = ["issue-ukey", "--module", "m", "--token-label", "L", "--pin", "1"]
    assert run(config, *base, "--unit", "nope") == 1
    assert run(config, *base, "--unit", unit, "--not-before", "2020-01-01") == 1
    assert run(config, *base, "--unit", unit, "--valid-days", "0") == 1
    assert fake_token == [] and certificates(config) == []
    with pytest.raises(SystemExit):
        run(config, *base, "--unit", unit, "--key-type", "dsa")


def test_cli_has_the_fixed_command_names():
    parser = cli.build_parser()
    commands = parser._subparsers._group_actions[0].choices
    assert {"init", "issue-ukey", "revoke-ukey", "serve", "set-business-date", "send-message", "check-ledger",
            "add-reviewer"} <= set(commands)


# -- OpenAPI ------------------------------------------------------------------------------------

def test_openapi_has_stable_operation_ids(tmp_path):
    app = create_app(CentreConfig(data_dir=tmp_path))
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        schema = client.get("/openapi.json").json()
    operations = {(method.upper(), path): op for path, ops in schema["paths"].items() for method, op in ops.items()}
    ids = {key: op["operationId"] for key, op in operations.items()}
    assert ids[("POST", "/api/v1/auth/login")] == "auth_login"
    assert ids[("GET", "/api/v1/unit")] == "get_unit"
    assert ids[("GET", "/api/v1/messages")] == "list_messages"
    assert ids[("POST", "/api/v1/centre/business-date")] == "centre_set_business_date"
    assert len(set(ids.values())) == len(ids)
    for (method, _path), op in operations.items():
        header = [p for p in op.get("parameters", []) if p["name"] == "Idempotency-Key"]
        assert bool(header) == (method in ("POST", "PATCH", "PUT", "DELETE"))


def test_uninitialised_centre_says_so(tmp_path):
    app = create_app(CentreConfig(data_dir=tmp_path))
    from fastapi.testclient import TestClient

    database = Database(CentreConfig(data_dir=tmp_path))
    database.migrate()
    database.dispose()
    with TestClient(app) as client:
        response = client.get("/api/v1/business-date")
    assert response.status_code == 503 and response.json()["code"] == "not_initialised"
