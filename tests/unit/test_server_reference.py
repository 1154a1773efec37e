"""Business date, policy, dictionaries; moving the business date (demo mode only)."""
from __future__ import annotations

import pytest

from services.dictionaries import DEFAULT_CONFIGURABLE, FIXED, Dictionaries
from services.policy import DEMO_POLICY, Policy
from tests.support.server import bearer, make_centre

pytestmark = pytest.mark.postgres   # also run on PostgreSQL when GJJ_TEST_PG_URL is set


@pytest.fixture
def centre(tmp_path):
    with make_centre(tmp_path) as centre:
        yield centre


def test_business_date(centre):
    assert centre.client.get("/business-date").json() == {"date": "2025-03-10"}


def test_policy_of_the_business_date(centre):
    body = centre.client.get("/policy").json()
    policy = Policy.from_api(body)
    assert policy.year == 2024   # 1 July 2024 – 30 June 2025
    assert body == {**DEMO_POLICY.to_api(), "year": 2024}
    assert body["rounding"] == {"precision": "yuan", "mode": "half_up"}


def test_dictionaries_fixed_and_configurable(centre):
    body = centre.client.get("/dictionaries").json()
    dictionaries = Dictionaries.from_api(body)
    assert dictionaries.version == 1
    for name, table in {**FIXED, **DEFAULT_CONFIGURABLE}.items():
        assert dictionaries.tables[name] == table
    assert body["dictionaries"]["seal_reason"][0] == {"code": "1", "label": "保留劳动关系停发工资"}


def test_set_business_date_in_demo_mode(centre):
    token = centre.centre_token()
    response = centre.client.post("/centre/business-date", json={"date": "2025-07-01"}, headers=bearer(token))
    assert response.status_code == 200, response.text
    assert response.json() == {"date": "2025-07-01"}
    assert centre.client.get("/business-date").json() == {"date": "2025-07-01"}
    # the new policy year got its row, carried forward
    assert centre.client.get("/policy").json()["year"] == 2025


def test_set_business_date_refused_outside_demo_mode(tmp_path):
    with make_centre(tmp_path, demo_mode=False) as centre:
        token = centre.centre_token()
        response = centre.client.post("/centre/business-date", json={"date": "2025-07-01"}, headers=bearer(token))
        assert response.status_code == 403
        assert response.json()["code"] == "demo_mode_only"
        assert centre.client.get("/business-date").json() == {"date": "2025-03-10"}


def test_set_business_date_needs_a_centre_account(centre):
    assert centre.client.post("/centre/business-date", json={"date": "2025-07-01"}).status_code == 401
    unit_token = centre.login_token(centre.unit1)
    response = centre.client.post("/centre/business-date", json={"date": "2025-07-01"}, headers=bearer(unit_token))
    assert response.status_code == 403


def test_bad_date_is_a_chinese_validation_problem(centre):
    response = centre.client.post("/centre/business-date", json={"date": "2025-13-01"},
                                  headers=bearer(centre.centre_token()))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["errors"][0]["field"] == "date"
    assert "日期" in body["errors"][0]["message"]
