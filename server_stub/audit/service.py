"""Writing the audit log. Written in the request's transaction; refusals that must be remembered
(failed logins) are committed through `Problem(keep_changes=True)`."""
from __future__ import annotations

import datetime as dt
import json

from sqlalchemy.orm import Session

from .models import AuditEntry


def record(*, session: Session, at: dt.datetime, actor_kind: str, actor: str, action: str, outcome: str = "ok",
           unit_id: int | None = None, client_address: str = "", detail: dict | None = None) -> AuditEntry:
    entry = AuditEntry(at=at, actor_kind=actor_kind, actor=actor[:100], unit_id=unit_id, action=action,
                       outcome=outcome, client_address=client_address[:64],
                       detail=json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else "")
    session.add(entry)
    return entry
