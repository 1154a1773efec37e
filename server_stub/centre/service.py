"""Centre actions shared by the API and the command line: business date, notices to units."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import service as audit
from ..errors import Problem
from ..messages import service as messages
from ..messages.models import CHANNEL_CENTRE, Message
from ..reference import service as reference
from ..units.models import Unit
from ..units.service import find_unit


def set_business_date(*, session: Session, day: dt.date, actor: str, actor_kind: str, now: dt.datetime,
                      client_address: str = "") -> None:
    old = reference.business_date(session=session)
    reference.set_business_date(session=session, day=day, now=now)
    audit.record(session=session, at=now, actor_kind=actor_kind, actor=actor, action="centre.business_date",
                 client_address=client_address, detail={"from": old.isoformat(), "to": day.isoformat()})


def send_notice(*, session: Session, unit_account: str | None, title: str, body: str, business: str,
                actor: str, actor_kind: str, now: dt.datetime, client_address: str = "") -> list[Message]:
    """A centre notice to one unit, or to every unit (one message per unit: each reads its own)."""
    if unit_account is None:
        unit_ids = list(session.scalars(select(Unit.id).order_by(Unit.id)))
    else:
        unit = find_unit(session=session, unit_account=unit_account)
        if unit is None:
            raise Problem(404, "not_found", f"单位账号{unit_account}不存在，请核对")
        unit_ids = [unit.id]
    sent = messages.send(session=session, unit_ids=unit_ids, title=title, body=body, business=business, now=now,
                         channel=CHANNEL_CENTRE)
    audit.record(session=session, at=now, actor_kind=actor_kind, actor=actor, action="centre.message",
                 client_address=client_address, detail={"unit_account": unit_account, "title": title,
                                                        "count": len(sent)})
    return sent
