"""Submissions that change the centre's data go through the outbox: the request, with its
Idempotency-Key, is saved locally before it is sent, and re-sent with the same key until the centre
confirms or refuses it. The centre replays the first answer for a repeated key, so a submission whose
answer was lost is applied once."""
from __future__ import annotations

import base64
import datetime as dt
import logging
import random
from dataclasses import dataclass, field
from typing import Any, Callable

from services.signing import submission_message

from .api import CentreClient, api_path
from .errors import ApiError, CentreUnreachable, ClientError, SessionExpired
from .store import LocalStore, OutboxItem
from .uploads import is_upload, send_upload

log = logging.getLogger(__name__)

# The centre keeps idempotency keys for 24 h. After that a repeat could be applied a second time, so an
# item that old is not re-sent automatically: the clerk checks the records and submits again.
REPLAY_WINDOW = dt.timedelta(hours=23)
EXPIRED_MESSAGE = ("此笔提交超过24小时未得到公积金中心确认，已停止自动重试；"
                   "请先在业务查询中核对是否已办理，未办理的请重新提交")
# Refusals worth trying again later with the same key (the centre did not decide on the content; 409
# idempotency_in_progress: the first send of this key is still being processed).
_RETRYABLE_STATUSES = frozenset({408, 425, 429})


class Backoff:
    """Growing delays with jitter for retrying an unreachable centre: initial, ×factor, … up to max."""

    def __init__(self, initial: float = 2, factor: float = 2, max: float = 60, jitter: float = 0.2,
                 rng: random.Random | None = None) -> None:
        self.initial, self.factor, self.max, self.jitter = initial, factor, max, jitter
        self._rng = rng or random.Random()
        self.failures = 0

    def next_delay(self) -> float:
        """Count one more failure and return the seconds to wait before the next try."""
        base = min(self.max, self.initial * self.factor ** self.failures)
        self.failures += 1
        spread = base * self.jitter
        return min(self.max, max(0.0, base + self._rng.uniform(-spread, spread)))

    def reset(self) -> None:
        self.failures = 0


@dataclass
class RetryResult:
    done: list[OutboxItem] = field(default_factory=list)
    failed: list[OutboxItem] = field(default_factory=list)
    pending: list[OutboxItem] = field(default_factory=list)


def sign_body(method: str, path: str, body: dict[str, Any], sign: Callable[[bytes], bytes]) -> dict[str, Any]:
    """`body` with "signature": the UKey signature over API.md's bytes (path from /api/v1 on)."""
    unsigned = {k: v for k, v in body.items() if k != "signature"}
    signature = sign(submission_message(method.upper(), api_path(path), unsigned))
    return {**unsigned, "signature": base64.b64encode(signature).decode("ascii")}


class Submitter:
    def __init__(self, api: CentreClient, store: LocalStore, *, backoff: Backoff | None = None) -> None:
        self.api = api
        self.store = store
        self.backoff = backoff or Backoff()
        self._delay = 0.0

    def next_delay(self) -> float:
        """Seconds the UI waits before calling `retry_pending` (grows while the centre is unreachable)."""
        return self._delay

    def submit(self, method: str, path: str, body: dict[str, Any] | None = None, *, unit_account: str,
               sign: Callable[[bytes], bytes] | None = None, label: str | None = None) -> dict:
        """Sign (if `sign` is given), persist, send. Returns the centre's answer ({} for 204).

        CentreUnreachable: the submission stays pending and is re-sent by `retry_pending`; the caller
        shows the offline banner. ApiError: the centre refused it (4xx: marked failed with the reason)."""
        path = api_path(path)
        if path.startswith(api_path("/auth/")):
            raise ValueError("auth calls never go through the outbox (it would store a password)")
        body = dict(body or {})
        if sign is not None:
            body = sign_body(method, path, body, sign)
        key = self.store.enqueue(unit_account, method, path, body or None, label=label)
        item = self.store.outbox_item(key)
        assert item is not None
        return self._send(item)

    def send(self, key: str) -> dict:
        """Send a saved submission now (e.g. a file upload saved by client.uploads, or one whose answer was
        lost): a done item returns its stored answer, a failed one raises its reason, else as `submit`."""
        item = self.store.outbox_item(key)
        if item is None:
            raise KeyError(key)
        if item.status == "done":
            return item.response if item.response is not None else {}
        if item.status == "failed":
            raise ClientError(item.last_error or "此笔提交已被公积金中心拒绝")
        return self._send(item)

    def retry_pending(self, unit_account: str) -> RetryResult:
        """Re-send this unit's pending submissions, oldest first, each with its own key. Stops at the
        first CentreUnreachable or SessionExpired and re-raises it (the rest stay pending)."""
        result = RetryResult()
        now = dt.datetime.now(dt.timezone.utc)
        for item in self.store.pending(unit_account):
            if now - item.created_at > REPLAY_WINDOW:
                self.store.mark_failed(item.idempotency_key, EXPIRED_MESSAGE)
                result.failed.append(self.store.outbox_item(item.idempotency_key))
                continue
            try:
                self._send(item)
            except SessionExpired:
                raise
            except ApiError:
                pass  # _send settled it or kept it pending; sorted below
            settled = self.store.outbox_item(item.idempotency_key)
            if settled.status == "done":
                result.done.append(settled)
            elif settled.status == "failed":
                result.failed.append(settled)
            else:
                result.pending.append(settled)
        return result

    def _send(self, item: OutboxItem) -> dict:
        key = item.idempotency_key
        try:
            if is_upload(item.body):  # a file: the same multipart bytes on every try (client.uploads)
                answer = send_upload(self.api, item.method, item.path, item.body, key)
            else:
                answer = self.api.request(item.method, item.path, json=item.body, idempotency_key=key)
        except ClientError as exc:
            if isinstance(exc, ApiError) and not _keep_pending(exc):
                self.store.mark_failed(key, "\n".join([exc.message, *exc.row_messages()]))
                log.info("outbox %s refused: %s %s", key, exc.status, exc.code)
            else:
                self.store.record_attempt(key, exc.message)
                if isinstance(exc, CentreUnreachable):
                    self._delay = self.backoff.next_delay()
            raise
        except Exception as exc:  # unknown outcome: keep it, the same key makes a retry safe
            self.store.record_attempt(key, repr(exc))
            raise
        self.backoff.reset()
        self._delay = 0.0
        answer = answer if answer is not None else {}
        self.store.mark_done(key, answer)
        return answer


def _keep_pending(exc: ApiError) -> bool:
    """True when the refusal was not about the submission itself: server fault, session gone, rate."""
    return (isinstance(exc, SessionExpired) or exc.status >= 500 or exc.status in _RETRYABLE_STATUSES
            or exc.code == "idempotency_in_progress")
