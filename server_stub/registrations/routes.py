"""/registrations: 自主开户 without a login. Every call after the first names the application number and
its query code; a wrong pair answers 404 whichever half is wrong."""
from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response
from starlette.concurrency import run_in_threadpool

from ..applications import service as applications
from ..applications import views
from ..applications.models import STATUS_LABELS
from ..applications.schemas import ApplicationState, AttachmentPublic
from ..attachments.upload import UPLOAD_BODY, StoreDep, receive_upload
from ..deps import ClientAddressDep, ConfigDep, NowDep, PasswordsDep, SessionDep
from ..reference import service as reference
from ..units.models import Unit
from ..web import router
from . import service
from .schemas import RegistrationCreate, RegistrationCreated, RegistrationStatus

api = router(prefix="/registrations", tags=["registrations"])

QueryCode = Annotated[str, Query(min_length=1, max_length=20, description="提交开户申请时返回的查询码")]


def _state(application) -> ApplicationState:
    return ApplicationState(id=application.id, application_no=application.application_no, type=application.type,
                            status=application.status, current_node=application.current_node)


@api.post("", response_model=RegistrationCreated, status_code=201,
          responses={429: {"description": "rate_limited：同一地址提交过于频繁（Retry-After）"},
                     422: {"description": "validation_error（列出每一项）；uscc_checksum_warning：统一社会信用代码"
                                          "校验位不符，核对后以 uscc_confirmed=true 重新提交"},
                     409: {"description": "uscc_registered：已开户；application_in_flight：已有待审批的开户申请"}})
def create_registration(body: RegistrationCreate, session: SessionDep, config: ConfigDep, now: NowDep,
                        client: ClientAddressDep, passwords: PasswordsDep):
    """自主开户 (draft). Next: upload the business licence (POST …/attachments), then POST …/submit."""
    application, query_code = service.register(session=session, body=body, passwords=passwords, config=config,
                                               now=now, client_address=client)
    return RegistrationCreated(application_no=application.application_no, query_code=query_code,
                               status=application.status)


@api.get("/{application_no}", response_model=RegistrationStatus)
def get_registration(application_no: str, query_code: QueryCode, session: SessionDep, config: ConfigDep):
    """Status and the centre's opinion; once approved, the unit account and the operator's login name."""
    application, registration = service.find(session=session, application_no=application_no, query_code=query_code)
    item = applications.detail(session=session, application=application)
    unit = session.get(Unit, registration.unit_id) if registration.unit_id else None
    tz = config.timezone
    public = views.detail_public(item, config, reference.dictionaries(session=session))
    return RegistrationStatus(
        application_no=application.application_no, status=application.status,
        status_label=STATUS_LABELS[application.status], current_node=application.current_node,
        opinion=public.opinion, submitted_at=public.submitted_at, updated_at=public.updated_at,
        unit_account=unit.unit_account if unit else None, login_name=item.payload["operator"]["login_name"],
        steps=public.steps, attachments=[views.attachment_public(a, application.type, tz) for a in item.attachments])


@api.put("/{application_no}", response_model=ApplicationState)
def update_registration(application_no: str, query_code: QueryCode, body: RegistrationCreate, session: SessionDep,
                        now: NowDep, client: ClientAddressDep, passwords: PasswordsDep):
    """Correct a draft or returned registration (same body as POST), then POST …/submit again."""
    return _state(service.replace(session=session, application_no=application_no, query_code=query_code, body=body,
                                  passwords=passwords, now=now, client_address=client))


@api.post("/{application_no}/submit", response_model=ApplicationState)
def submit_registration(application_no: str, query_code: QueryCode, session: SessionDep, now: NowDep,
                        client: ClientAddressDep):
    """提交审批: needs the business licence scan (kind business_licence)."""
    return _state(service.submit(session=session, application_no=application_no, query_code=query_code, now=now,
                                 client_address=client))


@api.post("/{application_no}/attachments", response_model=AttachmentPublic, status_code=201,
          openapi_extra=UPLOAD_BODY)
async def upload_registration_attachment(
        application_no: str, query_code: QueryCode, request: Request, session: SessionDep, config: ConfigDep,
        store: StoreDep, now: NowDep,
        kind: Annotated[str | None, Query(max_length=30, description="缺省 business_licence（营业执照扫描件）")] = None):
    """The business licence scan (PDF/JPEG/PNG/TIFF, ≤ 20 MB), as for applications."""
    application, _ = await run_in_threadpool(service.find, session=session, application_no=application_no,
                                             query_code=query_code)
    kind_code = await run_in_threadpool(applications.check_upload, session=session, application=application,
                                        kind_code=kind)
    upload = await receive_upload(request, store)
    row = await run_in_threadpool(applications.add_attachment, session=session, application_id=application.id,
                                  upload=upload, kind_code=kind_code, uploaded_by="自主开户申请人", now=now)
    return views.attachment_public(row, application.type, config.timezone)


@api.delete("/{application_no}/attachments/{attachment_id}", status_code=204, response_class=Response)
def delete_registration_attachment(application_no: str, attachment_id: int, query_code: QueryCode,
                                   session: SessionDep, now: NowDep):
    service.remove_attachment(session=session, application_no=application_no, query_code=query_code,
                              attachment_id=attachment_id, now=now)
    return Response(status_code=204)
