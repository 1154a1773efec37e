"""The audit log: every login attempt and every state change (who, when, from where, outcome)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..orm import Base, UtcDateTime


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    actor_kind: Mapped[str] = mapped_column(String(10))      # unit | centre | cli | anonymous
    actor: Mapped[str] = mapped_column(String(100))           # "单位账号/登录名", centre user name, "cli"
    unit_id: Mapped[int | None] = mapped_column(index=True)  # no FK: the log outlives what it mentions
    action: Mapped[str] = mapped_column(String(50))
    outcome: Mapped[str] = mapped_column(String(40))          # "ok" or the refusal code
    client_address: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(Text, default="")     # JSON
