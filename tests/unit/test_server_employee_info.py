"""缴存人信息变更 (SPEC 4.12) at the centre: every refusal with the clerk's sentence, the nine items on
GET /employees, approval storing the values with their change-log rows (labels and displayed values, by
the operator who asked, 网上服务大厅), the reviewer's view in labels, one application in flight per person,
and unit scoping."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from server_stub.employees.models import Employee
from tests.support.server import bearer
from tests.unit.test_server_applications import (IN_FLIGHT_PERSON, box, clerk, create, decide, detail, messages_of,
                                                 person_accounts, problem, submit, upload)
from tests.unit.test_server_employees import centre  # noqa: F401 - fixture

pytestmark = pytest.mark.postgres   # also run on PostgreSQL when GJJ_TEST_PG_URL is set

TYPE = "employee_info_change"


@pytest.fixture
def account(centre) -> str:
    return person_accounts(centre, centre.unit1.unit_account, 1)[0]


def person(centre, headers, account: str) -> dict:
    response = centre.client.get("/employees", params={"person_account": account}, headers=headers)
    assert response.status_code == 200, response.text
    (item,) = response.json()["items"]
    return item


def change(account: str, *rows: tuple[str, str | None, str]) -> dict:
    return {"person_account": account, "changes": [{"field": f, "old": o, "new": n} for f, o, n in rows]}


def errors_of(body: dict) -> list[tuple[int | None, str, str, str]]:
    return [(e["row"], e["field"], e["code"], e["message"]) for e in body["errors"]]


def set_items(centre, account: str, **values) -> None:
    with centre.database.transaction() as session:
        employee = session.scalars(select(Employee).where(Employee.person_account == account)).one()
        for name, value in values.items():
            setattr(employee, name, value)


def test_employees_carry_the_nine_items(centre, account):
    headers = clerk(centre)
    item = person(centre, headers, account)
    assert {k: item[k] for k in ("education", "phone", "postcode", "position", "occupation", "title",
                                 "marital_status", "home_address", "family_income")} == {
        "education": "", "phone": "", "postcode": "", "position": "", "occupation": "", "title": "",
        "marital_status": "", "home_address": "", "family_income": None}
    from decimal import Decimal
    set_items(centre, account, education="20", family_income=Decimal("12000.50"), home_address="示范市解放路1号")
    item = person(centre, headers, account)
    assert (item["education"], item["family_income"], item["home_address"]) == ("20", "12000.50", "示范市解放路1号")


def test_every_refusal_is_listed_with_its_sentence(centre, account):
    headers = clerk(centre)
    set_items(centre, account, education="20", marital_status="10")
    body = problem(create(centre, headers, change(
        account,
        ("name", "", "新名字"),
        ("base", "5000.00", "6000.00"),
        ("status", "01", "02"),
        ("id_number", "", "110101199001011237"),
        ("person_account", account, "1"),
        ("mobile", "", "13800138000"),
        ("education", "30", "10"),                 # the centre holds 20
        ("marital_status", "10", "10"),
        ("postcode", "", "3100"),
        ("phone", "", "13800138000"),
        ("home_address", "", "第一行\n第二行"),
        ("family_income", "", "-5"),
        ("position", "", "77"),
        ("postcode", "", "310012"),                # second 邮政编码
        ("title", "", ""),
    ), type_code=TYPE), 422, "employee_change_invalid")
    assert errors_of(body) == [
        (1, "name", "field_locked", "姓名不能在网上变更，如需变更请携带证明材料到公积金中心柜台办理"),
        (2, "base", "field_locked", "缴存基数不能在缴存人信息变更中修改，请通过“基数调整”办理"),
        (3, "status", "field_locked", "个人账户状态不能在缴存人信息变更中修改，请通过“缴存人状态变更”办理封存或启封"),
        (4, "id_number", "field_locked", "证件号码不能在网上变更，如需变更请携带证明材料到公积金中心柜台办理"),
        (5, "person_account", "field_locked", "个人账号由公积金中心发放，不能变更"),
        (6, "mobile", "field_unknown", "“mobile”不是可以变更的缴存人信息项目"),
        (7, "education", "old_value_changed", "学历的原值与中心记录不符，请刷新后重新录入"),
        (8, "marital_status", "value_unchanged", "婚姻状况的新值与原值相同，无需变更"),
        (9, "postcode", "value_invalid", "邮政编码应为6位数字"),
        (10, "phone", "value_invalid", "固定电话格式不正确，应为区号-号码（可带分机号），如 0571-88888888"),
        (11, "home_address", "value_invalid", "家庭住址含有换行或不可见的控制字符，请删除后重新输入"),
        (12, "family_income", "value_invalid", "家庭月收入不能为负数"),
        (13, "position", "value_invalid", "职务代码“77”不在字典中，请从下拉列表中选择"),
        (14, "postcode", "field_repeated", "邮政编码重复填写，请只保留一项"),
        (15, "title", "value_invalid", "请选择职称"),
    ]
    assert body["detail"].startswith("缴存人信息变更内容有误：姓名不能在网上变更，如需变更请携带证明材料到公积金中心柜台办理；缴存基数")
    assert body["detail"].endswith("；请选择职称")
    too_long = problem(create(centre, headers, change(account, ("home_address", "", "路" * 201)), type_code=TYPE),
                       422, "validation_error")            # the payload's shape already stops it
    assert too_long["errors"][0]["field"] == "payload.changes.0.new"
    money = problem(create(centre, headers, change(account, ("family_income", "", "12000.555")), type_code=TYPE),
                    422, "employee_change_invalid")
    assert errors_of(money)[0][3] == "家庭月收入最多保留两位小数"
    empty = problem(create(centre, headers, {"person_account": account, "changes": []}, type_code=TYPE),
                    422, "validation_error")
    assert empty["errors"][0]["field"] == "payload.changes"


def test_approval_stores_the_values_and_logs_each_item(centre, account):
    headers = clerk(centre)
    set_items(centre, account, education="20", marital_status="10")
    name = person(centre, headers, account)["name"]
    created = create(centre, headers, change(
        account, ("education", "20", "10"), ("home_address", "", "示范市滨江区江南大道88号"),
        ("family_income", None, "12000"), ("marital_status", "10", "20"), ("phone", "", "0571-88886666")),
        type_code=TYPE)
    assert created.status_code == 201, created.text
    application = created.json()
    assert detail(centre, headers, application["id"])["title"] == \
        f"缴存人信息变更：{account}（学历、家庭住址、家庭月收入、婚姻状况、固定电话）"
    # the scans are optional for this business: submitted without any
    assert submit(centre, headers, application["id"]).json()["status"] == "pending"
    shown = detail(centre, headers, application["id"])
    assert shown["changes"] == [
        {"item": f"{account} 学历", "old": "本科", "new": "研究生"},
        {"item": f"{account} 家庭住址", "old": "", "new": "示范市滨江区江南大道88号"},
        {"item": f"{account} 家庭月收入", "old": "", "new": "12000.00"},
        {"item": f"{account} 婚姻状况", "old": "未婚", "new": "已婚"},
        {"item": f"{account} 固定电话", "old": "", "new": "0571-88886666"}]
    assert person(centre, headers, account)["education"] == "20"       # nothing changes before approval

    decided = decide(centre, centre.centre_token(), application["id"], "approve", "同意")
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "approved"
    item = person(centre, headers, account)
    assert {k: item[k] for k in ("education", "home_address", "family_income", "marital_status", "phone")} == {
        "education": "10", "home_address": "示范市滨江区江南大道88号", "family_income": "12000.00",
        "marital_status": "20", "phone": "0571-88886666"}
    log = centre.client.get("/employees/changes", params={"person_account": account}, headers=headers).json()
    rows = [(c["item"], c["old"], c["new"], c["operator"], c["channel"], c["changed_on"], c["name"])
            for c in log["items"] if c["item"] != "开户"]
    assert sorted(rows) == sorted([
        ("学历", "本科", "研究生", "张丽", "网上服务大厅", "2025-03-10", name),
        ("家庭住址", "", "示范市滨江区江南大道88号", "张丽", "网上服务大厅", "2025-03-10", name),
        ("家庭月收入", "", "12000.00", "张丽", "网上服务大厅", "2025-03-10", name),
        ("婚姻状况", "未婚", "已婚", "张丽", "网上服务大厅", "2025-03-10", name),
        ("固定电话", "", "0571-88886666", "张丽", "网上服务大厅", "2025-03-10", name)])
    titles = [(m.title, m.body) for m in messages_of(centre, centre.unit1.unit_account, "缴存人信息变更")]
    assert titles[-1][0] == "缴存人信息变更申请已审核通过"
    assert titles[-1][1].endswith(f"审批意见：同意。{name}（个人账号{account}）的学历、家庭住址、家庭月收入、婚姻状况、固定电话已变更。")
    assert [a["id"] for a in box(centre, headers, "done")] == [application["id"]]

    # the record moved on: the old value of the next change is the new one
    stale = problem(create(centre, headers, change(account, ("education", "20", "30")), type_code=TYPE),
                    422, "employee_change_invalid")
    assert errors_of(stale)[0][3] == "学历的原值与中心记录不符，请刷新后重新录入"
    cleared = create(centre, headers, change(account, ("family_income", "12000.00", ""),
                                             ("phone", "0571-88886666", "")), type_code=TYPE)
    assert cleared.status_code == 201, cleared.text
    submit(centre, headers, cleared.json()["id"])
    decide(centre, centre.centre_token(), cleared.json()["id"], "approve", "同意")
    item = person(centre, headers, account)
    assert (item["family_income"], item["phone"]) == (None, "")


def test_a_change_made_meanwhile_is_refused_at_approval(centre, account):
    """The reviewer approves a change whose 原值 is no longer the record (changed at the counter meanwhile)."""
    headers = clerk(centre)
    created = create(centre, headers, change(account, ("education", "", "20")), type_code=TYPE).json()
    submit(centre, headers, created["id"])
    set_items(centre, account, education="30")
    body = problem(decide(centre, centre.centre_token(), created["id"], "approve", "同意"), 422,
                   "employee_change_invalid")
    assert body["detail"] == "缴存人信息变更内容有误：学历的原值与中心记录不符，请刷新后重新录入"
    assert detail(centre, headers, created["id"])["status"] == "pending"
    assert person(centre, headers, account)["education"] == "30"


def test_second_submit_while_pending_is_refused(centre, account):
    headers = clerk(centre)
    first = create(centre, headers, change(account, ("education", "", "20")), type_code=TYPE).json()["id"]
    early = create(centre, headers, change(account, ("postcode", "", "310012")), type_code=TYPE).json()["id"]
    assert submit(centre, headers, first).json()["status"] == "pending"
    body = problem(create(centre, headers, change(account, ("phone", "", "0571-88886666")), type_code=TYPE),
                   409, "application_in_flight")
    assert body["detail"] == IN_FLIGHT_PERSON == "该缴存人存在未审批完成的变更业务，请待审批完成后再提交"
    assert body["errors"][0]["message"] == f"个人账号{account}：{IN_FLIGHT_PERSON}"
    assert problem(submit(centre, headers, early), 409, "application_in_flight")["detail"] == IN_FLIGHT_PERSON
    # returned is still in flight; ended frees the person
    decide(centre, centre.centre_token(), first, "return", "请补充学历证书")
    problem(submit(centre, headers, early), 409, "application_in_flight")
    assert centre.client.post(f"/applications/{first}/end", headers=headers).status_code == 200
    assert submit(centre, headers, early).json()["status"] == "pending"


def test_attachments_are_optional_but_accepted(centre, account):
    headers = clerk(centre)
    created = create(centre, headers, change(account, ("marital_status", "", "20")), type_code=TYPE).json()
    assert upload(centre, headers, created["id"], name="结婚证.pdf").status_code == 201
    assert submit(centre, headers, created["id"]).json()["status"] == "pending"
    assert [a["kind"] for a in detail(centre, headers, created["id"])["attachments"]] == ["supporting"]


def test_unit_b_cannot_change_a_employee(centre, account):
    theirs = clerk(centre, centre.unit2)
    body = problem(create(centre, theirs, change(account, ("education", "", "20")), unit=centre.unit2,
                          type_code=TYPE), 422, "person_unknown")
    assert body["detail"] == f"个人账号{account}不存在或不属于本单位"
    assert centre.client.get("/employees", params={"person_account": account}, headers=theirs).json()["items"] == []
    # nor approve one of A's after the person left A: re-checked against the unit at approval
    mine = clerk(centre)
    created = create(centre, mine, change(account, ("education", "", "20")), type_code=TYPE).json()
    submit(centre, mine, created["id"])
    with centre.database.transaction() as session:
        other_unit = session.scalars(select(Employee.unit_id).where(
            Employee.person_account == person_accounts(centre, centre.unit2.unit_account, 1)[0])).one()
        session.scalars(select(Employee).where(Employee.person_account == account)).one().unit_id = other_unit
    body = problem(decide(centre, centre.centre_token(), created["id"], "approve", "同意"), 422, "person_unknown")
    assert body["detail"] == f"个人账号{account}不存在或不属于本单位"


def test_the_review_page_shows_labels(centre, account):
    headers = clerk(centre)
    created = create(centre, headers, change(account, ("education", "", "10"), ("title", "", "2")),
                     type_code=TYPE).json()
    submit(centre, headers, created["id"])
    shown = centre.client.get(f"/centre/applications/{created['id']}", headers=bearer(centre.centre_token())).json()
    assert [(c["item"], c["old"], c["new"]) for c in shown["changes"]] == [
        (f"{account} 学历", "", "研究生"), (f"{account} 职称", "", "中级")]
