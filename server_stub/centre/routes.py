"""/centre: calls for centre accounts only (a unit token gets 403): login, business date, notices, and
the review queue with its decisions (the same as the reviewer web page, centre/pages.py)."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import Query, Response

from ..applications import service as applications
from ..applications import views
from ..applications.schemas import ApplicationState, CentreApplicationDetail, CentreApplicationSummary, DecisionCreate
from ..attachments import service as attachments
from ..attachments.upload import StoreDep
from ..auth import service as auth
from ..auth.schemas import CentreLoginCreate, CentreLoginPublic
from ..deps import ClientAddressDep, ConfigDep, CurrentCentre, NowDep, PasswordsDep, SessionDep
from ..errors import Problem
from ..paging import Page, PageDep
from ..reference import service as reference
from ..reference.schemas import BusinessDatePublic
from ..timefmt import iso
from ..web import ANSWER_NOT_STORED, router
from . import service
from .schemas import BusinessDateUpdate, CentreMessageCreate, CentreMessagesPublic

api = router(prefix="/centre", tags=["centre"])


@api.post("/login", response_model=CentreLoginPublic, openapi_extra=ANSWER_NOT_STORED)
def centre_login(body: CentreLoginCreate, session: SessionDep, config: ConfigDep, now: NowDep,
                 client: ClientAddressDep, passwords: PasswordsDep):
    result = auth.centre_login(session=session, username=body.username, password=body.password, passwords=passwords,
                               config=config, now=now, client_address=client)
    return CentreLoginPublic(token=result.token, expires_at=iso(result.expires_at, config.timezone),
                             username=result.user.username, name=result.user.name, role=result.user.role)


@api.post("/business-date", response_model=BusinessDatePublic,
          responses={403: {"description": "demo_mode_only：仅演示/测试模式可调整业务日期"}})
def centre_set_business_date(body: BusinessDateUpdate, principal: CurrentCentre, session: SessionDep,
                             config: ConfigDep, now: NowDep, client: ClientAddressDep):
    if not config.demo_mode:
        raise Problem(403, "demo_mode_only", "仅在演示/测试模式下可以调整业务日期（gjj-centre serve --demo-mode）")
    service.set_business_date(session=session, day=body.date, actor=principal.user.username, actor_kind="centre",
                              now=now, client_address=client)
    return BusinessDatePublic(date=body.date.isoformat())


@api.post("/messages", response_model=CentreMessagesPublic, status_code=201)
def centre_send_message(body: CentreMessageCreate, principal: CurrentCentre, session: SessionDep, now: NowDep,
                        client: ClientAddressDep):
    sent = service.send_notice(session=session, unit_account=body.unit_account, title=body.title, body=body.body,
                               business=body.business, actor=principal.user.username, actor_kind="centre",
                               now=now, client_address=client)
    return CentreMessagesPublic(sent=len(sent), ids=[m.id for m in sent])


# -- review ---------------------------------------------------------------------------------------

QueueStatus = Literal["pending", "returned", "approved", "rejected", "ended", "all"]


@api.get("/applications", response_model=Page[CentreApplicationSummary])
def centre_list_applications(principal: CurrentCentre, session: SessionDep, config: ConfigDep, params: PageDep,
                             status: Annotated[QueueStatus, Query(
                                 description="pending 待审核（缺省，最早的在前）；all 全部")] = "pending",
                             type: Annotated[str | None, Query(description="业务类型，含 registration（自主开户）")] = None,
                             day_from: Annotated[dt.date | None, Query(alias="from")] = None,
                             day_to: Annotated[dt.date | None, Query(alias="to")] = None):
    """The review queue: submitted applications of every unit, self-registrations included."""
    items, total = applications.centre_queue(session=session, params=params, status=None if status == "all" else status,
                                             type_code=type, day_from=day_from, day_to=day_to, tz=config.timezone)
    return Page[CentreApplicationSummary](items=views.centre_summaries(session, items, config.timezone), total=total,
                                          page=params.page, page_size=params.page_size)


@api.get("/applications/{application_id}", response_model=CentreApplicationDetail)
def centre_get_application(application_id: int, principal: CurrentCentre, session: SessionDep, config: ConfigDep):
    application = applications.get_any(session=session, application_id=application_id)
    return views.detail_public(applications.detail(session=session, application=application), config,
                               reference.dictionaries(session=session), centre=True)


@api.post("/applications/{application_id}/decision", response_model=ApplicationState,
          responses={409: {"description": "not_pending；same_reviewer（复审须由另一位审核员）；"
                                          "uscc_registered（自主开户的代码已被占用）"}})
def centre_decide_application(application_id: int, body: DecisionCreate, principal: CurrentCentre,
                              session: SessionDep, config: ConfigDep, now: NowDep, client: ClientAddressDep):
    """审批: approve (初审 → 复审 where configured, else 办结 and the change takes effect), return (退回 to
    the unit's 待办) or reject (不予受理, final); opinion required for return and reject."""
    application = applications.decide(session=session, application_id=application_id, reviewer=principal.user,
                                      decision=body.decision, opinion=body.opinion, config=config, now=now,
                                      client_address=client)
    return ApplicationState(id=application.id, application_no=application.application_no, type=application.type,
                            status=application.status, current_node=application.current_node)


@api.get("/applications/{application_id}/attachments/{attachment_id}", response_class=Response,
         responses={200: {"content": {"application/pdf": {}, "image/jpeg": {}, "image/png": {}, "image/tiff": {}}}})
def centre_download_attachment(application_id: int, attachment_id: int, principal: CurrentCentre,
                               session: SessionDep, store: StoreDep):
    row = attachments.get(session=session, application_id=application_id, attachment_id=attachment_id)
    return attachments.file_response(store, row)
