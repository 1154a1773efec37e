"""缴存人登记 through the API: POST /employees/open (signed, all or none, every bad row listed), GET
/employees, the logs it writes, the message, the roster with its ETag, idempotent replays. Helpers for
the other employee and department test modules live here too."""
from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from server_stub.demo.people import PeopleFactory
from server_stub.employees.models import Employee, EmployeeBatch, EmployeeChange, EmployeeStatusChange
from server_stub.messages.models import Message
from server_stub.numbering.models import NumberSequence
from services.signing import canonical_json, submission_message
from tests.support.server import Centre, DemoLogin, SoftUkey, bearer, make_centre

pytestmark = pytest.mark.postgres   # also run on PostgreSQL when GJJ_TEST_PG_URL is set

UNIT1_NAME = "示范市智联科技有限公司"
ELSEWHERE = "已在其他单位正常缴存，需原单位先办理封存"


# -- helpers (used by the other test_server_employees*/departments modules) -----------------------

@dataclass
class Desk:
    """One unit's clerk talking to the centre: a session token and the unit's software UKey."""
    centre: Centre
    unit: DemoLogin
    token: str
    ukey: SoftUkey

    def headers(self, key: str | None = None) -> dict[str, str]:
        return {**bearer(self.token), **({"Idempotency-Key": key} if key else {})}

    def signed(self, business: str, body: dict, ukey: SoftUkey | None = None) -> dict:
        message = submission_message("POST", f"/api/v1/employees/{business}", body)
        return {**body, "signature": (ukey or self.ukey).sign_b64(message)}

    def submit(self, business: str, rows: list[dict], *, key: str | None = None, ukey: SoftUkey | None = None):
        """POST /employees/{open|seal|unseal} with a correct signature."""
        return self.post(business, self.signed(business, {"rows": rows}, ukey), key=key)

    def post(self, business: str, body: dict, *, key: str | None = None):
        """POST a body as it is (a retry sends the very same signed body: ECDSA signatures differ each time)."""
        return self.centre.client.post(f"/employees/{business}", json=body, headers=self.headers(key))

    def get(self, path: str, **params):
        response = self.centre.client.get(path, params=params, headers=self.headers())
        assert response.status_code == 200, response.text
        return response.json()

    def employees(self, **params) -> list[dict]:
        return self.get("/employees", page_size=500, **params)["items"]

    def employee(self, person_account: str) -> dict:
        (found,) = self.employees(person_account=person_account)
        return found

    def open(self, rows: list[dict]) -> list[str]:
        response = self.submit("open", rows)
        assert response.status_code == 200, response.text
        return [o["person_account"] for o in response.json()["opened"]]

    def seal(self, accounts: list[str], month: str = "2025-03", reason: str = "2") -> None:
        response = self.submit("seal", [{"person_account": a, "reason": reason, "effective_month": month}
                                         for a in accounts])
        assert response.status_code == 200, response.text


def desk(centre: Centre, unit: DemoLogin) -> Desk:
    ukey = centre.ukey(unit)
    return Desk(centre, unit, centre.login_token(unit, ukey), ukey)


class People:
    """Valid resident IDs (GB 11643) of people of a chosen age on the business date."""

    def __init__(self, seed: int = 4242) -> None:
        self.factory = PeopleFactory(random.Random(seed))

    def id_number(self, birth: dt.date = dt.date(1990, 5, 17), gender: str = "1") -> str:
        return self.factory.resident_id(birth, gender)

    def row(self, **overrides) -> dict:
        row = {"name": self.factory.name("1"), "id_type": "01", "id_number": self.id_number(),
               "mobile": "13812345678", "department": "01", "base": "5000.00", "first_month": "2025-03"}
        row.update(overrides)
        return row


def count(centre: Centre, model, *where) -> int:
    with centre.database.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def snapshot(centre: Centre) -> dict:
    """What a refused batch must leave untouched."""
    with centre.database.session() as session:
        employees = session.execute(select(Employee.person_account, Employee.status, Employee.base,
                                           Employee.department_id, Employee.unit_monthly)
                                    .order_by(Employee.person_account)).all()
        counter = session.scalar(select(NumberSequence.last_value).where(NumberSequence.name == "person_account"))
    return {"employees": employees, "counter": counter,
            **{m.__name__: count(centre, m) for m in (EmployeeStatusChange, EmployeeChange, EmployeeBatch, Message)}}


def key() -> str:
    return str(uuid.uuid4())


# -- fixtures ---------------------------------------------------------------------------------------

@pytest.fixture
def centre(tmp_path):
    with make_centre(tmp_path) as centre:
        yield centre


@pytest.fixture
def a(centre) -> Desk:
    return desk(centre, centre.unit1)


@pytest.fixture
def b(centre) -> Desk:
    return desk(centre, centre.unit2)


@pytest.fixture
def people() -> People:
    return People()


# -- opening ----------------------------------------------------------------------------------------

def test_open_issues_accounts_and_derives_everything(a, people):
    rows = [people.row(name="李明", base="5000.00"),
            people.row(name="王芳", id_number=people.id_number(dt.date(1995, 8, 1), "2"), base="8888.88",
                       unit_ratio="7.5", person_ratio="5", department="", mobile="", first_month="")]
    response = a.submit("open", rows)
    assert response.status_code == 200, response.text
    opened = response.json()["opened"]
    assert [o["row"] for o in opened] == [1, 2]
    accounts = [o["person_account"] for o in opened]
    assert len(set(accounts)) == 2 and all(len(x) == 12 and x.isdigit() for x in accounts)
    li, wang = a.employee(accounts[0]), a.employee(accounts[1])
    assert li == {"person_account": accounts[0], "name": "李明", "id_type": "01", "id_number": rows[0]["id_number"],
                  "gender": "1", "birth_date": "1990-05-17", "mobile": "13812345678", "department": "01",
                  "department_name": "综合管理部", "status": "01", "base": "5000.00", "unit_ratio": "12",
                  "person_ratio": "12", "unit_monthly": "600.00", "person_monthly": "600.00", "balance": "0.00",
                  "first_month": "2025-03", "paid_through": "2025-02", "opened_on": "2025-03-10",
                  # 缴存人信息变更 items: nothing recorded at opening
                  "education": "", "phone": "", "postcode": "", "position": "", "occupation": "", "title": "",
                  "marital_status": "", "home_address": "", "family_income": None}
    # ratios given; monthly parts rounded to the yuan each (8888.88 × 7.5% = 666.67 → 667; × 5% = 444.44 → 444)
    assert (wang["gender"], wang["birth_date"], wang["department"], wang["mobile"]) == ("2", "1995-08-01", None, "")
    assert (wang["unit_ratio"], wang["person_ratio"], wang["unit_monthly"], wang["person_monthly"]) == \
        ("7.5", "5", "667.00", "444.00")
    assert wang["first_month"] == "2025-03"    # default: the month after the unit's 缴至年月 (2025-02)


def test_open_writes_the_logs_the_batch_and_a_message(a, people):
    before = count(a.centre, Message)
    accounts = a.open([people.row(name="李明"), people.row(name="赵雷")])
    statuses = a.get("/employees/status-changes", person_account=accounts[0])["items"]
    assert statuses == [{"changed_on": "2025-03-10", "person_account": accounts[0], "name": "李明",
                         "id_number": statuses[0]["id_number"], "type": "open", "reason": "", "reason_label": "",
                         "effective_month": "2025-03", "old_status": "", "new_status": "01", "base": "5000.00",
                         "operator": "张丽"}]
    changes = a.get("/employees/changes", person_account=accounts[1])["items"]
    assert changes == [{"changed_on": "2025-03-10", "person_account": accounts[1], "name": "赵雷", "item": "开户",
                        "old": "", "new": "赵雷（正常，基数5000.00）", "operator": "张丽", "channel": "网上服务大厅"}]
    assert count(a.centre, Message) == before + 1
    newest = a.get("/messages")["items"][0]
    assert (newest["title"], newest["business"], newest["body"]) == (
        "缴存人登记办理成功", "缴存人登记", f"尊敬的{UNIT1_NAME}，您已完成办理缴存人登记（2人）。")
    with a.centre.database.session() as session:
        batch = session.scalars(select(EmployeeBatch)).one()
    assert (batch.type, batch.row_count, batch.signed_path) == ("open", 2, "/api/v1/employees/open")
    assert batch.signature and '"rows":[' in batch.signed_body and "signature" not in batch.signed_body


def test_open_lists_every_bad_row_and_changes_nothing(a, people):
    before = snapshot(a.centre)
    rows = [
        people.row(),                                                             # 1: good
        people.row(name="", id_number="110101199001011234", base="100"),          # 2: three problems
        people.row(mobile="1381234567", department="99", base="40000.00"),        # 3
        people.row(unit_ratio="15", person_ratio="4", first_month="2025-05"),     # 4
        people.row(id_type="77", base="abc", first_month="2025/13"),              # 5
        people.row(id_number=people.id_number(dt.date(2010, 1, 1)), first_month="2022-01"),  # 6
    ]
    response = a.submit("open", rows)
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "rows_invalid"
    assert problem["detail"].startswith("缴存人登记未办理（全部行均未生效）：共5行有误，请修改后重新提交。第2行 姓名不能为空；")
    assert problem["errors"] == [
        {"row": 2, "field": "name", "code": "required", "message": "姓名不能为空"},
        {"row": 2, "field": "id_number", "code": "id_checksum", "message": "身份证号码校验位错误，请核对"},
        {"row": 2, "field": "base", "code": "base_out_of_range", "message": "缴存基数100.00低于下限2420.00，请核对"},
        {"row": 3, "field": "mobile", "code": "mobile_format", "message": "手机号码应为以1开头的11位数字，请核对"},
        {"row": 3, "field": "department", "code": "department_unknown",
         "message": "部门代码99不存在，请先在单位部门管理中设立该部门"},
        {"row": 3, "field": "base", "code": "base_out_of_range",
         "message": "缴存基数40000.00高于上限35811.00，请核对"},
        {"row": 4, "field": "unit_ratio", "code": "ratio_out_of_range",
         "message": "单位缴存比例15%不在5%–12%之间，请核对"},
        {"row": 4, "field": "person_ratio", "code": "ratio_out_of_range",
         "message": "个人缴存比例4%不在5%–12%之间，请核对"},
        {"row": 4, "field": "first_month", "code": "month_too_late", "message": "首次缴存年月2025-05不能晚于2025-04，请核对"},
        {"row": 5, "field": "id_type", "code": "id_type", "message": "证件类型代码不正确：77"},
        {"row": 5, "field": "base", "code": "money_format", "message": "缴存基数格式不正确：abc（应为金额，如5000.00）"},
        {"row": 5, "field": "first_month", "code": "month_format",
         "message": "首次缴存年月格式不正确：2025/13（应为YYYY-MM，如2025-03）"},
        {"row": 6, "field": "id_number", "code": "id_age",
         "message": "按身份证号码计算年龄为15周岁，不在16–70周岁范围内，请核对"},
        {"row": 6, "field": "first_month", "code": "month_too_early",
         "message": "首次缴存年月2022-01不能早于2023-03（单位开户年月及补缴追溯期限），请核对"},
    ]
    assert snapshot(a.centre) == before


def test_duplicate_ids_within_the_batch(a, people):
    same = people.id_number()
    rows = [people.row(id_number=same), people.row(), people.row(id_number=same), people.row(id_number=f" {same} ")]
    response = a.submit("open", rows)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"row": r, "field": "id_number", "code": "duplicate_in_batch", "message": "证件号码与第1行重复，同一人只能登记一次"}
        for r in (3, 4)]


def test_one_active_account_per_person_across_units(a, b, people):
    theirs = b.employees(status="01")[0]
    ours = a.employees(status="01")[0]
    response = a.submit("open", [people.row(id_number=theirs["id_number"]), people.row(id_number=ours["id_number"])])
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"row": 1, "field": "id_number", "code": "active_elsewhere", "message": ELSEWHERE},
        {"row": 2, "field": "id_number", "code": "active_here",
         "message": f"该职工已在本单位正常缴存（个人账号{ours['person_account']}），无需重复登记"}]


def test_an_id_sealed_here_is_pointed_to_unseal_and_sealed_elsewhere_may_open(a, b, people):
    mine = a.employees(status="01")[0]
    theirs = b.employees(status="01")[0]
    a.seal([mine["person_account"]])
    b.seal([theirs["person_account"]])
    response = a.submit("open", [people.row(id_number=mine["id_number"])])
    assert response.status_code == 422
    assert response.json()["errors"] == [{
        "row": 1, "field": "id_number", "code": "sealed_here",
        "message": f"该职工在本单位已有封存账户（个人账号{mine['person_account']}），请办理启封，不能重复登记"}]
    (account,) = a.open([people.row(id_number=theirs["id_number"])])   # sealed in B: a new account in A
    assert a.employee(account)["status"] == "01"
    assert b.employee(theirs["person_account"])["status"] == "02"


def test_ids_are_checked_on_the_centre_business_date(a, centre, people):
    young = people.id_number(dt.date(2009, 3, 20))     # 15 on 2025-03-10, 16 on 2025-03-20
    response = a.submit("open", [people.row(id_number=young)])
    assert response.json()["errors"][0]["message"] == "按身份证号码计算年龄为15周岁，不在16–70周岁范围内，请核对"
    centre.client.post("/centre/business-date", json={"date": "2025-03-20"}, headers=bearer(centre.centre_token()))
    (account,) = a.open([people.row(id_number=young)])
    assert a.employee(account)["opened_on"] == "2025-03-20"


def test_lowercase_x_and_spaces_are_normalised(a, people):
    number = next(n for n in (people.id_number() for _ in range(200)) if n.endswith("X"))
    (account,) = a.open([people.row(id_number=f" {number[:-1]}x ", name=" 张 三 ")])
    found = a.employee(account)
    assert (found["id_number"], found["name"]) == (number, "张 三")


def test_an_empty_batch_is_refused(a):
    response = a.submit("open", [])
    assert response.status_code == 422 and response.json()["code"] == "rows_empty"
    assert response.json()["detail"] == "缴存人登记清册为空，请先录入清册"


# -- signatures -------------------------------------------------------------------------------------

def test_missing_wrong_or_tampered_signatures_are_refused(a, centre, people):
    before = snapshot(centre)
    body = {"rows": [people.row()]}
    client = centre.client
    missing = client.post("/employees/open", json=body, headers=a.headers())
    assert (missing.status_code, missing.json()["code"]) == (403, "bad_signature")
    assert missing.json()["detail"] == "提交内容缺少UKey签名，未办理：请插入本单位的UKey后重新提交"
    stranger = centre.issue_ukey(centre.unit1, bind=False)          # a centre-issued key, but not this session's
    tampered = a.signed("open", body)
    tampered["rows"][0]["base"] = "9000.00"
    for refused in (client.post("/employees/open", json=a.signed("open", body, stranger), headers=a.headers()),
                    client.post("/employees/open", json=tampered, headers=a.headers()),
                    client.post("/employees/seal", json=a.signed("open", {"rows": []}), headers=a.headers()),
                    client.post("/employees/open", json={**body, "signature": "不是base64"}, headers=a.headers())):
        assert refused.status_code == 403, refused.text
        assert refused.json()["code"] == "bad_signature"
        assert refused.json()["detail"] == "UKey签名验证失败，未办理：请确认插入的是本单位登录时使用的UKey后重新提交"
    assert snapshot(centre) == before


def test_the_signature_covers_the_canonical_form_of_what_was_sent(a, centre, people):
    """Keys in any order, escaped non-ASCII, fields the server does not know: all covered by the signature,
    which is over the canonical form (API.md), and kept with the batch."""
    body = {"rows": [{**people.row(name="欧阳娜娜"), "备注": "新入职"}], "client": {"version": "1.0"}}
    signature = a.signed("open", body)["signature"]
    raw = json.dumps({"signature": signature, "client": body["client"], "rows": body["rows"]}, ensure_ascii=True)
    response = centre.client.post("/employees/open", content=raw.encode("ascii"),
                                  headers={**a.headers(), "Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    with centre.database.session() as session:
        assert session.scalars(select(EmployeeBatch.signed_body)).one() == canonical_json(body)


def test_a_rsa_ukey_signs_too(centre, people):
    rsa = centre.issue_ukey(centre.unit1, key_type="rsa2048")
    session = desk(centre, centre.unit1)
    assert session.ukey is rsa
    assert session.submit("open", [people.row()]).status_code == 200


# -- idempotency ------------------------------------------------------------------------------------

def test_a_replayed_open_returns_the_first_answer_and_opens_nothing_more(a, people):
    body = a.signed("open", {"rows": [people.row(), people.row()]})
    same_key = key()
    first = a.post("open", body, key=same_key)
    assert first.status_code == 200
    total = len(a.employees())
    again = a.post("open", body, key=same_key)
    assert again.status_code == 200 and again.json() == first.json()
    assert again.headers["Idempotency-Replayed"] == "true"
    assert len(a.employees()) == total
    assert count(a.centre, EmployeeBatch) == 1


def test_a_refused_open_can_be_corrected_under_the_same_key(a, people):
    same_key = key()
    bad = a.submit("open", [people.row(base="1")], key=same_key)
    assert bad.status_code == 422
    fixed = a.submit("open", [people.row(base="3000")], key=same_key)   # refusals are not stored: a new body runs
    assert fixed.status_code == 200 and "Idempotency-Replayed" not in fixed.headers


# -- listing ----------------------------------------------------------------------------------------

def test_list_filters_and_pages(a, people):
    accounts = a.open([people.row(name="欧阳娜娜", department="02"), people.row(name="欧阳修", department="02")])
    everyone = a.get("/employees", page_size=5)
    assert everyone["page_size"] == 5 and len(everyone["items"]) == 5 and everyone["total"] == 14
    assert {e["person_account"] for e in a.employees(q="欧阳")} == set(accounts)
    assert [e["person_account"] for e in a.employees(q=accounts[1])] == [accounts[1]]
    assert {e["person_account"] for e in a.employees(opened_from="2025-03-10", opened_to="2025-03-10")} == set(accounts)
    assert a.employees(opened_to="2025-03-09") and not set(accounts) & {
        e["person_account"] for e in a.employees(opened_to="2025-03-09")}
    assert {e["person_account"] for e in a.employees(department="02")} >= set(accounts)
    a.seal([accounts[0]])
    assert [e["person_account"] for e in a.employees(status="02")] == [accounts[0]]
    page = a.get("/employees", page=2, page_size=10)
    assert page["page"] == 2 and len(page["items"]) == 4
    assert a.get("/employees", q="x%_")["total"] == 0


# -- roster -----------------------------------------------------------------------------------------

ROSTER_FIELDS = ["person_account", "name", "id_type", "id_number", "status", "department", "base", "unit_ratio",
                 "person_ratio", "paid_through", "opened_on"]


def test_roster_carries_this_units_people_with_an_etag(a, b, centre, people):
    response = centre.client.get("/employees/roster", headers=a.headers())
    assert response.status_code == 200
    roster = response.json()
    assert roster["fields"] == ROSTER_FIELDS
    assert response.headers["ETag"] == f'"{roster["version"]}"'
    listed = {e["person_account"]: e for e in a.employees()}
    assert roster["count"] == len(roster["rows"]) == len(listed) == 12
    for row in roster["rows"]:
        record = dict(zip(ROSTER_FIELDS, row))
        e = listed[record["person_account"]]
        assert record == {f: e[f] for f in ROSTER_FIELDS}
    theirs = {r[0] for r in centre.client.get("/employees/roster", headers=b.headers()).json()["rows"]}
    assert theirs and not theirs & set(listed)


def test_roster_answers_304_until_something_changes(a, centre, people):
    def fetch(etag=None):
        headers = {**a.headers(), **({"If-None-Match": etag} if etag else {})}
        return centre.client.get("/employees/roster", headers=headers)

    etag = fetch().headers["ETag"]
    unchanged = fetch(etag)
    assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged.headers["ETag"] == etag
    assert fetch(f'W/{etag}').status_code == 304 and fetch(f'"other", {etag}').status_code == 304
    assert fetch('"other"').status_code == 200
    (account,) = a.open([people.row()])
    opened = fetch(etag)
    assert opened.status_code == 200 and opened.headers["ETag"] != etag
    etag = opened.headers["ETag"]
    a.seal([account])
    assert fetch(etag).status_code == 200
    etag = fetch().headers["ETag"]
    moved = centre.client.post("/departments/transfers", json={"person_accounts": [account], "to_department": "03"},
                               headers=a.headers())
    assert moved.status_code == 200
    assert fetch(etag).status_code == 200


def test_every_employee_call_needs_a_unit_session(centre):
    for path in ("/employees", "/employees/roster", "/employees/changes", "/employees/status-changes"):
        assert centre.client.get(path).status_code == 401
    for business in ("open", "seal", "unseal"):
        assert centre.client.post(f"/employees/{business}", json={"rows": []}).status_code == 401
    reviewer = bearer(centre.centre_token())
    assert centre.client.get("/employees", headers=reviewer).status_code == 403


def test_a_concurrent_open_of_the_same_id_is_a_conflict_not_a_crash(a, b, people, monkeypatch):
    """The ID check and the insert are separate statements: if another request opens the same ID in
    between, the unique index (one 正常 account per ID) refuses the insert and the whole batch."""
    import server_stub.employees.opening as opening

    before = snapshot(a.centre)
    monkeypatch.setattr(opening, "accounts_by_id", lambda **_: {})   # as if the other request came after the check
    response = a.submit("open", [people.row(), people.row(id_number=b.employees(status="01")[0]["id_number"])])
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert response.json()["detail"] == "缴存人登记未办理：其中有职工刚刚由其他请求登记，请刷新后重新提交"
    assert snapshot(a.centre) == before
