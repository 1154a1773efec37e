"""Login as API.md says: every refusal code in its order, lockout, sessions, logout, password change,
and an audit row for every attempt. In-process, with software keys certified by the real centre CA."""
from __future__ import annotations

import base64
import datetime as dt

import pytest
from sqlalchemy import select

from server_stub.audit.models import AuditEntry
from server_stub.auth.models import AuthSession, Operator
from server_stub.ukeys.ca import CentreCA
from services.signing import login_message
from tests.support.server import START, bearer, make_centre

pytestmark = pytest.mark.postgres   # also run on PostgreSQL when GJJ_TEST_PG_URL is set


@pytest.fixture
def centre(tmp_path):
    with make_centre(tmp_path) as centre:
        yield centre


def problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code
    assert {"type", "title", "status", "detail", "errors"} <= body.keys()
    return body


def audit_outcomes(centre, action: str = "auth.login") -> list[str]:
    with centre.database.session() as session:
        return list(session.scalars(select(AuditEntry.outcome).where(AuditEntry.action == action)
                                    .order_by(AuditEntry.id)))


# -- a good login -------------------------------------------------------------------------------

@pytest.mark.parametrize("key_type", ["ec-p256", "rsa2048"])
def test_login_with_ukey_and_password(centre, key_type):
    ukey = centre.issue_ukey(centre.unit1, key_type=key_type)
    response = centre.login(centre.unit1, ukey)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["unit_account"] == centre.unit1.unit_account
    assert body["operator"] == {"name": "张丽", "mobile": body["operator"]["mobile"], "login_name": "zhangli",
                                "last_login_at": None}
    assert len(body["token"]) >= 40
    assert body["expires_at"].endswith("+08:00")
    unit = centre.client.get("/unit", headers=bearer(body["token"]))
    assert unit.status_code == 200
    assert audit_outcomes(centre) == ["ok"]


def test_last_login_at_is_the_previous_login(centre):
    first = centre.login(centre.unit1).json()
    centre.clock.advance(hours=2)
    second = centre.login(centre.unit1).json()
    assert first["operator"]["last_login_at"] is None
    assert second["operator"]["last_login_at"] == "2025-03-10T09:30:00+08:00"
    unit = centre.client.get("/unit", headers=bearer(second["token"])).json()
    assert unit["operator"]["last_login_at"] == "2025-03-10T09:30:00+08:00"


def test_session_token_is_stored_hashed(centre):
    token = centre.login_token(centre.unit1)
    with centre.database.session() as session:
        stored = session.scalars(select(AuthSession.token_sha256)).all()
    assert token not in stored and len(stored) == 1 and len(stored[0]) == 64


# -- nonces -------------------------------------------------------------------------------------

def test_challenge_gives_single_use_nonce_with_expiry(centre):
    body = centre.client.post("/auth/challenge").json()
    assert body["expires_at"] == "2025-03-10T09:32:00+08:00"
    assert body["nonce"] != centre.client.post("/auth/challenge").json()["nonce"]


def test_replayed_nonce_is_refused(centre):
    login = centre.login_body(centre.unit1)
    assert centre.client.post("/auth/login", json=login).status_code == 200
    problem(centre.client.post("/auth/login", json=login), 401, "nonce_invalid")


def test_unknown_nonce_is_refused(centre):
    nonce = "x" * 32
    problem(centre.login(centre.unit1, nonce=nonce), 401, "nonce_invalid")


def test_expired_nonce_is_refused_and_consumed(centre):
    login = centre.login_body(centre.unit1)
    centre.clock.advance(seconds=121)
    body = problem(centre.client.post("/auth/login", json=login), 401, "nonce_invalid")
    assert "过期" in body["detail"]
    centre.clock.advance(seconds=-121)
    problem(centre.client.post("/auth/login", json=login), 401, "nonce_invalid")


def test_a_refused_login_still_uses_up_its_nonce(centre):
    login = centre.login_body(centre.unit1, password="wrong-pass1")
    problem(centre.client.post("/auth/login", json=login), 401, "bad_credentials")
    login["password"] = centre.unit1.password
    problem(centre.client.post("/auth/login", json=login), 401, "nonce_invalid")


# -- certificates ---------------------------------------------------------------------------------

def test_certificate_from_another_ca_is_untrusted(centre, tmp_path):
    stranger = CentreCA.create(tmp_path / "other-ca", centre_name="别的中心", now=START)
    ukey = centre.issue_ukey(centre.unit1, ca=stranger, bind=False)
    body = problem(centre.login(centre.unit1, ukey), 401, "certificate_untrusted")
    assert "UKey" in body["detail"]


def test_garbage_certificate_is_untrusted(centre):
    login = centre.login_body(centre.unit1)
    login["certificate"] = base64.b64encode(b"not a certificate").decode()
    problem(centre.client.post("/auth/login", json=login), 401, "certificate_untrusted")
    login = centre.login_body(centre.unit1)
    login["certificate"] = "%%%"
    problem(centre.client.post("/auth/login", json=login), 401, "certificate_untrusted")


def test_expired_certificate(centre):
    ukey = centre.issue_ukey(centre.unit1, not_before=START - dt.timedelta(days=400),
                             not_after=START - dt.timedelta(days=1))
    body = problem(centre.login(centre.unit1, ukey), 401, "certificate_expired")
    assert body["detail"] == "UKey证书已过期，请到公积金中心更换"


def test_certificate_expires_by_the_server_clock(centre):
    ukey = centre.issue_ukey(centre.unit1, not_after=START + dt.timedelta(days=1))
    assert centre.login(centre.unit1, ukey).status_code == 200
    centre.clock.advance(days=2)
    problem(centre.login(centre.unit1, ukey), 401, "certificate_expired")


def test_not_yet_valid_certificate(centre):
    ukey = centre.issue_ukey(centre.unit1, not_before=START + dt.timedelta(days=1),
                             not_after=START + dt.timedelta(days=30))
    problem(centre.login(centre.unit1, ukey), 401, "certificate_expired")


def test_reissue_revokes_the_old_certificate(centre):
    old = centre.issue_ukey(centre.unit1)
    new = centre.issue_ukey(centre.unit1)
    body = problem(centre.login(centre.unit1, old), 401, "certificate_revoked")
    assert body["detail"] == "UKey证书已被注销，请使用中心新发放的UKey"
    assert centre.login(centre.unit1, new).status_code == 200


def test_revoking_ends_open_sessions(centre):
    token = centre.login_token(centre.unit1)
    centre.issue_ukey(centre.unit1)
    problem(centre.client.get("/unit", headers=bearer(token)), 401, "certificate_revoked")


def test_certificate_of_another_unit_is_not_bound(centre):
    ukey_b = centre.ukey(centre.unit2)
    body = problem(centre.login(centre.unit1, ukey_b), 401, "certificate_not_bound")
    assert body["detail"].startswith("UKey证书与单位账号不匹配")


def test_certificate_naming_this_unit_but_not_issued_to_it_is_not_bound(centre):
    """A certificate the CA signed but the centre never recorded (or recorded for another unit)."""
    centre.ukey(centre.unit1)
    unrecorded = centre.issue_ukey(centre.unit1, bind=False)
    problem(centre.login(centre.unit1, unrecorded), 401, "certificate_not_bound")


def test_unknown_unit_account_is_not_bound(centre):
    problem(centre.login(centre.unit1, unit_account="999999999999"), 401, "certificate_not_bound")


def test_bad_signature(centre):
    login = centre.login_body(centre.unit1)
    other = centre.issue_ukey(centre.unit1, bind=False)
    login["signature"] = other.sign_b64(login_message(login["nonce"], login["unit_account"], login["login_name"]))
    problem(centre.client.post("/auth/login", json=login), 401, "bad_signature")


def test_signature_must_cover_the_login_name(centre):
    login = centre.login_body(centre.unit1)
    login["login_name"] = "someone"
    problem(centre.client.post("/auth/login", json=login), 401, "bad_signature")


def test_missing_signature(centre):
    login = centre.login_body(centre.unit1)
    login["signature"] = ""
    problem(centre.client.post("/auth/login", json=login), 401, "bad_signature")


# -- password and lockout -------------------------------------------------------------------------

def test_wrong_password_counts_down_then_locks(centre):
    for remaining in (4, 3, 2, 1):
        body = problem(centre.login(centre.unit1, password="wrong-pass1"), 401, "bad_credentials")
        assert body["remaining_attempts"] == remaining
        assert body["detail"] == f"密码错误，还可尝试{remaining}次"
    body = problem(centre.login(centre.unit1, password="wrong-pass1"), 401, "locked")
    assert body["remaining_attempts"] == 0
    assert body["locked_until"] == "2025-03-10T09:45:00+08:00"
    assert body["detail"] == "密码连续错误5次，账户已锁定，请于09:45后再试"
    # the 6th try, even with the right password
    body = problem(centre.login(centre.unit1), 401, "locked")
    assert body["locked_until"] == "2025-03-10T09:45:00+08:00"
    assert audit_outcomes(centre) == ["bad_credentials"] * 4 + ["locked", "locked"]


def test_lock_runs_out_after_15_minutes(centre):
    for _ in range(5):
        centre.login(centre.unit1, password="wrong-pass1")
    centre.clock.advance(minutes=14, seconds=59)
    problem(centre.login(centre.unit1), 401, "locked")
    centre.clock.advance(seconds=1)
    assert centre.login(centre.unit1).status_code == 200
    # a fresh count after the lock
    body = problem(centre.login(centre.unit1, password="wrong-pass1"), 401, "bad_credentials")
    assert body["remaining_attempts"] == 4


def test_success_resets_the_failure_count(centre):
    for _ in range(3):
        centre.login(centre.unit1, password="wrong-pass1")
    assert centre.login(centre.unit1).status_code == 200
    body = problem(centre.login(centre.unit1, password="wrong-pass1"), 401, "bad_credentials")
    assert body["remaining_attempts"] == 4


def test_unknown_login_name(centre):
    body = problem(centre.login(centre.unit1, login_name="nobody"), 401, "bad_credentials")
    assert "remaining_attempts" not in body


def test_lockout_is_per_operator(centre):
    for _ in range(5):
        centre.login(centre.unit1, password="wrong-pass1")
    assert centre.login(centre.unit2).status_code == 200


def test_audit_row_has_who_when_where_outcome(centre):
    centre.login(centre.unit1, password="wrong-pass1")
    with centre.database.session() as session:
        row = session.scalars(select(AuditEntry).where(AuditEntry.action == "auth.login")).one()
    assert row.actor == f"{centre.unit1.unit_account}/zhangli"
    assert row.at == START
    assert row.client_address == "testclient"
    assert row.outcome == "bad_credentials"
    assert row.unit_id is not None


# -- sessions -----------------------------------------------------------------------------------

def test_no_token_and_bad_token(centre):
    problem(centre.client.get("/unit"), 401, "not_authenticated")
    problem(centre.client.get("/unit", headers=bearer("nonsense")), 401, "session_expired")


def test_session_idle_expiry(centre):
    token = centre.login_token(centre.unit1)
    centre.clock.advance(minutes=20)
    assert centre.client.get("/unit", headers=bearer(token)).status_code == 200   # activity
    centre.clock.advance(minutes=29)
    assert centre.client.get("/unit", headers=bearer(token)).status_code == 200
    centre.clock.advance(minutes=30)
    problem(centre.client.get("/unit", headers=bearer(token)), 401, "session_expired")
    centre.clock.advance(minutes=-30)   # ended is ended
    problem(centre.client.get("/unit", headers=bearer(token)), 401, "session_expired")


def test_session_absolute_expiry(centre):
    token = centre.login_token(centre.unit1)
    for _ in range(12 * 4 - 1):
        centre.clock.advance(minutes=15)
        assert centre.client.get("/unit", headers=bearer(token)).status_code == 200
    centre.clock.advance(minutes=15)
    problem(centre.client.get("/unit", headers=bearer(token)), 401, "session_expired")


def test_logout(centre):
    token = centre.login_token(centre.unit1)
    response = centre.client.post("/auth/logout", headers=bearer(token))
    assert response.status_code == 204 and response.content == b""
    problem(centre.client.get("/unit", headers=bearer(token)), 401, "session_expired")
    assert "ok" in audit_outcomes(centre, "auth.logout")


def test_centre_token_is_not_a_unit_token(centre):
    token = centre.centre_token()
    problem(centre.client.get("/unit", headers=bearer(token)), 403, "forbidden")
    unit_token = centre.login_token(centre.unit1)
    problem(centre.client.post("/centre/messages", json={"title": "t", "body": "b"}, headers=bearer(unit_token)),
            403, "forbidden")


# -- password change ------------------------------------------------------------------------------

def change(centre, token, old, new):
    return centre.client.post("/auth/password", json={"old_password": old, "new_password": new},
                              headers=bearer(token))


def test_change_password(centre):
    token = centre.login_token(centre.unit1)
    other = centre.login_token(centre.unit1)
    assert change(centre, token, "Demo1234", "Better2025").status_code == 204
    problem(centre.login(centre.unit1), 401, "bad_credentials")
    assert centre.login(centre.unit1, password="Better2025").status_code == 200
    assert centre.client.get("/unit", headers=bearer(token)).status_code == 200     # this session stays
    problem(centre.client.get("/unit", headers=bearer(other)), 401, "session_expired")  # others end
    assert audit_outcomes(centre, "auth.password")[-1] == "ok"


@pytest.mark.parametrize("new", ["short1a", "onlyletters", "1234567890", "Demo1234", "x" * 65 + "1"])
def test_password_rules(centre, new):
    token = centre.login_token(centre.unit1)
    body = problem(change(centre, token, "Demo1234", new), 422,
                   "password_reused" if new == "Demo1234" else "password_too_weak")
    assert body["errors"][0]["field"] == "new_password"
    assert centre.login(centre.unit1).status_code == 200   # unchanged


def test_wrong_old_password_counts_as_failure(centre):
    token = centre.login_token(centre.unit1)
    body = problem(change(centre, token, "wrong-pass1", "Better2025"), 401, "bad_credentials")
    assert body["remaining_attempts"] == 4
    for _ in range(3):
        change(centre, token, "wrong-pass1", "Better2025")
    problem(change(centre, token, "wrong-pass1", "Better2025"), 401, "locked")
    problem(centre.login(centre.unit1), 401, "locked")
    with centre.database.session() as session:
        assert session.scalars(select(Operator.failed_count).where(Operator.login_name == "zhangli")).one() == 5


# -- centre login -------------------------------------------------------------------------------

def test_centre_login_and_lockout(centre):
    assert centre.centre_token()
    for remaining in (4, 3, 2, 1):
        body = problem(centre.client.post("/centre/login", json={"username": "reviewer", "password": "bad"}),
                       401, "bad_credentials")
        assert body["remaining_attempts"] == remaining
    problem(centre.client.post("/centre/login", json={"username": "reviewer", "password": "bad"}), 401, "locked")
    problem(centre.client.post("/centre/login", json=centre.reviewer), 401, "locked")
    assert audit_outcomes(centre, "centre.login") == ["ok"] + ["bad_credentials"] * 4 + ["locked"] * 2
