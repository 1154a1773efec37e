"""client.api.CentreClient against a local httpx transport: URLs, headers, decoding, typed errors."""
import base64
import datetime as dt
import json

import httpx
import pytest

from client.api import CentreClient, api_path, normalise_centre_url
from client.errors import ApiError, CentreUnreachable, ClientError, SessionExpired
from services.dictionaries import default_dictionaries
from services.policy import DEMO_POLICY


class Recorder:
    """A transport that records requests and answers from a table of (method, path) → response."""

    def __init__(self, routes):
        self.routes = routes
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.routes.get((request.method, request.url.path))
        if answer is None:
            return httpx.Response(404, json={"status": 404, "code": "not_found", "detail": "没有这个接口"},
                                  headers={"content-type": "application/problem+json"})
        return answer(request) if callable(answer) else answer


def client_for(routes, url="http://127.0.0.1:8700"):
    rec = Recorder(routes)
    return CentreClient(url, transport=httpx.MockTransport(rec)), rec


@pytest.mark.parametrize("url, base", [
    ("http://127.0.0.1:8700", "http://127.0.0.1:8700"),
    ("http://localhost:8700/", "http://localhost:8700"),
    ("http://[::1]:8700/api/v1", "http://[::1]:8700"),
    ("https://gjj.example.cn", "https://gjj.example.cn"),
    ("  https://gjj.example.cn:8443/centre/api/v1/ ", "https://gjj.example.cn:8443/centre"),
])
def test_centre_url(url, base):
    assert normalise_centre_url(url) == base


@pytest.mark.parametrize("url", ["http://192.168.1.10:8700", "http://gjj.example.cn", "http://127.0.0.1.evil.cn"])
def test_plain_http_only_to_loopback(url):
    with pytest.raises(ClientError, match="非本机地址必须使用https://"):
        CentreClient(url)


@pytest.mark.parametrize("url", ["", "ftp://gjj.example.cn", "gjj.example.cn"])
def test_bad_url(url):
    with pytest.raises(ClientError):
        normalise_centre_url(url)


def test_missing_ca_file_is_a_clerk_message(tmp_path):
    with pytest.raises(ClientError, match="找不到中心CA证书文件"):
        CentreClient("https://gjj.example.cn", ca_file=str(tmp_path / "none.pem"))
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate")
    with pytest.raises(ClientError, match="中心CA证书文件无法读取"):
        CentreClient("https://gjj.example.cn", ca_file=str(bad))


def test_api_path():
    assert api_path("/employees/open") == "/api/v1/employees/open"
    assert api_path("employees/open") == "/api/v1/employees/open"
    assert api_path("/api/v1/employees/open") == "/api/v1/employees/open"


def test_login_sets_bearer_and_sends_base64():
    routes = {
        ("POST", "/api/v1/auth/challenge"): httpx.Response(200, json={"nonce": "n1", "expires_at": "x"}),
        ("POST", "/api/v1/auth/login"): httpx.Response(200, json={
            "token": "secret-token", "expires_at": "2026-07-01T10:00:00+08:00", "unit_account": "U1",
            "operator": {"name": "张三"}}),
        ("GET", "/api/v1/unit"): httpx.Response(200, json={"name": "测试单位"}),
        ("POST", "/api/v1/auth/logout"): httpx.Response(204),
    }
    api, rec = client_for(routes)
    assert api.challenge()["nonce"] == "n1"
    api.login("U1", "op", "pw", "n1", b"\x30\x82der", b"sig")
    sent = json.loads(rec.requests[-1].content)
    assert sent["certificate"] == base64.b64encode(b"\x30\x82der").decode()
    assert sent["signature"] == base64.b64encode(b"sig").decode()
    # login and challenge carry no Idempotency-Key (a replayed answer would hold a token)
    assert "idempotency-key" not in rec.requests[0].headers and "idempotency-key" not in rec.requests[1].headers
    assert "authorization" not in rec.requests[1].headers
    assert api.unit() == {"name": "测试单位"}
    assert rec.requests[-1].headers["authorization"] == "Bearer secret-token"
    assert "secret-token" not in repr(api)
    api.logout()
    assert api.token is None
    assert "idempotency-key" in rec.requests[-1].headers


def test_state_changing_calls_send_idempotency_key():
    routes = {("POST", "/api/v1/messages/7/read"): httpx.Response(200, json={"id": 7, "read": True}),
              ("POST", "/api/v1/auth/password"): httpx.Response(204)}
    api, rec = client_for(routes)
    api.mark_read(7, idempotency_key="k-1")
    assert rec.requests[-1].headers["idempotency-key"] == "k-1"
    assert api.change_password("old", "new") is None
    assert len(rec.requests[-1].headers["idempotency-key"]) == 36  # a fresh uuid4
    assert json.loads(rec.requests[-1].content) == {"old_password": "old", "new_password": "new"}


def test_reference_data_and_params():
    routes = {
        ("GET", "/api/v1/business-date"): httpx.Response(200, json={"date": "2026-07-15"}),
        ("GET", "/api/v1/policy"): httpx.Response(200, json=DEMO_POLICY.to_api()),
        ("GET", "/api/v1/dictionaries"): httpx.Response(200, json=default_dictionaries(3).to_api()),
        ("GET", "/api/v1/messages"): httpx.Response(200, json={"items": [], "total": 0, "page": 2, "page_size": 10}),
    }
    api, rec = client_for(routes)
    assert api.business_date() == dt.date(2026, 7, 15)
    assert api.policy() == DEMO_POLICY
    assert api.dictionaries().version == 3
    api.messages(page=2, page_size=10, since="2026-07-01T00:00:00+08:00", unread=True)
    params = rec.requests[-1].url.params
    assert params["since"] == "2026-07-01T00:00:00+08:00" and params["unread"] == "true"
    assert params["page"] == "2" and params["page_size"] == "10"
    api.messages()
    assert "since" not in rec.requests[-1].url.params and "unread" not in rec.requests[-1].url.params


def test_errors_are_typed():
    routes = {
        ("GET", "/api/v1/unit"): httpx.Response(401, json={"code": "session_expired", "detail": "x"}),
        ("POST", "/api/v1/employees/open"): httpx.Response(422, json={
            "status": 422, "code": "validation", "detail": "第2行有误", "errors": [{"row": 2, "message": "错"}]}),
        ("GET", "/api/v1/policy"): httpx.Response(502, text="<html>Bad gateway</html>"),
    }
    api, _ = client_for(routes)
    api.token = "t"
    with pytest.raises(SessionExpired):
        api.unit()
    with pytest.raises(ApiError) as info:
        api.request("POST", "/employees/open", json={"rows": []})
    assert info.value.errors == [{"row": 2, "message": "错"}] and info.value.message == "第2行有误"
    with pytest.raises(ApiError, match="服务器处理出错"):
        api.policy()


def test_network_failures_become_centre_unreachable():
    def refuse(request):
        raise httpx.ConnectError("connection refused", request=request)

    def slow(request):
        raise httpx.ReadTimeout("timed out", request=request)

    seen = []
    api, _ = client_for({("GET", "/api/v1/unit"): refuse, ("GET", "/api/v1/business-date"): slow})
    api.add_reachability_listener(seen.append)
    with pytest.raises(CentreUnreachable):
        api.unit()
    with pytest.raises(CentreUnreachable):
        api.business_date()
    assert api.reachable is False and seen == [False]


def test_nothing_listens_on_the_port():
    api = CentreClient("http://127.0.0.1:9", timeout=2)  # discard port: nothing listens
    with pytest.raises(CentreUnreachable):
        api.challenge()
