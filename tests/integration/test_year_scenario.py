"""A unit's year through the API (issue 5): open employees, assess and pay twelve months, seal and unseal
mid-year, settle interest on 30 June, adjust bases in July, make up a missed month, a receipt that does not
match (left in 暂存款, then allocated from it).

The test keeps its own books: every expected monthly amount, balance, 暂存款 and interest figure is computed
here from the policy's numbers with plain Decimal arithmetic (never by calling the code under test), and
after every step the centre must agree to the fen and the ledger invariant
(unit balance = Σ personal balances + 暂存款, and every stored balance = its journal) must hold."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import pytest

from server_stub.demo.loader import DemoSpec
from server_stub.ledger.service import check_all
from tests.support.server import Centre, bearer, make_centre
from tests.unit.test_server_applications import add_reviewer, create, decide, submit, upload
from tests.unit.test_server_employees import Desk, People, desk
from tests.unit.test_server_remittance import assess_ok, receipt, set_business_date

pytestmark = pytest.mark.postgres   # also run on PostgreSQL when GJJ_TEST_PG_URL is set

YUAN = Decimal("1")
FEN = Decimal("0.01")
RATE = Decimal("1.5")              # the demo policy's yearly interest rate, percent
YEAR_START = dt.date(2024, 7, 1)   # the policy year that ends on the 30 June settlement
SETTLEMENT = dt.date(2025, 6, 30)


def monthly(base: str | Decimal, ratio: str | Decimal) -> Decimal:
    """The demo policy: each part rounded half up to the yuan."""
    return (Decimal(base) * Decimal(ratio) / 100).quantize(YUAN, rounding=ROUND_HALF_UP)


@dataclass
class Person:
    name: str
    base: Decimal
    ratio: Decimal                  # the same for unit and individual in this scenario
    account: str = ""
    postings: list[tuple[dt.date, Decimal]] = field(default_factory=list)

    @property
    def part(self) -> Decimal:
        return monthly(self.base, self.ratio)

    @property
    def balance(self) -> Decimal:
        return sum((amount for _, amount in self.postings), Decimal("0"))

    def interest(self, day: dt.date) -> Decimal:
        """Σ daily end-of-day balance × rate / 360 over the policy year, half up to the fen."""
        product = sum((amount * ((day - max(booked, YEAR_START)).days + 1) for booked, amount in self.postings
                       if booked <= day), Decimal("0"))
        return (product * RATE / 100 / 360).quantize(FEN, rounding=ROUND_HALF_UP)


@dataclass
class Books:
    """What the test expects the centre to hold."""
    people: dict[str, Person]
    unallocated: Decimal
    paid_in: Decimal = Decimal("0")
    interest: Decimal = Decimal("0")
    months: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @property
    def unit_balance(self) -> Decimal:
        return sum((p.balance for p in self.people.values()), Decimal("0")) + self.unallocated


def agree(centre: Centre, d: Desk, books: Books, step: str) -> None:
    with centre.database.session() as session:
        problems = [(c.unit_account, c.problems) for c in check_all(session=session) if c.problems]
    assert problems == [], f"{step}: ledger check failed: {problems}"
    stored = {e["person_account"]: Decimal(e["balance"]) for e in d.employees()}
    expected = {p.account: p.balance for p in books.people.values() if p.account}
    assert stored == expected, f"{step}: personal balances"
    summary = d.get("/unit/account-summary", **{"from": "2025-01-01", "to": "2025-12-31"})
    assert Decimal(summary["unallocated"]) == books.unallocated, f"{step}: 暂存款"
    assert Decimal(summary["closing_balance"]) == books.unit_balance, f"{step}: unit balance"


def pay_month(centre: Centre, token: str, d: Desk, books: Books, month: str, payers: list[str]) -> None:
    """Assess `month`, check the centre's figure against the books, pay it on the 12th."""
    year, mon = (int(x) for x in month.split("-"))
    set_business_date(centre, token, f"{month}-10")
    expected = sum((books.people[n].part * 2 for n in payers), Decimal("0"))
    (assessment,) = assess_ok(d, [month])
    assert (assessment["month"], assessment["headcount"], Decimal(assessment["amount"])) == \
        (month, len(payers), expected), month
    paid_on = dt.date(year, mon, 12)
    result = receipt(centre, token, d.unit.unit_account, assessment["id"], f"{expected:.2f}", paid_on.isoformat())
    assert result["status"] == "allocated", result
    for name in payers:
        books.people[name].postings.append((paid_on, books.people[name].part * 2))
    books.paid_in += expected
    books.months[month] = payers
    agree(centre, d, books, f"{month} paid")


def approve_application(centre: Centre, d: Desk, reviewers: list[str], type_code: str, payload: dict) -> dict:
    headers = bearer(d.token)
    response = create(centre, headers, payload, unit=d.unit, type_code=type_code)
    assert response.status_code == 201, response.text
    application_id = response.json()["id"]
    assert upload(centre, headers, application_id).status_code == 201
    answer = submit(centre, headers, application_id)
    assert answer.status_code == 200, answer.text
    for token in reviewers:
        decided = decide(centre, token, application_id, "approve", "同意")
        assert decided.status_code == 200, decided.text
    final = centre.client.get(f"/applications/{application_id}", headers=headers).json()
    assert final["status"] == "approved", final
    return final


def test_a_year_of_a_unit_agrees_to_the_fen(tmp_path):
    spec = DemoSpec(unit1_employees=3, unit1_months=1, unit2_employees=0, unit2_months=1)
    with make_centre(tmp_path, spec=spec, business_date=dt.date(2025, 1, 6)) as centre:
        token = centre.centre_token()
        second = centre.client.post("/centre/login", json=add_reviewer(centre)).json()["token"]
        d = desk(centre, centre.unit2)
        start = d.get("/unit/account-summary", **{"from": "2025-01-01", "to": "2025-01-06"})
        assert d.employees() == []
        books = Books(people={
            "甲": Person("甲", Decimal("5555.55"), Decimal("12")),    # 666.666 → 667 each part
            "乙": Person("乙", Decimal("8000.00"), Decimal("7")),     # 560
            "丙": Person("丙", Decimal("3000.49"), Decimal("5")),     # 150.0245 → 150
        }, unallocated=Decimal(start["unallocated"]))
        agree(centre, d, books, "start")

        # January: open the three accounts.
        people = People(seed=2025)
        rows = [people.row(name=p.name, base=f"{p.base:.2f}", unit_ratio=f"{p.ratio}", person_ratio=f"{p.ratio}",
                           first_month="2025-01", id_number=people.id_number(dt.date(1980 + i, 3, 9)))
                for i, p in enumerate(books.people.values())]
        for person, account in zip(books.people.values(), d.open(rows)):
            person.account = account
        everyone = list(books.people)

        pay_month(centre, token, d, books, "2025-01", everyone)
        pay_month(centre, token, d, books, "2025-02", everyone)
        pay_month(centre, token, d, books, "2025-03", everyone)

        # 丙 is sealed from April (by mistake, as it turns out in August).
        set_business_date(centre, token, "2025-03-20")
        d.seal([books.people["丙"].account], month="2025-04", reason="1")
        for month in ("2025-04", "2025-05", "2025-06"):
            pay_month(centre, token, d, books, month, ["甲", "乙"])

        # 丙 comes back in July with a new base.
        set_business_date(centre, token, "2025-06-20")
        response = d.submit("unseal", [{"person_account": books.people["丙"].account, "reason": "1",
                                        "effective_month": "2025-07", "base": "3200.00"}])
        assert response.status_code == 200, response.text
        books.people["丙"].base = Decimal("3200.00")                 # 160 each part

        # 30 June: 年终结息 on every personal account.
        set_business_date(centre, token, "2025-06-30")
        settled = centre.client.post("/centre/interest/settle", json={"date": "2025-06-30"}, headers=bearer(token))
        assert settled.status_code == 200, settled.text
        expected_interest = {name: p.interest(SETTLEMENT) for name, p in books.people.items()}
        for name, amount in expected_interest.items():
            books.people[name].postings.append((SETTLEMENT, amount))
        books.interest = sum(expected_interest.values(), Decimal("0"))
        agree(centre, d, books, "interest")

        # July: 基数调整 for 甲 and 乙 (approved by 初审 and 复审), then July is assessed on the new bases.
        set_business_date(centre, token, "2025-07-03")
        adjust = {"甲": Decimal("6200.00"), "乙": Decimal("8500.50")}   # 744; 595.035 → 595
        approve_application(centre, d, [token, second], "base_adjustment", {"rows": [
            {"person_account": books.people[n].account, "old_base": f"{books.people[n].base:.2f}",
             "new_base": f"{base:.2f}"} for n, base in adjust.items()]})
        for name, base in adjust.items():
            books.people[name].base = base
        for person in books.people.values():
            stored = d.employee(person.account)
            assert (Decimal(stored["base"]), Decimal(stored["unit_monthly"]), Decimal(stored["person_monthly"])) \
                == (person.base, person.part, person.part), person.name
        pay_month(centre, token, d, books, "2025-07", everyone)

        # August: 丙's April is made up (补缴, 漏缴) at the April amounts, paid against the application.
        set_business_date(centre, token, "2025-08-05")
        april = monthly("3000.49", "5")
        approved = approve_application(centre, d, [token, second], "supplementary", {"rows": [
            {"person_account": books.people["丙"].account, "reason": "1", "from_month": "2025-04",
             "to_month": "2025-04", "unit_amount": f"{april:.2f}", "person_amount": f"{april:.2f}"}]})
        paid = centre.client.post("/centre/receipts", headers=bearer(token), json={
            "unit_account": d.unit.unit_account, "application_id": approved["id"], "amount": f"{april * 2:.2f}",
            "received_on": "2025-08-08"})
        assert paid.status_code == 200, paid.text
        assert paid.json()["status"] == "allocated", paid.json()
        books.people["丙"].postings.append((dt.date(2025, 8, 8), april * 2))
        books.paid_in += april * 2
        agree(centre, d, books, "补缴 paid")
        again = create(centre, bearer(d.token), {"rows": [
            {"person_account": books.people["丙"].account, "reason": "1", "from_month": "2025-04",
             "to_month": "2025-04", "unit_amount": "1.00", "person_amount": "1.00"}]}, unit=d.unit,
            type_code="supplementary")
        if again.status_code == 201:    # the refusal may come at create or at submit
            upload(centre, bearer(d.token), again.json()["id"])
            again = submit(centre, bearer(d.token), again.json()["id"])
        assert again.status_code == 422, again.text
        pay_month(centre, token, d, books, "2025-08", everyone)

        # September: the bank sends one yuan short — it stays in 暂存款; the missing yuan follows without a
        # reference; the centre then allocates September from 暂存款.
        set_business_date(centre, token, "2025-09-10")
        due = sum((p.part * 2 for p in books.people.values()), Decimal("0"))
        (september,) = assess_ok(d, ["2025-09"])
        assert Decimal(september["amount"]) == due
        short = receipt(centre, token, d.unit.unit_account, september["id"], f"{due - 1:.2f}", "2025-09-12")
        assert short["status"] == "unallocated", short
        books.unallocated += due - 1
        agree(centre, d, books, "short receipt")
        receipt(centre, token, d.unit.unit_account, None, "1.00", "2025-09-13")
        books.unallocated += 1
        agree(centre, d, books, "the missing yuan")
        allocated = centre.client.post("/centre/allocations", headers=bearer(token), json={
            "unit_account": d.unit.unit_account, "assessment_id": september["id"]})
        assert allocated.status_code == 200, allocated.text
        books.unallocated -= due
        for person in books.people.values():
            person.postings.append((dt.date(2025, 9, 13), person.part * 2))
        books.paid_in += due
        agree(centre, d, books, "September allocated from 暂存款")

        for month in ("2025-10", "2025-11", "2025-12"):
            pay_month(centre, token, d, books, month, everyone)

        # The year in figures (quoted in the closing note of issue 5).
        totals = {p.name: p.balance for p in books.people.values()}
        print(f"\nyear scenario: paid in {books.paid_in}, interest {books.interest}, balances {totals}, "
              f"unit {books.unit_balance}, 暂存款 {books.unallocated}")
        assert books.paid_in == sum(totals.values(), Decimal("0")) - books.interest
