"""Idempotency-Key handling. A key is claimed in its own short transaction (so a concurrent duplicate
sees it and gets 409); the answer is stored in the request's own transaction, together with the change,
so that a replay and the change can never disagree."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import Problem
from .models import DONE, IdempotencyRecord

RETENTION = dt.timedelta(hours=24)
ABANDONED_AFTER = dt.timedelta(minutes=5)   # a claim whose request died (process killed) is taken over
MAX_KEY_LENGTH = 100


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: bytes
    media_type: str | None


def request_hash(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def claim(*, session: Session, principal: str, key: str, request_hash: str, method: str, path: str,
          now: dt.datetime) -> int | StoredResponse:
    """The stored answer of an earlier call with this key, or the id of a new claim for this call."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise Problem(422, "idempotency_key_invalid", f"Idempotency-Key应为1–{MAX_KEY_LENGTH}个字符（建议使用UUID）")
    session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < now - RETENTION))
    record = session.scalars(select(IdempotencyRecord).where(
        IdempotencyRecord.principal == principal, IdempotencyRecord.key == key).with_for_update()).first()
    if record is None:
        return _new_claim(session=session, principal=principal, key=key, request_hash=request_hash, method=method,
                          path=path, now=now)
    if record.request_hash != request_hash:
        raise Problem(422, "idempotency_mismatch",
                      "同一个Idempotency-Key已用于内容不同的请求，请为新的请求使用新的Idempotency-Key")
    if record.state == DONE:
        return StoredResponse(record.response_status or 200, record.response_body or b"",
                              record.response_media_type)
    if record.created_at < now - ABANDONED_AFTER:
        record.created_at = now
        return record.id
    raise Problem(409, "idempotency_in_progress", "相同的请求正在处理中，请稍后查询结果，不要重复提交")


def _new_claim(*, session: Session, **fields) -> int:
    record = IdempotencyRecord(principal=fields["principal"], key=fields["key"],
                               request_hash=fields["request_hash"], method=fields["method"],
                               path=fields["path"][:300], created_at=fields["now"])
    session.add(record)
    try:
        session.flush()
    except IntegrityError:  # a concurrent duplicate inserted the same key first
        raise Problem(409, "idempotency_in_progress", "相同的请求正在处理中，请稍后查询结果，不要重复提交") from None
    return record.id


def complete(*, session: Session, record_id: int, status: int, body: bytes, media_type: str | None,
             now: dt.datetime) -> None:
    record = session.get(IdempotencyRecord, record_id)
    if record is None:  # purged meanwhile: nothing to replay later, the change itself stands
        return
    record.state = DONE
    record.response_status = status
    record.response_body = body
    record.response_media_type = media_type
    record.completed_at = now


def release(*, session: Session, record_id: int) -> None:
    """Forget a claim whose request was refused: a refusal changed nothing, so a retry may run again."""
    session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == record_id))
