"""/messages: the unit's message box (消息)."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Query, Response

from ..deps import ClientAddressDep, ConfigDep, CurrentUnit, NowDep, SessionDep
from ..errors import Problem
from ..paging import Page, PageDep
from ..timefmt import iso, zone
from ..web import router
from ..audit import service as audit
from . import service
from .models import Message
from .schemas import MessagePublic

api = router(prefix="/messages", tags=["messages"])


def _public(message: Message, tz: str) -> MessagePublic:
    return MessagePublic(id=message.id, title=message.title, body=message.body, business=message.business,
                         channel=message.channel, created_at=iso(message.created_at, tz),
                         read=message.read_at is not None)


def _since(text: str | None, tz: str) -> tuple[int | None, dt.datetime | None]:
    """`since` is a message id (newer ids) or an ISO timestamp (created later)."""
    if not text:
        return None, None
    if text.isdigit():
        return int(text), None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        raise Problem(422, "validation_error", "since应为消息编号或ISO 8601时间（如2025-01-02T08:00:00+08:00）") from None
    return None, moment if moment.tzinfo else moment.replace(tzinfo=zone(tz))


@api.get("", response_model=Page[MessagePublic])
def list_messages(principal: CurrentUnit, session: SessionDep, config: ConfigDep, params: PageDep,
                  since: Annotated[str | None, Query(description="消息编号或ISO 8601时间：只列出其后的消息")] = None,
                  unread: Annotated[bool | None, Query(description="true：只列未读；false：只列已读")] = None):
    since_id, since_at = _since(since, config.timezone)
    items, total = service.list_messages(session=session, unit_id=principal.unit.id, params=params, since_id=since_id,
                                         since=since_at, unread=unread)
    return Page[MessagePublic](items=[_public(m, config.timezone) for m in items], total=total,
                               page=params.page, page_size=params.page_size)


@api.get("/{message_id}", response_model=MessagePublic)
def get_message(message_id: int, principal: CurrentUnit, session: SessionDep, config: ConfigDep):
    message = service.get_message(session=session, unit_id=principal.unit.id, message_id=message_id)
    return _public(message, config.timezone)


@api.post("/{message_id}/read", status_code=204, response_class=Response)
def read_message(message_id: int, principal: CurrentUnit, session: SessionDep, now: NowDep, client: ClientAddressDep):
    service.mark_read(session=session, unit_id=principal.unit.id, message_id=message_id,
                      operator_id=principal.operator.id, now=now)
    audit.record(session=session, at=now, actor_kind="unit", actor=principal.actor, unit_id=principal.unit.id,
                 action="message.read", client_address=client,
                 detail={"message_id": message_id})
    return Response(status_code=204)
