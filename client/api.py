"""The centre API client (API.md v1): one method per call, typed errors, TLS with the centre's own CA.

Thread-safe for concurrent calls from the UI's background operations (one httpx connection pool)."""
from __future__ import annotations

import base64
import datetime as dt
import logging
import ssl
import threading
import uuid
from typing import Any, Callable
from urllib.parse import quote, urlsplit

import httpx

from services.addresses import is_loopback
from services.dictionaries import Dictionaries
from services.policy import Policy

from .errors import ApiError, Cancelled, CentreCertificateUntrusted, CentreUnreachable, ClientError

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The login calls carry neither a session token nor an Idempotency-Key: a replayed login answer would
# hold a session token in the centre's idempotency table, and a nonce is single-use anyway.
_LOGIN_CALLS = frozenset({"/auth/challenge", "/auth/login"})
USER_AGENT = "gjj-desk/0.1"


def api_path(path: str) -> str:
    """The request path from /api/v1 on (what a submission signature covers): "/employees/open" and
    "/api/v1/employees/open" both give "/api/v1/employees/open"."""
    path = "/" + path.lstrip("/")
    return path if path == API_PREFIX or path.startswith(API_PREFIX + "/") else API_PREFIX + path


def _relative(path: str) -> str:
    full = api_path(path)
    return full[len(API_PREFIX):] or "/"


def normalise_centre_url(url: str) -> str:
    """Check the centre address the clerk typed and return its base (scheme://host[:port][/prefix]),
    without a trailing "/api/v1". Raises ClientError with the Chinese reason."""
    text = (url or "").strip().rstrip("/")
    if not text:
        raise ClientError("请填写公积金中心服务器地址")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ClientError(f"服务器地址“{text}”格式不正确，应为 https://主机名:端口")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ClientError("非本机地址必须使用https://开头的加密连接，请修改服务器地址")
    path = parts.path.rstrip("/")
    if path.endswith(API_PREFIX):
        path = path[: -len(API_PREFIX)]
    return f"{parts.scheme}://{parts.netloc}{path}"


def tls_context(ca_file: str | None) -> ssl.SSLContext | bool:
    """An SSLContext that trusts `ca_file` (the centre CA). A path string passed to httpx as `verify=`
    makes it drop other TLS settings, so the context is built here."""
    if not ca_file:
        return True
    try:
        return ssl.create_default_context(cafile=ca_file)
    except FileNotFoundError:
        raise ClientError(f"找不到中心CA证书文件：{ca_file}，请在服务器设置中重新选择") from None
    except (ssl.SSLError, OSError, ValueError):
        raise ClientError(f"中心CA证书文件无法读取：{ca_file}，请确认它是PEM格式的证书") from None


def _b64(value: bytes | str) -> str:
    return value if isinstance(value, str) else base64.b64encode(value).decode("ascii")


def _is_cert_failure(exc: BaseException) -> bool:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(cur):
            return True
        cur = cur.__cause__ or cur.__context__
    return False


class CentreClient:
    """One centre. `token` is the session's bearer token once logged in (never logged)."""

    def __init__(self, base_url: str, *, ca_file: str | None = None, timeout: float = 15.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = normalise_centre_url(base_url)
        self.ca_file = ca_file or None
        self._token: str | None = None
        self._lock = threading.Lock()
        self._reachable: bool | None = None
        self._listeners: list[Callable[[bool], None]] = []
        self._http = httpx.Client(
            base_url=self.base_url + API_PREFIX, verify=tls_context(self.ca_file), timeout=timeout,
            headers={"Accept": "application/json, application/problem+json", "User-Agent": USER_AGENT},
            transport=transport, follow_redirects=False,
        )

    # -- lifecycle / state ------------------------------------------------------------------------
    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "CentreClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"CentreClient({self.base_url!r}, logged_in={self._token is not None})"

    @property
    def token(self) -> str | None:
        return self._token

    @token.setter
    def token(self, value: str | None) -> None:
        self._token = value or None

    @property
    def reachable(self) -> bool | None:
        """Did the last call reach the centre? None before the first call."""
        return self._reachable

    def add_reachability_listener(self, callback: Callable[[bool], None]) -> None:
        """`callback(reachable)` on every change (called on the calling thread: the UI marshals it)."""
        self._listeners.append(callback)

    def _set_reachable(self, value: bool) -> None:
        with self._lock:
            changed = self._reachable is not value
            self._reachable = value
        if changed:
            for cb in list(self._listeners):
                try:
                    cb(value)
                except Exception:  # a listener must not break a call
                    log.exception("reachability listener failed")

    # -- the generic call -------------------------------------------------------------------------
    def request(self, method: str, path: str, *, json: Any = None, params: dict[str, Any] | None = None,
                idempotency_key: str | None = None, files: Any = None, content: bytes | None = None,
                content_type: str | None = None) -> Any:
        """Call `path` (relative to /api/v1, or starting with it). Returns the decoded JSON answer, or
        None for 204. State-changing calls carry an Idempotency-Key (a fresh one unless given).
        `content` + `content_type` send a body built by the caller (e.g. multipart with a fixed boundary,
        so that a retry is the same bytes)."""
        method = method.upper()
        rel = _relative(path)
        headers: dict[str, str] = {}
        if method in STATE_CHANGING and rel not in _LOGIN_CALLS:
            headers["Idempotency-Key"] = idempotency_key or str(uuid.uuid4())
        token = self._token
        if token and rel not in _LOGIN_CALLS:
            headers["Authorization"] = f"Bearer {token}"
        if content_type:
            headers["Content-Type"] = content_type
        response = self._send(method, rel, headers, json=json, params=params, files=files, content=content)
        return self._decode(response, session_call=token is not None and rel not in _LOGIN_CALLS)

    def all_pages(self, path: str, params: dict[str, Any] | None = None, *, page_size: int = 500,
                  limit: int = 200_000, cancel=None, progress: Callable[[int, int], None] | None = None
                  ) -> list[dict]:
        """Every item of a paged list (at most `limit`), page after page; `cancel` (a threading.Event)
        stops it with Cancelled; `progress(done, total)` after each page."""
        items: list[dict] = []
        page = 1
        while True:
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            answer = self.request("GET", path, params={**(params or {}), "page": page, "page_size": page_size})
            chunk = answer.get("items") or []
            items.extend(chunk)
            total = int(answer.get("total") or 0)
            if progress is not None:
                progress(len(items), total)
            if not chunk or len(items) >= total or len(items) >= limit:
                return items[:limit]
            page += 1

    def get_if_changed(self, path: str, etag: str | None, *, params: dict[str, Any] | None = None
                       ) -> tuple[Any | None, str | None]:
        """Conditional GET: (None, etag) when the centre answers 304 Not Modified, else (answer, ETag)."""
        rel = _relative(path)
        headers = {"If-None-Match": etag} if etag else {}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        response = self._send("GET", rel, headers, params=params)
        if response.status_code == 304:
            return None, etag
        return self._decode(response, session_call=self._token is not None), response.headers.get("etag")

    def _send(self, method: str, rel: str, headers: dict[str, str], *, params: dict[str, Any] | None = None,
              **body: Any) -> httpx.Response:
        """One HTTP exchange; network failures become CentreUnreachable / CentreCertificateUntrusted."""
        if params:
            params = {k: _param(v) for k, v in params.items() if v is not None}
        try:
            response = self._http.request(method, rel, params=params or None, headers=headers, **body)
        except httpx.TransportError as exc:
            if _is_cert_failure(exc):
                log.warning("centre TLS certificate not trusted: %s", exc)
                raise CentreCertificateUntrusted() from exc
            log.info("centre unreachable (%s %s): %r", method, rel, exc)
            self._set_reachable(False)
            raise CentreUnreachable() from exc
        self._set_reachable(True)
        return response

    @staticmethod
    def _decode(response: httpx.Response, *, session_call: bool) -> Any:
        if response.is_success:
            if response.status_code == 204 or not response.content:
                return None
            try:
                return response.json()
            except ValueError:
                raise ApiError(response.status_code, "bad_response",
                               message="公积金中心返回了无法识别的应答，请稍后再试") from None
        try:
            problem = response.json()
        except ValueError:
            problem = None
        raise ApiError.from_problem(response.status_code, problem, session_call=session_call)

    # -- auth ---------------------------------------------------------------------------------------
    def challenge(self) -> dict:
        """{"nonce", "expires_at"}"""
        return self.request("POST", "/auth/challenge")

    def login(self, unit_account: str, login_name: str, password: str, nonce: str,
              certificate_der: bytes | str, signature: bytes | str) -> dict:
        """Logs in and keeps the token. Returns {"token", "expires_at", "unit_account", "operator"}.
        `certificate_der` and `signature` are bytes (base64-encoded here) or already base64 text."""
        answer = self.request("POST", "/auth/login", json={
            "unit_account": unit_account, "login_name": login_name, "password": password,
            "nonce": nonce, "certificate": _b64(certificate_der), "signature": _b64(signature),
        })
        self.token = answer["token"]
        return answer

    def logout(self) -> None:
        """Ends the session at the centre; the local token is dropped even if the call fails."""
        try:
            if self._token:
                self.request("POST", "/auth/logout")
        finally:
            self.token = None

    def change_password(self, old: str, new: str, idempotency_key: str | None = None) -> None:
        self.request("POST", "/auth/password", json={"old_password": old, "new_password": new},
                     idempotency_key=idempotency_key)

    # -- reference data -------------------------------------------------------------------------
    def business_date(self) -> dt.date:
        return dt.date.fromisoformat(self.request("GET", "/business-date")["date"])

    def policy_raw(self) -> dict:
        return self.request("GET", "/policy")

    def policy(self) -> Policy:
        return Policy.from_api(self.policy_raw())

    def dictionaries_raw(self) -> dict:
        return self.request("GET", "/dictionaries")

    def dictionaries(self) -> Dictionaries:
        return Dictionaries.from_api(self.dictionaries_raw())

    # -- the unit / messages ----------------------------------------------------------------------
    def unit(self) -> dict:
        return self.request("GET", "/unit")

    def messages(self, page: int = 1, page_size: int = 50, since: str | dt.datetime | None = None,
                 unread: bool | None = None) -> dict:
        """Paged {"items": [{"id", "title", "body", "business", "channel", "created_at", "read"}], "total", …}"""
        return self.request("GET", "/messages", params={"page": page, "page_size": page_size,
                                                        "since": since, "unread": unread})

    def mark_read(self, message_id: int | str, idempotency_key: str | None = None) -> Any:
        return self.request("POST", f"/messages/{quote(str(message_id), safe='')}/read",
                            idempotency_key=idempotency_key)


def _param(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value
