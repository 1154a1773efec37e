"""The reviewer web page in a real headless Chromium (Debian `chromium`, driven by Playwright) against the
real `gjj-centre serve`: a unit submits a 单位信息变更 with a PDF through the API → the reviewer logs in,
opens it, sees old → new and the attachment, approves with an opinion → the unit's GET /unit has the new
value and 已办 has the application with the opinion. (SQLite; the page's rules are tested in-process in
tests/unit/test_server_applications_review_page.py on both databases.)"""
from __future__ import annotations

import datetime as dt

import httpx
import pytest
from playwright.sync_api import expect, sync_playwright

from server_stub.config import CentreConfig
from server_stub.database import Database
from server_stub.ukeys import service as ukeys
from server_stub.ukeys.ca import CentreCA
from server_stub.units.service import find_unit
from services.signing import login_message, submission_message
from tests.support.centre import init_centre, running_centre
from tests.support.server import SoftUkey, bearer, new_private_key, spki_der

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ENV = {"GJJ_DATABASE_URL": "", "GJJ_ARGON2_TIME_COST": "1", "GJJ_ARGON2_MEMORY_KIB": "8",
       "GJJ_ARGON2_PARALLELISM": "1"}
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
NEW_ADDRESS = "示范市滨江区网商路699号"


def software_ukey(data_dir, unit_account: str) -> SoftUkey:
    """What `issue-ukey` binds, with a software key instead of a token (the SoftHSM run of the command
    itself is tests/integration/test_centre_cli.py)."""
    config = CentreConfig(data_dir=data_dir, database_url=None)
    database = Database(config)
    key, now = new_private_key(), dt.datetime.now(dt.timezone.utc)
    try:
        with database.transaction() as session:
            unit = find_unit(session=session, unit_account=unit_account)
            cert = CentreCA.load(config.ca_dir).issue_ukey_certificate(
                spki_der(key), unit_name=unit.name, unit_account=unit_account, centre_name=config.centre_name,
                not_before=now - dt.timedelta(minutes=5), not_after=now + dt.timedelta(days=30))
            ukeys.bind_certificate(session=session, unit=unit, cert_der=cert, now=now)
    finally:
        database.dispose()
    return SoftUkey(key, cert)


def clerk_login(api: httpx.Client, login: dict, ukey: SoftUkey) -> dict:
    nonce = api.post("/auth/challenge").json()["nonce"]
    response = api.post("/auth/login", json={
        **login, "nonce": nonce, "certificate": ukey.certificate_b64,
        "signature": ukey.sign_b64(login_message(nonce, login["unit_account"], login["login_name"]))})
    assert response.status_code == 200, response.text
    return bearer(response.json()["token"])


def submit_address_change(api: httpx.Client, headers: dict, ukey: SoftUkey, old: str) -> dict:
    body = {"type": "unit_info_change", "payload": {"changes": [{"field": "address", "old": old, "new": NEW_ADDRESS}]}}
    body["signature"] = ukey.sign_b64(submission_message("POST", "/api/v1/applications", body))
    created = api.post("/applications", json=body, headers=headers)
    assert created.status_code == 201, created.text
    application = created.json()
    attached = api.post(f"/applications/{application['id']}/attachments", headers=headers,
                        files={"file": ("门牌证明.pdf", PDF, "application/pdf")})
    assert attached.status_code == 201, attached.text
    assert api.post(f"/applications/{application['id']}/submit", headers=headers).json()["status"] == "pending"
    return application


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def test_reviewer_approves_in_the_browser(tmp_path, browser):
    data_dir = tmp_path / "centre"
    credentials = init_centre(data_dir, env=ENV)
    login, reviewer = credentials["units"][0], credentials["reviewer"]
    ukey = software_ukey(data_dir, login["unit_account"])
    with running_centre(data_dir, env=ENV) as server, httpx.Client(base_url=server.api, timeout=30) as api:
        headers = clerk_login(api, login, ukey)
        old = api.get("/unit", headers=headers).json()["address"]
        application = submit_address_change(api, headers, ukey, old)

        page = browser.new_page(locale="zh-CN")
        page.goto(server.url + "/centre/")
        page.fill("#username", reviewer["username"])
        page.fill("#password", reviewer["password"])
        page.click("#login")
        expect(page.locator("#queue")).to_contain_text(application["application_no"])
        page.select_option("#type", "unit_info_change")
        page.click("text=筛选")
        page.click(f"text={application['application_no']}")

        changes = page.locator("#changes")
        expect(changes).to_contain_text("单位地址")
        expect(changes.locator("td.old")).to_have_text(old)
        expect(changes.locator("td.new")).to_have_text(NEW_ADDRESS)
        link = page.locator("a", has_text="门牌证明.pdf")
        pdf = page.request.get(server.url + link.get_attribute("href"))
        assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body() == PDF
        page.screenshot(path=str(tmp_path / "review-detail.png"), full_page=True)

        page.fill("#opinion", "材料齐全，同意变更")
        page.click("button.approve")
        expect(page.locator(".notice")).to_have_text("已审核通过")
        expect(page.locator("#status-label")).to_have_text("已办结")
        expect(page.locator("#steps")).to_contain_text("材料齐全，同意变更")
        page.screenshot(path=str(tmp_path / "review-approved.png"), full_page=True)

        assert api.get("/unit", headers=headers).json()["address"] == NEW_ADDRESS
        done = api.get("/applications", params={"box": "done"}, headers=headers).json()["items"]
        assert [a["id"] for a in done] == [application["id"]] and done[0]["status"] == "approved"
        shown = api.get(f"/applications/{application['id']}", headers=headers).json()
        assert shown["opinion"] == "材料齐全，同意变更"
        assert [s["node"] for s in shown["steps"]] == ["经办人提交", "中心初审", "办结"]
        changes = api.get("/unit/changes", headers=headers).json()["items"]
        assert (changes[0]["item"], changes[0]["old"], changes[0]["new"]) == ("单位地址", old, NEW_ADDRESS)
