"""汇缴 through the API (SPEC 4.5): GET /remittance/next with its breakdown and who explains it, signed
assessments of one or several months (every refusal, with its Chinese message), the roster snapshot,
listing and deleting, unit scoping, the centre's receipts (allocated, or left in 暂存款 and saying why),
and the ledger invariant after every step."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import select, update

from server_stub.employees.models import Employee
from server_stub.ledger.models import JournalDetail, JournalEntry
from server_stub.ledger.service import check_all
from server_stub.remittance.models import RemittanceAssessment
from services.signing import submission_message
from tests.support.server import Centre, bearer
from tests.unit.test_server_applications import reviewer  # noqa: F401 - fixtures
from tests.unit.test_server_employees import Desk, a, b, centre, key, people  # noqa: F401 - fixtures

pytestmark = pytest.mark.postgres   # also run on PostgreSQL when GJJ_TEST_PG_URL is set

UNIT1_NAME = "示范市智联科技有限公司"
ASSESS_PATH = "/api/v1/remittance/assessments"


# -- helpers ----------------------------------------------------------------------------------------

def assess(d: Desk, months: list[str], *, idempotency: str | None = None):
    body = {"months": months}
    signed = {**body, "signature": d.ukey.sign_b64(submission_message("POST", ASSESS_PATH, body))}
    return d.centre.client.post("/remittance/assessments", json=signed, headers=d.headers(idempotency))


def assess_ok(d: Desk, months: list[str]) -> list[dict]:
    response = assess(d, months)
    assert response.status_code == 200, response.text
    assert response.json()["message"] == "核定成功"
    return response.json()["assessments"]


def refused(response, status: int, code: str, detail: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["code"] == code
    assert response.json()["detail"] == detail


def receipt(centre: Centre, token: str, unit_account: str, assessment_id: int | None, amount: str,
            received_on: str = "2025-03-12"):
    response = centre.client.post("/centre/receipts", headers=bearer(token), json={
        "unit_account": unit_account, "assessment_id": assessment_id, "amount": amount, "received_on": received_on})
    assert response.status_code == 200, response.text
    return response.json()


def set_business_date(centre: Centre, token: str, day: str) -> None:
    response = centre.client.post("/centre/business-date", json={"date": day}, headers=bearer(token))
    assert response.status_code == 200, response.text


def assert_ledger(centre: Centre) -> None:
    with centre.database.session() as session:
        problems = {r.unit_account: r.problems for r in check_all(session=session) if r.problems}
    assert problems == {}


def money(text: str) -> Decimal:
    return Decimal(text)


def monthly(e: dict) -> Decimal:
    return money(e["unit_monthly"]) + money(e["person_monthly"])


# -- GET /remittance/next -----------------------------------------------------------------------------

def test_next_month_and_breakdown_explain_who_joined_left_and_changed(centre, a, people):
    before = {e["person_account"]: e for e in a.employees() if e["status"] == "01"}
    last_amount = sum((monthly(e) for e in before.values()), Decimal("0"))
    nxt = a.get("/remittance/next")
    assert nxt["month"] == "2025-03"
    assert nxt["last"] == {"headcount": len(before), "amount": f"{last_amount:.2f}"}
    assert nxt["added"]["headcount"] == 0 and nxt["removed"]["headcount"] == 0
    assert nxt["amount"] == f"{last_amount:.2f}" and nxt["max_months"] == 3 and nxt["latest_month"] == "2025-03"

    joined = a.open([people.row(base="5000.00", first_month="2025-03"),
                     people.row(id_number=people.id_number(dt.date(1988, 1, 2)), base="8000.00",
                                first_month="2025-03")])
    leaver, changed = sorted(before)[:2]
    a.seal([leaver], month="2025-03")
    with centre.database.transaction() as session:    # as an approved 基数调整 leaves it
        session.execute(update(Employee).where(Employee.person_account == changed)
                        .values(base=Decimal("30000.00"), unit_monthly=Decimal("3600.00"),
                                person_monthly=Decimal("3600.00")))
    new = {j: a.employee(j) for j in joined}
    nxt = a.get("/remittance/next")
    change = Decimal("7200.00") - monthly(before[changed])
    added = sum((monthly(e) for e in new.values()), Decimal("0")) + max(change, Decimal("0"))
    removed = monthly(before[leaver]) + max(-change, Decimal("0"))
    assert nxt["added"]["headcount"] == 2 and nxt["added"]["amount"] == f"{added:.2f}"
    assert nxt["removed"]["headcount"] == 1 and nxt["removed"]["amount"] == f"{removed:.2f}"
    assert nxt["headcount"] == len(before) + 2 - 1
    assert money(nxt["amount"]) == last_amount + added - removed
    reasons = {(p["person_account"], p["reason"]) for p in nxt["added"]["people"] + nxt["removed"]["people"]}
    assert reasons == {(joined[0], "joined"), (joined[1], "joined"), (leaver, "left"), (changed, "base_changed")}
    # the assessment keeps the same figures for its 汇补缴书 (上月 here: what the journal paid for 2025-02)
    (made,) = assess_ok(a, ["2025-03"])
    kept = a.get(f"/remittance/assessments/{made['id']}")["breakdown"]
    assert kept == {part: {"headcount": nxt[part]["headcount"], "amount": nxt[part]["amount"]}
                    for part in ("last", "added", "removed")}
    assert_ledger(centre)


# -- POST /remittance/assessments ---------------------------------------------------------------------

def test_assess_one_month_keeps_the_roster_sends_the_message_and_moves_next(centre, a):
    active = {e["person_account"]: e for e in a.employees() if e["status"] == "01"}
    (made,) = assess_ok(a, ["2025-03"])
    total = sum((monthly(e) for e in active.values()), Decimal("0"))
    assert made["month"] == "2025-03" and made["headcount"] == len(active) and made["amount"] == f"{total:.2f}"
    assert made["status"] == "unallocated" and made["serial"].startswith("HJ20250310")
    assert len(made["verification_code"]) == 8 and made["verification_code"].isdigit()
    assert made["payee"]["account"] and made["payee"]["bank"] and made["payee"]["name"]
    assert made["deadline"] == "2025-03-25" and made["assessed_on"] == "2025-03-10"
    detail = a.get(f"/remittance/assessments/{made['id']}")
    assert {r["person_account"]: (r["unit_monthly"], r["person_monthly"]) for r in detail["roster"]} == {
        p: (e["unit_monthly"], e["person_monthly"]) for p, e in active.items()}
    bodies = [m["body"] for m in a.get("/messages", page_size=100)["items"]]
    assert any(body.startswith(f"尊敬的{UNIT1_NAME}，您已完成办理汇缴核定") for body in bodies)
    assert a.get("/remittance/next")["month"] == "2025-04"
    # the snapshot does not follow later changes
    with centre.database.transaction() as session:
        session.execute(update(Employee).where(Employee.unit_id == session.scalar(
            select(Employee.unit_id).where(Employee.person_account == next(iter(active))))).values(
            unit_monthly=Decimal("1.00")))
    assert a.get(f"/remittance/assessments/{made['id']}")["roster"] == detail["roster"]
    with centre.database.session() as session:
        row = session.get(RemittanceAssessment, made["id"])
        assert row.signature and '"months":["2025-03"]' in row.signed_body
    assert_ledger(centre)


def test_assess_refusals_in_chinese(centre, a, reviewer):
    refused(assess(a, ["2025-04"]), 422, "not_next_month", "汇缴年月应从2025-03开始（下一个应缴年月），请核对")
    refused(assess(a, ["2025-03", "2025-04"]), 422, "month_in_future", "汇缴年月2025-04晚于当前业务年月2025-03，不能提前核定")
    set_business_date(centre, reviewer, "2025-08-01")
    refused(assess(a, ["2025-03", "2025-05"]), 422, "months_not_consecutive", "汇缴年月应连续：2025-03之后应为2025-04，请核对")
    refused(assess(a, ["2025-03", "2025-04", "2025-05", "2025-06"]), 422, "too_many_months", "一次最多核定3个月，请减少月数")
    refused(assess(a, ["2025-3"]), 422, "month_invalid", "汇缴年月格式应为YYYY-MM")
    unsigned = a.centre.client.post("/remittance/assessments", json={"months": ["2025-03"]}, headers=a.headers())
    assert unsigned.status_code == 403 and unsigned.json()["code"] == "bad_signature"
    forged = a.centre.client.post("/remittance/assessments", headers=a.headers(), json={
        "months": ["2025-03"], "signature": a.ukey.sign_b64(submission_message("POST", ASSESS_PATH, {"months": ["2025-04"]}))})
    assert forged.status_code == 403 and forged.json()["code"] == "bad_signature"
    assert a.get("/remittance/assessments")["total"] == 0
    assert_ledger(centre)


def test_several_months_list_and_delete_only_the_latest_unpaid(centre, a, reviewer):
    set_business_date(centre, reviewer, "2025-05-20")
    made = assess_ok(a, ["2025-03", "2025-04", "2025-05"])
    assert [m["month"] for m in made] == ["2025-03", "2025-04", "2025-05"]
    assert len({m["serial"] for m in made}) == 3
    # 上月 of each later month is the month assessed before it, with nothing added or removed
    for before, after in zip(made, made[1:]):
        assert a.get(f"/remittance/assessments/{after['id']}")["breakdown"] == {
            "last": {"headcount": before["headcount"], "amount": before["amount"]},
            "added": {"headcount": 0, "amount": "0.00"}, "removed": {"headcount": 0, "amount": "0.00"}}
    listed = a.get("/remittance/assessments", status="unallocated")
    assert [i["month"] for i in listed["items"]] == ["2025-03", "2025-04", "2025-05"] and listed["total"] == 3
    refused(a.centre.client.delete(f"/remittance/assessments/{made[0]['id']}", headers=a.headers()), 409,
            "not_latest", "只能删除最近一次未分配的汇缴核定（2025-05），请先删除之后月份的核定")
    assert a.centre.client.delete(f"/remittance/assessments/{made[2]['id']}", headers=a.headers()).status_code == 204
    assert a.get("/remittance/next")["month"] == "2025-05"
    assert [i["month"] for i in a.get("/remittance/assessments")["items"]] == ["2025-03", "2025-04"]
    missing = a.centre.client.get(f"/remittance/assessments/{made[2]['id']}", headers=a.headers())
    refused(missing, 404, "not_found", "未找到该汇缴核定记录")
    # a paid one cannot be deleted either
    receipt(centre, reviewer, a.unit.unit_account, made[0]["id"], made[0]["amount"])
    receipt(centre, reviewer, a.unit.unit_account, made[1]["id"], made[1]["amount"])
    refused(a.centre.client.delete(f"/remittance/assessments/{made[1]['id']}", headers=a.headers()), 409,
            "assessment_paid", "2025-04的汇缴已到账分配，不能删除")
    assert a.get("/remittance/assessments", status="unallocated")["total"] == 0
    assert a.get("/remittance/assessments", status="allocated")["total"] == 2
    assert_ledger(centre)


def test_unit_b_cannot_see_or_delete_the_assessments_of_a(centre, a, b):
    (made,) = assess_ok(a, ["2025-03"])
    assert b.get("/remittance/assessments")["total"] == 0
    refused(b.centre.client.get(f"/remittance/assessments/{made['id']}", headers=b.headers()), 404,
            "not_found", "未找到该汇缴核定记录")
    refused(b.centre.client.delete(f"/remittance/assessments/{made['id']}", headers=b.headers()), 404,
            "not_found", "未找到该汇缴核定记录")
    assert a.get(f"/remittance/assessments/{made['id']}")["id"] == made["id"]


def test_a_repeated_idempotency_key_assesses_once(centre, a):
    k = key()
    body = {"months": ["2025-03"]}
    signed = {**body, "signature": a.ukey.sign_b64(submission_message("POST", ASSESS_PATH, body))}
    first = a.centre.client.post("/remittance/assessments", json=signed, headers=a.headers(k))
    again = a.centre.client.post("/remittance/assessments", json=signed, headers=a.headers(k))
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    assert a.get("/remittance/assessments")["total"] == 1


# -- POST /centre/receipts ----------------------------------------------------------------------------

def test_receipt_allocates_to_personal_accounts_and_advances_paid_through(centre, a, reviewer):
    before = {e["person_account"]: e for e in a.employees()}
    unit_before = a.get("/unit")
    (made,) = assess_ok(a, ["2025-03"])
    assert_ledger(centre)
    answer = receipt(centre, reviewer, a.unit.unit_account, made["id"], made["amount"])
    assert answer["status"] == "allocated" and answer["month"] == "2025-03" and answer["note"] == ""
    assert len(answer["serials"]) == 2 and answer["unallocated"] == unit_before["unallocated"]
    after = {e["person_account"]: e for e in a.employees()}
    for account, e in before.items():
        paid = monthly(e) if e["status"] == "01" else Decimal("0")
        assert money(after[account]["balance"]) == money(e["balance"]) + paid
        assert after[account]["paid_through"] == ("2025-03" if e["status"] == "01" else e["paid_through"])
    unit_after = a.get("/unit")
    assert unit_after["paid_through"] == "2025-03"
    assert money(unit_after["balance"]) == money(unit_before["balance"]) + money(made["amount"])
    assert a.get("/remittance/assessments", status="unallocated")["total"] == 0
    with centre.database.session() as session:
        entries = session.scalars(select(JournalEntry).where(JournalEntry.serial.in_(answer["serials"]))
                                  .order_by(JournalEntry.id)).all()
        assert [e.type for e in entries] == ["receipt", "remittance"]
        assert entries[0].unallocated_change == money(made["amount"]) == -entries[1].unallocated_change
        assert entries[1].month is not None and str(entries[1].month) == "2025-03"
        details = session.scalars(select(JournalDetail).where(JournalDetail.entry_id == entries[1].id)).all()
        assert len(details) == made["headcount"] == entries[1].headcount
        assert sum((d.amount for d in details), Decimal("0")) == money(made["amount"])
    titles = [m["title"] for m in a.get("/messages", page_size=100)["items"]]
    assert "2025年03月汇缴已到账" in titles
    assert_ledger(centre)


def test_receipts_that_do_not_match_stay_in_unallocated_and_say_why(centre, a, b, reviewer):
    set_business_date(centre, reviewer, "2025-04-02")
    march, april = assess_ok(a, ["2025-03", "2025-04"])
    start = money(a.get("/unit")["unallocated"])
    wrong = receipt(centre, reviewer, a.unit.unit_account, march["id"], "1.00")
    assert wrong["status"] == "unallocated"
    assert wrong["note"] == f"来款金额1.00元与核定金额{march['amount']}元不符"
    early = receipt(centre, reviewer, a.unit.unit_account, april["id"], april["amount"])
    assert early["note"] == "应先缴纳2025-03的汇缴" and early["status"] == "unallocated"
    (b_made,) = assess_ok(b, [b.get("/remittance/next")["month"]])
    other = receipt(centre, reviewer, a.unit.unit_account, b_made["id"], b_made["amount"])
    assert other["note"] == "未找到该单位的对应汇缴核定" and other["assessment_id"] is None
    expected = start + Decimal("1.00") + money(april["amount"]) + money(b_made["amount"])
    assert money(a.get("/unit")["unallocated"]) == expected == money(other["unallocated"])
    assert a.get("/unit")["paid_through"] == "2025-02"
    assert a.get("/remittance/assessments", status="unallocated")["total"] == 2
    bodies = [m["body"] for m in a.get("/messages", page_size=100)["items"]]
    assert f"尊敬的{UNIT1_NAME}，贵单位来款1.00元已存入暂存款，未分配：来款金额1.00元与核定金额{march['amount']}元不符" in bodies
    paid = receipt(centre, reviewer, a.unit.unit_account, march["id"], march["amount"])
    assert paid["status"] == "allocated"
    again = receipt(centre, reviewer, a.unit.unit_account, march["id"], march["amount"])
    assert again["note"] == "2025-03的汇缴已分配" and again["status"] == "unallocated"
    assert_ledger(centre)


def test_receipt_refusals(centre, a, reviewer):
    bad_unit = centre.client.post("/centre/receipts", headers=bearer(reviewer), json={
        "unit_account": "100199999999", "assessment_id": 1, "amount": "10.00", "received_on": "2025-03-12"})
    refused(bad_unit, 404, "unit_not_found", "单位账号100199999999不存在")
    for amount in ("0.00", "-5.00"):
        response = centre.client.post("/centre/receipts", headers=bearer(reviewer), json={
            "unit_account": a.unit.unit_account, "assessment_id": 1, "amount": amount, "received_on": "2025-03-12"})
        refused(response, 422, "amount_invalid", "来款金额应大于0")
    response = centre.client.post("/centre/receipts", headers=bearer(reviewer), json={
        "unit_account": a.unit.unit_account, "amount": "1.234", "received_on": "2025-03-12"})
    refused(response, 422, "amount_invalid", "来款金额格式不正确，应为两位小数的金额")
    unit_token = centre.client.post("/centre/receipts", headers=a.headers(), json={
        "unit_account": a.unit.unit_account, "assessment_id": 1, "amount": "1.00", "received_on": "2025-03-12"})
    assert unit_token.status_code in (401, 403)
    assert_ledger(centre)


# -- a scenario, every figure computed here -------------------------------------------------------------

def _part(base: Decimal, ratio: Decimal) -> Decimal:
    """The demo policy: each part rounded half up to the yuan."""
    return (base * ratio / 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP).quantize(Decimal("0.01"))


def test_scenario_open_assess_pay_seal_and_every_balance_to_the_fen(centre, a, reviewer, people):
    policy = a.get("/policy")
    assert policy["rounding"] == {"precision": "yuan", "mode": "half_up"}
    start = {e["person_account"]: e for e in a.employees()}
    balances = {p: money(e["balance"]) for p, e in start.items()}
    ratio = {p: (money(e["unit_ratio"]), money(e["person_ratio"])) for p, e in start.items()}
    bases = {p: money(e["base"]) for p, e in start.items()}
    active = {p for p, e in start.items() if e["status"] == "01"}
    unallocated = money(a.get("/unit")["unallocated"])
    unit_balance = money(a.get("/unit")["balance"])

    def expected_month(payers: set[str]) -> Decimal:
        return sum((_part(bases[p], ratio[p][0]) + _part(bases[p], ratio[p][1]) for p in payers), Decimal("0"))

    def check() -> None:
        now = {e["person_account"]: money(e["balance"]) for e in a.employees()}
        assert now == balances
        unit = a.get("/unit")
        assert money(unit["unallocated"]) == unallocated
        assert money(unit["balance"]) == unit_balance == sum(balances.values(), Decimal("0")) + unallocated
        assert_ledger(centre)

    check()
    # March: two join (odd bases to exercise rounding per part)
    new_bases = [Decimal("4321.50"), Decimal("7777.77")]
    joined = a.open([people.row(base=f"{new_bases[0]}", first_month="2025-03"),
                     people.row(id_number=people.id_number(dt.date(1991, 3, 3)), base=f"{new_bases[1]}",
                                first_month="2025-03")])
    unit_ratio = money(a.get("/unit")["unit_ratio"])
    person_ratio = money(a.get("/unit")["person_ratio"])
    for p, base in zip(joined, new_bases):
        bases[p], ratio[p], balances[p] = base, (unit_ratio, person_ratio), Decimal("0")
        e = a.employee(p)
        assert money(e["unit_monthly"]) == _part(base, unit_ratio) and money(e["person_monthly"]) == _part(base, person_ratio)
    active |= set(joined)
    check()
    (march,) = assess_ok(a, ["2025-03"])
    assert money(march["amount"]) == expected_month(active) and march["headcount"] == len(active)
    check()
    receipt(centre, reviewer, a.unit.unit_account, march["id"], march["amount"], "2025-03-15")
    for p in active:
        balances[p] += _part(bases[p], ratio[p][0]) + _part(bases[p], ratio[p][1])
    unit_balance += money(march["amount"])
    check()
    # April and May together; one leaves from May
    set_business_date(centre, reviewer, "2025-05-08")
    leaver = sorted(active)[0]
    a.seal([leaver], month="2025-05")
    april, may = assess_ok(a, ["2025-04", "2025-05"])
    assert money(april["amount"]) == expected_month(active)
    assert money(may["amount"]) == expected_month(active - {leaver}) and may["headcount"] == len(active) - 1
    check()
    short = Decimal("100.00")
    receipt(centre, reviewer, a.unit.unit_account, april["id"], f"{money(april['amount']) - short:.2f}", "2025-05-09")
    unallocated += money(april["amount"]) - short
    unit_balance += money(april["amount"]) - short
    check()
    receipt(centre, reviewer, a.unit.unit_account, april["id"], april["amount"], "2025-05-10")
    for p in active:
        balances[p] += _part(bases[p], ratio[p][0]) + _part(bases[p], ratio[p][1])
    unit_balance += money(april["amount"])
    check()
    receipt(centre, reviewer, a.unit.unit_account, may["id"], may["amount"], "2025-05-11")
    for p in active - {leaver}:
        balances[p] += _part(bases[p], ratio[p][0]) + _part(bases[p], ratio[p][1])
    unit_balance += money(may["amount"])
    check()
    assert a.get("/unit")["paid_through"] == "2025-05"
    assert a.employee(leaver)["paid_through"] == "2025-04"
    assert a.get("/remittance/next")["month"] == "2025-06"


# -- two sessions at the same moment (PostgreSQL) --------------------------------------------------------

def test_two_sessions_assessing_at_once_exactly_one_succeeds(centre, a):
    import os
    import threading

    from server_stub.employees.signatures import SignedSubmission
    from server_stub.errors import Problem
    from server_stub.remittance import service
    from server_stub.units.service import find_unit

    if not os.environ.get("GJJ_TEST_PG_URL"):
        pytest.skip("row locks and unique-index waits are what this proves: PostgreSQL only")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt() -> None:
        with centre.database.session() as session:
            unit = find_unit(session=session, unit_account=a.unit.unit_account)
            barrier.wait()
            try:
                service.assess(session=session, unit=unit, months=[service.YearMonth.parse("2025-03")],
                               operator_id=None, operator_name="张丽", now=centre.clock(),
                               submission=SignedSubmission(certificate_id=None, path=ASSESS_PATH, signed_body="{}",
                                                           signature="x"))
                session.commit()
                outcomes.append("ok")
            except Problem as exc:
                session.rollback()
                outcomes.append(exc.code)

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "ok"]
    assert a.get("/remittance/assessments")["total"] == 1
    assert_ledger(centre)
