"""The approval workflow through the API: create (signed) → attach → submit → 中心初审 (→ 中心复审) → 办结,
退回 → 待办 → 结束流程 or 修改后重新提交, 不予受理; one in flight per unit / per employee and business;
messages on every transition; 单位信息变更 taking effect with its change log; unit scoping; idempotency;
signature refusals. The helpers at the top are shared by the attachment and registration tests."""
from __future__ import annotations

import dataclasses
import uuid

import pytest
from sqlalchemy import func, select

from server_stub.applications import catalogue
from server_stub.applications.models import Application, ApplicationStep, ApplicationVersion
from server_stub.auth.models import CentreUser
from server_stub.employees.models import Employee
from server_stub.messages.models import Message
from server_stub.units.models import Unit
from services.signing import submission_message
from tests.support.server import bearer, make_centre

pytestmark = pytest.mark.postgres   # also run on PostgreSQL when GJJ_TEST_PG_URL is set

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
IN_FLIGHT_UNIT = "本单位存在未审批完成的单位信息变更业务，请待审批完成后再提交"
IN_FLIGHT_PERSON = "该缴存人存在未审批完成的变更业务，请待审批完成后再提交"


# -- helpers (also used by test_server_attachments / test_server_registrations) -----------------

def problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code, body
    assert response.headers["content-type"].startswith("application/problem+json")
    return body


def signed(centre, unit, method: str, path: str, body: dict) -> dict:
    """`body` with the unit's UKey signature over API.md's bytes (path as the client gives it)."""
    message = submission_message(method, "/api/v1" + path, body)
    return {**body, "signature": centre.ukey(unit).sign_b64(message)}


def clerk(centre, unit=None) -> dict:
    return bearer(centre.login_token(unit or centre.unit1))


def current(centre, headers, field: str) -> str:
    value = centre.client.get("/unit", headers=headers).json()[field]
    return str(value)


def address_change(centre, headers, new: str = "示范市滨江区网商路699号") -> dict:
    return {"changes": [{"field": "address", "old": current(centre, headers, "address"), "new": new}]}


def create(centre, headers, payload: dict, *, unit=None, type_code: str = "unit_info_change"):
    body = signed(centre, unit or centre.unit1, "POST", "/applications", {"type": type_code, "payload": payload})
    return centre.client.post("/applications", json=body, headers=headers)


def upload(centre, headers, application_id: int, content: bytes = PDF, name: str = "证明.pdf", kind: str | None = None):
    return centre.client.post(f"/applications/{application_id}/attachments", params={"kind": kind} if kind else None,
                              files={"file": (name, content, "application/octet-stream")}, headers=headers)


def submit(centre, headers, application_id: int, key: str | None = None):
    extra = {"Idempotency-Key": key} if key else {}
    return centre.client.post(f"/applications/{application_id}/submit", headers={**headers, **extra})


def submitted_change(centre, headers, new: str = "示范市滨江区网商路699号") -> int:
    """A unit_info_change with a PDF, submitted: its id."""
    response = create(centre, headers, address_change(centre, headers, new))
    assert response.status_code == 201, response.text
    application_id = response.json()["id"]
    assert upload(centre, headers, application_id).status_code == 201
    assert submit(centre, headers, application_id).json()["status"] == "pending"
    return application_id


def decide(centre, token: str, application_id: int, decision: str, opinion: str = ""):
    return centre.client.post(f"/centre/applications/{application_id}/decision",
                              json={"decision": decision, "opinion": opinion}, headers=bearer(token))


def detail(centre, headers, application_id: int) -> dict:
    response = centre.client.get(f"/applications/{application_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def box(centre, headers, name: str, **params) -> list[dict]:
    response = centre.client.get("/applications", params={"box": name, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def messages_of(centre, unit_account: str, business: str) -> list[Message]:
    with centre.database.session() as session:
        unit_id = session.scalars(select(Unit.id).where(Unit.unit_account == unit_account)).one()
        return list(session.scalars(select(Message).where(Message.unit_id == unit_id, Message.business == business)
                                    .order_by(Message.id)))


def add_reviewer(centre, username: str = "reviewer2", password: str = "Second2025") -> dict:
    from server_stub.auth.passwords import Passwords
    with centre.database.transaction() as session:
        session.add(CentreUser(username=username, name="复审员", role="reviewer",
                               password_hash=Passwords(centre.config).hash(password), created_at=centre.clock()))
    return {"username": username, "password": password}


# -- tests --------------------------------------------------------------------------------------

@pytest.fixture
def centre(tmp_path):
    with make_centre(tmp_path) as centre:
        yield centre


@pytest.fixture
def reviewer(centre) -> str:
    """A centre reviewer's token (中心初审)."""
    return centre.centre_token()


@pytest.fixture
def second(centre) -> str:
    """Another reviewer's token (中心复审 is someone else)."""
    return centre.client.post("/centre/login", json=add_reviewer(centre)).json()["token"]


def test_types_say_what_can_be_submitted(centre):
    types = {t["type"]: t for t in centre.client.get("/applications/types", headers=clerk(centre)).json()}
    assert types["unit_info_change"]["supported"] is True
    assert types["unit_info_change"]["second_review"] is False
    assert {"kind": "supporting", "label": "变更证明材料", "required": True} in types["unit_info_change"]["attachments"]
    for code in ("base_adjustment", "supplementary"):
        assert types[code]["supported"] is True
    assert types["employee_info_change"]["supported"] is True
    assert types["base_adjustment"]["second_review"] is True       # the default configuration
    assert types["registration"]["attachments"][0]["kind"] == "business_licence"


def test_unit_info_change_from_submit_to_approval(centre):
    headers = clerk(centre)
    old_address = current(centre, headers, "address")
    created = create(centre, headers, {"changes": [
        {"field": "address", "old": old_address, "new": "示范市滨江区网商路699号"},
        {"field": "pay_day", "old": 15, "new": 20},
        {"field": "industry", "old": "I", "new": "M"}]})
    assert created.status_code == 201, created.text
    application = created.json()
    assert application["status"] == "draft" and application["application_no"].startswith("SQ20250310")
    assert upload(centre, headers, application["id"]).status_code == 201
    assert submit(centre, headers, application["id"]).json() == {**application, "status": "pending",
                                                                "current_node": "中心初审"}
    reviewer = centre.centre_token()
    queue = centre.client.get("/centre/applications", params={"status": "pending"}, headers=bearer(reviewer)).json()
    assert [a["id"] for a in queue["items"]] == [application["id"]]
    assert queue["items"][0]["unit_account"] == centre.unit1.unit_account

    decided = decide(centre, reviewer, application["id"], "approve", "材料齐全，同意变更")
    assert decided.json()["status"] == "approved" and decided.json()["current_node"] == "办结"

    unit = centre.client.get("/unit", headers=headers).json()
    assert (unit["address"], unit["pay_day"], unit["industry"]) == ("示范市滨江区网商路699号", 20, "M")
    changes = centre.client.get("/unit/changes", headers=headers).json()
    assert changes["total"] == 3
    rows = {c["field"]: c for c in changes["items"]}
    assert rows["address"]["old"] == old_address and rows["address"]["new"] == "示范市滨江区网商路699号"
    assert rows["address"]["item"] == "单位地址" and rows["pay_day"]["old"] == "15"
    assert rows["address"]["operator"] == "张丽" and rows["address"]["channel"] == "网上服务大厅"
    assert rows["address"]["changed_on"] == "2025-03-10"
    assert rows["address"]["application_id"] == application["id"]

    done = box(centre, headers, "done")
    assert [a["id"] for a in done] == [application["id"]] and done[0]["status_label"] == "已办结"
    shown = detail(centre, headers, application["id"])
    assert shown["flow"] == ["经办人提交", "中心初审", "办结"] and shown["opinion"] == "材料齐全，同意变更"
    assert [(s["node"], s["decision"], s["actor"]) for s in shown["steps"]] == [
        ("经办人提交", "submit", "张丽"), ("中心初审", "approve", "中心审核员"), ("办结", "done", "中心审核员")]
    assert shown["steps"][1]["opinion"] == "材料齐全，同意变更"
    assert {"item": "所属行业", "old": "I 信息传输、软件和信息技术服务业", "new": "M 科学研究和技术服务业"} in shown["changes"]
    cert = centre.ukey(centre.unit1)
    signature = shown["signature"]
    assert signature["signed"] and signature["verified"] and signature["signer"] == "张丽"
    assert signature["certificate_serial"] == format(cert.cert.serial_number, "x")
    assert signature["signed_data"].startswith("gjj-sign|POST|/api/v1/applications|{")
    assert [m.title for m in messages_of(centre, centre.unit1.unit_account, "单位信息变更")] == [
        "单位信息变更申请已提交", "单位信息变更申请已审核通过"]


def test_second_review_is_configurable_and_needs_another_reviewer(tmp_path):
    with make_centre(tmp_path, second_review_types="unit_info_change") as centre:
        headers = clerk(centre)
        application_id = submitted_change(centre, headers)
        first = centre.centre_token()
        assert decide(centre, first, application_id, "approve").json()["current_node"] == "中心复审"
        assert detail(centre, headers, application_id)["status"] == "pending"
        body = problem(decide(centre, first, application_id, "approve"), 409, "same_reviewer")
        assert body["detail"] == "复审须由初审以外的审核员办理"
        second = centre.client.post("/centre/login", json=add_reviewer(centre)).json()["token"]
        assert decide(centre, second, application_id, "approve", "复核无误").json()["status"] == "approved"
        shown = detail(centre, headers, application_id)
        assert shown["flow"] == ["经办人提交", "中心初审", "中心复审", "办结"]
        assert [(s["node"], s["actor"]) for s in shown["steps"]] == [
            ("经办人提交", "张丽"), ("中心初审", "中心审核员"), ("中心复审", "复审员"), ("办结", "复审员")]
        assert [m.title for m in messages_of(centre, centre.unit1.unit_account, "单位信息变更")] == [
            "单位信息变更申请已提交", "单位信息变更申请已通过初审", "单位信息变更申请已审核通过"]


def test_returned_goes_to_todo_and_end_finishes_it(centre):
    headers, reviewer = clerk(centre), centre.centre_token()
    application_id = submitted_change(centre, headers)
    body = problem(decide(centre, reviewer, application_id, "return"), 422, "opinion_required")
    assert body["detail"] == "退回或不予受理时请填写审批意见，说明原因和需要补正的内容"
    assert decide(centre, reviewer, application_id, "return", "请补充房屋租赁合同").json()["status"] == "returned"
    todo = box(centre, headers, "todo")
    assert [a["id"] for a in todo] == [application_id] and todo[0]["current_node"] == "经办人提交"
    assert detail(centre, headers, application_id)["opinion"] == "请补充房屋租赁合同"
    problem(decide(centre, reviewer, application_id, "approve"), 409, "not_pending")

    ended = centre.client.post(f"/applications/{application_id}/end", headers=headers)
    assert ended.json()["status"] == "ended" and ended.json()["current_node"] == "结束流程"
    assert box(centre, headers, "todo") == []
    assert [a["id"] for a in box(centre, headers, "done")] == [application_id]
    problem(centre.client.post(f"/applications/{application_id}/end", headers=headers), 409, "application_finished")
    problem(submit(centre, headers, application_id), 409, "application_finished")
    assert [m.title for m in messages_of(centre, centre.unit1.unit_account, "单位信息变更")][-2:] == [
        "单位信息变更申请被退回", "单位信息变更申请已结束"]
    assert "请补充房屋租赁合同" in messages_of(centre, centre.unit1.unit_account, "单位信息变更")[-2].body
    # ended: nothing is in flight any more
    assert create(centre, headers, address_change(centre, headers)).status_code == 201


def test_returned_is_edited_and_resubmitted(centre):
    headers, reviewer = clerk(centre), centre.centre_token()
    application_id = submitted_change(centre, headers, new="示范市错误地址1号")
    decide(centre, reviewer, application_id, "return", "地址门牌号有误")
    path = f"/applications/{application_id}"
    edited = signed(centre, centre.unit1, "PUT", path, {"payload": address_change(centre, headers, "示范市正确地址8号")})
    assert centre.client.put(path, json=edited, headers=headers).json()["status"] == "returned"
    assert submit(centre, headers, application_id).json()["status"] == "pending"
    assert decide(centre, reviewer, application_id, "approve").json()["status"] == "approved"
    assert current(centre, headers, "address") == "示范市正确地址8号"
    shown = detail(centre, headers, application_id)
    assert [s["decision"] for s in shown["steps"]] == ["submit", "return", "resubmit", "approve", "done"]
    assert shown["signature"]["version"] == 2
    assert shown["signature"]["signed_data"].startswith(f"gjj-sign|PUT|/api/v1{path}|")
    with centre.database.session() as session:   # the first signed version is kept
        versions = session.scalars(select(ApplicationVersion).where(ApplicationVersion.application_id == application_id)
                                   .order_by(ApplicationVersion.version)).all()
    assert [v.version for v in versions] == [1, 2] and all(v.signature for v in versions)
    assert "示范市错误地址1号" in versions[0].payload


def test_reject_is_final(centre):
    headers, reviewer = clerk(centre), centre.centre_token()
    old = current(centre, headers, "address")
    application_id = submitted_change(centre, headers)
    rejected = decide(centre, reviewer, application_id, "reject", "不属于本中心受理范围")
    assert rejected.json() == {"id": application_id, "application_no": rejected.json()["application_no"],
                               "type": "unit_info_change", "status": "rejected", "current_node": "不予受理"}
    assert current(centre, headers, "address") == old
    assert detail(centre, headers, application_id)["flow"][-1] == "不予受理"
    problem(centre.client.post(f"/applications/{application_id}/end", headers=headers), 409, "application_finished")
    assert create(centre, headers, address_change(centre, headers)).status_code == 201   # nothing held


def test_one_unit_info_change_in_flight(centre):
    headers = clerk(centre)
    early_draft = create(centre, headers, address_change(centre, headers, "示范市甲路1号")).json()["id"]
    upload(centre, headers, early_draft)
    first = submitted_change(centre, headers)
    body = problem(create(centre, headers, address_change(centre, headers, "示范市乙路2号")), 409,
                   "application_in_flight")
    assert body["detail"] == IN_FLIGHT_UNIT
    assert problem(submit(centre, headers, early_draft), 409, "application_in_flight")["detail"] == IN_FLIGHT_UNIT
    problem(submit(centre, headers, first), 409, "application_pending")
    decide(centre, centre.centre_token(), first, "return", "请核对")
    # returned is still in flight: edit it or end it first
    problem(submit(centre, headers, early_draft), 409, "application_in_flight")
    # another unit is not affected
    other = clerk(centre, centre.unit2)
    assert create(centre, other, address_change(centre, other), unit=centre.unit2).status_code == 201


def person_accounts(centre, unit_account: str, count: int = 2) -> list[str]:
    with centre.database.session() as session:
        unit_id = session.scalars(select(Unit.id).where(Unit.unit_account == unit_account)).one()
        return list(session.scalars(select(Employee.person_account).where(Employee.unit_id == unit_id)
                                    .order_by(Employee.id).limit(count)))


def test_one_business_in_flight_per_employee(centre, monkeypatch):
    """The rule holds for any type once its apply hook exists (here a stand-in, for the workflow only)."""
    kind = catalogue.TYPES["employee_info_change"]
    monkeypatch.setitem(catalogue.TYPES, "employee_info_change", dataclasses.replace(kind, apply=lambda _a: None))
    headers = clerk(centre)
    first, second = person_accounts(centre, centre.unit1.unit_account)

    def change(account: str):
        payload = {"person_account": account, "changes": [{"field": "education", "old": "", "new": "10"}]}
        response = create(centre, headers, payload, type_code="employee_info_change")
        assert response.status_code == 201, response.text
        return response.json()["id"]

    pending = change(first)
    assert submit(centre, headers, pending).json()["status"] == "pending"
    payload = {"person_account": first, "changes": [{"field": "education", "old": "", "new": "30"}]}
    body = problem(create(centre, headers, payload, type_code="employee_info_change"), 409, "application_in_flight")
    assert body["detail"] == IN_FLIGHT_PERSON
    assert body["errors"][0]["message"] == f"个人账号{first}：{IN_FLIGHT_PERSON}"
    assert submit(centre, headers, change(second)).json()["status"] == "pending"   # another employee: fine
    unknown = {"person_account": "209999999999", "changes": [{"field": "education", "old": "", "new": "10"}]}
    body = problem(create(centre, headers, unknown, type_code="employee_info_change"), 422, "person_unknown")
    assert body["errors"][0]["message"] == "个人账号209999999999不存在或不属于本单位"


def test_a_type_without_an_apply_hook_is_refused_at_submit(centre, monkeypatch):
    """Every unit business has its hook now; the refusal stays for a type without one."""
    type_code = "supplementary"
    monkeypatch.setitem(catalogue.TYPES, type_code, dataclasses.replace(catalogue.TYPES[type_code], apply=None))
    headers = clerk(centre)
    account = person_accounts(centre, centre.unit1.unit_account, 1)[0]
    payload = {"rows": [{"person_account": account, "reason": "1", "from_month": "2025-01", "to_month": "2025-01",
                         "unit_amount": "100.00", "person_amount": "100.00"}]}
    created = create(centre, headers, payload, type_code=type_code)
    assert created.status_code == 201, created.text
    assert upload(centre, headers, created.json()["id"]).status_code == 201
    body = problem(submit(centre, headers, created.json()["id"]), 409, "type_not_supported")
    label = catalogue.TYPES[type_code].label
    assert body["detail"] == f"{label}业务的审批生效功能尚未开通，暂不能提交审批；请到公积金中心柜台办理"
    assert detail(centre, headers, created.json()["id"])["status"] == "draft"


def test_required_attachment_is_checked_at_submit(centre):
    headers = clerk(centre)
    application_id = create(centre, headers, address_change(centre, headers)).json()["id"]
    body = problem(submit(centre, headers, application_id), 422, "attachments_missing")
    assert body["detail"] == "请上传变更证明材料后再提交审批"
    upload(centre, headers, application_id, kind="other")          # another kind does not count
    problem(submit(centre, headers, application_id), 422, "attachments_missing")
    upload(centre, headers, application_id, kind="supporting")
    assert submit(centre, headers, application_id).status_code == 200


def test_change_list_refusals(centre):
    headers = clerk(centre)
    address = current(centre, headers, "address")
    body = problem(create(centre, headers, {"changes": [
        {"field": "name", "old": "x", "new": "新名称有限公司"},
        {"field": "address", "old": "旧地址", "new": "新地址"},
        {"field": "postcode", "old": current(centre, headers, "postcode"), "new": "31001"},
        {"field": "email", "old": current(centre, headers, "email"), "new": current(centre, headers, "email")},
        {"field": "bank", "old": "", "new": "x"}]}), 422, "unit_change_invalid")
    messages = {e["field"]: e["message"] for e in body["errors"]}
    assert messages["name"] == "单位名称不能在网上变更，如需变更请携带证明材料到公积金中心柜台办理"
    assert messages["address"] == f"单位地址的原值与当前登记信息不一致（当前为“{address}”），请刷新后重新填写"
    assert messages["postcode"] == "邮政编码应为6位数字"
    assert messages["email"] == "电子信箱的新值与原值相同，无需变更"
    assert messages["bank"] == "“bank”不是可以变更的单位信息项目"
    assert [e["row"] for e in body["errors"]] == [1, 5, 2, 3, 4]
    body = problem(create(centre, headers, {"changes": []}), 422, "validation_error")
    assert body["errors"][0]["field"] == "payload.changes"
    problem(create(centre, headers, {"changes": [{"field": "address"}]}), 422, "validation_error")
    response = centre.client.post("/applications", headers=headers, json=signed(
        centre, centre.unit1, "POST", "/applications", {"type": "registration", "payload": {}}))
    problem(response, 422, "validation_error")


def test_signature_refusals(centre):
    headers = clerk(centre)
    payload = address_change(centre, headers)
    body = {"type": "unit_info_change", "payload": payload}
    missing = problem(centre.client.post("/applications", json=body, headers=headers), 403, "bad_signature")
    assert "缺少UKey签名" in missing["detail"]
    tampered = signed(centre, centre.unit1, "POST", "/applications", body)
    tampered["payload"] = address_change(centre, headers, "示范市另一个地址")
    problem(centre.client.post("/applications", json=tampered, headers=headers), 403, "bad_signature")
    wrong_path = signed(centre, centre.unit1, "POST", "/applications/1", body)
    problem(centre.client.post("/applications", json=wrong_path, headers=headers), 403, "bad_signature")
    other_key = signed(centre, centre.unit2, "POST", "/applications", body)
    problem(centre.client.post("/applications", json=other_key, headers=headers), 403, "bad_signature")
    not_base64 = {**body, "signature": "!!!"}
    problem(centre.client.post("/applications", json=not_base64, headers=headers), 403, "bad_signature")
    with centre.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Application)) == 0
    # a PUT is signed over its own method and path
    application_id = create(centre, headers, payload).json()["id"]
    put_body = signed(centre, centre.unit1, "POST", f"/applications/{application_id}", {"payload": payload})
    problem(centre.client.put(f"/applications/{application_id}", json=put_body, headers=headers), 403, "bad_signature")


def test_same_key_creates_and_submits_once(centre):
    headers = clerk(centre)
    key = str(uuid.uuid4())
    body = signed(centre, centre.unit1, "POST", "/applications",     # the outbox re-sends the same bytes
                  {"type": "unit_info_change", "payload": address_change(centre, headers)})
    first, again = (centre.client.post("/applications", json=body, headers={**headers, "Idempotency-Key": key})
                    for _ in range(2))
    assert first.status_code == again.status_code == 201 and again.json() == first.json()
    assert again.headers["Idempotency-Replayed"] == "true"
    application_id = first.json()["id"]
    upload(centre, headers, application_id)
    submit_key = str(uuid.uuid4())
    one, two = submit(centre, headers, application_id, submit_key), submit(centre, headers, application_id, submit_key)
    assert one.status_code == two.status_code == 200 and two.headers["Idempotency-Replayed"] == "true"
    with centre.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Application)) == 1
        assert session.scalar(select(func.count()).select_from(ApplicationStep)) == 1
    # without the key the repeat is refused, not applied twice
    problem(submit(centre, headers, application_id), 409, "application_pending")
    decision_key = {"Idempotency-Key": str(uuid.uuid4())}
    token = centre.centre_token()
    for _ in range(2):
        response = centre.client.post(f"/centre/applications/{application_id}/decision",
                                      json={"decision": "approve", "opinion": "同意"},
                                      headers={**bearer(token), **decision_key})
        assert response.json()["status"] == "approved"
    assert centre.client.get("/unit/changes", headers=headers).json()["total"] == 1


def test_boxes_and_filters(centre):
    headers = clerk(centre)
    application_id = submitted_change(centre, headers)
    draft = create(centre, clerk(centre, centre.unit2), address_change(centre, clerk(centre, centre.unit2)),
                   unit=centre.unit2).json()["id"]
    assert [a["id"] for a in box(centre, headers, "initiated")] == [application_id]
    assert box(centre, headers, "initiated", status="draft") == []
    assert box(centre, headers, "initiated", type="base_adjustment") == []
    assert box(centre, headers, "initiated", **{"from": "2025-03-11"}) == []
    assert len(box(centre, headers, "initiated", **{"from": "2025-03-10", "to": "2025-03-10"})) == 1
    assert box(centre, headers, "todo") == [] and box(centre, headers, "done") == []
    item = box(centre, headers, "initiated")[0]
    assert set(item) >= {"id", "type", "title", "status", "submitted_at", "updated_at"}
    assert item["title"] == "单位信息变更：单位地址" and item["initiator"] == "张丽"
    problem(centre.client.get("/applications", headers=headers), 422, "validation_error")
    queue = centre.client.get("/centre/applications", params={"status": "all"},
                              headers=bearer(centre.centre_token())).json()
    assert draft not in [a["id"] for a in queue["items"]]      # drafts are the unit's own business


def test_unit_changes_by_date(centre):
    headers = clerk(centre)
    application_id = submitted_change(centre, headers)
    decide(centre, centre.centre_token(), application_id, "approve")
    assert centre.client.get("/unit/changes", params={"from": "2025-03-11"}, headers=headers).json()["total"] == 0
    assert centre.client.get("/unit/changes", params={"to": "2025-03-10"}, headers=headers).json()["total"] == 1
    assert centre.client.get("/unit/changes", headers=clerk(centre, centre.unit2)).json()["total"] == 0


# -- unit scoping -------------------------------------------------------------------------------

@pytest.fixture
def theirs(centre):
    """Unit A's submitted application (with an attachment) and unit B's headers."""
    headers_a = clerk(centre)
    application_id = submitted_change(centre, headers_a)
    decide(centre, centre.centre_token(), application_id, "return", "请补充")
    attachment_id = detail(centre, headers_a, application_id)["attachments"][0]["attachment_id"]
    return application_id, attachment_id, clerk(centre, centre.unit2)


def test_unit_b_cannot_list_a(centre, theirs):
    _, _, headers_b = theirs
    for name in ("todo", "done", "initiated"):
        assert box(centre, headers_b, name) == []


def test_unit_b_cannot_read_a(centre, theirs):
    application_id, attachment_id, headers_b = theirs
    body = problem(centre.client.get(f"/applications/{application_id}", headers=headers_b), 404, "not_found")
    assert body["detail"] == "业务申请不存在或不属于本单位"
    problem(centre.client.get(f"/applications/{application_id}/attachments/{attachment_id}", headers=headers_b),
            404, "not_found")


def test_unit_b_cannot_end_a(centre, theirs):
    application_id, _, headers_b = theirs
    problem(centre.client.post(f"/applications/{application_id}/end", headers=headers_b), 404, "not_found")
    assert detail(centre, clerk(centre), application_id)["status"] == "returned"


def test_unit_b_cannot_attach_to_or_change_a(centre, theirs):
    application_id, attachment_id, headers_b = theirs
    problem(upload(centre, headers_b, application_id), 404, "not_found")
    problem(centre.client.delete(f"/applications/{application_id}/attachments/{attachment_id}", headers=headers_b),
            404, "not_found")
    problem(submit(centre, headers_b, application_id), 404, "not_found")
    body = signed(centre, centre.unit2, "PUT", f"/applications/{application_id}",
                  {"payload": {"changes": [{"field": "postcode", "old": "310013", "new": "310099"}]}})
    problem(centre.client.put(f"/applications/{application_id}", json=body, headers=headers_b), 404, "not_found")
    assert len(detail(centre, clerk(centre), application_id)["attachments"]) == 1


def test_tokens_stay_on_their_side(centre, theirs):
    application_id, _, headers_b = theirs
    problem(centre.client.get("/centre/applications", headers=headers_b), 403, "forbidden")
    problem(centre.client.post(f"/centre/applications/{application_id}/decision", json={"decision": "approve"},
                               headers=headers_b), 403, "forbidden")
    problem(centre.client.get("/applications", params={"box": "todo"}, headers=bearer(centre.centre_token())),
            403, "forbidden")
    problem(centre.client.get("/applications", params={"box": "todo"}), 401, "not_authenticated")


def test_centre_reads_any_application(centre, theirs):
    application_id, attachment_id, _ = theirs
    token = bearer(centre.centre_token())
    shown = centre.client.get(f"/centre/applications/{application_id}", headers=token).json()
    assert shown["unit_account"] == centre.unit1.unit_account and shown["status"] == "returned"
    file = centre.client.get(f"/centre/applications/{application_id}/attachments/{attachment_id}", headers=token)
    assert file.status_code == 200 and file.content == PDF
    problem(centre.client.get("/centre/applications/999999", headers=token), 404, "not_found")
