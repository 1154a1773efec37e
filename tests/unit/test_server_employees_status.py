"""缴存人状态变更 through the API: POST /employees/seal and /employees/unseal (signed, all or none), and
what they leave in the status log, the change log and the message box."""
from __future__ import annotations

import pytest

from tests.support.server import bearer
from tests.unit import test_server_employees as base
from tests.unit.test_server_employees import ELSEWHERE, UNIT1_NAME, key, snapshot

pytestmark = pytest.mark.postgres   # also run on PostgreSQL when GJJ_TEST_PG_URL is set

centre, a, b, people = base.centre, base.a, base.b, base.people   # the fixtures


def active(desk, n: int = 1) -> list[dict]:
    return desk.employees(status="01")[:n]


def seal_row(account: str, **overrides) -> dict:
    return {"person_account": account, "reason": "2", "effective_month": "2025-03", **overrides}


def unseal_row(account: str, **overrides) -> dict:
    return {"person_account": account, "reason": "1", "effective_month": "2025-04", "base": "6000.00", **overrides}


def test_seal_then_unseal(a):
    (person,) = active(a)
    account = person["person_account"]
    sealed = a.submit("seal", [seal_row(account, reason="离职/解除劳动合同")])   # a label is taken for its code
    assert sealed.status_code == 200, sealed.text
    assert sealed.json() == {"sealed": [{"row": 1, "person_account": account, "name": person["name"]}]}
    assert a.employee(account)["status"] == "02"
    unsealed = a.submit("unseal", [unseal_row(account)])
    assert unsealed.status_code == 200, unsealed.text
    assert unsealed.json() == {"unsealed": [{"row": 1, "person_account": account, "name": person["name"]}]}
    now = a.employee(account)
    assert (now["status"], now["base"], now["unit_monthly"], now["person_monthly"]) == ("01", "6000.00", "720.00",
                                                                                       "720.00")
    assert now["paid_through"] == person["paid_through"]
    log = a.get("/employees/status-changes", person_account=account)["items"]
    assert [(e["type"], e["reason"], e["reason_label"], e["effective_month"], e["old_status"], e["new_status"],
             e["base"], e["operator"]) for e in log] == [
        ("unseal", "1", "正常(重新入职/复薪)", "2025-04", "02", "01", "6000.00", "张丽"),
        ("seal", "2", "离职/解除劳动合同", "2025-03", "01", "02", None, "张丽")]
    changes = a.get("/employees/changes", person_account=account)["items"]
    assert [(c["item"], c["old"], c["new"]) for c in changes] == [
        ("缴存基数", person["base"], "6000.00"), ("个人账户状态", "封存", "正常"), ("个人账户状态", "正常", "封存")]
    bodies = [m["body"] for m in a.get("/messages")["items"][:2]]
    assert bodies == [f"尊敬的{UNIT1_NAME}，您已完成办理缴存人启封（1人）。",
                      f"尊敬的{UNIT1_NAME}，您已完成办理缴存人封存（1人）。"]


def test_seal_lists_every_bad_row_and_changes_nothing(a, b):
    first, second, third = active(a, 3)
    theirs = active(b)[0]["person_account"]
    a.seal([third["person_account"]])
    before = snapshot(a.centre)
    response = a.submit("seal", [
        seal_row(first["person_account"]),                                   # 1: good
        seal_row("200199999999"),                                            # 2: unknown
        seal_row(theirs),                                                    # 3: another unit's
        seal_row(third["person_account"]),                                   # 4: already sealed
        seal_row(second["person_account"], reason="", effective_month="2025-02"),   # 5
        seal_row(second["person_account"], reason="9", effective_month="2025-05"),  # 6: repeats row 5
        seal_row("", effective_month="三月"),                                 # 7
    ])
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "rows_invalid"
    assert problem["detail"].startswith("缴存人封存未办理（全部行均未生效）：共6行有误，请修改后重新提交。")
    assert problem["errors"] == [
        {"row": 2, "field": "person_account", "code": "not_found", "message": "个人账号200199999999不存在或不属于本单位，请核对"},
        {"row": 3, "field": "person_account", "code": "not_found", "message": f"个人账号{theirs}不存在或不属于本单位，请核对"},
        {"row": 4, "field": "person_account", "code": "not_active", "message": "该职工当前状态为封存，只有正常状态的职工可以封存"},
        {"row": 5, "field": "reason", "code": "required", "message": "封存原因不能为空"},
        {"row": 5, "field": "effective_month", "code": "month_not_after_paid_through",
         "message": f"封存年月2025-02应晚于该职工的缴至年月{second['paid_through']}，请核对"},
        {"row": 6, "field": "person_account", "code": "duplicate_in_batch", "message": "个人账号与第5行重复"},
        {"row": 6, "field": "reason", "code": "reason_unknown", "message": "封存原因不正确：9（请从下拉列表中选择）"},
        {"row": 6, "field": "effective_month", "code": "month_too_late", "message": "封存年月2025-05不能晚于2025-04，请核对"},
        {"row": 7, "field": "person_account", "code": "required", "message": "个人账号不能为空"},
        {"row": 7, "field": "effective_month", "code": "month_format",
         "message": "封存年月格式不正确：三月（应为YYYY-MM，如2025-03）"},
    ]
    assert snapshot(a.centre) == before
    assert b.employee(theirs)["status"] == "01"


def test_unseal_lists_every_bad_row_and_changes_nothing(a, b, people):
    sealed, other = active(a, 2)
    a.seal([sealed["person_account"]])
    theirs = active(b)[0]
    b.seal([theirs["person_account"]])
    before = snapshot(a.centre)
    response = a.submit("unseal", [
        unseal_row(sealed["person_account"], effective_month="2025-02", base="2000.00", reason="3"),   # 1
        unseal_row(other["person_account"]),                                                           # 2: 正常
        unseal_row(theirs["person_account"]),                                                          # 3: B's
        unseal_row(sealed["person_account"], base=""),                                                 # 4: repeat
    ])
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"row": 1, "field": "reason", "code": "reason_unknown", "message": "启封原因不正确：3（请从下拉列表中选择）"},
        {"row": 1, "field": "effective_month", "code": "month_not_after_paid_through",
         "message": f"启封年月2025-02应晚于该职工的缴至年月{sealed['paid_through']}，请核对"},
        {"row": 1, "field": "base", "code": "base_out_of_range", "message": "缴存基数2000.00低于下限2420.00，请核对"},
        {"row": 2, "field": "person_account", "code": "not_sealed", "message": "该职工当前状态为正常，只有封存状态的职工可以启封"},
        {"row": 3, "field": "person_account", "code": "not_found",
         "message": f"个人账号{theirs['person_account']}不存在或不属于本单位，请核对"},
        {"row": 4, "field": "person_account", "code": "duplicate_in_batch", "message": "个人账号与第1行重复"},
        {"row": 4, "field": "base", "code": "required", "message": "缴存基数不能为空"},
    ]
    assert snapshot(a.centre) == before
    assert b.employee(theirs["person_account"])["status"] == "02"


def test_unseal_is_refused_while_the_person_is_active_in_another_unit(a, b, people):
    (person,) = active(a)
    a.seal([person["person_account"]])
    b.open([people.row(id_number=person["id_number"], department="01")])     # B hires them meanwhile
    response = a.submit("unseal", [unseal_row(person["person_account"])])
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"row": 1, "field": "person_account", "code": "active_elsewhere", "message": ELSEWHERE}]


def test_a_replayed_seal_returns_the_first_answer(a):
    accounts = [p["person_account"] for p in active(a, 2)]
    body = a.signed("seal", {"rows": [seal_row(x) for x in accounts]})
    same_key = key()
    first = a.post("seal", body, key=same_key)
    assert first.status_code == 200
    before = snapshot(a.centre)
    again = a.post("seal", body, key=same_key)
    assert again.status_code == 200 and again.json() == first.json()
    assert again.headers["Idempotency-Replayed"] == "true"
    assert snapshot(a.centre) == before          # no second log row, no second message
    without_key = a.post("seal", body)            # the same request without the key is a new one: refused now
    assert without_key.status_code == 422
    assert {e["code"] for e in without_key.json()["errors"]} == {"not_active"}


def test_unsealed_month_must_follow_paid_through_of_the_person(a, centre, people):
    """缴至年月 is the person's: a new hire (nothing paid yet) may be sealed from their first month."""
    (account,) = a.open([people.row(first_month="2025-04")])
    assert a.employee(account)["paid_through"] == "2025-03"
    refused = a.submit("seal", [seal_row(account, effective_month="2025-03")])
    assert refused.json()["errors"][0]["message"] == "封存年月2025-03应晚于该职工的缴至年月2025-03，请核对"
    a.seal([account], month="2025-04")
    assert a.submit("unseal", [unseal_row(account, effective_month="2025-04")]).status_code == 200


def test_status_changes_filter_by_type_person_and_date(a, centre):
    first, second = [p["person_account"] for p in active(a, 2)]
    a.seal([first])
    centre.client.post("/centre/business-date", json={"date": "2025-03-12"}, headers=bearer(centre.centre_token()))
    a.seal([second])
    assert a.submit("unseal", [unseal_row(first)]).status_code == 200

    def listed(**params):
        return [(e["person_account"], e["type"], e["changed_on"])
                for e in a.get("/employees/status-changes", **params)["items"]]

    assert listed(type="seal") == [(second, "seal", "2025-03-12"), (first, "seal", "2025-03-10")]
    assert listed(type="unseal") == [(first, "unseal", "2025-03-12")]
    assert listed(person_account=first) == [(first, "unseal", "2025-03-12"), (first, "seal", "2025-03-10")]
    assert listed(**{"from": "2025-03-11", "to": "2025-03-31", "type": "seal"}) == [(second, "seal", "2025-03-12")]
    assert listed(**{"to": "2025-03-10"}) == [(first, "seal", "2025-03-10")]
    changes = a.get("/employees/changes", **{"from": "2025-03-12"})["items"]
    assert {(c["person_account"], c["item"]) for c in changes} == {
        (second, "个人账户状态"), (first, "个人账户状态"), (first, "缴存基数")}
    bad = centre.client.get("/employees/status-changes", params={"type": "close"}, headers=a.headers())
    assert bad.status_code == 422


def test_demo_sealed_employees_have_their_seal_in_the_logs(tmp_path):
    from server_stub.demo.loader import DemoSpec
    from services.yearmonth import YearMonth
    from tests.support.server import make_centre
    from tests.unit.test_server_employees import desk

    spec = DemoSpec(unit1_employees=80, unit1_months=12, unit2_employees=3, unit2_months=2)
    with make_centre(tmp_path, spec=spec) as centre:
        clerk = desk(centre, centre.unit1)
        sealed = clerk.employees(status="02")
        assert sealed, "the demo seed should seal someone"
        listed = clerk.get("/employees/status-changes", type="seal", page_size=500)["items"]
        log = {e["person_account"]: e for e in listed}
        assert set(log) == {e["person_account"] for e in sealed}
        for person in sealed:
            entry = log[person["person_account"]]
            assert entry["effective_month"] == str(YearMonth.parse(person["paid_through"]) + 1)
            assert (entry["reason_label"], entry["old_status"], entry["new_status"], entry["operator"]) == (
                "离职/解除劳动合同", "01", "02", "张丽")
            assert entry["changed_on"] == entry["effective_month"] + "-01"
