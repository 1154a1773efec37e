"""The full demo data of `gjj-centre init --demo`: shape, valid IDs, sound ledger, determinism."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import func, select

from server_stub.auth.models import Operator
from server_stub.bootstrap import initialise
from server_stub.config import CentreConfig
from server_stub.database import Database
from server_stub.departments.models import Department
from server_stub.employees.models import Employee
from server_stub.ledger.models import JournalDetail, JournalEntry
from server_stub.ledger.service import check_ledger
from server_stub.messages.models import Message
from server_stub.reference.models import PolicyYear
from server_stub.units.models import Unit
from services.identity import age_on, check_mobile, check_resident_id, check_uscc
from services.policy import policy_year_of
from services.yearmonth import YearMonth
from tests.support.server import FAST_ARGON2, FakeClock, centre_database_url

pytestmark = pytest.mark.postgres   # also run on PostgreSQL when GJJ_TEST_PG_URL is set

BUSINESS_DATE = dt.date(2025, 3, 10)



@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("demo")
    with centre_database_url(tmp) as url:
        config = CentreConfig(data_dir=tmp, database_url=url, clock=FakeClock(), **FAST_ARGON2)
        result = initialise(config, demo=True, business_date=BUSINESS_DATE)
        database = Database(config)
        with database.session() as session:
            yield session, result
        database.dispose()


def units(session) -> list[Unit]:
    return list(session.scalars(select(Unit).order_by(Unit.id)))


def test_two_units_with_one_operator_each(demo):
    session, result = demo
    unit1, unit2 = units(session)
    assert [u["unit_account"] for u in result.units] == [unit1.unit_account, unit2.unit_account]
    assert [u["login_name"] for u in result.units] == ["zhangli", "wangqiang"]
    for unit in (unit1, unit2):
        assert session.scalar(select(func.count()).select_from(Operator).where(Operator.unit_id == unit.id)) == 1
        assert check_uscc(unit.uscc).ok
        assert len(unit.unit_account) <= 20
    assert unit1.paid_through == YearMonth(2025, 2)


def test_unit1_has_200_employees_in_4_departments(demo):
    session, _ = demo
    unit1 = units(session)[0]
    staff = session.scalars(select(Employee).where(Employee.unit_id == unit1.id)).all()
    departments = session.scalars(select(Department).where(Department.unit_id == unit1.id)).all()
    assert len(staff) == 200 and len(departments) == 4
    assert set(Counter(e.department_id for e in staff)) == {d.id for d in departments}
    statuses = Counter(e.status for e in staff)
    assert statuses["02"] >= 3 and statuses["01"] >= 180


def test_unit2_is_small(demo):
    session, _ = demo
    unit2 = units(session)[1]
    assert 1 <= session.scalar(select(func.count()).select_from(Employee).where(Employee.unit_id == unit2.id)) <= 10


def test_people_are_valid(demo):
    session, _ = demo
    staff = session.scalars(select(Employee)).all()
    assert len({e.id_number for e in staff}) == len(staff)
    assert len({e.name for e in staff}) == len(staff)
    for employee in staff:
        check = check_resident_id(employee.id_number, BUSINESS_DATE)
        assert check.ok, (employee.id_number, check.message)
        assert 20 <= age_on(employee.birth_date, BUSINESS_DATE) <= 60
        assert employee.gender == ("1" if int(employee.id_number[16]) % 2 else "2")
        assert check_mobile(employee.mobile).ok
        assert 2 <= len(employee.name) <= 3


def test_18_months_of_remittance_with_details(demo):
    session, _ = demo
    unit1 = units(session)[0]
    entries = session.scalars(select(JournalEntry).where(JournalEntry.unit_id == unit1.id,
                                                         JournalEntry.type == "remittance")
                              .order_by(JournalEntry.booked_on)).all()
    assert [str(e.month) for e in entries] == [str(YearMonth(2023, 9) + i) for i in range(18)]
    for entry in entries:
        details = session.scalars(select(JournalDetail).where(JournalDetail.entry_id == entry.id)).all()
        assert entry.headcount == len(details) > 0
        assert entry.amount == sum(d.amount for d in details)
    assert len({e.serial for e in entries}) == 18
    headcounts = [e.headcount for e in entries]
    assert len(set(headcounts)) > 1   # people joined and left


def test_ledger_is_sound(demo):
    session, _ = demo
    for unit in units(session):
        assert check_ledger(session=session, unit_id=unit.id) == []


def test_sealed_employees_stopped_paying(demo):
    session, _ = demo
    for employee in session.scalars(select(Employee).where(Employee.status == "02")):
        assert employee.paid_through < YearMonth(2025, 2)
        last = session.scalar(select(func.max(JournalEntry.month)).join(
            JournalDetail, JournalDetail.entry_id == JournalEntry.id).where(JournalDetail.employee_id == employee.id,
                                                                            JournalEntry.type == "remittance"))
        assert last is None or YearMonth.parse(last) == employee.paid_through


def test_some_messages_are_unread(demo):
    session, _ = demo
    for unit in units(session):
        unread = session.scalar(select(func.count()).select_from(Message).where(
            Message.unit_id == unit.id, Message.read_at.is_(None)))
        assert unread >= 1


def test_policy_rows_cover_the_history(demo):
    session, _ = demo
    years = set(session.scalars(select(PolicyYear.year)))
    assert {policy_year_of(dt.date(2023, 9, 1)), policy_year_of(BUSINESS_DATE)} <= years


def test_demo_is_deterministic(demo, tmp_path):
    session, _ = demo
    with centre_database_url(tmp_path) as url:
        config = CentreConfig(data_dir=tmp_path, database_url=url, clock=FakeClock(), **FAST_ARGON2)
        initialise(config, demo=True, business_date=BUSINESS_DATE)
        database = Database(config)
        try:
            with database.session() as other:
                def roster(s):
                    return [(e.person_account, e.name, e.id_number, e.base, e.balance, e.status)
                            for e in s.scalars(select(Employee).order_by(Employee.id))]
                assert roster(other) == roster(session)
        finally:
            database.dispose()
