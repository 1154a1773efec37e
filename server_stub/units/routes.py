"""/unit: the caller's own unit (there is no way to name another one)."""
from __future__ import annotations

from services.money import fmt_money
from services.policy import fmt_ratio

from ..deps import ConfigDep, CurrentUnit, SessionDep
from ..timefmt import iso
from ..web import router
from . import service
from .schemas import OperatorPublic, UnitPublic

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
