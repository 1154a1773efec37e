"""Idempotency-Key: a repeat returns the stored answer and changes nothing; another body under the same
key is 422; a concurrent duplicate is 409; answers are kept 24 hours, per principal; refusals are not
stored."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from server_stub.idempotency import service as idempotency
from server_stub.idempotency.models import IdempotencyRecord
from server_stub.messages.models import Message
from tests.support.server import bearer, make_centre

pytestmark = pytest.mark.postgres   # also run on PostgreSQL when GJJ_TEST_PG_URL is set


@pytest.fixture
def centre(tmp_path):
    with make_centre(tmp_path) as centre:
        yield centre


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def message_count(centre) -> int:
    with centre.database.session() as session:
        return session.scalar(select(func.count()).select_from(Message))


def test_repeated_centre_message_is_sent_once(centre):
    headers = {**bearer(centre.centre_token()), **key()}
    body = {"unit_account": centre.unit1.unit_account, "title": "通知", "body": "内容"}
    before = message_count(centre)
    first = centre.client.post("/centre/messages", json=body, headers=headers)
    again = centre.client.post("/centre/messages", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotency-Replayed"] == "true"
    assert message_count(centre) == before + 1


def test_repeated_password_change_replays_instead_of_failing(centre):
    headers = {**bearer(centre.login_token(centre.unit1)), **key()}
    body = {"old_password": "Demo1234", "new_password": "Better2025"}
    assert centre.client.post("/auth/password", json=body, headers=headers).status_code == 204
    # without the key the same request would now fail (the old password changed): the replay answers 204
    replay = centre.client.post("/auth/password", json=body, headers=headers)
    assert replay.status_code == 204 and replay.headers["Idempotency-Replayed"] == "true"
    assert centre.login(centre.unit1, password="Better2025").status_code == 200


def test_same_key_other_body_is_a_mismatch(centre):
    headers = {**bearer(centre.centre_token()), **key()}
    centre.client.post("/centre/messages", json={"title": "一", "body": "内容"}, headers=headers)
    response = centre.client.post("/centre/messages", json={"title": "二", "body": "内容"}, headers=headers)
    assert response.status_code == 422 and response.json()["code"] == "idempotency_mismatch"


def test_same_key_other_path_is_a_mismatch(centre):
    token = centre.login_token(centre.unit1)
    ids = [m["id"] for m in centre.client.get("/messages", headers=bearer(token)).json()["items"]]
    headers = {**bearer(token), **key()}
    assert centre.client.post(f"/messages/{ids[0]}/read", headers=headers).status_code == 204
    response = centre.client.post(f"/messages/{ids[1]}/read", headers=headers)
    assert response.status_code == 422 and response.json()["code"] == "idempotency_mismatch"


def test_concurrent_duplicate_is_in_progress(centre):
    token = centre.centre_token()
    headers = {**bearer(token), **key()}
    path = "/api/v1/centre/messages"
    body = b'{"title":"t","body":"b"}'
    with centre.database.transaction() as session:   # the first request holds the key, still running
        idempotency.claim(session=session, principal="centre:1", key=headers["Idempotency-Key"], method="POST",
                          path=path, request_hash=idempotency.request_hash("POST", path, body), now=centre.clock())
    response = centre.client.post("/centre/messages", content=body,
                                  headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 409 and response.json()["code"] == "idempotency_in_progress"
    centre.clock.advance(minutes=6)   # the first request died: its claim is abandoned and taken over
    response = centre.client.post("/centre/messages", content=body,
                                  headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 201


def test_answers_are_kept_24_hours(centre):
    headers = {**bearer(centre.centre_token()), **key()}
    body = {"title": "通知", "body": "内容"}
    centre.client.post("/centre/messages", json=body, headers=headers)
    centre.clock.advance(hours=23)
    headers = {**bearer(centre.centre_token()), "Idempotency-Key": headers["Idempotency-Key"]}
    assert centre.client.post("/centre/messages", json=body, headers=headers).headers.get("Idempotency-Replayed")
    centre.clock.advance(hours=2)
    before = message_count(centre)
    headers = {**bearer(centre.centre_token()), "Idempotency-Key": headers["Idempotency-Key"]}
    response = centre.client.post("/centre/messages", json=body, headers=headers)
    assert response.status_code == 201 and "Idempotency-Replayed" not in response.headers
    assert message_count(centre) == before + 2


def test_keys_are_per_principal(centre):
    shared = key()
    ids = {}
    for unit in (centre.unit1, centre.unit2):
        token = centre.login_token(unit)
        ids[unit.unit_account] = centre.client.get("/messages", params={"unread": "true"},
                                                   headers=bearer(token)).json()["items"][0]["id"]
        response = centre.client.post(f"/messages/{ids[unit.unit_account]}/read",
                                      headers={**bearer(token), **shared})
        assert response.status_code == 204 and "Idempotency-Replayed" not in response.headers


def test_refusals_are_not_stored(centre):
    token = centre.login_token(centre.unit1)
    headers = {**bearer(token), **key()}
    weak = centre.client.post("/auth/password", json={"old_password": "Demo1234", "new_password": "weak"},
                              headers=headers)
    assert weak.status_code == 422
    with centre.database.session() as session:
        assert session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 0
    # a corrected retry... is another body, and with nothing stored it simply runs
    ok = centre.client.post("/auth/password", json={"old_password": "Demo1234", "new_password": "Better2025"},
                            headers=headers)
    assert ok.status_code == 204


def test_the_answer_is_stored_with_the_change(centre):
    headers = {**bearer(centre.centre_token()), **key()}
    centre.client.post("/centre/messages", json={"title": "t", "body": "b"}, headers=headers)
    with centre.database.session() as session:
        record = session.scalars(select(IdempotencyRecord)).one()
    assert record.state == "done" and record.response_status == 201 and b'"sent":2' in record.response_body


def test_login_answers_are_never_stored(centre):
    body = centre.login_body(centre.unit1)
    response = centre.client.post("/auth/login", json=body, headers=key())
    assert response.status_code == 200
    with centre.database.session() as session:
        assert session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 0


def test_overlong_key(centre):
    response = centre.client.post("/centre/messages", json={"title": "t", "body": "b"},
                                  headers={**bearer(centre.centre_token()), "Idempotency-Key": "k" * 101})
    assert response.status_code == 422 and response.json()["code"] == "idempotency_key_invalid"
