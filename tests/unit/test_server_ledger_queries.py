"""单位信息查询 of the ledger (SPEC 4.7): GET /unit/account-summary, /unit/journal, /unit/journal/{serial},
after a remittance assessed and paid through the API; the unit sees only its own entries."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.support.server import make_centre
from tests.unit.test_server_employees import desk
from tests.unit.test_server_remittance import assert_ledger, assess_ok, receipt, refused

pytestmark = pytest.mark.postgres   # also run on PostgreSQL when GJJ_TEST_PG_URL is set


@pytest.fixture
def centre(tmp_path):
    with make_centre(tmp_path) as centre:
        yield centre


def test_summary_journal_and_details_after_a_paid_month(centre):
    a, b = desk(centre, centre.unit1), desk(centre, centre.unit2)
    reviewer = centre.centre_token()
    unit = a.get("/unit")
    whole = a.get("/unit/account-summary")
    assert whole == {"opening_balance": "0.00", "increase": unit["balance"], "decrease": "0.00",
                     "closing_balance": unit["balance"], "unallocated": unit["unallocated"]}
    (march,) = assess_ok(a, ["2025-03"])
    roster = a.get(f"/remittance/assessments/{march['id']}")["roster"]
    paid = receipt(centre, reviewer, a.unit.unit_account, march["id"], march["amount"], "2025-03-12")
    wrong = receipt(centre, reviewer, a.unit.unit_account, march["id"], "3.00", "2025-03-13")
    assert wrong["status"] == "unallocated"
    amount = Decimal(march["amount"])
    month = a.get("/unit/account-summary", **{"from": "2025-03-01", "to": "2025-03-31"})
    assert month == {"opening_balance": unit["balance"], "increase": f"{amount + Decimal('3.00'):.2f}",
                     "decrease": "0.00", "closing_balance": f"{Decimal(unit['balance']) + amount + 3:.2f}",
                     "unallocated": f"{Decimal(unit['unallocated']) + 3:.2f}"}
    until = a.get("/unit/account-summary", **{"to": "2025-03-12"})
    assert until["closing_balance"] == f"{Decimal(unit['balance']) + amount:.2f}"
    assert until["unallocated"] == unit["unallocated"]
    assert a.get("/unit")["balance"] == month["closing_balance"]

    journal = a.get("/unit/journal", **{"from": "2025-03-01"})
    assert [e["serial"] for e in journal["items"]] == [wrong["serials"][0], paid["serials"][1], paid["serials"][0]]
    assert [e["type"] for e in journal["items"]] == ["receipt", "remittance", "receipt"]
    receipts = a.get("/unit/journal", type="receipt")
    assert all(e["type"] == "receipt" and e["type_label"] == "单位来款" for e in receipts["items"])
    entry = a.get(f"/unit/journal/{paid['serials'][1]}")
    assert entry["summary"] == "2025年03月汇缴" and entry["month"] == "2025-03" and entry["amount"] == march["amount"]
    assert entry["headcount"] == march["headcount"] == len(entry["details"])
    assert entry["unallocated_change"] == f"-{amount:.2f}"
    assert {(d["person_account"], d["name"], d["amount"]) for d in entry["details"]} == {
        (r["person_account"], r["name"], f"{Decimal(r['unit_monthly']) + Decimal(r['person_monthly']):.2f}")
        for r in roster}
    assert all(d["booked_on"] == "2025-03-12" and d["type"] == "remittance" for d in entry["details"])
    refused(b.centre.client.get(f"/unit/journal/{paid['serials'][1]}", headers=b.headers()), 404, "not_found",
            f"未找到业务流水号{paid['serials'][1]}")
    assert paid["serials"][1] not in {e["serial"] for e in b.get("/unit/journal", page_size=500)["items"]}
    assert_ledger(centre)


def test_journal_totals_count_the_entries_for_every_filter(centre):
    """The page total comes from the per-day counts (journal_day_counts), not from COUNT(*) over the entries:
    it must still be exactly what paging through lists, whatever the filter."""
    from sqlalchemy import func, select

    from server_stub.ledger.models import JournalEntry
    from server_stub.units.service import find_unit

    a = desk(centre, centre.unit1)
    with centre.database.session() as session:
        unit_id = find_unit(session=session, unit_account=a.unit.unit_account).id
    reviewer = centre.centre_token()
    (march,) = assess_ok(a, ["2025-03"])
    receipt(centre, reviewer, a.unit.unit_account, march["id"], march["amount"], "2025-03-12")
    receipt(centre, reviewer, a.unit.unit_account, march["id"], "3.00", "2025-03-12")   # stays in 暂存款
    for filters in ({}, {"type": "receipt"}, {"type": "remittance"}, {"from": "2025-03-01"}, {"to": "2025-03-11"},
                    {"from": "2025-01-01", "to": "2025-03-12", "type": "remittance"}, {"from": "2030-01-01"}):
        listed, page = [], 1
        while True:
            answer = a.get("/unit/journal", page=page, page_size=2, **filters)
            listed += answer["items"]
            if len(answer["items"]) < 2:
                break
            page += 1
        where = [JournalEntry.unit_id == unit_id]
        if "type" in filters:
            where.append(JournalEntry.type == filters["type"])
        if "from" in filters:
            where.append(JournalEntry.booked_on >= dt.date.fromisoformat(filters["from"]))
        if "to" in filters:
            where.append(JournalEntry.booked_on <= dt.date.fromisoformat(filters["to"]))
        with centre.database.session() as session:
            counted = session.scalar(select(func.count()).select_from(JournalEntry).where(*where))
        assert answer["total"] == len(listed) == len({e["serial"] for e in listed}) == counted, filters
    assert a.get("/unit/journal", type="receipt")["total"] >= 2
