"""自主开户 through the API, without a login: register → licence → submit → the reviewer approves → the
unit (server-issued 单位账号) and its first operator (argon2 password) exist → `gjj-centre issue-ukey` →
the operator logs in. USCC check-character warning, every field problem at once, duplicates, query codes,
the rate limit per client address, and a returned registration corrected and resubmitted."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select
from stdnum.cn import uscc as uscc_check

from server_stub import cli
from server_stub.auth.models import Operator
from server_stub.registrations.models import Registration
from server_stub.ukeys.service import current_certificate
from server_stub.units.models import Unit
from tests.support.server import DemoLogin, SoftUkey, bearer, make_centre, new_private_key, spki_der
from tests.unit.test_server_applications import PDF, decide, messages_of, problem

pytestmark = pytest.mark.postgres   # also run on PostgreSQL when GJJ_TEST_PG_URL is set

USCC_BODY = "91330106MA2K0X1Y2"
USCC = USCC_BODY + uscc_check.calc_check_digit(USCC_BODY)
BAD_CHECK = USCC_BODY + ("0" if USCC[-1] != "0" else "1")
OPERATOR_ID = "120101199001011386"


def registration(**changes) -> dict:
    body = {
        "name": "示范市新星文化传媒有限公司", "uscc": USCC, "address": "示范市上城区解放路18号", "postcode": "310002",
        "email": "hr@xinxing-demo.cn", "legal_rep_name": "周明", "legal_rep_id_type": "01",
        "legal_rep_id_number": "110102197501018678", "contact_phone": "0571-87000000", "pay_day": 10,
        "industry": "M", "economic_type": "170", "unit_ratio": "10", "person_ratio": "10",
        "operator": {"name": "李娜", "id_type": "01", "id_number": OPERATOR_ID, "mobile": "13900001111",
                     "login_name": "lina", "password": "Start2025"},
    }
    operator = changes.pop("operator", {})
    return {**body, **changes, "operator": {**body["operator"], **operator}}


@pytest.fixture
def centre(tmp_path):
    with make_centre(tmp_path) as centre:
        yield centre


def register(centre, body: dict | None = None, headers: dict | None = None):
    return centre.client.post("/registrations", json=body or registration(), headers=headers)


def attach(centre, no: str, code: str, content: bytes = PDF):
    return centre.client.post(f"/registrations/{no}/attachments", params={"query_code": code},
                              files={"file": ("营业执照.pdf", content, "application/pdf")})


def submitted(centre, body: dict | None = None) -> tuple[str, str]:
    created = register(centre, body)
    assert created.status_code == 201, created.text
    no, code = created.json()["application_no"], created.json()["query_code"]
    assert attach(centre, no, code).status_code == 201
    response = centre.client.post(f"/registrations/{no}/submit", params={"query_code": code})
    assert response.json()["status"] == "pending", response.text
    return no, code


def status(centre, no: str, code: str) -> dict:
    response = centre.client.get(f"/registrations/{no}", params={"query_code": code})
    assert response.status_code == 200, response.text
    return response.json()


def queue_id(centre, token: str, no: str) -> int:
    items = centre.client.get("/centre/applications", params={"type": "registration"}, headers=bearer(token)).json()
    return next(a["id"] for a in items["items"] if a["application_no"] == no)


def test_registration_end_to_end_then_issue_ukey_and_log_in(centre, monkeypatch):
    no, code = submitted(centre)
    shown = status(centre, no, code)
    assert shown["status"] == "pending" and shown["unit_account"] is None and shown["login_name"] == "lina"
    assert shown["attachments"][0]["kind"] == "business_licence"
    token = centre.centre_token()
    application_id = queue_id(centre, token, no)
    detail = centre.client.get(f"/centre/applications/{application_id}", headers=bearer(token)).json()
    assert detail["unit_account"] is None and detail["unit_name"] == "示范市新星文化传媒有限公司"
    assert detail["signature"] is None and "password" not in detail["payload"]["operator"]
    assert {"item": "所属行业", "old": "", "new": "M 科学研究和技术服务业"} in detail["changes"]

    assert decide(centre, token, application_id, "approve", "材料齐全，准予开户").json()["status"] == "approved"
    shown = status(centre, no, code)
    assert shown["status"] == "approved" and shown["opinion"] == "材料齐全，准予开户"
    unit_account = shown["unit_account"]
    assert unit_account.startswith("1001") and len(unit_account) == 12
    with centre.database.session() as session:
        unit = session.scalars(select(Unit).where(Unit.unit_account == unit_account)).one()
        operator = session.scalars(select(Operator).where(Operator.unit_id == unit.id)).one()
        assert (unit.uscc, unit.status, unit.opened_on, unit.pay_day) == (USCC, "01", dt.date(2025, 3, 10), 10)
        assert (unit.contact_name, unit.contact_mobile) == ("李娜", "13900001111")
        assert operator.login_name == "lina" and operator.password_hash.startswith("$argon2id$")
    welcome = messages_of(centre, unit_account, "自主开户")
    assert [m.title for m in welcome] == ["自主开户申请已审核通过"] and unit_account in welcome[0].body

    ukey = issue_ukey_through_the_cli(centre, monkeypatch, unit_account)
    login = DemoLogin(unit_account, "lina", "Start2025")
    clerk = bearer(centre.login_token(login, ukey))
    unit = centre.client.get("/unit", headers=clerk).json()
    assert unit["name"] == "示范市新星文化传媒有限公司" and unit["operator"]["name"] == "李娜"
    mine = centre.client.get("/applications", params={"box": "initiated"}, headers=clerk).json()["items"]
    assert [a["application_no"] for a in mine] == [no]


def issue_ukey_through_the_cli(centre, monkeypatch, unit_account: str) -> SoftUkey:
    """`gjj-centre issue-ukey` in-process; the token is a software key (the certificate is the CLI's)."""
    import hsm.provision
    keys = []

    def provision(module_path, token_label, pin, make_certificate, *, key_type="rsa2048", key_label="gjj-ukey"):
        keys.append(new_private_key(key_type))
        return make_certificate(spki_der(keys[-1]))

    monkeypatch.setattr(hsm.provision, "provision_ukey", provision)
    # the command's config is this centre's (its database and its clock: the certificate's validity)
    monkeypatch.setattr(cli.CentreConfig, "from_env", classmethod(lambda cls, *a, **k: centre.config))
    assert cli.main(["--data-dir", str(centre.config.data_dir), "issue-ukey", "--unit", unit_account,
                     "--module", "/lib/softhsm.so", "--token-label", "NEWUNIT", "--pin", "123456"]) == 0
    with centre.database.session() as session:
        unit = session.scalars(select(Unit).where(Unit.unit_account == unit_account)).one()
        return SoftUkey(keys[0], current_certificate(session=session, unit_id=unit.id).der)


def test_uscc_check_character_warning_can_be_confirmed(centre):
    body = problem(register(centre, registration(uscc=BAD_CHECK)), 422, "uscc_checksum_warning")
    assert body["detail"] == "统一社会信用代码校验位不符，请核对；如确认与营业执照一致，可确认后继续"
    confirmed = register(centre, registration(uscc=BAD_CHECK, uscc_confirmed=True))
    assert confirmed.status_code == 201, confirmed.text


def test_every_problem_is_listed_at_once(centre):
    body = problem(register(centre, registration(
        uscc="123", postcode="31000", industry="ZZ", unit_ratio="20", pay_day=10,
        operator={"mobile": "12345", "login_name": "1x", "password": "short", "id_number": "120101199001011380"})),
        422, "validation_error")
    fields = {e["field"]: e["message"] for e in body["errors"]}
    assert fields["uscc"] == "统一社会信用代码应为18位，当前为3位，请核对"
    assert fields["postcode"] == "邮政编码应为6位数字"
    assert fields["industry"] == "所属行业代码“ZZ”不在字典中，请从下拉列表中选择"
    assert fields["unit_ratio"] == "单位缴存比例20%不在5%–12%之间"
    assert fields["operator.mobile"] == "经办人手机号码应为以1开头的11位数字，请核对"
    assert fields["operator.login_name"] == "登录名应为3–40位字母、数字、下划线、点或减号，并以字母开头"
    assert fields["operator.password"] == "登录密码应为8–64位，且同时包含字母和数字"
    assert fields["operator.id_number"] == "经办人身份证号码校验位错误，请核对"
    assert body["detail"].startswith("开户信息有误：")


def test_a_registered_uscc_is_refused(centre):
    with centre.database.session() as session:
        existing = session.scalars(select(Unit.uscc).where(Unit.unit_account == centre.unit1.unit_account)).one()
    body = problem(register(centre, registration(uscc=existing)), 409, "uscc_registered")
    assert body["detail"] == "该统一社会信用代码已开户，不能重复申请；如需找回单位账号，请联系公积金中心"


def test_one_registration_in_flight_per_uscc(centre):
    submitted(centre)
    body = problem(register(centre), 409, "application_in_flight")
    assert body["detail"] == "该统一社会信用代码已有待审批的开户申请，请勿重复提交；可凭申请编号和查询码查询进度"


def test_licence_is_required_and_query_code_checked(centre):
    created = register(centre).json()
    no, code = created["application_no"], created["query_code"]
    assert created["status"] == "draft" and len(code) == 8
    body = problem(centre.client.post(f"/registrations/{no}/submit", params={"query_code": code}), 422,
                   "attachments_missing")
    assert body["detail"] == "请上传营业执照扫描件后再提交审批"
    for wrong_no, wrong_code in ((no, "AAAAAAAA"), ("SQ20250310999999", code)):
        body = problem(centre.client.get(f"/registrations/{wrong_no}", params={"query_code": wrong_code}), 404,
                       "not_found")
        assert body["detail"] == "申请编号或查询码不正确，请核对"
        problem(attach(centre, wrong_no, wrong_code), 404, "not_found")
    problem(attach(centre, no, code, b"MZ\x90\x00 not a licence"), 415, "attachment_type")
    assert status(centre, no, code.lower())["status"] == "draft"     # typed in lower case: still found


def test_registrations_are_rate_limited_per_address(tmp_path):
    with make_centre(tmp_path, registration_limit=2, registration_window_minutes=60) as centre:
        for n in range(2):
            body = registration(name=f"示范市第{n}号有限公司", uscc_confirmed=True, uscc=USCC_BODY + str(n))
            assert register(centre, body).status_code == 201
        limited = register(centre, registration())
        body = problem(limited, 429, "rate_limited")
        assert body["detail"] == "本网络地址提交开户申请过于频繁（每60分钟最多2次），请于10:30后再试"
        assert body["title"] == "请求过于频繁" and int(limited.headers["Retry-After"]) == 3601
        centre.clock.advance(minutes=61)
        assert register(centre, registration()).status_code == 201


def test_same_key_registers_once(centre):
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    first, again = register(centre, headers=headers), register(centre, headers=headers)
    assert first.status_code == again.status_code == 201 and again.json() == first.json()
    assert centre.client.get("/centre/applications", params={"status": "all", "type": "registration"},
                             headers=bearer(centre.centre_token())).json()["total"] == 0   # still a draft
    with centre.database.session() as session:
        assert len(session.scalars(select(Registration)).all()) == 1


def test_returned_registration_is_corrected_and_resubmitted(centre):
    no, code = submitted(centre)
    token = centre.centre_token()
    application_id = queue_id(centre, token, no)
    decide(centre, token, application_id, "return", "法定代表人姓名与执照不符")
    shown = status(centre, no, code)
    assert shown["status"] == "returned" and shown["opinion"] == "法定代表人姓名与执照不符"
    corrected = centre.client.put(f"/registrations/{no}", params={"query_code": code},
                                  json=registration(legal_rep_name="周敏"))
    assert corrected.json()["status"] == "returned", corrected.text
    assert centre.client.post(f"/registrations/{no}/submit", params={"query_code": code}).json()["status"] == "pending"
    decide(centre, token, application_id, "approve")
    with centre.database.session() as session:
        unit = session.scalars(select(Unit).where(Unit.uscc == USCC)).one()
        assert unit.legal_rep_name == "周敏"
    problem(centre.client.put(f"/registrations/{no}", params={"query_code": code}, json=registration()), 409,
            "application_finished")


def test_rejected_registration_creates_nothing(centre):
    no, code = submitted(centre)
    token = centre.centre_token()
    decide(centre, token, queue_id(centre, token, no), "reject", "营业执照已注销")
    assert status(centre, no, code)["status"] == "rejected"
    with centre.database.session() as session:
        assert session.scalars(select(Unit).where(Unit.uscc == USCC)).first() is None
    assert register(centre).status_code == 201     # the USCC is free again
