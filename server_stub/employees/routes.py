"""/employees: 缴存人登记, 封存/启封 (signed batches, all or none), 信息查询, the logs, the roster."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import Depends, Header, Query, Request, Response
from fastapi.responses import JSONResponse

from services.dictionaries import Dictionaries
from services.money import fmt_money
from services.policy import fmt_ratio

from ..deps import ClientAddressDep, CurrentUnit, NowDep, SessionDep
from ..paging import Page, PageDep
from ..reference import service as reference
from ..web import router
from . import opening, service, status
from .logs import Clerk
from .models import Employee
from .schemas import (ChangePublic, EmployeePublic, OpenCreate, OpenedPublic, RosterPublic, SealCreate,
                      SealedPublic, StatusChangedRow, StatusChangePublic, UnsealCreate, UnsealedPublic)
from .signatures import SignedSubmission, verify_submission

api = router(prefix="/employees", tags=["employees"])

BATCH_REFUSALS = {
    403: {"description": "bad_signature：UKey签名缺失或验证失败；certificate_expired"},
    409: {"description": "unit_not_active；conflict（并发登记了同一证件号码）"},
    413: {"description": "too_many_rows：一次最多50000行"},
    422: {"description": "rows_invalid：errors列出每一行的每个问题 {row, field, code, message}；rows_empty"},
}
DateFrom = Annotated[dt.date | None, Query(alias="from", description="起始日期YYYY-MM-DD（含）")]
DateTo = Annotated[dt.date | None, Query(alias="to", description="截止日期YYYY-MM-DD（含）")]


async def _raw_body(request: Request) -> dict:
    """The JSON body exactly as sent (FastAPI has parsed it already; this is the cached object), for the
    signature: the canonical form is made from what the client signed, not from our parsed model."""
    try:
        body = await request.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


RawBody = Annotated[dict, Depends(_raw_body)]


def _signed(request: Request, principal, session, raw: dict, now: dt.datetime) -> SignedSubmission:
    return verify_submission(session=session, principal=principal, method=request.method, path=request.url.path,
                             body=raw, now=now)


@api.post("/open", response_model=OpenedPublic, responses=BATCH_REFUSALS)
def open_employees(body: OpenCreate, raw: RawBody, request: Request, principal: CurrentUnit, session: SessionDep,
                   now: NowDep, client: ClientAddressDep):
    """缴存人登记：全部行开户或全部不办理；个人账号由中心发放。"""
    submission = _signed(request, principal, session, raw, now)
    clerk = Clerk.of(session=session, principal=principal, now=now, client_address=client)
    opened = opening.open_employees(session=session, clerk=clerk, rows=body.rows, submission=submission)
    # the OpenedPublic shape, written directly: 10,000 models built and validated again cost 40 ms
    return JSONResponse({"opened": [{"row": row, "person_account": account} for row, account in opened]})


@api.post("/seal", response_model=SealedPublic, responses=BATCH_REFUSALS)
def seal_employees(body: SealCreate, raw: RawBody, request: Request, principal: CurrentUnit, session: SessionDep,
                   now: NowDep, client: ClientAddressDep):
    """缴存人封存：只有正常状态可以封存；封存年月应晚于缴至年月。"""
    submission = _signed(request, principal, session, raw, now)
    clerk = Clerk.of(session=session, principal=principal, now=now, client_address=client)
    sealed = status.seal_employees(session=session, clerk=clerk, rows=body.rows, submission=submission)
    return SealedPublic(sealed=[StatusChangedRow(row=row, person_account=a.person_account, name=a.name)
                                for row, a in sealed])


@api.post("/unseal", response_model=UnsealedPublic, responses=BATCH_REFUSALS)
def unseal_employees(body: UnsealCreate, raw: RawBody, request: Request, principal: CurrentUnit,
                     session: SessionDep, now: NowDep, client: ClientAddressDep):
    """缴存人启封：只有本单位封存状态可以启封；启封年月应晚于缴至年月；新基数须在政策范围内。"""
    submission = _signed(request, principal, session, raw, now)
    clerk = Clerk.of(session=session, principal=principal, now=now, client_address=client)
    unsealed = status.unseal_employees(session=session, clerk=clerk, rows=body.rows, submission=submission)
    return UnsealedPublic(unsealed=[StatusChangedRow(row=row, person_account=a.person_account, name=a.name)
                                    for row, a in unsealed])


@api.get("", response_model=Page[EmployeePublic])
def list_employees(principal: CurrentUnit, session: SessionDep, params: PageDep,
                   opened_from: Annotated[dt.date | None, Query(description="开户日期起")] = None,
                   opened_to: Annotated[dt.date | None, Query(description="开户日期止")] = None,
                   person_account: Annotated[str | None, Query(max_length=20)] = None,
                   status: Annotated[str | None, Query(max_length=2, description="个人账户状态代码")] = None,
                   q: Annotated[str | None, Query(max_length=50, description="姓名（包含）、证件号码或个人账号（开头）")] = None,
                   department: Annotated[str | None, Query(max_length=20, description="部门代码")] = None):
    where = service.EmployeeFilter(opened_from, opened_to, person_account, status, q, department)
    items, total = service.list_employees(session=session, unit_id=principal.unit.id, params=params, where=where)
    departments = service.departments_by_id(session=session, unit_id=principal.unit.id)
    return Page[EmployeePublic](items=[_public(e, departments) for e in items], total=total, page=params.page,
                                page_size=params.page_size)


def _public(e: Employee, departments: dict[int, tuple[str, str]]) -> EmployeePublic:
    code, name = departments.get(e.department_id, (None, None))
    return EmployeePublic(
        person_account=e.person_account, name=e.name, id_type=e.id_type, id_number=e.id_number, gender=e.gender,
        birth_date=e.birth_date.isoformat() if e.birth_date else None, mobile=e.mobile, department=code,
        department_name=name, status=e.status, base=fmt_money(e.base), unit_ratio=fmt_ratio(e.unit_ratio),
        person_ratio=fmt_ratio(e.person_ratio), unit_monthly=fmt_money(e.unit_monthly),
        person_monthly=fmt_money(e.person_monthly), balance=fmt_money(e.balance), first_month=str(e.first_month),
        paid_through=str(e.paid_through) if e.paid_through else None, opened_on=e.opened_on.isoformat(),
        education=e.education or "", phone=e.phone or "", postcode=e.postcode or "", position=e.position or "",
        occupation=e.occupation or "", title=e.title or "", marital_status=e.marital_status or "",
        home_address=e.home_address or "",
        family_income=fmt_money(e.family_income) if e.family_income is not None else None)


@api.get("/status-changes", response_model=Page[StatusChangePublic])
def list_employee_status_changes(principal: CurrentUnit, session: SessionDep, params: PageDep,
                                 date_from: DateFrom = None, date_to: DateTo = None,
                                 person_account: Annotated[str | None, Query(max_length=20)] = None,
                                 type: Annotated[Literal["open", "seal", "unseal"] | None,
                                                 Query(description="seal 封存 / unseal 启封 / open 开户")] = None):
    """账户状态变更查询（变更日期为中心业务日期）。"""
    rows, total = service.list_status_changes(session=session, unit_id=principal.unit.id, params=params,
                                              person_account=person_account, type=type, date_from=date_from,
                                              date_to=date_to)
    dictionaries = reference.dictionaries(session=session)
    return Page[StatusChangePublic](items=[_status_public(*row, dictionaries) for row in rows], total=total,
                                    page=params.page, page_size=params.page_size)


REASON_DICTIONARY = {"seal": "seal_reason", "unseal": "unseal_reason"}


def _status_public(log, person_account: str, name: str, id_number: str,
                   dictionaries: Dictionaries) -> StatusChangePublic:
    label = dictionaries.label(REASON_DICTIONARY[log.type], log.reason) if log.type in REASON_DICTIONARY else ""
    return StatusChangePublic(
        changed_on=log.changed_on.isoformat(), person_account=person_account, name=name, id_number=id_number,
        type=log.type, reason=log.reason, reason_label=label, effective_month=str(log.effective_month),
        old_status=log.old_status, new_status=log.new_status,
        base=fmt_money(log.base) if log.base is not None else None, operator=log.operator_name)


@api.get("/changes", response_model=Page[ChangePublic])
def list_employee_changes(principal: CurrentUnit, session: SessionDep, params: PageDep, date_from: DateFrom = None,
                          date_to: DateTo = None, person_account: Annotated[str | None, Query(max_length=20)] = None):
    """客户信息变更查询（缴存人）：开户、状态、基数、部门……每项一行。"""
    rows, total = service.list_changes(session=session, unit_id=principal.unit.id, params=params,
                                       person_account=person_account, date_from=date_from, date_to=date_to)
    return Page[ChangePublic](
        items=[ChangePublic(changed_on=log.changed_on.isoformat(), person_account=account, name=name, item=log.item,
                            old=log.old, new=log.new, operator=log.operator_name, channel=log.channel)
               for log, account, name in rows],
        total=total, page=params.page, page_size=params.page_size)


@api.get("/roster", response_model=RosterPublic, responses={304: {"description": "未变化（If-None-Match与ETag相同）"}})
def get_employee_roster(principal: CurrentUnit, session: SessionDep,
                        if_none_match: Annotated[str | None, Header(description="上次取得的ETag")] = None):
    """本单位全部缴存人（含封存）的精简清单，供客户端离线校验；带ETag，未变化时304。"""
    roster = service.roster(session=session, unit_id=principal.unit.id)
    headers = {"ETag": roster.etag, "Cache-Control": "private, no-cache"}
    if service.etag_matches(if_none_match, roster.etag):
        return Response(status_code=304, headers=headers)
    return Response(roster.body, media_type="application/json", headers=headers)
