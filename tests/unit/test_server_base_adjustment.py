"""基数调整 on the centre (SPEC 4.4): only in the policy's adjustment month, every bad row refused at once
with the desk's own codes and messages, 初审 → 复审 by another reviewer, and on approval the new bases and
monthly amounts (each part rounded separately, the person's ratios), the change log, and the next
汇缴核定 computed from them. Approval after July of an application submitted in July is allowed."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from services.contribution_rules import adjustment_month_problem
from services.policy import DEMO_POLICY
from tests.support.server import BUSINESS_DATE, bearer
from tests.unit.test_server_applications import create, decide, detail, messages_of, problem, submit, upload
from tests.unit.test_server_applications import reviewer, second  # noqa: F401 - fixtures
from tests.unit.test_server_employees import Desk, desk
from tests.unit.test_server_employees import a, centre  # noqa: F401 - fixtures
from tests.unit.test_server_remittance import assert_ledger, set_business_date

pytestmark = pytest.mark.postgres   # also run on PostgreSQL when GJJ_TEST_PG_URL is set

TYPE = "base_adjustment"


def part(base: Decimal, ratio: Decimal) -> Decimal:
    """The demo policy: each part rounded half up to the yuan."""
    return (base * ratio / 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP).quantize(Decimal("0.01"))


@pytest.fixture
def july(centre, reviewer) -> None:
    set_business_date(centre, reviewer, "2025-07-08")


def active(d: Desk) -> list[dict]:
    return sorted((e for e in d.employees() if e["status"] == "01"), key=lambda e: e["person_account"])


def row(e: dict, new_base: str, old_base: str | None = None) -> dict:
    return {"person_account": e["person_account"], "old_base": old_base or e["base"], "new_base": new_base}


def create_adjustment(d: Desk, rows: list[dict]):
    return create(d.centre, d.headers(), {"rows": rows}, unit=d.unit, type_code=TYPE)


def test_only_in_the_adjustment_month(centre, a):
    e = active(a)[0]
    body = problem(create_adjustment(a, [row(e, "6000.00")]), 422, "not_adjustment_month")
    assert body["detail"] == "基数调整只能在每年7月办理，当前为3月"
    assert body["errors"] == [{"row": None, "field": None, "code": "not_adjustment_month",
                               "message": "基数调整只能在每年7月办理，当前为3月"}]
    # the desk's offline rule says the very same
    assert adjustment_month_problem(DEMO_POLICY, BUSINESS_DATE) == body["detail"]


def test_every_bad_row_is_listed_with_the_desks_codes(centre, a, reviewer, july):
    people = active(a)
    first, second, third, sealed = people[:4]
    a.seal([sealed["person_account"]], month="2025-07")
    other_unit = desk(centre, centre.unit2).employees()[0]
    rows = [
        row(first, "7000.00"),                                              # 1 fine
        {"person_account": other_unit["person_account"], "old_base": "5000.00", "new_base": "6000.00"},   # 2
        row(sealed, "6000.00"),                                             # 3
        row(second, "2000.00"),                                             # 4 below the floor
        row(third, "40000.00"),                                             # 5 above the cap
        row(second, "6000.00", old_base="1234.00"),                         # 6 stale old base (and second again)
        row(third, third["base"]),                                          # 7 unchanged (and third again)
        row(first, "8000.00"),                                              # 8 first again
    ]
    body = problem(create_adjustment(a, rows), 422, "rows_invalid")
    stale = f"原缴存基数1234.00与中心记录不符（中心记录为{second['base']}），请刷新后重新录入"
    assert body["errors"] == [
        {"row": 2, "field": "person_account", "code": "not_found",
         "message": f"个人账号{other_unit['person_account']}不存在或不属于本单位，请核对"},
        {"row": 3, "field": "person_account", "code": "not_active",
         "message": "该职工当前状态为封存，只有正常状态的职工可以调整基数"},
        {"row": 4, "field": "new_base", "code": "base_out_of_range", "message": "缴存基数2000.00低于下限2420.00，请核对"},
        {"row": 5, "field": "new_base", "code": "base_out_of_range", "message": "缴存基数40000.00高于上限35811.00，请核对"},
        {"row": 6, "field": "person_account", "code": "duplicate_in_batch", "message": "个人账号与第4行重复"},
        {"row": 6, "field": "old_base", "code": "old_base_stale", "message": stale},
        {"row": 7, "field": "person_account", "code": "duplicate_in_batch", "message": "个人账号与第5行重复"},
        {"row": 7, "field": "new_base", "code": "base_unchanged",
         "message": f"调整后缴存基数与现缴存基数{third['base']}相同，无需调整，请删除该行"},
        {"row": 8, "field": "person_account", "code": "duplicate_in_batch", "message": "个人账号与第1行重复"},
    ]
    assert body["detail"].startswith("基数调整未办理（全部行均未生效）：共7行有误，请修改后重新提交。第2行 个人账号")
    assert a.get("/applications", box="initiated")["total"] == 0


def test_approved_in_august_new_bases_monthly_amounts_change_log_and_next_assessment(centre, a, reviewer, second,
                                                                                      july):
    first, other = active(a)[:2]
    before_next = a.get("/remittance/next")
    new_bases = {first["person_account"]: Decimal("12345.67"), other["person_account"]: Decimal("3001.00")}
    created = create_adjustment(a, [row(first, "12345.67"), row(other, "3001.00")])
    assert created.status_code == 201, created.text
    application_id = created.json()["id"]
    assert problem(submit(centre, a.headers(), application_id), 422, "attachments_missing")["detail"] == \
        "请上传工资发放明细或基数调整审批表后再提交审批"
    assert upload(centre, a.headers(), application_id).status_code == 201
    assert submit(centre, a.headers(), application_id).json()["status"] == "pending"
    assert decide(centre, reviewer, application_id, "approve", "初审同意").json()["current_node"] == "中心复审"
    assert a.employee(first["person_account"])["base"] == first["base"]          # nothing yet
    problem(decide(centre, reviewer, application_id, "approve"), 409, "same_reviewer")

    set_business_date(centre, reviewer, "2025-08-01")                            # submitted in July
    decided = decide(centre, second, application_id, "approve", "复审同意")
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "approved"

    for e in (first, other):
        now = a.employee(e["person_account"])
        base = new_bases[e["person_account"]]
        unit_part, person_part = part(base, Decimal(e["unit_ratio"])), part(base, Decimal(e["person_ratio"]))
        assert (now["base"], now["unit_monthly"], now["person_monthly"]) == (f"{base:.2f}", f"{unit_part:.2f}",
                                                                            f"{person_part:.2f}")
    changes = a.get("/employees/changes", person_account=first["person_account"])["items"]
    logged = {(c["item"], c["old"], c["new"], c["operator"], c["channel"], c["changed_on"]) for c in changes}
    old_total = Decimal(first["unit_monthly"]) + Decimal(first["person_monthly"])
    new_total = part(Decimal("12345.67"), Decimal(first["unit_ratio"])) + part(Decimal("12345.67"), Decimal(first["person_ratio"]))
    assert ("缴存基数", first["base"], "12345.67", "张丽", "网上服务大厅", "2025-08-01") in logged
    assert ("月缴存额", f"{old_total:.2f}", f"{new_total:.2f}", "张丽", "网上服务大厅", "2025-08-01") in logged

    # the next assessment pays the new amounts; the difference is explained as 基数变更
    nxt = a.get("/remittance/next")
    change = sum(((part(new_bases[e["person_account"]], Decimal(e["unit_ratio"]))
                   + part(new_bases[e["person_account"]], Decimal(e["person_ratio"])))
                  - (Decimal(e["unit_monthly"]) + Decimal(e["person_monthly"])) for e in (first, other)), Decimal("0"))
    assert Decimal(nxt["amount"]) == Decimal(before_next["amount"]) + change
    assert {p["person_account"] for p in nxt["added"]["people"] + nxt["removed"]["people"]
            if p["reason"] == "base_changed"} == {first["person_account"], other["person_account"]}

    (message,) = [m for m in messages_of(centre, centre.unit1.unit_account, "基数调整") if "审核通过" in m.title]
    assert message.body.endswith("审批意见：复审同意。2名职工的缴存基数已调整，自2025年03月起的汇缴核定按新的月缴存额计算。")
    shown = detail(centre, a.headers(), application_id)
    assert shown["flow"] == ["经办人提交", "中心初审", "中心复审", "办结"]
    assert {"item": f"{first['person_account']} 缴存基数", "old": first["base"], "new": "12345.67"} in shown["changes"]
    assert_ledger(centre)


def test_rechecked_at_approval(centre, a, reviewer, second, july):
    """A person sealed while the application waited: the approval is refused, nothing changes."""
    first = active(a)[0]
    application_id = create_adjustment(a, [row(first, "9000.00")]).json()["id"]
    upload(centre, a.headers(), application_id)
    assert submit(centre, a.headers(), application_id).json()["status"] == "pending"
    decide(centre, reviewer, application_id, "approve")
    a.seal([first["person_account"]], month="2025-08")
    body = problem(decide(centre, second, application_id, "approve"), 422, "rows_invalid")
    assert body["errors"][0]["message"] == "该职工当前状态为封存，只有正常状态的职工可以调整基数"
    assert detail(centre, a.headers(), application_id)["status"] == "pending"
    assert a.employee(first["person_account"])["base"] == first["base"]


def test_types_are_submittable_and_scoped(centre, a, reviewer, july):
    types = {t["type"]: t for t in a.get("/applications/types")}
    assert types[TYPE]["supported"] is True and types[TYPE]["second_review"] is True
    first = active(a)[0]
    application_id = create_adjustment(a, [row(first, "9000.00")]).json()["id"]
    b = desk(centre, centre.unit2)
    assert centre.client.get(f"/applications/{application_id}", headers=b.headers()).status_code == 404
    assert centre.client.post("/centre/applications/1/decision", json={"decision": "approve"},
                              headers=bearer(a.token)).status_code in (401, 403)
