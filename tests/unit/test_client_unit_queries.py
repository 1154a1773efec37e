"""client.unit_queries against the in-process centre (small demo: unit 1 has 12 people and 3 months of
汇缴 plus a carried-forward balance and 暂存款)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from client.api import CentreClient
from client.errors import ApiError, ClientError
from client.unit_queries import UnitQueries, default_range, entry_change, month_end_balances
from services.money import D
from services.yearmonth import YearMonth
from tests.support.server import BUSINESS_DATE, make_centre


@pytest.fixture
def queries(tmp_path):
    with make_centre(tmp_path) as centre:
        api = CentreClient("http://127.0.0.1:8700", transport=centre.client._transport)
        api.token = centre.login_token(centre.unit1, centre.ukey(centre.unit1))
        yield UnitQueries(api)
        api.close()


def test_default_range_is_a_year_of_months_ending_on_the_business_date():
    assert default_range(dt.date(2025, 3, 10)) == (dt.date(2024, 4, 1), dt.date(2025, 3, 10))


def test_summary_agrees_with_the_unit_and_the_month_end_balances_with_the_summary(queries):
    start, end = dt.date(2000, 1, 1), BUSINESS_DATE
    unit = queries.api.unit()
    summary = queries.account_summary(start, end)
    assert summary["closing_balance"] == D(unit["balance"])
    assert summary["unallocated"] == D(unit["unallocated"])
    assert summary["closing_balance"] == summary["opening_balance"] + summary["increase"] - summary["decrease"]

    overview = queries.account_overview(*default_range(BUSINESS_DATE))
    assert len(overview.months) == 12
    assert overview.months[0].month == YearMonth(2024, 4) and overview.months[-1].month == YearMonth(2025, 3)
    assert overview.months[-1].balance == overview.summary["closing_balance"] == D(unit["balance"])
    # each month's end equals the centre's own summary up to that day
    for point in overview.months[:-1]:
        upto = queries.account_summary(dt.date(2024, 4, 1), point.month.last_day())
        assert point.balance == upto["closing_balance"], point


def test_journal_lists_the_monthly_remittances_and_details_sum_to_the_amount(queries):
    start, end = default_range(BUSINESS_DATE)
    everything = queries.journal(start, end)
    remittances = queries.journal(start, end, type="remittance")
    assert len(remittances) == 3 and all(e["type"] == "remittance" for e in remittances)
    assert {e["serial"] for e in remittances} <= {e["serial"] for e in everything}
    entry = queries.journal_entry(remittances[0]["serial"])
    assert len(entry["details"]) == entry["headcount"] > 0
    assert sum((D(d["amount"]) for d in entry["details"]), Decimal("0")) == D(entry["amount"])
    assert {d["type_label"] for d in entry["details"]} == {"汇缴"}
    with pytest.raises(ApiError) as refused:
        queries.journal_entry("NOSUCH")
    assert refused.value.status == 404


def test_changes_and_a_reversed_range(queries):
    assert queries.changes(dt.date(2000, 1, 1), BUSINESS_DATE) == []  # nothing changed in the demo yet
    with pytest.raises(ClientError, match="截止日期不能早于起始日期"):
        queries.journal(BUSINESS_DATE, dt.date(2025, 1, 1))


def test_entry_changes_count_a_receipt_and_its_allocation_once():
    receipt = {"amount": "500.00", "interest": "0.00", "headcount": 0, "unallocated_change": "500.00"}
    allocation = {"amount": "500.00", "interest": "0.00", "headcount": 4, "unallocated_change": "-500.00"}
    interest = {"amount": "0.00", "interest": "12.34", "headcount": 4, "unallocated_change": "0.00"}
    assert entry_change(receipt) == D("500.00") and entry_change(allocation) == D("0.00")
    assert entry_change(interest) == D("12.34")
    points = month_end_balances(D("100.00"), [{**receipt, "booked_on": "2025-02-03"},
                                              {**allocation, "booked_on": "2025-02-03"},
                                              {**interest, "booked_on": "2025-04-30"}],
                                dt.date(2025, 1, 15), dt.date(2025, 4, 30))
    assert [(str(p.month), p.balance) for p in points] == [
        ("2025-01", D("100.00")), ("2025-02", D("600.00")), ("2025-03", D("600.00")), ("2025-04", D("612.34"))]
