"""client.session: input checks, certificate info, refusal messages, and the login flow's order of calls
with the in-process fake UKey. The same flow against the real centre and a SoftHSM UKey is in
tests/integration/test_client_login.py."""
import base64
import datetime as dt
import json

import httpx
import keyring
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from keyring.backends import fail

from client.api import CentreClient
from client.errors import ApiError, ClientError, LoginRefused
from client.remember import save_remembered
from client.session import (LoginFlow, LoginInputError, certificate_info, check_new_password, refusal)
from client.settings import app_dirs
from client.store import LocalStore
from client.sync import cached_policy
from hsm.errors import PinIncorrect
from hsm.fake import FakeTokenClient
from services.dictionaries import default_dictionaries
from services.policy import DEMO_POLICY
from services.signing import login_message

PASSWORD, PIN = "Gjj#pass2026", "246810"


def make_cert(key, cn="测试单位有限公司", uid="110100000001", days=365):
    now = dt.datetime.now(dt.timezone.utc)
    subject = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if uid:
        subject.append(x509.NameAttribute(NameOID.USER_ID, uid))
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "测试公积金中心 CA")])
    return (x509.CertificateBuilder().subject_name(x509.Name(subject)).issuer_name(issuer)
            .public_key(key.public_key()).serial_number(0xABCDEF0123)
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=days))
            .sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER))


def make_token(uid="110100000001"):
    key = ec.generate_private_key(ec.SECP256R1())
    return FakeTokenClient(PIN, make_cert(key, uid=uid), key)


class Centre:
    """Just enough of API.md's login for the flow: checks the signature over the issued nonce."""

    def __init__(self, refuse=None):
        self.refuse = refuse
        self.calls = []

    def __call__(self, request):
        path = request.url.path.removeprefix("/api/v1")
        self.calls.append(path)
        if path == "/auth/challenge":
            return httpx.Response(200, json={"nonce": "nonce-1", "expires_at": "2026-07-15T10:05:00+08:00"})
        if path == "/auth/login":
            body = json.loads(request.content)
            if self.refuse:
                return httpx.Response(401, json={"status": 401, **self.refuse})
            cert = x509.load_der_x509_certificate(base64.b64decode(body["certificate"]))
            cert.public_key().verify(base64.b64decode(body["signature"]),
                                     login_message("nonce-1", body["unit_account"], body["login_name"]),
                                     ec.ECDSA(hashes.SHA256()))
            assert body["password"] == PASSWORD
            return httpx.Response(200, json={"token": "tok-1", "expires_at": "2026-07-15T18:00:00+08:00",
                                             "unit_account": body["unit_account"],
                                             "operator": {"name": "张三", "mobile": "13800000000",
                                                          "last_login_at": None}})
        assert request.headers["authorization"] == "Bearer tok-1"
        return {
            "/business-date": httpx.Response(200, json={"date": "2026-07-15"}),
            "/policy": httpx.Response(200, json=DEMO_POLICY.to_api()),
            "/dictionaries": httpx.Response(200, json=default_dictionaries(2).to_api()),
            "/unit": httpx.Response(200, json={"unit_account": "110100000001", "name": "测试单位有限公司"}),
            "/auth/logout": httpx.Response(204),
        }[path]


def flow_for(tmp_path, token, refuse=None):
    centre = Centre(refuse)
    api = CentreClient("http://127.0.0.1:8700", transport=httpx.MockTransport(centre))
    return LoginFlow(api, token, LocalStore(tmp_path / "local.sqlite3")), centre


@pytest.mark.parametrize("args, field", [
    (("", "op", "pw", "1"), "unit_account"),
    (("1101 0001", "op", "pw", "1"), "unit_account"),
    (("1" * 21, "op", "pw", "1"), "unit_account"),
    (("U1", "  ", "pw", "1"), "login_name"),
    (("U1", "op", "", "1"), "password"),
    (("U1", "op", "pw", ""), "pin"),
])
def test_inputs_are_checked_before_anything_else(tmp_path, args, field):
    token = make_token()
    flow, centre = flow_for(tmp_path, token)
    with pytest.raises(LoginInputError) as info:
        flow.login(*args)
    assert info.value.field == field and info.value.message
    assert centre.calls == [] and not token.logged_in


def test_certificate_info():
    key = ec.generate_private_key(ec.SECP256R1())
    info = certificate_info(make_cert(key))
    assert (info.holder, info.unit_account, info.serial, info.issuer) == (
        "测试单位有限公司", "110100000001", "ABCDEF0123", "测试公积金中心 CA")
    today = dt.date.today()
    assert info.valid_on(today) and 364 <= info.days_left(today) <= 365
    assert certificate_info(make_cert(key, uid=None)).unit_account is None
    with pytest.raises(ClientError, match="证书无法识别"):
        certificate_info(b"junk")


def test_login(tmp_path):
    token = make_token()
    flow, centre = flow_for(tmp_path, token)
    session = flow.login(" 110100000001 ", "zhangsan", PASSWORD, PIN)
    assert centre.calls == ["/auth/challenge", "/auth/login", "/business-date", "/policy", "/dictionaries", "/unit"]
    assert session.unit_name == "测试单位有限公司" and session.operator_name == "张三"
    assert session.business_date == dt.date(2026, 7, 15) and session.policy == DEMO_POLICY
    assert session.dictionaries.version == 2 and session.certificate.unit_account == "110100000001"
    assert session.expires_at == dt.datetime.fromisoformat("2026-07-15T18:00:00+08:00")
    assert "tok-1" not in repr(session) and session.token == "tok-1"
    assert cached_policy(flow.store) == DEMO_POLICY and flow.store.get_cache("dictionaries").version == "2"
    flow.logout()
    assert centre.calls[-1] == "/auth/logout" and not token.logged_in and flow.api.token is None


def test_nothing_secret_is_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("GJJ_DESK_HOME", str(tmp_path / "desk"))
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        flow = LoginFlow(flow_for(tmp_path, make_token())[0].api, make_token(),
                         LocalStore(app_dirs().store_file))
        flow.login("110100000001", "zhangsan", PASSWORD, PIN)
        save_remembered("110100000001", "zhangsan")
        flow.store.close()
    finally:
        keyring.set_keyring(previous)
    files = [p for p in (tmp_path / "desk").rglob("*") if p.is_file()]
    assert any(p.name == "remembered.json" for p in files)
    for p in files:
        data = p.read_bytes()
        for secret in (PASSWORD, PIN, "tok-1"):
            assert secret.encode() not in data, (p, secret)


def test_wrong_pin_stops_before_the_centre(tmp_path):
    flow, centre = flow_for(tmp_path, make_token())
    with pytest.raises(PinIncorrect):
        flow.login("110100000001", "zhangsan", PASSWORD, "000000")
    assert centre.calls == []


def test_ukey_of_another_unit(tmp_path):
    flow, centre = flow_for(tmp_path, make_token(uid="110100000099"))
    with pytest.raises(LoginInputError, match="110100000099") as info:
        flow.login("110100000001", "zhangsan", PASSWORD, PIN)
    assert info.value.field == "unit_account" and centre.calls == []


def test_refusal_reaches_the_clerk_in_chinese(tmp_path):
    flow, _ = flow_for(tmp_path, make_token(),
                       refuse={"code": "bad_credentials", "detail": "密码错误", "remaining_attempts": 3})
    with pytest.raises(LoginRefused, match="密码错误，还可尝试3次") as info:
        flow.login("110100000001", "zhangsan", "wrong", PIN)
    assert info.value.code == "bad_credentials" and flow.api.token is None


@pytest.mark.parametrize("problem, message", [
    ({"code": "bad_credentials", "detail": "密码错误", "remaining_attempts": 1}, "密码错误，还可尝试1次"),
    ({"code": "bad_credentials"}, "单位账号、登录名或密码错误，请核对后重新输入"),
    ({"code": "locked", "detail": "账号已锁定，请于10:15后再试"}, "账号已锁定，请于10:15后再试"),
    ({"code": "locked"}, "密码错误次数过多，登录已被锁定，请15分钟后再试"),
    ({"code": "nonce_invalid"}, "登录请求已失效，请重新点击登录"),
    ({"code": "certificate_revoked"}, "此UKey证书已作废（可能已补发新UKey），请使用最新发放的UKey"),
    ({"code": "certificate_not_bound"}, "此UKey未绑定该单位账号，请确认插入的是本单位的UKey"),
    ({"code": "certificate_expired", "detail": "证书已于2026-06-30过期"}, "证书已于2026-06-30过期"),
])
def test_refusal_messages(problem, message):
    assert refusal(ApiError.from_problem(401, problem, session_call=False)).message == message


def test_locked_until_is_shown_in_local_time():
    when = dt.datetime(2026, 7, 15, 2, 15, tzinfo=dt.timezone.utc)
    err = refusal(ApiError.from_problem(401, {"code": "locked", "locked_until": when.isoformat()},
                                        session_call=False))
    assert when.astimezone().strftime("%H:%M") in err.message


def test_unlock_needs_the_same_ukey(tmp_path):
    token = make_token()
    flow, _ = flow_for(tmp_path, token)
    session = flow.login("110100000001", "zhangsan", PASSWORD, PIN)
    token.remove()
    token.insert()
    assert not token.logged_in
    flow.unlock(session, PIN)
    assert token.logged_in
    other = make_token()
    flow.token = other
    with pytest.raises(ClientError, match="不是登录时使用的UKey"):
        flow.unlock(session, PIN)


def test_new_password_checks():
    check_new_password("a", "b", "b")
    for args, field in [(("", "b", "b"), "old_password"), (("a", "", ""), "new_password"),
                        (("a", "b", "c"), "confirm_password"), (("a", "a", "a"), "new_password")]:
        with pytest.raises(LoginInputError) as info:
            check_new_password(*args)
        assert info.value.field == field


def test_a_wrong_pin_after_a_refused_password_is_still_refused(tmp_path):
    token = make_token()
    flow, _ = flow_for(tmp_path, token, refuse={"code": "bad_credentials", "detail": "密码错误，还可尝试4次",
                                                "remaining_attempts": 4})
    with pytest.raises(LoginRefused):
        flow.login("110100000001", "op", "wrong-password", PIN)
    with pytest.raises(PinIncorrect):
        flow.login("110100000001", "op", PASSWORD, "000000")
