"""补缴 on the centre (SPEC 4.6): every refusal with the desk's codes and messages, 初审 → 复审, the bill and
its lines (each row split over its months to the fen), paying it by a receipt naming the application
(allocated to the personal accounts, journal and details, 缴至年月 unchanged), a mismatched receipt left in
暂存款 and allocated later by POST /centre/allocations, one 补缴 per person per month across applications,
unit scoping, and the ledger invariant after every money step."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from services.contribution_rules import split_over_months, supplement_amount_problem
from services.yearmonth import YearMonth
from tests.support.server import bearer
from tests.unit.test_server_applications import create, decide, detail, messages_of, problem, submit, \
    submitted_change, upload
from tests.unit.test_server_applications import reviewer, second  # noqa: F401 - fixtures
from tests.unit.test_server_employees import Desk, People
from tests.unit.test_server_employees import a, b, centre  # noqa: F401 - fixtures
from tests.unit.test_server_remittance import assert_ledger, assess_ok, receipt, set_business_date

pytestmark = pytest.mark.postgres   # also run on PostgreSQL when GJJ_TEST_PG_URL is set

TYPE = "supplementary"
UNIT1_NAME = "示范市智联科技有限公司"


def active(d: Desk) -> list[dict]:
    """This unit's 正常 people with an account opened before 2024 (every month of 2024 may be supplemented)."""
    return sorted((e for e in d.employees() if e["status"] == "01" and e["opened_on"] < "2024-01-01"),
                  key=lambda e: e["person_account"])


def supplement(e: dict | str, first: str, last: str, unit: str, person: str, reason: str = "1") -> dict:
    account = e if isinstance(e, str) else e["person_account"]
    return {"person_account": account, "reason": reason, "from_month": first, "to_month": last,
            "unit_amount": unit, "person_amount": person}


def create_supplementary(d: Desk, rows: list[dict]):
    return create(d.centre, d.headers(), {"rows": rows}, unit=d.unit, type_code=TYPE)


def approved(d: Desk, rows: list[dict], first_token: str, second_token: str) -> int:
    """A 补缴 created, documented, submitted, 初审 and 复审 approved: its application id."""
    created = create_supplementary(d, rows)
    assert created.status_code == 201, created.text
    application_id = created.json()["id"]
    assert upload(d.centre, d.headers(), application_id).status_code == 201
    assert submit(d.centre, d.headers(), application_id).json()["status"] == "pending"
    assert decide(d.centre, first_token, application_id, "approve").json()["current_node"] == "中心复审"
    decided = decide(d.centre, second_token, application_id, "approve", "同意补缴")
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "approved"
    return application_id


def bill_of(d: Desk, application_id: int) -> dict:
    (found,) = [b for b in d.get("/supplementary/bills")["items"] if b["application_id"] == application_id]
    return d.get(f"/supplementary/bills/{found['id']}")


def pay(centre, token: str, unit_account: str, application_id: int, amount: str, received_on: str = "2025-03-12"):
    response = centre.client.post("/centre/receipts", headers=bearer(token), json={
        "unit_account": unit_account, "application_id": application_id, "amount": amount,
        "received_on": received_on})
    assert response.status_code == 200, response.text
    return response.json()


def allocate(centre, token: str, unit_account: str, **target):
    return centre.client.post("/centre/allocations", headers=bearer(token),
                              json={"unit_account": unit_account, **target})


def money(text: str) -> Decimal:
    return Decimal(text)


# -- refusals ---------------------------------------------------------------------------------------

def test_every_refusal_with_the_desks_codes_and_messages(centre, a, b):
    people = active(a)
    oldest = min(people, key=lambda e: e["opened_on"])
    p1, p2, p3 = people[1], people[2], people[3]
    (newcomer,) = a.open([People().row(first_month="2025-03")])         # opened on the business date 2025-03-10
    stranger = b.employees()[0]["person_account"]
    rows = [
        supplement(p1, "2025-01", "2025-02", "100.00", "100.00"),          # 1 fine
        supplement(p1, "2025-01", "2025-01", "100.00", "100.00", reason="7"),   # 2 unknown reason (+ overlaps 1)
        supplement(p2, "2025-02", "2025-01", "100.00", "100.00"),          # 3 to < from
        supplement(p2, "2025-02", "2025-03", "100.00", "100.00"),          # 4 not in the past
        supplement(newcomer, "2025-02", "2025-02", "100.00", "100.00"),    # 5 before the account was opened
        supplement(oldest, "2023-02", "2023-02", "100.00", "100.00"),      # 6 beyond the look-back
        supplement(p3, "2024-06", "2024-06", "0.00", "0.00"),              # 7 nothing to pay
        supplement(p3, "2024-01", "2024-02", "8594.01", "8594.00"),        # 8 over the cap (2 × 4297.00)
        supplement(stranger, "2025-01", "2025-01", "100.00", "100.00"),    # 9 another unit's person
    ]
    body = problem(create_supplementary(a, rows), 422, "rows_invalid")
    opened = YearMonth.parse(oldest["opened_on"][:7])
    expected = [
        {"row": 2, "field": "reason", "code": "reason_unknown", "message": "补缴原因不正确：7（请从下拉列表中选择）"},
        {"row": 2, "field": "from_month", "code": "duplicate_month",
         "message": "补缴年月与第1行重叠：同一职工同一月份只能补缴一次"},
        {"row": 3, "field": "to_month", "code": "month_range", "message": "补缴终止年月2025-01早于起始年月2025-02，请核对"},
        {"row": 4, "field": "to_month", "code": "month_not_past",
         "message": "补缴年月2025-03不是已过去的月份（当前为2025-03），只能补缴2025-02及以前的月份"},
        {"row": 5, "field": "from_month", "code": "before_opening",
         "message": "补缴起始年月2025-02早于该职工的开户年月2025-03，请核对"},
        {"row": 6, "field": "from_month", "code": "month_too_early",
         "message": "补缴起始年月2023-02超过最长补缴期限24个月（最早2023-03），请核对"},
    ]
    if opened > YearMonth(2023, 2):
        expected.append({"row": 6, "field": "from_month", "code": "before_opening",
                         "message": f"补缴起始年月2023-02早于该职工的开户年月{opened}，请核对"})
    expected += [
        {"row": 7, "field": "total", "code": "money_positive", "message": "补缴金额应大于0"},
        {"row": 8, "field": "unit_amount", "code": "amount_over_cap",
         "message": "单位补缴金额8594.01超过按缴存基数上限35811.00计算的2个月最高额8594.00，请核对"},
        {"row": 9, "field": "person_account", "code": "not_found",
         "message": f"个人账号{stranger}不存在或不属于本单位，请核对"},
    ]
    assert body["errors"] == expected
    assert body["detail"].startswith("补缴未办理（全部行均未生效）：共8行有误，请修改后重新提交。第2行 补缴原因不正确")
    negative = create_supplementary(a, [supplement(p1, "2025-01", "2025-01", "-5.00", "100.00")])
    assert negative.status_code == 422 and negative.json()["errors"][0]["field"].endswith("unit_amount")
    assert supplement_amount_problem(Decimal("-5.00"), Decimal("100.00")).message == "单位补缴金额不能为负数"
    assert a.get("/applications", box="initiated")["total"] == 0


def test_lines_split_to_the_fen():
    assert split_over_months(Decimal("1000.01"), 3) == [Decimal("333.33"), Decimal("333.33"), Decimal("333.35")]
    assert split_over_months(Decimal("0.02"), 3) == [Decimal("0.00"), Decimal("0.00"), Decimal("0.02")]
    assert sum(split_over_months(Decimal("98765.43"), 24)) == Decimal("98765.43")


# -- approval, bill, receipt, allocation --------------------------------------------------------------

def test_approved_bill_paid_by_a_receipt_naming_the_application(centre, a, reviewer, second):
    p1, p2 = active(a)[:2]
    start = {e["person_account"]: e for e in a.employees()}
    unit_before = a.get("/unit")
    rows = [supplement(p1, "2024-12", "2025-02", "1000.00", "1000.01"),
            supplement(p2, "2025-01", "2025-01", "250.50", "250.50", reason="少缴(基数/比例差额)")]
    application_id = approved(a, rows, reviewer, second)

    bill = bill_of(a, application_id)
    assert bill["serial"] == "BJ20250310000001" and len(bill["verification_code"]) == 8
    assert (bill["headcount"], bill["unit_amount"], bill["person_amount"], bill["amount"]) == (
        2, "1250.50", "1250.51", "2501.01")
    assert (bill["status"], bill["approved_on"], bill["deadline"], bill["allocated_at"]) == (
        "unallocated", "2025-03-10", "2025-03-25", None)
    assert bill["payee"]["name"] == centre.config.centre_name
    lines = [(x["person_account"], x["month"], x["reason"], x["unit_amount"], x["person_amount"]) for x in bill["lines"]]
    assert lines == sorted([
        (p1["person_account"], "2024-12", "1", "333.33", "333.33"),
        (p1["person_account"], "2025-01", "1", "333.33", "333.33"),
        (p1["person_account"], "2025-02", "1", "333.34", "333.35"),
        (p2["person_account"], "2025-01", "2", "250.50", "250.50")])
    assert sum(money(x["unit_amount"]) + money(x["person_amount"]) for x in bill["lines"]) == money(bill["amount"])
    assert bill["lines"][0]["name"] == p1["name"] and bill["lines"][0]["id_number"] == p1["id_number"]
    assert bill["lines"][-1]["reason_label"] == "少缴(基数/比例差额)"
    (message,) = [m for m in messages_of(centre, centre.unit1.unit_account, "补缴") if "审核通过" in m.title]
    assert message.body.endswith("审批意见：同意补缴。补缴书号BJ20250310000001，补缴金额2501.01元（单位1250.50元、个人"
                                 "1250.51元），请于2025年3月25日前缴款。")
    assert a.get("/supplementary/bills", status="allocated")["total"] == 0
    assert_ledger(centre)

    paid = pay(centre, reviewer, a.unit.unit_account, application_id, "2501.01")
    assert paid["status"] == "allocated" and paid["note"] == "" and paid["bill_id"] == bill["id"]
    assert paid["application_id"] == application_id and paid["assessment_id"] is None and len(paid["serials"]) == 2
    assert paid["unallocated"] == unit_before["unallocated"]
    assert_ledger(centre)
    entry = a.get(f"/unit/journal/{paid['serials'][1]}")
    assert (entry["type"], entry["summary"], entry["amount"], entry["headcount"], entry["unallocated_change"]) == (
        "supplementary", "2024年12月至2025年02月补缴", "2501.01", 2, "-2501.01")
    assert sorted((d["person_account"], d["amount"], d["type"]) for d in entry["details"]) == sorted([
        (p1["person_account"], "2000.01", "supplementary"), (p2["person_account"], "501.00", "supplementary")])
    after = {e["person_account"]: e for e in a.employees()}
    assert money(after[p1["person_account"]]["balance"]) == money(start[p1["person_account"]]["balance"]) + \
        Decimal("2000.01")
    assert money(after[p2["person_account"]]["balance"]) == money(start[p2["person_account"]]["balance"]) + \
        Decimal("501.00")
    assert all(after[p]["paid_through"] == start[p]["paid_through"] for p in start)       # 补缴 does not advance it
    unit_after = a.get("/unit")
    assert unit_after["paid_through"] == unit_before["paid_through"]
    assert money(unit_after["balance"]) == money(unit_before["balance"]) + Decimal("2501.01")
    paid_bill = bill_of(a, application_id)
    assert paid_bill["status"] == "allocated" and paid_bill["allocated_at"].startswith("2025-03-10T")
    assert a.get("/supplementary/bills", status="unallocated")["total"] == 0
    assert [m.body for m in messages_of(centre, centre.unit1.unit_account, "补缴") if m.title == "补缴已到账"] == [
        f"尊敬的{UNIT1_NAME}，您已完成办理补缴（补缴书号BJ20250310000001，2024年12月至2025年02月，2人，合计2501.01元），"
        "款项已分配至职工个人账户。"]

    again = pay(centre, reviewer, a.unit.unit_account, application_id, "2501.01")
    assert again["status"] == "unallocated" and again["note"] == "补缴书BJ20250310000001的补缴已分配"
    assert money(again["unallocated"]) == money(unit_before["unallocated"]) + Decimal("2501.01")
    assert_ledger(centre)


def test_mismatched_receipt_stays_in_unallocated_then_allocations_pay_it(centre, a, reviewer, second):
    p1 = active(a)[0]
    application_id = approved(a, [supplement(p1, "2024-10", "2024-11", "2500.00", "2500.00")], reviewer, second)
    serial = bill_of(a, application_id)["serial"]
    held = money(a.get("/unit")["unallocated"])
    balance = money(a.employee(p1["person_account"])["balance"])

    short = pay(centre, reviewer, a.unit.unit_account, application_id, "3000.00")
    assert short["status"] == "unallocated" and short["bill_id"] is not None
    assert short["note"] == "来款金额3000.00元与补缴金额5000.00元不符"
    assert money(short["unallocated"]) == held + Decimal("3000.00")
    stored = [m.body for m in messages_of(centre, centre.unit1.unit_account, "补缴") if m.title == "单位来款已暂存"]
    assert stored == [f"尊敬的{UNIT1_NAME}，贵单位来款3000.00元已存入暂存款，未分配：来款金额3000.00元与补缴金额5000.00元不符"]
    assert_ledger(centre)

    lacking = Decimal("5000.00") - held - Decimal("3000.00")
    body = problem(allocate(centre, reviewer, a.unit.unit_account, application_id=application_id), 409,
                   "unallocated_insufficient")
    assert body["detail"] == (f"暂存款余额{held + Decimal('3000.00'):.2f}元不足以分配补缴书{serial}的补缴（补缴金额5000.00元），"
                              f"还差{lacking:.2f}元")
    pay(centre, reviewer, a.unit.unit_account, application_id, f"{lacking:.2f}")
    assert_ledger(centre)
    done = allocate(centre, reviewer, a.unit.unit_account, application_id=application_id)
    assert done.status_code == 200, done.text
    # booked on the business date (2025-03-10), but not before the money arrived (the receipts of 2025-03-12)
    assert (done.json()["amount"], done.json()["unallocated"], done.json()["booked_on"]) == ("5000.00", "0.00",
                                                                                            "2025-03-12")
    assert money(a.employee(p1["person_account"])["balance"]) == balance + Decimal("5000.00")
    assert bill_of(a, application_id)["status"] == "allocated"
    assert a.get(f"/unit/journal/{done.json()['serial']}")["summary"] == "2024年10月至2024年11月补缴"
    assert_ledger(centre)
    problem(allocate(centre, reviewer, a.unit.unit_account, application_id=application_id), 409, "already_allocated")


def test_allocations_for_assessments_keep_the_order_and_advance_paid_through(centre, a, reviewer):
    set_business_date(centre, reviewer, "2025-04-08")
    march, april = assess_ok(a, ["2025-03", "2025-04"])
    assert march["amount"] == april["amount"]                         # nobody joined or left
    held = money(a.get("/unit")["unallocated"])
    body = problem(allocate(centre, reviewer, a.unit.unit_account, assessment_id=march["id"]), 409,
                   "unallocated_insufficient")
    assert body["detail"] == (f"暂存款余额{held:.2f}元不足以分配2025-03的汇缴（核定金额{march['amount']}元），"
                              f"还差{money(march['amount']) - held:.2f}元")
    early = receipt(centre, reviewer, a.unit.unit_account, april["id"], april["amount"], "2025-04-08")
    assert early["status"] == "unallocated" and early["note"] == "应先缴纳2025-03的汇缴"
    assert_ledger(centre)
    body = problem(allocate(centre, reviewer, a.unit.unit_account, assessment_id=april["id"]), 409, "not_earliest")
    assert body["detail"] == "应先缴纳2025-03的汇缴"
    done = allocate(centre, reviewer, a.unit.unit_account, assessment_id=march["id"])
    assert done.status_code == 200, done.text
    assert (done.json()["month"], done.json()["unallocated"]) == ("2025-03", f"{held:.2f}")
    assert a.get("/unit")["paid_through"] == "2025-03"
    assert a.get("/remittance/assessments", status="allocated")["items"][0]["month"] == "2025-03"
    assert_ledger(centre)


def test_allocation_refusals(centre, a, b, reviewer, second):
    p1 = active(a)[0]
    account = a.unit.unit_account
    problem(allocate(centre, reviewer, "100199999999", assessment_id=1), 404, "unit_not_found")
    body = problem(allocate(centre, reviewer, account), 422, "target_missing")
    assert body["detail"] == "请指明要分配的汇缴核定（assessment_id）或补缴申请（application_id）"
    problem(allocate(centre, reviewer, account, assessment_id=1, application_id=1), 422, "target_ambiguous")
    body = problem(allocate(centre, reviewer, account, assessment_id=99999), 404, "not_found")
    assert body["detail"] == "未找到该单位的对应汇缴核定"
    pending = create_supplementary(a, [supplement(p1, "2025-01", "2025-01", "100.00", "100.00")]).json()["id"]
    upload(centre, a.headers(), pending)
    submit(centre, a.headers(), pending)
    application_no = detail(centre, a.headers(), pending)["application_no"]
    body = problem(allocate(centre, reviewer, account, application_id=pending), 409, "bill_not_approved")
    assert body["detail"] == f"补缴申请{application_no}尚未审批通过，没有可缴款的补缴书"
    other_type = submitted_change(centre, a.headers())
    body = problem(allocate(centre, reviewer, account, application_id=other_type), 422, "not_supplementary")
    assert body["detail"].endswith("不是补缴业务")
    body = problem(allocate(centre, reviewer, b.unit.unit_account, application_id=pending), 404, "not_found")
    assert body["detail"] == "未找到该单位的对应补缴申请"
    assert allocate(centre, a.token, account, assessment_id=1).status_code in (401, 403)
    # a receipt naming another unit's application stays in that unit's 暂存款
    stray = pay(centre, reviewer, b.unit.unit_account, pending, "200.00")
    assert stray["status"] == "unallocated" and stray["note"] == "未找到该单位的对应补缴申请"
    assert stray["bill_id"] is None
    assert_ledger(centre)


# -- one 补缴 per person per month, scoping -------------------------------------------------------------

def test_one_supplement_per_person_per_month_across_applications(centre, a, b, reviewer, second):
    p1, p2 = active(a)[:2]
    first = create_supplementary(a, [supplement(p1, "2025-01", "2025-01", "100.00", "100.00")]).json()["id"]
    upload(centre, a.headers(), first)
    submit(centre, a.headers(), first)
    busy = problem(create_supplementary(a, [supplement(p1, "2024-11", "2024-11", "100.00", "100.00")]), 409,
                   "application_in_flight")
    assert busy["detail"] == "该缴存人存在未审批完成的变更业务，请待审批完成后再提交"
    decide(centre, reviewer, first, "approve")
    decide(centre, second, first, "approve")
    serial = bill_of(a, first)["serial"]
    body = problem(create_supplementary(a, [supplement(p2, "2025-01", "2025-01", "100.00", "100.00"),
                                            supplement(p1, "2024-12", "2025-02", "300.00", "300.00")]),
                   422, "rows_invalid")
    assert body["errors"] == [{"row": 2, "field": "from_month", "code": "month_supplemented",
                               "message": f"2025-01已补缴（补缴书{serial}），同一职工同一月份只能补缴一次"}]
    assert create_supplementary(a, [supplement(p1, "2024-12", "2024-12", "100.00", "100.00")]).status_code == 201

    # unit B sees none of it
    bill_id = bill_of(a, first)["id"]
    assert b.get("/supplementary/bills")["total"] == 0
    hidden = centre.client.get(f"/supplementary/bills/{bill_id}", headers=b.headers())
    assert problem(hidden, 404, "not_found")["detail"] == "未找到该补缴书"
    assert_ledger(centre)


def test_approval_after_the_look_back_moved_on(centre, a, reviewer, second):
    """The look-back counts when the unit submits; a slow review does not undo it."""
    oldest = min(active(a), key=lambda e: e["opened_on"])
    month = max(YearMonth(2023, 3), YearMonth.parse(oldest["opened_on"][:7]))
    created = create_supplementary(a, [supplement(oldest, str(month), str(month), "100.00", "100.00")])
    assert created.status_code == 201, created.text
    application_id = created.json()["id"]
    upload(centre, a.headers(), application_id)
    submit(centre, a.headers(), application_id)
    decide(centre, reviewer, application_id, "approve")
    day = (month + 25).first_day() + dt.timedelta(days=2)
    set_business_date(centre, reviewer, day.isoformat())
    assert decide(centre, second, application_id, "approve").json()["status"] == "approved"
    assert bill_of(a, application_id)["lines"][0]["month"] == str(month)


def test_gjj_centre_allocate_from_the_console(centre, a, reviewer, second, monkeypatch, capsys):
    from server_stub import cli

    if centre.config.database_url:
        monkeypatch.setenv("GJJ_DATABASE_URL", centre.config.database_url)
    else:
        monkeypatch.delenv("GJJ_DATABASE_URL", raising=False)
    p1 = active(a)[0]
    application_id = approved(a, [supplement(p1, "2024-09", "2024-09", "300.00", "300.00")], reviewer, second)
    serial = bill_of(a, application_id)["serial"]
    base = ["--data-dir", str(centre.config.data_dir), "allocate", "--unit", a.unit.unit_account]
    held = money(a.get("/unit")["unallocated"])
    assert cli.main([*base, "--application", str(application_id)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"gjj-centre: 暂存款余额{held:.2f}元不足以分配补缴书{serial}的补缴（补缴金额600.00元），还差{600 - held:.2f}元")
    pay(centre, reviewer, a.unit.unit_account, application_id, "400.00")          # stays: not the bill's amount
    assert cli.main([*base, "--application", str(application_id)]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith(f"已从单位{a.unit.unit_account}的暂存款分配补缴书{serial}的补缴600.00元（业务流水号")
    assert bill_of(a, application_id)["status"] == "allocated"
    assert money(a.get("/unit")["unallocated"]) == held + Decimal("400.00") - Decimal("600.00")
    assert_ledger(centre)


def test_gjj_centre_record_receipt_from_the_console(centre, a, reviewer, second, monkeypatch, capsys):
    """The bank statement line entered at the console: a matching 补缴书 is allocated at once; a wrong amount
    stays in 暂存款 and says why."""
    from server_stub import cli

    if centre.config.database_url:
        monkeypatch.setenv("GJJ_DATABASE_URL", centre.config.database_url)
    else:
        monkeypatch.delenv("GJJ_DATABASE_URL", raising=False)
    p1 = active(a)[0]
    application_id = approved(a, [supplement(p1, "2024-08", "2024-08", "250.00", "250.00")], reviewer, second)
    serial = bill_of(a, application_id)["serial"]
    held = money(a.get("/unit")["unallocated"])
    base = ["--data-dir", str(centre.config.data_dir), "record-receipt", "--unit", a.unit.unit_account]
    assert cli.main([*base, "--amount", "12.3x"]) == 1
    assert capsys.readouterr().err.strip() == "gjj-centre: 来款金额格式不正确，应为两位小数的金额"
    assert cli.main([*base, "--amount", "499.00", "--application", str(application_id)]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith(f"已登记单位{a.unit.unit_account}来款499.00元（") and out.endswith(
        "存入暂存款，未分配：来款金额499.00元与补缴金额500.00元不符")
    assert bill_of(a, application_id)["status"] == "unallocated"
    assert cli.main([*base, "--amount", "500.00", "--serial", "BJ00000000000000"]) == 1
    assert capsys.readouterr().err.strip() == (
        f"gjj-centre: 单位{a.unit.unit_account}没有业务流水号为BJ00000000000000的汇缴核定或补缴书")
    assert cli.main([*base, "--amount", "500.00", "--serial", serial, "--received-on", "2025-03-09"]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith(f"已登记单位{a.unit.unit_account}来款500.00元（2025-03-09），已分配补缴书{serial}的补缴")
    assert bill_of(a, application_id)["status"] == "allocated"
    assert money(a.get("/unit")["unallocated"]) == held + Decimal("499.00")
    assert_ledger(centre)
