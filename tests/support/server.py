"""The centre in-process for API tests: a freshly initialised database (SQLite in a temp dir, or a fresh
PostgreSQL schema when GJJ_TEST_PG_URL is set), a FastAPI TestClient, a clock the test moves, and
software UKeys certified by the real centre CA code.

    with make_centre(tmp_path) as centre:
        ukey = centre.issue_ukey(centre.unit1)
        token = centre.login_token(centre.unit1, ukey)
        centre.client.get("/unit", headers=bearer(token))
"""
from __future__ import annotations

import base64
import datetime as dt
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from fastapi.testclient import TestClient

from server_stub.app import create_app
from server_stub.bootstrap import initialise
from server_stub.config import CentreConfig
from server_stub.database import Database
from server_stub.demo.loader import DemoSpec
from server_stub.ukeys import service as ukeys
from server_stub.ukeys.ca import CentreCA
from server_stub.units.service import find_unit
from services.signing import login_message

PG_ENV = "GJJ_TEST_PG_URL"
START = dt.datetime(2025, 3, 10, 1, 30, tzinfo=dt.timezone.utc)   # 09:30 in the centre (+08:00)
BUSINESS_DATE = dt.date(2025, 3, 10)
SMALL_DEMO = DemoSpec(unit1_employees=12, unit1_months=3, unit2_employees=3, unit2_months=2)
FAST_ARGON2 = {"argon2_time_cost": 1, "argon2_memory_kib": 8, "argon2_parallelism": 1}


class FakeClock:
    """The security clock of the app under test; tests move it."""

    def __init__(self, start: dt.datetime = START) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@dataclass(frozen=True)
class DemoLogin:
    unit_account: str
    login_name: str
    password: str


@dataclass(frozen=True)
class SoftUkey:
    """A UKey stand-in: a software private key and the certificate the centre CA issued for it."""
    private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    cert_der: bytes

    @property
    def certificate_b64(self) -> str:
        return base64.b64encode(self.cert_der).decode()

    @property
    def cert(self) -> x509.Certificate:
        return x509.load_der_x509_certificate(self.cert_der)

    def sign(self, data: bytes) -> bytes:
        if isinstance(self.private_key, rsa.RSAPrivateKey):
            return self.private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        return self.private_key.sign(data, ec.ECDSA(hashes.SHA256()))

    def sign_b64(self, data: bytes) -> str:
        return base64.b64encode(self.sign(data)).decode()


def new_private_key(key_type: str = "ec-p256"):
    if key_type == "rsa2048":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP256R1())


def spki_der(private_key) -> bytes:
    return private_key.public_key().public_bytes(serialization.Encoding.DER,
                                                 serialization.PublicFormat.SubjectPublicKeyInfo)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Centre:
    config: CentreConfig
    clock: FakeClock
    client: TestClient
    database: Database
    ca: CentreCA
    units: list[DemoLogin]
    reviewer: dict
    _keys: dict[str, SoftUkey] = field(default_factory=dict)

    @property
    def unit1(self) -> DemoLogin:
        return self.units[0]

    @property
    def unit2(self) -> DemoLogin:
        return self.units[1]

    # -- UKeys ------------------------------------------------------------------------------------
    def issue_ukey(self, unit: DemoLogin, *, key_type: str = "ec-p256", not_before: dt.datetime | None = None,
                   not_after: dt.datetime | None = None, bind: bool = True, ca: CentreCA | None = None,
                   uid: str | None = None) -> SoftUkey:
        """What `gjj-centre issue-ukey` does, with a software key: certify, then bind (revoking the old)."""
        key = new_private_key(key_type)
        now = self.clock()
        with self.database.transaction() as session:
            row = find_unit(session=session, unit_account=unit.unit_account)
            cert_der = (ca or self.ca).issue_ukey_certificate(
                spki_der(key), unit_name=row.name, unit_account=uid or unit.unit_account,
                centre_name=self.config.centre_name, not_before=not_before or now - dt.timedelta(minutes=5),
                not_after=not_after or now + dt.timedelta(days=365))
            if bind:
                ukeys.bind_certificate(session=session, unit=row, cert_der=cert_der, now=now)
        ukey = SoftUkey(key, cert_der)
        if bind:
            self._keys[unit.unit_account] = ukey
        return ukey

    def ukey(self, unit: DemoLogin) -> SoftUkey:
        """The unit's current software UKey (issued on first use)."""
        return self._keys.get(unit.unit_account) or self.issue_ukey(unit)

    # -- login ------------------------------------------------------------------------------------
    def challenge(self) -> str:
        response = self.client.post("/auth/challenge")
        assert response.status_code == 200, response.text
        return response.json()["nonce"]

    def login_body(self, unit: DemoLogin, ukey: SoftUkey | None = None, *, password: str | None = None,
                   login_name: str | None = None, nonce: str | None = None, unit_account: str | None = None) -> dict:
        ukey = ukey or self.ukey(unit)
        nonce = nonce or self.challenge()
        account = unit_account or unit.unit_account
        name = login_name or unit.login_name
        return {"unit_account": account, "login_name": name,
                "password": unit.password if password is None else password, "nonce": nonce,
                "certificate": ukey.certificate_b64, "signature": ukey.sign_b64(login_message(nonce, account, name))}

    def login(self, unit: DemoLogin, ukey: SoftUkey | None = None, **overrides):
        return self.client.post("/auth/login", json=self.login_body(unit, ukey, **overrides))

    def login_token(self, unit: DemoLogin, ukey: SoftUkey | None = None, **overrides) -> str:
        response = self.login(unit, ukey, **overrides)
        assert response.status_code == 200, response.text
        return response.json()["token"]

    def centre_token(self) -> str:
        response = self.client.post("/centre/login", json=self.reviewer)
        assert response.status_code == 200, response.text
        return response.json()["token"]


@contextmanager
def centre_database_url(tmp_path: Path) -> Iterator[str | None]:
    """None (SQLite in the data dir) or, with GJJ_TEST_PG_URL set, a URL of a fresh PostgreSQL schema."""
    base = os.environ.get(PG_ENV)
    if not base:
        yield None
        return
    from .pg import fresh_schema

    with fresh_schema(base) as url:
        yield url


@contextmanager
def make_centre(tmp_path: Path, *, demo_mode: bool = True, spec: DemoSpec = SMALL_DEMO,
                business_date: dt.date = BUSINESS_DATE, clock: FakeClock | None = None,
                **config_overrides) -> Iterator[Centre]:
    """An initialised centre with the (small) demo units, served in-process."""
    clock = clock or FakeClock()
    with ExitStack() as stack:
        url = stack.enter_context(centre_database_url(tmp_path))
        config = CentreConfig(data_dir=tmp_path / "centre", database_url=url, demo_mode=demo_mode, clock=clock,
                              **{**FAST_ARGON2, **config_overrides})
        result = initialise(config, demo=True, business_date=business_date, spec=spec)
        app = create_app(config)
        client = stack.enter_context(TestClient(app, base_url="http://testserver/api/v1"))
        database = Database(config)
        stack.callback(database.dispose)
        yield Centre(config=config, clock=clock, client=client, database=database,
                     ca=CentreCA.load(config.ca_dir), units=[DemoLogin(**u) for u in result.units],
                     reviewer=result.reviewer)
