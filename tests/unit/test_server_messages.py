"""Messages: paging, since / unread filters, marking read, centre notices (one unit or all) and polling."""
from __future__ import annotations

import pytest

from tests.support.server import bearer, make_centre

pytestmark = pytest.mark.postgres   # also run on PostgreSQL when GJJ_TEST_PG_URL is set


@pytest.fixture
def centre(tmp_path):
    with make_centre(tmp_path) as centre:
        yield centre


@pytest.fixture
def unit1(centre):
    return bearer(centre.login_token(centre.unit1))


def send(centre, **body):
    response = centre.client.post("/centre/messages", json={"title": "通知", "body": "内容", **body},
                                  headers=bearer(centre.centre_token()))
    assert response.status_code == 201, response.text
    return response.json()


def test_list_is_paged_newest_first(centre, unit1):
    page = centre.client.get("/messages", headers=unit1).json()
    assert set(page) == {"items", "total", "page", "page_size"}
    assert page["page"] == 1 and page["page_size"] == 50
    assert page["total"] == len(page["items"]) == 4
    times = [m["created_at"] for m in page["items"]]
    assert times == sorted(times, reverse=True)
    assert set(page["items"][0]) == {"id", "title", "body", "business", "channel", "created_at", "read"}
    second = centre.client.get("/messages", params={"page": 2, "page_size": 3}, headers=unit1).json()
    assert second["total"] == 4 and len(second["items"]) == 1
    assert second["items"][0]["id"] == page["items"][3]["id"]


def test_page_size_limits(centre, unit1):
    assert centre.client.get("/messages", params={"page_size": 0}, headers=unit1).status_code == 422
    assert centre.client.get("/messages", params={"page": 0}, headers=unit1).status_code == 422
    assert centre.client.get("/messages", params={"page_size": 501}, headers=unit1).status_code == 422


def test_unread_filter_and_mark_read(centre, unit1):
    unread = centre.client.get("/messages", params={"unread": "true"}, headers=unit1).json()
    assert unread["total"] == 2 and not any(m["read"] for m in unread["items"])
    first = unread["items"][0]["id"]
    assert centre.client.post(f"/messages/{first}/read", headers=unit1).status_code == 204
    assert centre.client.post(f"/messages/{first}/read", headers=unit1).status_code == 204   # idempotent by nature
    assert centre.client.get("/messages", params={"unread": "true"}, headers=unit1).json()["total"] == 1
    assert centre.client.get(f"/messages/{first}", headers=unit1).json()["read"] is True
    assert centre.client.get("/messages", params={"unread": "false"}, headers=unit1).json()["total"] == 3


def test_centre_notice_to_one_unit_arrives_by_polling(centre, unit1):
    newest = centre.client.get("/messages", headers=unit1).json()["items"][0]
    centre.clock.advance(minutes=1)
    sent = send(centre, unit_account=centre.unit1.unit_account, title="请及时核定汇缴", business="汇缴")
    assert sent["sent"] == 1
    by_id = centre.client.get("/messages", params={"since": str(newest["id"])}, headers=unit1).json()
    assert [m["title"] for m in by_id["items"]] == ["请及时核定汇缴"]
    message = by_id["items"][0]
    assert message["channel"] == "中心推送" and message["business"] == "汇缴" and message["read"] is False
    by_time = centre.client.get("/messages", params={"since": newest["created_at"]}, headers=unit1).json()
    assert [m["id"] for m in by_time["items"]] == [message["id"]]
    unit2 = bearer(centre.login_token(centre.unit2))
    assert "请及时核定汇缴" not in [m["title"] for m in centre.client.get("/messages", headers=unit2).json()["items"]]


def test_centre_notice_to_all_units(centre, unit1):
    sent = send(centre, unit_account=None, title="系统维护通知")
    assert sent["sent"] == 2 and len(set(sent["ids"])) == 2
    unit2 = bearer(centre.login_token(centre.unit2))
    for headers in (unit1, unit2):
        titles = [m["title"] for m in centre.client.get("/messages", headers=headers).json()["items"]]
        assert titles[0] == "系统维护通知"


def test_notice_to_unknown_unit(centre):
    response = centre.client.post("/centre/messages", json={"unit_account": "000000000000", "title": "t", "body": "b"},
                                  headers=bearer(centre.centre_token()))
    assert response.status_code == 404


def test_bad_since(centre, unit1):
    response = centre.client.get("/messages", params={"since": "yesterday"}, headers=unit1)
    assert response.status_code == 422 and response.json()["code"] == "validation_error"
