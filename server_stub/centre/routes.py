"""/centre: calls for centre accounts only (a unit token gets 403)."""
from __future__ import annotations

from ..auth import service as auth
from ..auth.schemas import CentreLoginCreate, CentreLoginPublic
from ..deps import ClientAddressDep, ConfigDep, CurrentCentre, NowDep, PasswordsDep, SessionDep
from ..errors import Problem
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
