"""The reviewers' web page (`gjj-centre serve`, /centre/): log in with a centre account, the queue filtered
by type and status, an application's detail (old → new, attachments, the flow, the signature), and the
decision with an opinion. Server-rendered HTML, no script.

The session is the centre token in an HttpOnly, SameSite=Strict cookie; every POST carries a CSRF token in
a hidden field: derived from the session token (HMAC), so it is per session and needs no storage. The login
form uses a double-submit cookie instead (there is no session yet)."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from ..applications import service as applications
from ..applications import views
from ..attachments import service as attachments
from ..attachments.upload import StoreDep
from ..auth import service as auth
from ..auth.models import KIND_CENTRE
from ..deps import ClientAddressDep, ConfigDep, NowDep, PasswordsDep, SessionDep
from ..errors import Problem
from ..paging import PageParams
from ..reference import service as reference
from ..web import router
from . import html

pages = router(prefix="/centre", include_in_schema=False)

SESSION_COOKIE = "gjj_review"
LOGIN_COOKIE = "gjj_review_login"
PAGE_SIZE = 50
CSS = Path(__file__).with_name("review.css")
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
Text = Annotated[str, Form(max_length=2000)]


def csrf_token(session_token: str) -> str:
    return hmac.new(session_token.encode(), b"gjj-review-csrf", hashlib.sha256).hexdigest()


def _html(content: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(content, status_code=status, headers=SECURITY_HEADERS)


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})


def _set_cookie(response: Response, request: Request, name: str, value: str) -> None:
    response.set_cookie(name, value, httponly=True, samesite="strict", path="/centre",
                        secure=request.url.scheme == "https")


def _reviewer(request: Request, session, config, now) -> auth.CentrePrincipal | None:
    """The logged-in reviewer, or None (no cookie, expired, or not a centre session)."""
    token = request.cookies.get(SESSION_COOKIE)
    try:
        row = auth.authenticate(session=session, token=token, kind=KIND_CENTRE, config=config, now=now)
    except Problem:
        return None
    return auth.centre_principal(session=session, row=row)


def _same_origin(request: Request) -> bool:
    """A browser's Origin, when it sends one, must be this site (defence in depth beside the token)."""
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.url.netloc


def _csrf_ok(request: Request, submitted: str) -> bool:
    token = request.cookies.get(SESSION_COOKIE, "")
    return bool(token) and _same_origin(request) and hmac.compare_digest(csrf_token(token), submitted or "")


def _csrf_refused() -> HTMLResponse:
    return _html(html.refused("页面已失效（安全校验未通过），请返回审核队列重新操作"), 403)


# -- login ----------------------------------------------------------------------------------------

@pages.get("")
def review_home():
    return _redirect("/centre/queue")


@pages.get("/review.css")
def review_css():
    return Response(CSS.read_text(encoding="utf-8"), media_type="text/css",
                    headers={"Cache-Control": "max-age=3600", "X-Content-Type-Options": "nosniff"})


@pages.get("/login")
def review_login_form(request: Request):
    token = secrets.token_urlsafe(24)
    response = _html(html.login_form(token))
    _set_cookie(response, request, LOGIN_COOKIE, token)
    return response


@pages.post("/login")
def review_login(request: Request, session: SessionDep, config: ConfigDep, now: NowDep, client: ClientAddressDep,
                 passwords: PasswordsDep, username: Text = "", password: Text = "", csrf_token: Text = ""):
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not _same_origin(request) or not hmac.compare_digest(expected, csrf_token):
        return _csrf_refused()
    try:
        result = auth.centre_login(session=session, username=username, password=password, passwords=passwords,
                                   config=config, now=now, client_address=client)
    except Problem as refusal:
        # 200, not 401: the failure must be kept (lockout count, audit row) and the request's transaction
        # is committed only for a success status.
        token = secrets.token_urlsafe(24)
        response = _html(html.login_form(token, username=username, message=refusal.detail))
        _set_cookie(response, request, LOGIN_COOKIE, token)
        return response
    response = _redirect("/centre/queue")
    _set_cookie(response, request, SESSION_COOKIE, result.token)
    response.delete_cookie(LOGIN_COOKIE, path="/centre")
    return response


@pages.post("/logout")
def review_logout(request: Request, session: SessionDep, config: ConfigDep, now: NowDep, client: ClientAddressDep,
                  csrf_token: Text = ""):
    principal = _reviewer(request, session, config, now)
    if principal is None:
        return _redirect("/centre/login")
    if not _csrf_ok(request, csrf_token):
        return _csrf_refused()
    auth.logout(session=session, row=principal.session, actor=principal.user.username, actor_kind="centre",
                unit_id=None, now=now, client_address=client)
    response = _redirect("/centre/login")
    response.delete_cookie(SESSION_COOKIE, path="/centre")
    return response


# -- queue and detail -----------------------------------------------------------------------------

@pages.get("/queue")
def review_queue(request: Request, session: SessionDep, config: ConfigDep, now: NowDep,
                 type: Annotated[str, Query(max_length=30)] = "",
                 status: Annotated[str, Query(max_length=12)] = "pending",
                 page: Annotated[int, Query(ge=1)] = 1):
    principal = _reviewer(request, session, config, now)
    if principal is None:
        return _redirect("/centre/login")
    status = status if status in dict(html.STATUS_CHOICES) else "pending"
    type_code = type if type in dict(html.TYPE_CHOICES) else ""
    items, total = applications.centre_queue(session=session, params=PageParams(page, PAGE_SIZE),
                                             status=None if status == "all" else status, type_code=type_code or None,
                                             tz=config.timezone)
    return _html(html.queue(views.centre_summaries(session, items, config.timezone), total=total, page_no=page,
                            page_size=PAGE_SIZE, type_code=type_code, status=status, user=principal.user.name,
                            csrf=csrf_token(request.cookies[SESSION_COOKIE])))


def _detail_page(request: Request, session, config, principal: auth.CentrePrincipal, application_id: int, *,
                 status: int = 200, **extra) -> HTMLResponse:
    try:
        application = applications.get_any(session=session, application_id=application_id)
    except Problem as missing:
        return _html(html.refused(missing.detail), missing.status)
    item = views.detail_public(applications.detail(session=session, application=application), config,
                               reference.dictionaries(session=session), centre=True)
    return _html(html.detail(item, user=principal.user.name, csrf=csrf_token(request.cookies[SESSION_COOKIE]),
                             **extra), status)


@pages.get("/applications/{application_id}")
def review_application(application_id: int, request: Request, session: SessionDep, config: ConfigDep, now: NowDep,
                       done: Annotated[str | None, Query(max_length=10)] = None):
    principal = _reviewer(request, session, config, now)
    if principal is None:
        return _redirect("/centre/login")
    return _detail_page(request, session, config, principal, application_id, notice=done)


@pages.post("/applications/{application_id}/decision")
def review_decide(application_id: int, request: Request, session: SessionDep, config: ConfigDep, now: NowDep,
                  client: ClientAddressDep, decision: Text = "", opinion: Text = "", csrf_token: Text = ""):
    principal = _reviewer(request, session, config, now)
    if principal is None:
        return _redirect("/centre/login")
    if not _csrf_ok(request, csrf_token):
        return _csrf_refused()
    try:
        applications.decide(session=session, application_id=application_id, reviewer=principal.user,
                            decision=decision, opinion=opinion[:1000], config=config, now=now, client_address=client)
    except Problem as refusal:
        session.rollback()        # show the application as it stands (the answer's status rolls back too)
        return _detail_page(request, session, config, principal, application_id, status=refusal.status,
                            message=refusal.detail, opinion=opinion)
    return _redirect(f"/centre/applications/{application_id}?done={decision}")


@pages.get("/applications/{application_id}/attachments/{attachment_id}")
def review_attachment(application_id: int, attachment_id: int, request: Request, session: SessionDep,
                      config: ConfigDep, now: NowDep, store: StoreDep):
    if _reviewer(request, session, config, now) is None:
        return _redirect("/centre/login")
    try:
        row = attachments.get(session=session, application_id=application_id, attachment_id=attachment_id)
        return attachments.file_response(store, row)
    except Problem as missing:
        return _html(html.refused(missing.detail), missing.status)
