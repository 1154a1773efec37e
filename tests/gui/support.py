"""Helpers for the GUI tests: constants, an in-memory keyring, certificates for a fake UKey, a mock centre
(httpx.MockTransport behind a real CentreClient), and steps shared by the tests."""

from __future__ import annotations

import datetime as dt
import gc
import json
import time

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from PySide6.QtCore import QCoreApplication, QEvent, Qt

from hsm.fake import FakeTokenClient
from services.dictionaries import default_dictionaries
from services.policy import DEMO_POLICY
from ui import ops

UNIT_ACCOUNT = "100100000001"
UNIT_NAME = "测试科技有限公司"
LOGIN_NAME = "jbr01"
PASSWORD = "Passw0rd!"
PIN = "123456"




def make_certificate(key, *, cn: str = UNIT_NAME, uid: str | None = UNIT_ACCOUNT,
                     not_before: dt.datetime | None = None, not_after: dt.datetime | None = None) -> bytes:
    now = dt.datetime.now(dt.timezone.utc)
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if uid:
        attrs.append(x509.NameAttribute(NameOID.USER_ID, uid))
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "测试公积金中心 CA")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attrs))
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - dt.timedelta(days=1))
        .not_valid_after(not_after or now + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.DER)


def make_fake_token(**cert_kwargs) -> FakeTokenClient:
    key = ec.generate_private_key(ec.SECP256R1())
    return FakeTokenClient(PIN, make_certificate(key, **cert_kwargs), key, serial="FAKE0001", label="测试UKey")


class MockCentre:
    """Just enough of the centre API for the GUI: login (with scripted refusals), the unit, messages."""

    def __init__(self) -> None:
        self.online = True
        self.refusals: list[dict] = []  # problem+json bodies answered to the next /auth/login calls
        self.calls: list[tuple[str, str]] = []
        self.password = PASSWORD
        self.business_date = "2026-07-01"
        self.policy = DEMO_POLICY
        self.messages = [self._message(i) for i in range(1, 26)]
        self.unit = {
            "unit_account": UNIT_ACCOUNT, "name": UNIT_NAME, "uscc": "91110000MA0000000X", "status": "01",
            "paid_through": "2026-05", "balance": "1234567.80", "unallocated": "1500.00", "active_count": 42,
            "sealed_count": 3, "monthly_total": "56789.00", "unit_ratio": "12", "person_ratio": "12",
        }

    @staticmethod
    def _message(i: int, *, read: bool | None = None) -> dict:
        created = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.timezone.utc) + dt.timedelta(hours=i)
        return {"id": i, "title": f"汇缴核定完成通知 {i}", "body": f"尊敬的测试科技有限公司，您已完成办理汇缴核定（第{i}条）。",
                "business": "汇缴核定", "channel": "系统推送", "created_at": created.isoformat(),
                "read": (i % 3 != 0) if read is None else read}

    def add_message(self, title: str = "新消息") -> dict:
        message = self._message(len(self.messages) + 1, read=False)
        message["title"] = title
        message["created_at"] = dt.datetime.now(dt.timezone.utc).isoformat()
        self.messages.append(message)
        return message

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v1")
        self.calls.append((request.method, path))
        if not self.online:
            raise httpx.ConnectError("centre down", request=request)
        route = (request.method, path)
        if route == ("POST", "/auth/challenge"):
            return _json({"nonce": f"nonce-{len(self.calls)}", "expires_at": "2099-01-01T00:00:00+00:00"})
        if route == ("POST", "/auth/login"):
            if self.refusals:
                return _problem(401, self.refusals.pop(0))
            return _json({"token": "session-token", "expires_at": "2099-01-01T00:00:00+00:00",
                          "unit_account": UNIT_ACCOUNT,
                          "operator": {"name": "王经办", "mobile": "13800138000",
                                       "last_login_at": "2026-06-30T08:15:00+08:00"}})
        if route == ("POST", "/auth/logout"):
            return httpx.Response(204)
        if route == ("POST", "/auth/password"):
            body = json.loads(request.content)
            if body["old_password"] != self.password:
                return _problem(400, {"code": "bad_credentials", "detail": "原密码不正确，请重新输入"})
            self.password = body["new_password"]
            return httpx.Response(204)
        if route == ("GET", "/business-date"):
            return _json({"date": self.business_date})
        if route == ("GET", "/policy"):
            return _json(self.policy.to_api())
        if route == ("GET", "/dictionaries"):
            return _json(default_dictionaries().to_api())
        if route == ("GET", "/unit"):
            return _json(self.unit)
        if route == ("GET", "/messages"):
            return _json(self._page(request))
        if request.method == "POST" and path.startswith("/messages/") and path.endswith("/read"):
            message_id = int(path.split("/")[2])
            for m in self.messages:
                if m["id"] == message_id:
                    m["read"] = True
            return httpx.Response(204)
        return _problem(404, {"code": "not_found", "detail": "没有这个接口"})

    def _page(self, request: httpx.Request) -> dict:
        params = request.url.params
        page, size = int(params.get("page", 1)), int(params.get("page_size", 50))
        items = sorted(self.messages, key=lambda m: m["created_at"], reverse=True)
        if params.get("unread") == "true":
            items = [m for m in items if not m["read"]]
        since = params.get("since")
        if since:
            items = [m for m in items if dt.datetime.fromisoformat(m["created_at"]) >= dt.datetime.fromisoformat(since)]
        chunk = items[(page - 1) * size: page * size]
        return {"items": [dict(m) for m in chunk], "total": len(items), "page": page, "page_size": size}


def _json(data) -> httpx.Response:
    return httpx.Response(200, json=data)


def _problem(status: int, body: dict) -> httpx.Response:
    return httpx.Response(status, json={"type": "about:blank", "title": "refused", "status": status, **body},
                          headers={"content-type": "application/problem+json"})


def wait_ops(qapp, timeout: float = 5.0) -> None:
    """Let background operations report back (nothing may run into the next test)."""
    deadline = time.monotonic() + timeout
    while ops.active_count() and time.monotonic() < deadline:
        qapp.processEvents()
        time.sleep(0.01)
    qapp.processEvents()


def dispose_desk(qapp, desk) -> None:
    """Close and delete a desk's windows and the desk on the GUI thread. Left to Python's garbage collector,
    a QObject may be deleted on whichever thread the collector happens to run: a crash."""
    desk.shutdown()
    for window in (desk.main_window, desk.login_window):
        if window is not None:
            window.close()
    wait_ops(qapp)
    for obj in (desk.main_window, desk.login_window, desk):
        if obj is not None:
            obj.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def type_login(qtbot, window, *, unit_account: str = UNIT_ACCOUNT, login_name: str = LOGIN_NAME,
               password: str = PASSWORD, pin: str = PIN) -> None:
    """Type the four fields the way a clerk does and click 【登录】."""
    for edit, text in ((window.unit_account, unit_account), (window.login_name, login_name),
                       (window.password, password), (window.pin, pin)):
        edit.clear()
        qtbot.keyClicks(edit, text)
    qtbot.mouseClick(window.login_button, Qt.MouseButton.LeftButton)


def log_in(qtbot, desk, **fields):
    """Log in through the login window and wait for the main window."""
    type_login(qtbot, desk.login_window, **fields)
    qtbot.waitUntil(lambda: desk.main_window is not None and desk.main_window.isVisible(), timeout=5000)
    return desk.main_window


def wait_refusal(qtbot, window, timeout: int = 5000) -> str:
    """Wait until the login attempt finished with a message shown in the window; return the message."""
    qtbot.waitUntil(lambda: not window._busy and window.error.isVisible(), timeout=timeout)
    return window.error.text()
