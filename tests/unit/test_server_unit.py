"""GET /unit (registered fields + figures from the tables) and unit scoping: a unit-A token never sees
unit B, whatever ids it tries."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from server_stub.employees.models import Employee
from server_stub.ledger.models import UnitAccount
from server_stub.messages.models import Message
from server_stub.units.models import Unit
from tests.support.server import bearer, make_centre

pytestmark = pytest.mark.postgres   # also run on PostgreSQL when GJJ_TEST_PG_URL is set

REGISTERED_FIELDS = {
    "unit_account", "name", "uscc", "status", "paid_through", "address", "postcode", "email", "legal_rep_name",
    "legal_rep_id_type", "legal_rep_id_number", "contact_name", "contact_mobile", "contact_phone", "pay_day",
    "industry", "economic_type", "opened_on", "payee_bank", "payee_account", "unit_ratio", "person_ratio",
}
FIGURES = {"balance", "unallocated", "active_count", "sealed_count", "monthly_total"}


@pytest.fixture
def centre(tmp_path):
    with make_centre(tmp_path) as centre:
        yield centre


def test_unit_has_every_field(centre):
    body = centre.client.get("/unit", headers=bearer(centre.login_token(centre.unit1))).json()
    assert set(body) == REGISTERED_FIELDS | FIGURES | {"operator"}
    assert body["unit_account"] == centre.unit1.unit_account
    assert body["name"] == "示范市智联科技有限公司"
    assert body["status"] == "01"
    assert body["paid_through"] == "2025-02"
    assert body["unit_ratio"] == "12" and body["person_ratio"] == "12"
    assert set(body["operator"]) == {"name", "mobile", "login_name", "last_login_at"}
    for money in ("balance", "unallocated", "monthly_total"):
        assert Decimal(body[money]) == Decimal(body[money]).quantize(Decimal("0.01"))
        assert body[money].count(".") == 1 and len(body[money].split(".")[1]) == 2


def test_unit_figures_come_from_the_tables(centre):
    body = centre.client.get("/unit", headers=bearer(centre.login_token(centre.unit1))).json()
    with centre.database.session() as session:
        unit = session.scalars(select(Unit).where(Unit.unit_account == centre.unit1.unit_account)).one()
        staff = session.scalars(select(Employee).where(Employee.unit_id == unit.id)).all()
        account = session.get(UnitAccount, unit.id)
    active = [e for e in staff if e.status == "01"]
    assert body["active_count"] == len(active)
    assert body["sealed_count"] == len([e for e in staff if e.status == "02"])
    assert Decimal(body["monthly_total"]) == sum(e.unit_monthly + e.person_monthly for e in active)
    assert Decimal(body["balance"]) == account.balance == sum(e.balance for e in staff) + account.unallocated
    assert Decimal(body["unallocated"]) == account.unallocated > 0


def test_each_unit_sees_its_own(centre):
    a = centre.client.get("/unit", headers=bearer(centre.login_token(centre.unit1))).json()
    b = centre.client.get("/unit", headers=bearer(centre.login_token(centre.unit2))).json()
    assert a["unit_account"] != b["unit_account"]
    assert b["name"] == "示范市惠民餐饮管理有限公司"
    assert b["operator"]["login_name"] == "wangqiang"


def message_ids(centre, unit_account: str) -> list[int]:
    with centre.database.session() as session:
        unit_id = session.scalars(select(Unit.id).where(Unit.unit_account == unit_account)).one()
        return list(session.scalars(select(Message.id).where(Message.unit_id == unit_id)))


def test_unit_a_cannot_read_unit_b_messages(centre):
    token_a = bearer(centre.login_token(centre.unit1))
    ids_b = message_ids(centre, centre.unit2.unit_account)
    assert ids_b
    listed = {m["id"] for m in centre.client.get("/messages", params={"page_size": 500}, headers=token_a)
              .json()["items"]}
    assert listed == set(message_ids(centre, centre.unit1.unit_account))
    assert not listed & set(ids_b)
    for message_id in ids_b:
        response = centre.client.get(f"/messages/{message_id}", headers=token_a)
        assert response.status_code == 404 and response.json()["code"] == "not_found"
        response = centre.client.post(f"/messages/{message_id}/read", headers=token_a)
        assert response.status_code == 404
    with centre.database.session() as session:
        unread_b = session.scalars(select(Message).where(Message.id.in_(ids_b), Message.read_at.is_(None))).all()
    assert unread_b   # B's unread messages stay unread
    # and B itself sees them
    token_b = bearer(centre.login_token(centre.unit2))
    assert centre.client.get(f"/messages/{ids_b[0]}", headers=token_b).status_code == 200


def test_every_unit_get_needs_a_session(centre):
    for path in ("/unit", "/messages", "/messages/1"):
        assert centre.client.get(path).status_code == 401
