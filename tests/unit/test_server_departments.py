"""单位部门管理 through the API: departments (code unique in the unit, delete refused while anyone is in
it) and 部门调动 (all or none, logged, listed)."""
from __future__ import annotations

import pytest

from server_stub.departments.models import DepartmentTransfer
from tests.support.server import bearer
from tests.unit import test_server_employees as base
from tests.unit.test_server_employees import UNIT1_NAME, count, key, snapshot

pytestmark = pytest.mark.postgres   # also run on PostgreSQL when GJJ_TEST_PG_URL is set

centre, a, b, people = base.centre, base.a, base.b, base.people   # the fixtures


def departments(desk) -> dict[str, dict]:
    return {d["code"]: d for d in desk.get("/departments")["items"]}


def transfer(desk, accounts: list[str], to: str, key: str | None = None):
    return desk.centre.client.post("/departments/transfers", json={"person_accounts": accounts, "to_department": to},
                                   headers=desk.headers(key))


def test_list_counts_people_by_status(a):
    listed = departments(a)
    assert list(listed) == ["01", "02", "03", "04"]
    assert listed["02"]["name"] == "研发中心"
    people_in = {}
    for e in a.employees():
        people_in.setdefault((e["department"], e["status"]), 0)
        people_in[(e["department"], e["status"])] += 1
    for code, d in listed.items():
        expected = (people_in.get((code, "01"), 0), people_in.get((code, "02"), 0))
        assert (d["active_count"], d["sealed_count"]) == expected


def test_create_rename_delete(a, centre):
    client = centre.client
    created = client.post("/departments", json={"code": "05", "name": " 人力资源部 "}, headers=a.headers())
    assert created.status_code == 201
    assert created.json() == {"code": "05", "name": "人力资源部", "active_count": 0, "sealed_count": 0}
    renamed = client.patch("/departments/05", json={"name": "人力资源中心"}, headers=a.headers())
    assert renamed.status_code == 200 and renamed.json()["name"] == "人力资源中心"
    assert departments(a)["05"]["name"] == "人力资源中心"
    assert client.delete("/departments/05", headers=a.headers()).status_code == 204
    assert "05" not in departments(a)
    assert client.delete("/departments/05", headers=a.headers()).status_code == 404
    missing = client.patch("/departments/77", json={"name": "x"}, headers=a.headers())
    assert missing.status_code == 404 and missing.json()["detail"] == "部门代码77不存在或不属于本单位"


def test_code_is_unique_within_the_unit_only(a, b, centre):
    client = centre.client
    taken = client.post("/departments", json={"code": "02", "name": "另一个研发中心"}, headers=a.headers())
    assert taken.status_code == 409
    assert (taken.json()["code"], taken.json()["detail"]) == ("department_exists", "部门代码02已存在，请使用其他代码")
    assert departments(a)["02"]["name"] == "研发中心"
    assert client.post("/departments", json={"code": "02", "name": "后厨"}, headers=b.headers()).status_code == 201


def test_bad_codes_and_names(a, centre):
    for body, message in (({"code": "", "name": "部"}, "部门代码应为1–20位字母、数字、-或_"),
                          ({"code": "部门1", "name": "部"}, "部门代码应为1–20位字母、数字、-或_"),
                          ({"code": "X" * 21, "name": "部"}, "部门代码应为1–20位字母、数字、-或_"),
                          ({"code": "06", "name": "  "}, "部门名称不能为空"),
                          ({"code": "06", "name": "部" * 101}, "部门名称不能超过100个字")):
        response = centre.client.post("/departments", json=body, headers=a.headers())
        assert response.status_code == 422, body
        assert response.json()["detail"] == message
    blank = centre.client.patch("/departments/01", json={"name": ""}, headers=a.headers())
    assert blank.status_code == 422 and blank.json()["detail"] == "部门名称不能为空"


def test_delete_is_refused_while_anyone_is_in_it(a, centre, people):
    client = centre.client
    assert client.post("/departments", json={"code": "09", "name": "临时部"}, headers=a.headers()).status_code == 201
    first, second = a.open([people.row(department="09"), people.row(department="09")])
    refused = client.delete("/departments/09", headers=a.headers())
    assert refused.status_code == 409 and refused.json()["code"] == "department_not_empty"
    assert refused.json()["detail"] == "部门“临时部”还有2名职工（正常2人、封存0人），不能删除：请先将他们调往其他部门"
    a.seal([first, second], month="2025-03")                   # 封存 people still belong to it
    refused = client.delete("/departments/09", headers=a.headers())
    assert refused.status_code == 409
    assert refused.json()["detail"] == "部门“临时部”还有2名职工（正常0人、封存2人），不能删除：请先将他们调往其他部门"
    assert transfer(a, [first, second], "01").status_code == 200
    assert client.delete("/departments/09", headers=a.headers()).status_code == 204
    # history keeps the department as it was
    moves = a.get("/departments/transfers", person_account=first)["items"]
    assert (moves[0]["from_department"], moves[0]["from_department_name"]) == ("09", "临时部")


def test_transfer_moves_logs_lists_and_notifies(a, centre, people):
    (account,) = a.open([people.row(name="调动人", department="01")])
    (no_department,) = a.open([people.row(name="无部门", department="")])
    response = transfer(a, [account, no_department], "03")
    assert response.status_code == 200, response.text
    assert response.json() == {"transferred": [
        {"row": 1, "person_account": account, "name": "调动人", "from_department": "01", "to_department": "03"},
        {"row": 2, "person_account": no_department, "name": "无部门", "from_department": None, "to_department": "03"}]}
    assert a.employee(account)["department"] == "03" and a.employee(no_department)["department"] == "03"
    listed = a.get("/departments/transfers")["items"]
    assert listed == [
        {"transferred_on": "2025-03-10", "person_account": no_department, "name": "无部门", "from_department": None,
         "from_department_name": None, "to_department": "03", "to_department_name": "市场销售部", "operator": "张丽"},
        {"transferred_on": "2025-03-10", "person_account": account, "name": "调动人", "from_department": "01",
         "from_department_name": "综合管理部", "to_department": "03", "to_department_name": "市场销售部",
         "operator": "张丽"}]
    changes = a.get("/employees/changes", person_account=account)["items"]
    assert (changes[0]["item"], changes[0]["old"], changes[0]["new"]) == ("所在部门", "综合管理部", "市场销售部")
    assert a.get("/messages")["items"][0]["body"] == f"尊敬的{UNIT1_NAME}，您已完成办理部门调动（2人）。"


def test_transfer_is_all_or_nothing(a, centre, people):
    good, already = a.open([people.row(department="01"), people.row(name="老员工", department="02")])
    before = snapshot(centre)
    response = transfer(a, [good, "200199999999", already, good, ""], "02")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"row": 2, "field": "person_accounts", "code": "not_found", "message": "个人账号200199999999不存在或不属于本单位，请核对"},
        {"row": 3, "field": "person_accounts", "code": "same_department", "message": "老员工已在研发中心，无需调动"},
        {"row": 4, "field": "person_accounts", "code": "duplicate_in_batch", "message": "个人账号与第1行重复"},
        {"row": 5, "field": "person_accounts", "code": "required", "message": "个人账号不能为空"}]
    assert snapshot(centre) == before and count(centre, DepartmentTransfer) == 0
    unknown = transfer(a, [good], "")
    assert unknown.json()["errors"] == [{"row": None, "field": "to_department", "code": "department_unknown",
                                         "message": "调入部门不能为空"}]
    empty = transfer(a, [], "02")
    assert empty.status_code == 422 and empty.json()["detail"] == "请选择要调动的职工"


def test_transfers_filter_by_date_and_replay(a, centre, people):
    first, second = a.open([people.row(department="01"), people.row(department="01")])
    assert transfer(a, [first], "02").status_code == 200
    centre.client.post("/centre/business-date", json={"date": "2025-04-02"}, headers=bearer(centre.centre_token()))
    same_key = key()
    moved = transfer(a, [second], "04", key=same_key)
    replay = transfer(a, [second], "04", key=same_key)
    assert replay.json() == moved.json() and replay.headers["Idempotency-Replayed"] == "true"
    assert count(centre, DepartmentTransfer) == 2

    def listed(**params):
        return [(t["person_account"], t["transferred_on"]) for t in a.get("/departments/transfers", **params)["items"]]

    assert listed() == [(second, "2025-04-02"), (first, "2025-03-10")]
    assert listed(**{"from": "2025-04-01"}) == [(second, "2025-04-02")]
    assert listed(**{"to": "2025-03-31"}) == [(first, "2025-03-10")]
    assert listed(**{"from": "2025-03-11", "to": "2025-04-01"}) == []
