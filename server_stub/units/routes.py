"""/unit: the caller's own unit (there is no way to name another one)."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Query

from services.money import fmt_money
from services.policy import fmt_ratio

from ..deps import ConfigDep, CurrentUnit, SessionDep
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
