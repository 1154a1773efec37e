"""`gjj-centre check-ledger`: unit balance = Σ personal balances + 暂存款 for every unit, and both agree with
the journal; exit 0 with a Chinese report when sound, 1 naming what does not balance."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select, update

from server_stub.cli import main
from server_stub.employees.models import Employee
from server_stub.ledger.models import AppendOnlyError, JournalDayCount, JournalEntry, JournalTypeCount, UnitAccount
from server_stub.ledger.service import JOURNAL_TYPES, check_all
from tests.support.server import make_centre

pytestmark = pytest.mark.postgres   # also run on PostgreSQL when GJJ_TEST_PG_URL is set


@pytest.fixture
def centre(tmp_path, monkeypatch):
    with make_centre(tmp_path) as centre:
        if centre.config.database_url:
            monkeypatch.setenv("GJJ_DATABASE_URL", centre.config.database_url)
        else:
            monkeypatch.delenv("GJJ_DATABASE_URL", raising=False)
        yield centre


def run(centre, capsys) -> tuple[int, str]:
    code = main(["--data-dir", str(centre.config.data_dir), "check-ledger"])
    return code, capsys.readouterr().out


def test_check_ledger_passes_on_the_demo_data(centre, capsys):
    code, out = run(centre, capsys)
    assert code == 0, out
    assert "账务核对通过：2个单位全部平衡" in out
    assert f"{centre.unit1.unit_account} 示范市智联科技有限公司：平衡" in out


def test_check_ledger_names_a_personal_balance_that_disagrees_with_the_journal(centre, capsys):
    with centre.database.transaction() as session:
        employee = session.scalars(select(Employee).where(Employee.balance > 0).order_by(Employee.id)).first()
        account, was = employee.person_account, employee.balance
        employee.balance = was + Decimal("0.01")
    code, out = run(centre, capsys)
    assert code == 1
    assert "账务核对未通过：1个单位不平（共2个单位）" in out
    assert f"个人账号{account}：余额{was + Decimal('0.01'):.2f}元 ≠ 流水明细合计{was:.2f}元" in out
    assert "单位余额" in out and "≠ 个人余额合计" in out


def test_check_ledger_names_unallocated_that_disagrees_with_the_journal(centre, capsys):
    with centre.database.transaction() as session:
        unit_id = session.scalar(select(Employee.unit_id).order_by(Employee.id))
        session.execute(update(UnitAccount).where(UnitAccount.unit_id == unit_id)
                        .values(unallocated=UnitAccount.unallocated + 500, balance=UnitAccount.balance + 500))
    with centre.database.session() as session:
        (bad,) = [r for r in check_all(session=session) if r.problems]
        assert len(bad.problems) == 1 and bad.problems[0].startswith("暂存款")
    code, out = run(centre, capsys)
    assert code == 1 and "≠ 流水记载的暂存款" in out


def test_check_ledger_names_a_day_whose_entry_count_disagrees_with_the_journal(centre, capsys):
    """The per-day counts behind the journal's page totals are checked against the entries too."""
    with centre.database.transaction() as session:
        day = session.scalars(select(JournalDayCount).order_by(JournalDayCount.booked_on)).first()
        booked_on, kind, entries = day.booked_on, day.type, day.entries
        day.entries += 1
    code, out = run(centre, capsys)
    assert code == 1
    assert f"{booked_on}{JOURNAL_TYPES[kind]}：流水{entries}笔 ≠ 流水笔数记录{entries + 1}笔" in out


def test_check_ledger_names_a_type_whose_entry_count_disagrees_with_the_journal(centre, capsys):
    """The per-type counts behind the undated journal page's total are checked against the entries too."""
    with centre.database.transaction() as session:
        kind = session.scalars(select(JournalTypeCount)
                               .order_by(JournalTypeCount.unit_id, JournalTypeCount.type)).first()
        type_, entries = kind.type, kind.entries
        kind.entries -= 1
    with centre.database.session() as session:
        (bad,) = [r for r in check_all(session=session) if r.problems]
        assert bad.problems == [f"{JOURNAL_TYPES[type_]}：流水{entries}笔 ≠ 流水笔数合计{entries - 1}笔"]
    code, out = run(centre, capsys)
    assert code == 1 and f"{JOURNAL_TYPES[type_]}：流水{entries}笔 ≠ 流水笔数合计{entries - 1}笔" in out


def test_journal_entries_are_append_only(centre):
    with centre.database.session() as session:
        entry = session.scalars(select(JournalEntry)).first()
        entry.summary = "改写"
        with pytest.raises(AppendOnlyError):
            session.flush()
        session.rollback()
