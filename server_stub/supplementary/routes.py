"""/supplementary/bills: the unit's 补缴书 (approved 补缴 applications, payable or paid) and their lines.
Another unit's bill answers 404."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query

from services.money import fmt_money

from ..applications.models import Application
from ..deps import ConfigDep, CurrentUnit, SessionDep
from ..paging import Page, PageDep
from ..reference import service as reference
from ..remittance.schemas import Payee
from ..timefmt import iso
from ..units.models import Unit
from ..web import router
from . import service
from .models import SupplementaryBill
from .schemas import BillDetail, BillLine, BillPublic

api = router(prefix="/supplementary", tags=["supplementary"])


@api.get("/bills", response_model=Page[BillPublic])
def supplementary_list_bills(principal: CurrentUnit, session: SessionDep, config: ConfigDep, params: PageDep,
                             status: Annotated[Literal["unallocated", "allocated"] | None, Query(
                                 description="unallocated 待缴款；allocated 已分配；缺省为全部")] = None):
    """补缴书查询（新的在前）：审批通过的补缴，待缴款或已分配。"""
    items, total = service.list_bills(session=session, unit_id=principal.unit.id, params=params, status=status)
    return Page[BillPublic](items=[_public(session, b, principal.unit, config) for b in items], total=total,
                            page=params.page, page_size=params.page_size)


@api.get("/bills/{bill_id}", response_model=BillDetail)
def supplementary_get_bill(bill_id: int, principal: CurrentUnit, session: SessionDep, config: ConfigDep):
    """补缴书明细：每人每月的单位、个人补缴金额。"""
    bill = service.get_bill(session=session, unit_id=principal.unit.id, bill_id=bill_id)
    dictionaries = reference.dictionaries(session=session)
    lines = [BillLine(person_account=line.person_account, name=line.name, id_number=line.id_number,
                      reason=line.reason, reason_label=dictionaries.label("supplement_reason", line.reason),
                      month=str(line.month), unit_amount=fmt_money(line.unit_amount),
                      person_amount=fmt_money(line.person_amount))
             for line in service.lines_of(session=session, bill_id=bill.id)]
    return BillDetail(**_public(session, bill, principal.unit, config).model_dump(), lines=lines)


def _public(session, bill: SupplementaryBill, unit: Unit, config) -> BillPublic:
    application = session.get(Application, bill.application_id)
    return BillPublic(
        id=bill.id, application_id=bill.application_id, application_no=application.application_no,
        serial=bill.serial, verification_code=bill.verification_code, headcount=bill.headcount,
        unit_amount=fmt_money(bill.unit_amount), person_amount=fmt_money(bill.person_amount),
        amount=fmt_money(bill.amount), status=bill.status, approved_on=bill.approved_on.isoformat(),
        deadline=bill.deadline.isoformat(), allocated_at=iso(bill.allocated_at, config.timezone),
        payee=Payee(name=config.centre_name, account=unit.payee_account, bank=unit.payee_bank))
