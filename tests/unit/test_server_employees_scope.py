"""Unit B can neither see nor change unit A's employees or departments: every employee and department
endpoint is tried with A's ids from a unit-B session."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from server_stub.departments.models import Department
from tests.unit import test_server_employees as base
from tests.unit.test_server_employees import snapshot

pytestmark = pytest.mark.postgres   # also run on PostgreSQL when GJJ_TEST_PG_URL is set

centre, a, b, people = base.centre, base.a, base.b, base.people   # the fixtures


def departments_of(centre, unit_account: str) -> dict[str, str]:
    from server_stub.units.service import find_unit
    with centre.database.session() as session:
        unit = find_unit(session=session, unit_account=unit_account)
        return dict(session.execute(select(Department.code, Department.name)
                                    .where(Department.unit_id == unit.id)).all())


def test_b_sees_none_of_a(a, b, centre, people):
    (mine,) = a.open([people.row(name="甲单位职工", department="02")])
    sealed = a.employees(status="01")[0]
    a.seal([sealed["person_account"]])
    moved = centre.client.post("/departments/transfers", json={"person_accounts": [mine], "to_department": "03"},
                               headers=a.headers())
    assert moved.status_code == 200
    ours = {e["person_account"] for e in a.employees()}
    theirs = {e["person_account"] for e in b.employees()}
    assert theirs and not ours & theirs
    for account in (mine, sealed["person_account"]):
        person = a.employee(account)
        assert b.employees(person_account=account) == []
        assert b.employees(q=person["name"]) == [] and b.employees(q=person["id_number"]) == []
        assert b.employees(q=account) == []
        for path in ("/employees/status-changes", "/employees/changes", "/departments/transfers"):
            assert b.get(path, person_account=account)["items"] == []
    for path in ("/employees/status-changes", "/employees/changes", "/departments/transfers"):
        assert not {x["person_account"] for x in b.get(path, page_size=500)["items"]} & ours
    assert not {r[0] for r in b.get("/employees/roster")["rows"]} & ours
    assert [d["code"] for d in b.get("/departments")["items"]] == ["01"]
    assert b.employees(department="02") == []


def test_b_cannot_change_a(a, b, centre, people):
    (mine,) = a.open([people.row(department="02")])
    other = a.employees(status="01")[0]["person_account"]
    a.seal([other])
    before = snapshot(centre)
    a_departments = departments_of(centre, a.unit.unit_account)
    client = centre.client
    sealed = b.submit("seal", [{"person_account": mine, "reason": "2", "effective_month": "2025-04"}])
    unsealed = b.submit("unseal", [{"person_account": other, "reason": "1", "effective_month": "2025-04",
                                    "base": "5000"}])
    for response, account in ((sealed, mine), (unsealed, other)):
        assert response.status_code == 422
        assert response.json()["errors"] == [{"row": 1, "field": "person_account", "code": "not_found",
                                              "message": f"个人账号{account}不存在或不属于本单位，请核对"}]
    moved = client.post("/departments/transfers", json={"person_accounts": [mine, other], "to_department": "01"},
                        headers=b.headers())
    assert moved.status_code == 422
    assert [(e["row"], e["code"]) for e in moved.json()["errors"]] == [(1, "not_found"), (2, "not_found")]
    into_a = client.post("/departments/transfers", json={"person_accounts": [b.employees()[0]["person_account"]],
                                                         "to_department": "02"}, headers=b.headers())
    assert into_a.status_code == 422
    assert into_a.json()["errors"] == [{"row": None, "field": "to_department", "code": "department_unknown",
                                        "message": "调入部门02不存在，请先设立该部门"}]
    opened = b.submit("open", [people.row(department="02")])      # A's department code
    assert opened.json()["errors"][0]["code"] == "department_unknown"
    for response in (client.patch("/departments/02", json={"name": "改名"}, headers=b.headers()),
                     client.delete("/departments/02", headers=b.headers())):
        assert response.status_code == 404 and response.json()["detail"] == "部门代码02不存在或不属于本单位"
    # both units have a department 01: B's calls reach B's own, never A's
    assert client.patch("/departments/01", json={"name": "乙单位门店"}, headers=b.headers()).status_code == 200
    refused = client.delete("/departments/01", headers=b.headers())
    assert refused.status_code == 409 and refused.json()["code"] == "department_not_empty"
    assert departments_of(centre, a.unit.unit_account) == a_departments
    after = snapshot(centre)
    assert after["employees"] == before["employees"] and after["EmployeeStatusChange"] == before["EmployeeStatusChange"]
