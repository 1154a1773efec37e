"""The reviewers' web page in-process (the real browser run is tests/integration/test_review_page_browser.py):
login with the session in an HttpOnly SameSite=Strict cookie, the queue and its filters, the detail, the
decision, and the CSRF refusals (no token, a wrong token, a foreign Origin)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from server_stub.auth.models import CentreUser
from tests.support.server import make_centre
from tests.unit.test_server_applications import clerk, detail, submitted_change

pytestmark = pytest.mark.postgres   # also run on PostgreSQL when GJJ_TEST_PG_URL is set

SITE = "http://testserver"


@pytest.fixture
def centre(tmp_path):
    with make_centre(tmp_path) as centre:
        yield centre


def hidden_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(centre, password: str | None = None):
    form = centre.client.get(f"{SITE}/centre/login")
    return centre.client.post(f"{SITE}/centre/login", follow_redirects=False, data={
        "username": centre.reviewer["username"], "password": password or centre.reviewer["password"],
        "csrf_token": hidden_token(form.text)})


def logged_in(centre) -> str:
    """Log in; the CSRF token of the session (from the queue page)."""
    assert login(centre).status_code == 303
    return hidden_token(centre.client.get(f"{SITE}/centre/queue").text)


def test_login_sets_a_strict_http_only_cookie(centre):
    response = login(centre)
    assert response.status_code == 303 and response.headers["location"] == "/centre/queue"
    cookie = [c for c in response.headers.get_list("set-cookie") if c.startswith("gjj_review=")][0]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/centre" in cookie
    page = centre.client.get(f"{SITE}/centre/queue")
    assert "审核队列" in page.text and "中心审核员" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"


def test_login_refusals(centre):
    wrong = login(centre, password="Wrong1234")
    assert wrong.status_code == 200 and "用户名或密码错误" not in wrong.text and "密码错误，还可尝试4次" in wrong.text
    with centre.database.session() as session:      # the failure counts (the lockout applies here too)
        assert session.scalars(select(CentreUser.failed_count).where(CentreUser.username == "reviewer")).one() == 1
    centre.client.get(f"{SITE}/centre/login")
    forged = centre.client.post(f"{SITE}/centre/login", data={**centre.reviewer, "csrf_token": "forged"})
    assert forged.status_code == 403 and "安全校验未通过" in forged.text
    assert "gjj_review" not in centre.client.cookies
    anonymous = centre.client.get(f"{SITE}/centre/queue", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/centre/login"


def test_queue_filters_and_detail(centre):
    headers = clerk(centre)
    application_id = submitted_change(centre, headers, new="示范市滨江区网商路699号")
    old = detail(centre, headers, application_id)["changes"][0]["old"]
    logged_in(centre)
    queue = centre.client.get(f"{SITE}/centre/queue").text
    assert f'href="/centre/applications/{application_id}"' in queue and "示范市智联科技有限公司" in queue
    assert f"/centre/applications/{application_id}" not in centre.client.get(
        f"{SITE}/centre/queue", params={"type": "registration"}).text
    assert f"/centre/applications/{application_id}" not in centre.client.get(
        f"{SITE}/centre/queue", params={"status": "approved"}).text
    page = centre.client.get(f"{SITE}/centre/applications/{application_id}").text
    assert "单位地址" in page and old in page and "示范市滨江区网商路699号" in page
    assert "证书序列号" in page and f"/centre/applications/{application_id}/attachments/" in page
    attachment = re.search(r'href="(/centre/applications/\d+/attachments/\d+)"', page).group(1)
    assert centre.client.get(SITE + attachment).content.startswith(b"%PDF-")


def test_decision_needs_the_session_csrf_token(centre):
    headers = clerk(centre)
    application_id = submitted_change(centre, headers)
    token = logged_in(centre)
    url = f"{SITE}/centre/applications/{application_id}/decision"
    for form, extra in (({"decision": "approve"}, {}), ({"decision": "approve", "csrf_token": "0" * 64}, {}),
                        ({"decision": "approve", "csrf_token": token}, {"Origin": "http://evil.example"})):
        refused = centre.client.post(url, data=form, headers=extra, follow_redirects=False)
        assert refused.status_code == 403 and "安全校验未通过" in refused.text
        assert detail(centre, headers, application_id)["status"] == "pending"
    returned = centre.client.post(url, data={"decision": "return", "csrf_token": token})
    assert returned.status_code == 422 and "退回或不予受理时请填写审批意见" in returned.text
    done = centre.client.post(url, data={"decision": "approve", "opinion": "同意变更", "csrf_token": token},
                              headers={"Origin": SITE}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith(f"/{application_id}?done=approve")
    assert "已审核通过" in centre.client.get(SITE + done.headers["location"]).text
    assert detail(centre, headers, application_id)["opinion"] == "同意变更"


def test_logout_ends_the_session(centre):
    token = logged_in(centre)
    assert centre.client.post(f"{SITE}/centre/logout", data={"csrf_token": "x"}).status_code == 403
    out = centre.client.post(f"{SITE}/centre/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/centre/login"
    assert centre.client.get(f"{SITE}/centre/queue", follow_redirects=False).status_code == 303
