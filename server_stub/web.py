"""The shape of every API call: one database transaction per request (committed before the answer is
sent, rolled back on a refusal), and `Idempotency-Key` handling for every state-changing call."""
from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from services.gc_pause import collector_paused

from .auth.service import principal_of_token
from .database import Database
from .errors import PROBLEM_RESPONSES, Problem
from .idempotency import service as idempotency

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# openapi_extra of calls whose answers must not be stored (they carry a session token)
ANSWER_NOT_STORED = {"x-idempotency": "accepted, answer not stored (it carries a session token)"}


class CentreRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
        inner = super().get_route_handler()
        stores_answers = (self.openapi_extra or {}).get("x-idempotency") != ANSWER_NOT_STORED["x-idempotency"]

        async def handler(request: Request) -> Response:
            return await run_request(request, inner, stores_answers=stores_answers)

        return handler


def operation_id(route: APIRoute) -> str:
    """Stable OpenAPI operation ids: the route function's name (auth_login, get_unit, …)."""
    return route.name


def router(**kwargs) -> APIRouter:
    return APIRouter(route_class=CentreRoute, generate_unique_id_function=operation_id,
                     responses=PROBLEM_RESPONSES, **kwargs)


async def run_request(request: Request, inner: Callable[[Request], Awaitable[Response]], *,
                      stores_answers: bool) -> Response:
    async with request.app.state.request_slots:  # see CentreConfig.max_active_requests
        if _is_bulk(request):
            with collector_paused():
                return await _run_request(request, inner, stores_answers=stores_answers)
        return await _run_request(request, inner, stores_answers=stores_answers)


BULK_BODY_BYTES = 256 * 1024   # a batch of thousands of rows (10,000 登记 rows are about 1.4 MB)


def _is_bulk(request: Request) -> bool:
    """A large request body (a batch) is parsed, validated, checked, inserted and answered with the garbage
    collector paused (services/gc_pause.py): its full collections cost a 10,000-row batch a third of its
    time, parsing and answering included."""
    length = request.headers.get("content-length", "")
    return length.isdigit() and int(length) > BULK_BODY_BYTES


async def _run_request(request: Request, inner: Callable[[Request], Awaitable[Response]], *,
                       stores_answers: bool) -> Response:
    db: Database = request.app.state.db
    now = request.app.state.config.clock()
    request.state.now = now
    claim_id = None
    key = request.headers.get("idempotency-key")
    if stores_answers and key is not None and request.method in STATE_CHANGING:
        body = await request.body()
        outcome = await run_in_threadpool(_claim, db, request, key, body, now)
        if isinstance(outcome, idempotency.StoredResponse):
            return Response(outcome.body, status_code=outcome.status, media_type=outcome.media_type,
                            headers={"Idempotency-Replayed": "true"})
        claim_id = outcome
    session = db.session()
    request.state.db = session
    try:
        try:
            response = await inner(request)
        except Problem as problem:
            await run_in_threadpool(_end_refused, db, session, claim_id, problem.keep_changes)
            raise
        except BaseException:
            await run_in_threadpool(_end_refused, db, session, claim_id, False)
            raise
        if response.status_code >= 400:
            await run_in_threadpool(_end_refused, db, session, claim_id, False)
        else:
            await run_in_threadpool(_end_done, session, claim_id, response, now)
        return response
    finally:
        await run_in_threadpool(session.close)


def _claim(db: Database, request: Request, key: str, body: bytes, now: dt.datetime):
    with db.transaction() as session:
        principal = principal_of_token(session=session, token=bearer_token(request)) or "anonymous"
        return idempotency.claim(session=session, principal=principal, key=key, now=now, method=request.method,
                                 path=request.url.path,
                                 request_hash=idempotency.request_hash(request.method, request.url.path, body))


def _end_done(session: Session, claim_id: int | None, response: Response, now: dt.datetime) -> None:
    if claim_id is not None:
        idempotency.complete(session=session, record_id=claim_id, status=response.status_code,
                             body=bytes(getattr(response, "body", b"") or b""),
                             media_type=response.media_type, now=now)
    session.commit()


def _end_refused(db: Database, session: Session, claim_id: int | None, keep_changes: bool) -> None:
    if keep_changes:
        if claim_id is not None:
            idempotency.release(session=session, record_id=claim_id)
        session.commit()
        return
    session.rollback()
    if claim_id is not None:
        with db.transaction() as other:
            idempotency.release(session=other, record_id=claim_id)


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()
