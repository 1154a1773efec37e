"""自主开户: what a self-registration keeps beside its application — the USCC, the hashed query code and
the first operator's password hash (never in the payload), where it came from, and the unit it became."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..orm import Base, UtcDateTime


class Registration(Base):
    __tablename__ = "registrations"
    __table_args__ = (Index("ix_registrations_client_created", "client_address", "created_at"),)

    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="RESTRICT"),
                                                primary_key=True, autoincrement=False)
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    query_code_sha256: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(200))     # argon2id of the first operator's password
    client_address: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))   # once approved
