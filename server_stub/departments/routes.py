"""/departments: 部门设立 (list, add, rename, delete) and 部门调动 (transfer, history)."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Path, Query, Response

from ..deps import ClientAddressDep, CurrentUnit, NowDep, SessionDep
from ..employees.logs import Clerk
from ..paging import Page, PageDep
from ..web import router
from . import service
from .schemas import (DepartmentCreate, DepartmentPublic, DepartmentUpdate, TransferCreate, TransferPublic,
                      TransferredPublic, TransferredRow)

api = router(prefix="/departments", tags=["departments"])

Code = Annotated[str, Path(max_length=20, description="部门代码")]


def _public(summary: service.DepartmentSummary) -> DepartmentPublic:
    return DepartmentPublic(code=summary.department.code, name=summary.department.name,
                            active_count=summary.active_count, sealed_count=summary.sealed_count)


@api.get("", response_model=Page[DepartmentPublic])
def list_departments(principal: CurrentUnit, session: SessionDep, params: PageDep):
    summaries = service.list_departments(session=session, unit_id=principal.unit.id)
    start = (params.page - 1) * params.page_size
    return Page[DepartmentPublic](items=[_public(s) for s in summaries[start:start + params.page_size]],
                                  total=len(summaries), page=params.page, page_size=params.page_size)


@api.post("", response_model=DepartmentPublic, status_code=201,
          responses={409: {"description": "department_exists：部门代码已存在"}})
def create_department(body: DepartmentCreate, principal: CurrentUnit, session: SessionDep, now: NowDep,
                      client: ClientAddressDep):
    clerk = Clerk.of(session=session, principal=principal, now=now, client_address=client)
    department = service.create_department(session=session, clerk=clerk, code=body.code, name=body.name)
    return _public(service.DepartmentSummary(department, 0, 0))


@api.patch("/{code}", response_model=DepartmentPublic)
def rename_department(code: Code, body: DepartmentUpdate, principal: CurrentUnit, session: SessionDep, now: NowDep,
                      client: ClientAddressDep):
    clerk = Clerk.of(session=session, principal=principal, now=now, client_address=client)
    department = service.rename_department(session=session, clerk=clerk, code=code, name=body.name)
    return _public(service.summary(session=session, department=department))


@api.delete("/{code}", status_code=204, response_class=Response,
            responses={409: {"description": "department_not_empty：部门中还有职工（含封存）"}})
def delete_department(code: Code, principal: CurrentUnit, session: SessionDep, now: NowDep,
                      client: ClientAddressDep):
    clerk = Clerk.of(session=session, principal=principal, now=now, client_address=client)
    service.delete_department(session=session, clerk=clerk, code=code)
    return Response(status_code=204)


@api.post("/transfers", response_model=TransferredPublic,
          responses={422: {"description": "rows_invalid：errors列出每个问题（row为person_accounts中的位置）"}})
def transfer_employees(body: TransferCreate, principal: CurrentUnit, session: SessionDep, now: NowDep,
                       client: ClientAddressDep):
    """部门调动：全部调动或全部不办理。"""
    clerk = Clerk.of(session=session, principal=principal, now=now, client_address=client)
    done = service.transfer(session=session, clerk=clerk, person_accounts=body.person_accounts,
                            to_department=body.to_department)
    target = (body.to_department or "").strip()
    return TransferredPublic(transferred=[
        TransferredRow(row=t.row, person_account=t.account.person_account, name=t.account.name,
                       from_department=t.from_code, to_department=target) for t in done])


@api.get("/transfers", response_model=Page[TransferPublic])
def list_department_transfers(principal: CurrentUnit, session: SessionDep, params: PageDep,
                              date_from: Annotated[dt.date | None, Query(alias="from", description="调动日期起")] = None,
                              date_to: Annotated[dt.date | None, Query(alias="to", description="调动日期止")] = None,
                              person_account: Annotated[str | None, Query(max_length=20)] = None):
    """部门调动查询。"""
    rows, total = service.list_transfers(session=session, unit_id=principal.unit.id, params=params,
                                         date_from=date_from, date_to=date_to, person_account=person_account)
    return Page[TransferPublic](items=[
        TransferPublic(transferred_on=t.transferred_on.isoformat(), person_account=account, name=name,
                       from_department=t.from_code or None, from_department_name=t.from_name or None,
                       to_department=t.to_code, to_department_name=t.to_name, operator=t.operator_name)
        for t, account, name in rows], total=total, page=params.page, page_size=params.page_size)
