"""client.outbox: persisted before sending, replayed with the same key, settled by the centre's answer.

The centre here is a local httpx transport that keeps an idempotency table like API.md says; the real
centre's replay is tested in tests/integration/test_client_login.py."""
import base64
import datetime as dt
import json
import random

import httpx
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from client.api import CentreClient
from client.errors import ApiError, CentreUnreachable, SessionExpired
from client.outbox import EXPIRED_MESSAGE, Backoff, Submitter
from client.store import LocalStore
from services.signing import submission_message


class FlakyCentre:
    """Applies POST /employees/seal once per Idempotency-Key. `faults` is a list of what the next
    requests meet: "refuse" (never arrives), "lose" (applied, answer lost), or None (fine)."""

    def __init__(self, faults=()):
        self.faults = list(faults)
        self.applied = []
        self.answers = {}
        self.keys = []

    def __call__(self, request):
        fault = self.faults.pop(0) if self.faults else None
        if fault == "refuse":
            raise httpx.ConnectError("refused", request=request)
        key = request.headers.get("idempotency-key")
        self.keys.append(key)
        body = json.loads(request.content) if request.content else {}
        if request.url.path.endswith("/bad"):
            answer = httpx.Response(422, json={"code": "validation", "detail": "有1行数据未通过校验", "errors": [
                {"row": 1, "field": "person_account", "code": "not_found", "message": "个人账号不存在"}]})
        elif request.url.path.endswith("/expired"):
            answer = httpx.Response(401, json={"code": "session_expired", "detail": "x"})
        elif request.url.path.endswith("/busy"):
            answer = httpx.Response(409, json={"code": "idempotency_in_progress", "detail": "正在处理"})
        elif request.url.path.endswith("/boom"):
            answer = httpx.Response(500, json={"code": "internal", "detail": "内部错误"})
        elif key in self.answers:
            answer = self.answers[key]
        else:
            self.applied.append(body)
            answer = httpx.Response(200, json={"sealed": [r["person_account"] for r in body["rows"]]})
            self.answers[key] = answer
        if fault == "lose":
            raise httpx.ReadTimeout("answer lost", request=request)
        return answer


def setup(tmp_path, faults=()):
    centre = FlakyCentre(faults)
    api = CentreClient("http://127.0.0.1:8700", transport=httpx.MockTransport(centre))
    store = LocalStore(tmp_path / "local.sqlite3")
    return centre, store, Submitter(api, store, backoff=Backoff(rng=random.Random(1)))


BODY = {"rows": [{"person_account": "P1", "reason": "2", "effective_month": "2026-07"}]}


def test_success_is_recorded(tmp_path):
    centre, store, sub = setup(tmp_path)
    assert sub.submit("POST", "/employees/seal", BODY, unit_account="U1") == {"sealed": ["P1"]}
    [item] = store._items("1 = 1", ())
    assert item.status == "done" and item.response == {"sealed": ["P1"]} and item.path == "/api/v1/employees/seal"
    assert centre.keys == [item.idempotency_key]


def test_persisted_before_sending_and_replayed_with_the_same_key(tmp_path):
    centre, store, sub = setup(tmp_path, faults=["refuse", "refuse"])
    with pytest.raises(CentreUnreachable):
        sub.submit("POST", "/employees/seal", BODY, unit_account="U1", label="封存 1人")
    [item] = store.pending("U1")
    assert item.attempts == 1 and item.body == BODY and item.label == "封存 1人"
    assert sub.next_delay() > 0
    with pytest.raises(CentreUnreachable):
        sub.retry_pending("U1")
    assert store.pending("U1")[0].attempts == 2
    result = sub.retry_pending("U1")
    assert [i.idempotency_key for i in result.done] == [item.idempotency_key]
    assert centre.keys == [item.idempotency_key] and len(centre.applied) == 1
    assert store.pending("U1") == [] and sub.next_delay() == 0


def test_a_lost_answer_applies_once(tmp_path):
    centre, store, sub = setup(tmp_path, faults=["lose"])
    with pytest.raises(CentreUnreachable):
        sub.submit("POST", "/employees/seal", BODY, unit_account="U1")
    assert len(centre.applied) == 1  # it did reach the centre
    result = sub.retry_pending("U1")
    assert result.done[0].response == {"sealed": ["P1"]}
    assert len(centre.applied) == 1 and len(set(centre.keys)) == 1 and len(centre.keys) == 2


def test_a_refusal_is_failed_with_the_reason(tmp_path):
    centre, store, sub = setup(tmp_path)
    with pytest.raises(ApiError):
        sub.submit("POST", "/employees/bad", BODY, unit_account="U1")
    [item] = store.failed("U1")
    assert item.last_error == "有1行数据未通过校验\n第1行 个人账号不存在" and store.pending("U1") == []


@pytest.mark.parametrize("path, error", [("/employees/expired", SessionExpired), ("/employees/boom", ApiError),
                                         ("/employees/busy", ApiError)])
def test_session_loss_and_server_faults_stay_pending(tmp_path, path, error):
    centre, store, sub = setup(tmp_path)
    with pytest.raises(error):
        sub.submit("POST", path, BODY, unit_account="U1")
    assert len(store.pending("U1")) == 1


def test_retry_stops_when_the_session_is_gone(tmp_path):
    centre, store, sub = setup(tmp_path)
    store.enqueue("U1", "POST", "/api/v1/employees/expired", BODY)
    store.enqueue("U1", "POST", "/api/v1/employees/seal", BODY)
    with pytest.raises(SessionExpired):
        sub.retry_pending("U1")
    assert len(store.pending("U1")) == 2 and len(centre.keys) == 1  # the second waits for the new login


def test_too_old_to_replay_safely(tmp_path):
    centre, store, sub = setup(tmp_path, faults=["refuse"])
    with pytest.raises(CentreUnreachable):
        sub.submit("POST", "/employees/seal", BODY, unit_account="U1")
    key = store.pending("U1")[0].idempotency_key
    old = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=25)).isoformat()
    store._db.execute("UPDATE outbox SET created_at = ? WHERE idempotency_key = ?", (old, key))
    result = sub.retry_pending("U1")
    assert result.failed[0].last_error == EXPIRED_MESSAGE
    assert centre.keys == []  # not re-sent


def test_signed_submission(tmp_path):
    centre, store, sub = setup(tmp_path)
    key = ec.generate_private_key(ec.SECP256R1())
    signed = []

    def sign(data):
        signed.append(data)
        return key.sign(data, ec.ECDSA(hashes.SHA256()))

    sub.submit("POST", "/employees/seal", BODY, unit_account="U1", sign=sign)
    sent = centre.applied[0]
    assert signed == [submission_message("POST", "/api/v1/employees/seal", BODY)]
    assert set(sent) == {"rows", "signature"}
    key.public_key().verify(base64.b64decode(sent["signature"]), signed[0], ec.ECDSA(hashes.SHA256()))
    assert store._items("1 = 1", ())[0].body == sent  # stored signed: a replay sends the same bytes


def test_auth_calls_never_go_through_the_outbox(tmp_path):
    _, _, sub = setup(tmp_path)
    with pytest.raises(ValueError):
        sub.submit("POST", "/auth/password", {"old_password": "a", "new_password": "b"}, unit_account="U1")


def test_backoff_grows_with_jitter_up_to_max():
    b = Backoff(initial=2, factor=2, max=60, jitter=0.2, rng=random.Random(7))
    delays = [b.next_delay() for _ in range(8)]
    for delay, base in zip(delays, [2, 4, 8, 16, 32, 60, 60, 60]):
        assert base * 0.8 <= delay <= min(60, base * 1.2)
    assert len(set(delays)) > 1
    b.reset()
    assert 1.6 <= b.next_delay() <= 2.4
