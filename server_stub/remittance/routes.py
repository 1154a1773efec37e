"""/remittance (汇缴核定, 核定查询, 删除), POST /centre/receipts (the centre records a bank receipt for an
assessment or a 补缴 bill) and POST /centre/allocations (pays one from money already in 暂存款)."""
from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import Depends, Query, Request, Response

from services.money import fmt_money, parse_money
from services.policy import fmt_ratio
from services.yearmonth import YearMonth, YearMonthError

from ..audit import service as audit
from ..deps import ClientAddressDep, ConfigDep, CurrentCentre, CurrentUnit, NowDep, SessionDep
from ..errors import Problem
from ..ledger import interest
from ..ledger.models import UnitAccount
from ..paging import Page, PageDep
from ..reference import service as reference
from ..timefmt import iso
from ..units.models import Unit
from ..units.service import find_unit
from ..employees.signatures import verify_submission
from ..web import router
from . import service
from .models import RemittanceAssessment
from .schemas import (AllocationCreate, AllocationPublic, AssessCreate, AssessedPublic, AssessmentDetail, AssessmentPublic, ExplainedPart, HeadcountAmount,
                      InterestSettleCreate, InterestSettledPublic, NextPublic, Payee, ReceiptCreate, ReceiptPublic,
                      RosterLine)

api = router(tags=["remittance"])
MONTH = re.compile(r"\d{4}-\d{2}")


async def _raw_body(request: Request) -> dict:
    try:
        body = await request.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


RawBody = Annotated[dict, Depends(_raw_body)]


@api.get("/remittance/next", response_model=NextPublic)
def remittance_next(principal: CurrentUnit, session: SessionDep):
    """汇缴核定：下一个应缴年月及上月 / 本月增加 / 本月减少 / 本月汇缴，并列出造成差额的职工。"""
    result = service.breakdown(session=session, unit=principal.unit)
    today = reference.business_date(session=session)
    policy = reference.policy_for(session=session, day=today)
    return NextPublic(
        month=str(result.month), headcount=result.current.headcount, amount=fmt_money(result.current.amount),
        unit_amount=fmt_money(result.unit_amount), person_amount=fmt_money(result.person_amount),
        last=HeadcountAmount(headcount=result.last.headcount, amount=fmt_money(result.last.amount)),
        added=_part(result.added), removed=_part(result.removed), max_months=policy.max_remit_months,
        latest_month=str(YearMonth.of(today)))


def _part(part: service.Part) -> ExplainedPart:
    return ExplainedPart(headcount=part.headcount, amount=fmt_money(part.amount), people=part.people)


@api.post("/remittance/assessments", response_model=AssessedPublic, responses={
    403: {"description": "bad_signature"}, 409: {"description": "conflict：同一月份已被其他会话核定"},
    422: {"description": "not_next_month；months_not_consecutive；too_many_months；month_in_future；nobody_to_pay"}})
def remittance_assess(body: AssessCreate, raw: RawBody, request: Request, principal: CurrentUnit,
                      session: SessionDep, config: ConfigDep, now: NowDep):
    """汇缴核定（UKey签名）：从下一个应缴年月起连续的一个或几个月，不超过政策上限，不晚于当前业务年月。"""
    submission = verify_submission(session=session, principal=principal, method=request.method,
                                   path=request.url.path, body=raw, now=now)
    try:
        if not all(MONTH.fullmatch(m) for m in body.months):
            raise ValueError
        months = [YearMonth.parse(m) for m in body.months]
    except (YearMonthError, ValueError):
        raise Problem(422, "month_invalid", "汇缴年月格式应为YYYY-MM") from None
    created = service.assess(session=session, unit=principal.unit, months=months, operator_id=principal.operator.id,
                             operator_name=principal.operator.name, submission=submission, now=now)
    return AssessedPublic(assessments=[_public(a, principal.unit, config) for a in created], message="核定成功")


@api.get("/remittance/assessments", response_model=Page[AssessmentPublic])
def remittance_list_assessments(principal: CurrentUnit, session: SessionDep, config: ConfigDep, params: PageDep,
                                status: Annotated[Literal["unallocated", "allocated"] | None, Query(
                                    description="unallocated 未分配；allocated 已分配；缺省为全部")] = None):
    """汇缴核定查询（按年月排序）。"""
    items, total = service.list_assessments(session=session, unit_id=principal.unit.id, params=params, status=status)
    return Page[AssessmentPublic](items=[_public(a, principal.unit, config) for a in items], total=total,
                                  page=params.page, page_size=params.page_size)


@api.get("/remittance/assessments/{assessment_id}", response_model=AssessmentDetail)
def remittance_get_assessment(assessment_id: int, principal: CurrentUnit, session: SessionDep, config: ConfigDep):
    """核定明细：核定时的职工名单。"""
    row = service.get_assessment(session=session, unit_id=principal.unit.id, assessment_id=assessment_id)
    roster = [RosterLine(person_account=line.person_account, name=line.name, id_number=line.id_number,
                         base=fmt_money(line.base), unit_monthly=fmt_money(line.unit_monthly),
                         person_monthly=fmt_money(line.person_monthly))
              for line in service.lines_of(session=session, assessment_id=row.id)]
    return AssessmentDetail(**_public(row, principal.unit, config).model_dump(), roster=roster,
                            breakdown=service.stored_breakdown(row))


@api.delete("/remittance/assessments/{assessment_id}", status_code=204,
            responses={409: {"description": "assessment_paid；not_latest：只能删除最近一次未分配的核定"}})
def remittance_delete_assessment(assessment_id: int, principal: CurrentUnit, session: SessionDep):
    """核定删除：只能删除最近一次未分配的核定（保持月份连续）。"""
    service.delete_assessment(session=session, unit_id=principal.unit.id, assessment_id=assessment_id)
    return Response(status_code=204)


@api.post("/centre/receipts", response_model=ReceiptPublic, responses={
    404: {"description": "unit_not_found"}, 422: {"description": "amount_invalid；target_ambiguous"}})
def centre_record_receipt(body: ReceiptCreate, principal: CurrentCentre, session: SessionDep, now: NowDep,
                          client: ClientAddressDep):
    """登记银行来款：先记入单位暂存款；与所指汇缴核定（须为最早一笔未分配核定）或补缴书（application_id，审批通过的补缴）
    金额一致时立即分配到个人账户，否则留在暂存款并说明原因。"""
    try:
        amount = parse_money(body.amount)
    except (ValueError, ArithmeticError):
        raise Problem(422, "amount_invalid", "来款金额格式不正确，应为两位小数的金额") from None
    unit = _locked_unit(session, body.unit_account)
    target = service.payable_for(session=session, unit=unit, assessment_id=body.assessment_id,
                                 application_id=body.application_id)
    result = service.record_receipt(session=session, unit=unit, target=target, amount=amount,
                                    received_on=body.received_on, recorded_by=principal.user.username, now=now)
    receipt = result.receipt
    _audit(session, principal, unit, "centre.receipt", now, client, {
        "receipt_id": receipt.id, "amount": fmt_money(amount), "status": receipt.status,
        "assessment_id": body.assessment_id, "application_id": body.application_id})
    account = session.get(UnitAccount, unit.id)
    return ReceiptPublic(id=receipt.id, unit_account=unit.unit_account, amount=fmt_money(amount),
                         received_on=body.received_on.isoformat(), status=receipt.status,
                         assessment_id=receipt.assessment_id, application_id=body.application_id,
                         bill_id=receipt.bill_id,
                         month=str(result.payable.month) if result.payable and result.payable.month else None,
                         note=receipt.note, serials=result.serials, unallocated=fmt_money(account.unallocated))


@api.post("/centre/allocations", response_model=AllocationPublic, responses={
    404: {"description": "unit_not_found；not_found"},
    409: {"description": "unallocated_insufficient（暂存款不足）；already_allocated；not_earliest；bill_not_approved"},
    422: {"description": "target_missing；target_ambiguous；not_supplementary"}})
def centre_allocate(body: AllocationCreate, principal: CurrentCentre, session: SessionDep, now: NowDep,
                    client: ClientAddressDep):
    """用暂存款分配：单位暂存款足够时，把一笔汇缴核定（须为最早一笔未分配核定）或补缴书（application_id）的金额
    从暂存款分配到个人账户；不足时409并说明差额。记账日期为当前业务日期（单位已有更晚的记账日期时取该日期）。"""
    if body.assessment_id is None and body.application_id is None:
        raise Problem(422, "target_missing", "请指明要分配的汇缴核定（assessment_id）或补缴申请（application_id）")
    unit = _locked_unit(session, body.unit_account)
    target = service.payable_for(session=session, unit=unit, assessment_id=body.assessment_id,
                                 application_id=body.application_id)
    entry = service.allocate_unallocated(session=session, unit=unit, target=target,
                                         today=reference.business_date(session=session), now=now)
    _audit(session, principal, unit, "centre.allocation", now, client, {
        "serial": entry.serial, "amount": fmt_money(target.amount), "assessment_id": body.assessment_id,
        "application_id": body.application_id})
    account = session.get(UnitAccount, unit.id)
    return AllocationPublic(unit_account=unit.unit_account, assessment_id=body.assessment_id,
                            application_id=body.application_id, bill_id=target.links.get("bill_id"),
                            month=str(target.month) if target.month else None, amount=fmt_money(target.amount),
                            serial=entry.serial, booked_on=entry.booked_on.isoformat(),
                            unallocated=fmt_money(account.unallocated))


def _locked_unit(session, unit_account: str) -> Unit:
    unit = find_unit(session=session, unit_account=unit_account)
    if unit is None:
        raise Problem(404, "unit_not_found", f"单位账号{unit_account}不存在")
    session.get(Unit, unit.id, with_for_update=True)
    return unit


def _audit(session, principal, unit: Unit, action: str, now, client: str, detail: dict) -> None:
    audit.record(session=session, at=now, actor_kind="centre", actor=principal.user.username, unit_id=unit.id,
                 action=action, client_address=client, detail=detail)


@api.post("/centre/interest/settle", response_model=InterestSettledPublic, responses={
    409: {"description": "already_settled"}, 422: {"description": "not_settlement_day；date_in_future"}})
def centre_settle_interest(body: InterestSettleCreate, principal: CurrentCentre, session: SessionDep, now: NowDep):
    """年终结息（6月30日）：每个个人账户按日积数 × 年利率 / 360 计息（四舍五入到分），每个单位一笔结息流水并通知单位。"""
    done = interest.settle(session=session, day=body.date, now=now)
    return InterestSettledPublic(date=done.day.isoformat(), rate=fmt_ratio(done.rate), units=done.units,
                                 persons=done.persons, interest=fmt_money(done.interest), serials=done.serials)


def _public(a: RemittanceAssessment, unit: Unit, config) -> AssessmentPublic:
    return AssessmentPublic(
        id=a.id, month=str(a.month), headcount=a.headcount, amount=fmt_money(a.amount),
        unit_amount=fmt_money(a.unit_amount), person_amount=fmt_money(a.person_amount), status=a.status,
        assessed_at=iso(a.assessed_at, config.timezone), assessed_on=a.assessed_on.isoformat(), serial=a.serial,
        verification_code=a.verification_code,
        payee=Payee(name=config.centre_name, account=unit.payee_account, bank=unit.payee_bank),
        deadline=a.deadline.isoformat(), operator=a.operator_name)
