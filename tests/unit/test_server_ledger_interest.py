"""年终结息 through POST /centre/interest/settle: every personal account earns Σ end-of-day balance × rate / 360
over 1 July – 30 June, rounded half up to the fen (the expected figures are computed here day by day from
the journal rows, not by the code under test); refusals; the ledger invariant afterwards."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from server_stub.employees.models import Employee
from server_stub.ledger.interest import interest_of
from server_stub.ledger.models import JournalDetail
from tests.support.server import bearer, make_centre
from tests.unit.test_server_employees import desk
from tests.unit.test_server_remittance import assert_ledger, assess_ok, receipt, refused, set_business_date

pytestmark = pytest.mark.postgres   # also run on PostgreSQL when GJJ_TEST_PG_URL is set


@pytest.fixture
def centre(tmp_path):
    with make_centre(tmp_path) as centre:
        yield centre


def settle(centre, token: str, day: str):
    return centre.client.post("/centre/interest/settle", json={"date": day}, headers=bearer(token))


def expected_interest(centre, rate: Decimal, end: dt.date) -> dict[str, Decimal]:
    """Day by day: the balance at the end of each day of the policy year, summed, × rate / 360."""
    with centre.database.session() as session:
        rows = session.execute(select(Employee.person_account, JournalDetail.booked_on,
                                      JournalDetail.amount + JournalDetail.interest)
                               .join(Employee, Employee.id == JournalDetail.employee_id)).all()
    postings: dict[str, list[tuple[dt.date, Decimal]]] = {}
    for account, booked_on, fen in rows:
        postings.setdefault(account, []).append((booked_on, Decimal(fen) / 100))
    result = {}
    start = dt.date(end.year - 1, 7, 1)
    for account, items in postings.items():
        product, day = Decimal("0"), start
        while day <= end:
            product += sum((amount for booked_on, amount in items if booked_on <= day), Decimal("0"))
            day += dt.timedelta(days=1)
        value = (product * rate / 100 / 360).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if value:
            result[account] = value
    return result


def test_interest_settlement_to_the_fen(centre):
    a = desk(centre, centre.unit1)
    reviewer = centre.centre_token()
    (march,) = assess_ok(a, ["2025-03"])
    receipt(centre, reviewer, a.unit.unit_account, march["id"], march["amount"], "2025-03-12")
    refused(settle(centre, reviewer, "2025-06-30"), 422, "date_in_future",
            "结息日2025-06-30晚于当前业务日期2025-03-10，不能提前结息")
    set_business_date(centre, reviewer, "2025-07-02")
    refused(settle(centre, reviewer, "2025-06-29"), 422, "not_settlement_day", "结息日应为6月30日，2025-06-29不是结息日")
    rate = Decimal(a.get("/policy")["interest_rate"])
    expected = expected_interest(centre, rate, dt.date(2025, 6, 30))
    before = {e["person_account"]: Decimal(e["balance"]) for e in a.employees()}
    unit_before = Decimal(a.get("/unit")["balance"])
    response = settle(centre, reviewer, "2025-06-30")
    assert response.status_code == 200, response.text
    done = response.json()
    assert done["units"] == 2 and done["persons"] == len(expected)
    assert Decimal(done["interest"]) == sum(expected.values(), Decimal("0"))
    after = {e["person_account"]: Decimal(e["balance"]) for e in a.employees()}
    ours = {p: v for p, v in expected.items() if p in before}
    assert {p: after[p] - before[p] for p in before if after[p] != before[p]} == ours
    assert Decimal(a.get("/unit")["balance"]) == unit_before + sum(ours.values(), Decimal("0"))
    entries = a.get("/unit/journal", type="interest")["items"]
    assert len(entries) == 1 and entries[0]["summary"] == "年终结息" and entries[0]["booked_on"] == "2025-06-30"
    assert Decimal(entries[0]["interest"]) == sum(ours.values(), Decimal("0"))
    bodies = [m["body"] for m in a.get("/messages", page_size=100)["items"]]
    assert any(body.startswith("尊敬的示范市智联科技有限公司，2024–2025年度住房公积金已于2025-06-30结息") for body in bodies)
    refused(settle(centre, reviewer, "2025-06-30"), 409, "already_settled",
            "2024–2025年度（结息日2025-06-30）已结息，不能重复结息")
    unit_token = centre.client.post("/centre/interest/settle", json={"date": "2025-06-30"}, headers=a.headers())
    assert unit_token.status_code in (401, 403)
    assert_ledger(centre)


# -- the rounding of interest, as a property --------------------------------------------------------------


@given(product_fen=st.integers(min_value=0, max_value=10**15),
       rate_bp=st.integers(min_value=1, max_value=1000))
def test_interest_is_the_exact_quotient_rounded_half_up_to_the_fen(product_fen, rate_bp):
    product = Decimal(product_fen) / 100
    rate = Decimal(rate_bp) / 100                    # percent with two places, e.g. 1.50
    exact = Fraction(product_fen, 100) * Fraction(rate_bp, 100) / 100 / 360   # yuan
    fen = exact * 100
    rounded = int(fen) + (1 if fen - int(fen) >= Fraction(1, 2) else 0)
    assert interest_of(product, rate) == Decimal(rounded) / 100
