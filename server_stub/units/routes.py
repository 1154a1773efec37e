"""/unit: the caller's own unit (there is no way to name another one)."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from typing import Literal

from fastapi import Query

from services.money import fmt_fen, fmt_money
from services.policy import fmt_ratio

from ..deps import ConfigDep, CurrentUnit, SessionDep
from ..errors import Problem
from ..ledger import service as ledger
from ..ledger.schemas import AccountSummaryPublic, JournalDetailPublic, JournalEntryDetail, JournalEntryPublic
from ..paging import Page, PageDep
from ..timefmt import iso
from ..web import router
from . import service
from .schemas import OperatorPublic, UnitChangePublic, UnitPublic

api = router(prefix="/unit", tags=["unit"])


@api.get("", response_model=UnitPublic)
def get_unit(principal: CurrentUnit, session: SessionDep, config: ConfigDep):
    unit, operator = principal.unit, principal.operator
    figures = service.figures(session=session, unit_id=unit.id)
    return UnitPublic(
        unit_account=unit.unit_account, name=unit.name, uscc=unit.uscc, status=unit.status,
        paid_through=str(unit.paid_through) if unit.paid_through else None, address=unit.address,
        postcode=unit.postcode, email=unit.email, legal_rep_name=unit.legal_rep_name,
        legal_rep_id_type=unit.legal_rep_id_type, legal_rep_id_number=unit.legal_rep_id_number,
        contact_name=unit.contact_name, contact_mobile=unit.contact_mobile, contact_phone=unit.contact_phone,
        pay_day=unit.pay_day, industry=unit.industry, economic_type=unit.economic_type,
        opened_on=unit.opened_on.isoformat(), payee_bank=unit.payee_bank, payee_account=unit.payee_account,
        unit_ratio=fmt_ratio(unit.unit_ratio), person_ratio=fmt_ratio(unit.person_ratio),
        balance=fmt_money(figures.balance), unallocated=fmt_money(figures.unallocated),
        active_count=figures.active_count, sealed_count=figures.sealed_count,
        monthly_total=fmt_money(figures.monthly_total),
        operator=OperatorPublic(name=operator.name, mobile=operator.mobile, login_name=operator.login_name,
                                last_login_at=iso(principal.session.previous_login_at, config.timezone)),
    )


@api.get("/changes", response_model=Page[UnitChangePublic])
def list_unit_changes(principal: CurrentUnit, session: SessionDep, params: PageDep,
                      day_from: Annotated[dt.date | None, Query(alias="from", description="起始日期（含）")] = None,
                      day_to: Annotated[dt.date | None, Query(alias="to", description="截止日期（含）")] = None):
    """客户信息变更查询: the unit's registered-field changes, newest first."""
    rows, total = service.list_changes(session=session, unit_id=principal.unit.id, params=params, day_from=day_from,
                                       day_to=day_to)
    items = [UnitChangePublic(changed_on=r.changed_on.isoformat(), item=r.item, field=r.field, old=r.old, new=r.new,
                              operator=r.operator, channel=r.channel, application_id=r.application_id) for r in rows]
    return Page[UnitChangePublic](items=items, total=total, page=params.page, page_size=params.page_size)


DayFrom = Annotated[dt.date | None, Query(alias="from", description="起始日期（含，记账日期）")]
DayTo = Annotated[dt.date | None, Query(alias="to", description="截止日期（含，记账日期）")]
JournalType = Literal["remittance", "supplementary", "interest", "receipt", "carry_forward", "reversal"]


@api.get("/account-summary", response_model=AccountSummaryPublic)
def get_unit_account_summary(principal: CurrentUnit, session: SessionDep, day_from: DayFrom = None,
                             day_to: DayTo = None):
    """单位账户汇总：期初余额、本期增加、本期减少、期末余额和暂存款。"""
    s = ledger.account_summary(session=session, unit_id=principal.unit.id, day_from=day_from, day_to=day_to)
    return AccountSummaryPublic(opening_balance=fmt_money(s.opening_balance), increase=fmt_money(s.increase),
                                decrease=fmt_money(s.decrease), closing_balance=fmt_money(s.closing_balance),
                                unallocated=fmt_money(s.unallocated))


def _entry(e) -> dict:
    return {"serial": e.serial, "booked_on": e.booked_on.isoformat(), "summary": e.summary, "amount": fmt_money(e.amount),
            "interest": fmt_money(e.interest), "headcount": e.headcount, "type": e.type,
            "type_label": ledger.JOURNAL_TYPES[e.type], "month": str(e.month) if e.month else None,
            "unallocated_change": fmt_money(e.unallocated_change)}


def _journal_item(row) -> dict:
    """`_entry` of a list_journal row (amounts in fen, month as stored): the same answer, without Decimals.
    The row is unpacked, not read by name (a Row attribute costs as much as formatting an amount)."""
    serial, booked_on, summary, amount, interest, headcount, kind, month, unallocated_change = row
    return {"serial": serial, "booked_on": booked_on.isoformat(), "summary": summary, "amount": fmt_fen(amount),
            "interest": fmt_fen(interest), "headcount": headcount, "type": kind,
            "type_label": ledger.JOURNAL_TYPES[kind], "month": month, "unallocated_change": fmt_fen(unallocated_change)}


@api.get("/journal", response_model=Page[JournalEntryPublic])
def list_unit_journal(principal: CurrentUnit, session: SessionDep, params: PageDep, day_from: DayFrom = None,
                      day_to: DayTo = None, type: Annotated[JournalType | None, Query(description="业务类型")] = None):
    """单位业务流水（最新的在前）。"""
    rows, total = ledger.list_journal(session=session, unit_id=principal.unit.id, params=params, type=type,
                                      day_from=day_from, day_to=day_to)
    return Page[JournalEntryPublic](items=[JournalEntryPublic(**_journal_item(r)) for r in rows], total=total,
                                    page=params.page, page_size=params.page_size)


@api.get("/journal/{serial}", response_model=JournalEntryDetail, responses={404: {"description": "not_found"}})
def get_unit_journal_entry(serial: str, principal: CurrentUnit, session: SessionDep):
    """一笔业务流水及其个人明细。"""
    entry, details = ledger.journal_entry(session=session, unit_id=principal.unit.id, serial=serial)
    if entry is None:
        raise Problem(404, "not_found", f"未找到业务流水号{serial}")
    return JournalEntryDetail(**_entry(entry), details=[
        JournalDetailPublic(person_account=account, name=name, booked_on=d.booked_on.isoformat(),
                            amount=fmt_money(d.amount), interest=fmt_money(d.interest), type=d.type)
        for d, account, name in details])
