"""Messages of a unit: listing (paged, newest first), reading, and sending (system and centre notices)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import not_found
from ..paging import PageParams, paginate
from .models import CHANNEL_SYSTEM, Message


def list_messages(*, session: Session, unit_id: int, params: PageParams, since_id: int | None = None,
                  since: dt.datetime | None = None, unread: bool | None = None) -> tuple[list[Message], int]:
    statement = select(Message).where(Message.unit_id == unit_id)
    if since_id is not None:
        statement = statement.where(Message.id > since_id)
    if since is not None:
        statement = statement.where(Message.created_at > since)
    if unread is True:
        statement = statement.where(Message.read_at.is_(None))
    elif unread is False:
        statement = statement.where(Message.read_at.is_not(None))
    return paginate(session=session, statement=statement.order_by(Message.created_at.desc(), Message.id.desc()),
                    params=params)


def get_message(*, session: Session, unit_id: int, message_id: int) -> Message:
    message = session.get(Message, message_id)
    if message is None or message.unit_id != unit_id:
        raise not_found("消息")
    return message


def mark_read(*, session: Session, unit_id: int, message_id: int, operator_id: int, now: dt.datetime) -> Message:
    message = get_message(session=session, unit_id=unit_id, message_id=message_id)
    if message.read_at is None:
        message.read_at = now
        message.read_by_operator_id = operator_id
    return message


def send(*, session: Session, unit_ids: list[int], title: str, body: str, business: str, now: dt.datetime,
         channel: str = CHANNEL_SYSTEM) -> list[Message]:
    messages = [Message(unit_id=unit_id, title=title, body=body, business=business, channel=channel,
                        created_at=now) for unit_id in unit_ids]
    session.add_all(messages)
    session.flush()
    return messages
