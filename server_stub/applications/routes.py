"""/applications: the unit's approval businesses (create signed, attach, submit, 待办/已办/我发起的, detail,
修改后重新提交, 结束流程). Every id outside the caller's unit answers 404."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import Depends, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from ..attachments import service as attachments
from ..attachments.upload import UPLOAD_BODY, StoreDep, receive_upload
from ..deps import ClientAddressDep, ConfigDep, CurrentUnit, NowDep, SessionDep
from ..paging import Page, PageDep
from ..reference import service as reference
from ..web import router
from . import service, views
from .schemas import (ApplicationCreate, ApplicationDetail, ApplicationState, ApplicationSummary,
                      ApplicationTypePublic, ApplicationUpdate, AttachmentPublic)

api = router(prefix="/applications", tags=["applications"])

SIGNED = {403: {"description": "bad_signature：缺少UKey签名，或签名与内容、本次登录的证书不符"}}
StatusFilter = Literal["draft", "pending", "returned", "approved", "rejected", "ended"]


async def _json_body(request: Request) -> dict:
    """The body exactly as sent: what the signature covers (API.md "Signed submissions")."""
    try:
        data = await request.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


JsonBody = Annotated[dict, Depends(_json_body)]


def signed_path(request: Request) -> str:
    """The request path from /api/v1 on."""
    path = request.url.path
    start = path.find("/api/v1/")
    return path[start:] if start >= 0 else path


def state(application) -> ApplicationState:
    return ApplicationState(id=application.id, application_no=application.application_no, type=application.type,
                            status=application.status, current_node=application.current_node)


@api.get("/types", response_model=list[ApplicationTypePublic])
def list_application_types(_principal: CurrentUnit, config: ConfigDep):
    """Each type: whether it can be submitted yet, whether it has a 中心复审, which attachments it takes."""
    return views.types_public(config)


@api.post("", response_model=ApplicationState, status_code=201, responses=SIGNED)
def create_application(body: ApplicationCreate, raw: JsonBody, request: Request, principal: CurrentUnit,
                       session: SessionDep, now: NowDep, client: ClientAddressDep):
    """A draft (status draft): the payload is checked, the UKey signature verified and kept. Then attach
    files and POST …/submit."""
    application = service.create(session=session, principal=principal, type_code=body.type, payload=raw["payload"],
                                 body=raw, method="POST", path=signed_path(request), now=now, client_address=client)
    return state(application)


@api.get("", response_model=Page[ApplicationSummary])
def list_applications(principal: CurrentUnit, session: SessionDep, config: ConfigDep, params: PageDep,
                      box: Annotated[Literal["todo", "done", "initiated"],
                                     Query(description="todo 待办（被退回的）；done 已办（办结、不予受理、已结束）；"
                                                       "initiated 我发起的（本经办人发起的全部）")],
                      type: Annotated[str | None, Query(description="业务类型")] = None,
                      status: Annotated[StatusFilter | None, Query(description="状态")] = None,
                      day_from: Annotated[dt.date | None, Query(alias="from", description="最后更新日期起")] = None,
                      day_to: Annotated[dt.date | None, Query(alias="to", description="最后更新日期止")] = None):
    items, total = service.list_for_unit(session=session, unit_id=principal.unit.id,
                                         operator_id=principal.operator.id, box=box, params=params, type_code=type,
                                         status=status, day_from=day_from, day_to=day_to, tz=config.timezone)
    return Page[ApplicationSummary](items=views.summaries(session, items, config.timezone), total=total,
                                    page=params.page, page_size=params.page_size)


@api.get("/{application_id}", response_model=ApplicationDetail)
def get_application(application_id: int, principal: CurrentUnit, session: SessionDep, config: ConfigDep):
    """Payload, the changes as old → new, the flow (nodes and steps with actor, opinion, time), attachments,
    and the UKey signature kept with the payload (certificate serial and fingerprint)."""
    application = service.get_for_unit(session=session, unit_id=principal.unit.id, application_id=application_id)
    return views.detail_public(service.detail(session=session, application=application), config,
                               reference.dictionaries(session=session))


@api.put("/{application_id}", response_model=ApplicationState, responses=SIGNED)
def update_application(application_id: int, body: ApplicationUpdate, raw: JsonBody, request: Request,
                       principal: CurrentUnit, session: SessionDep, now: NowDep, client: ClientAddressDep):
    """修改后重新提交: replace the payload of a draft or returned application (a new signed version; the
    earlier one is kept), then POST …/submit again. Attachments can be added or removed meanwhile."""
    application = service.replace_payload(session=session, principal=principal, application_id=application_id,
                                          payload=raw["payload"], body=raw, method="PUT", path=signed_path(request),
                                          now=now, client_address=client)
    return state(application)


@api.post("/{application_id}/submit", response_model=ApplicationState)
def submit_application(application_id: int, principal: CurrentUnit, session: SessionDep, now: NowDep,
                       client: ClientAddressDep):
    """提交审批 (also after 退回): checks the payload against current data, the required attachments and
    that nothing else of the same business is in flight; 409 type_not_supported for types whose approval
    does not take effect yet."""
    application = service.get_for_unit(session=session, unit_id=principal.unit.id, application_id=application_id,
                                       lock=True)
    service.submit(session=session, application=application, actor=service.Actor.of_unit(principal),
                   unit=principal.unit, now=now, client_address=client)
    return state(application)


@api.post("/{application_id}/end", response_model=ApplicationState)
def end_application(application_id: int, principal: CurrentUnit, session: SessionDep, now: NowDep,
                    client: ClientAddressDep):
    """结束流程: a returned (or never submitted) application ends."""
    return state(service.end(session=session, principal=principal, application_id=application_id, now=now,
                             client_address=client))


@api.post("/{application_id}/attachments", response_model=AttachmentPublic, status_code=201,
          openapi_extra=UPLOAD_BODY,
          responses={413: {"description": "attachment_too_large：超过20MB"},
                     415: {"description": "attachment_type：不是PDF/JPEG/PNG/TIFF（按内容识别）"}})
async def upload_application_attachment(
        application_id: int, request: Request, principal: CurrentUnit, session: SessionDep, config: ConfigDep,
        store: StoreDep, now: NowDep, kind: Annotated[str | None, Query(max_length=30, description="附件类别，缺省为该业务的主要材料")] = None):
    """档案扫描: one file (multipart field `file`) while the application is a draft or returned; at most
    20 an application."""
    application = await run_in_threadpool(service.get_for_unit, session=session, unit_id=principal.unit.id,
                                          application_id=application_id)
    kind_code = await run_in_threadpool(service.check_upload, session=session, application=application,
                                        kind_code=kind)
    upload = await receive_upload(request, store)
    row = await run_in_threadpool(service.add_attachment, session=session, application_id=application.id,
                                  upload=upload, kind_code=kind_code, uploaded_by=principal.actor, now=now)
    return views.attachment_public(row, application.type, config.timezone)


@api.get("/{application_id}/attachments/{attachment_id}", response_class=Response,
         responses={200: {"content": {"application/pdf": {}, "image/jpeg": {}, "image/png": {}, "image/tiff": {}}}})
def download_application_attachment(application_id: int, attachment_id: int, principal: CurrentUnit,
                                    session: SessionDep, store: StoreDep):
    application = service.get_for_unit(session=session, unit_id=principal.unit.id, application_id=application_id)
    row = attachments.get(session=session, application_id=application.id, attachment_id=attachment_id)
    return attachments.file_response(store, row)


@api.delete("/{application_id}/attachments/{attachment_id}", status_code=204, response_class=Response)
def delete_application_attachment(application_id: int, attachment_id: int, principal: CurrentUnit,
                                  session: SessionDep, now: NowDep):
    """Remove an attachment of a draft or returned application."""
    service.remove_attachment(session=session, principal=principal, application_id=application_id,
                              attachment_id=attachment_id, now=now)
    return Response(status_code=204)
