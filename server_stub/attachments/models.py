"""Attachments (档案扫描): files uploaded to an application, stored once by content (sha256)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..orm import Base, UtcDateTime


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[str] = mapped_column(String(30))           # business_licence, supporting, other …
    label: Mapped[str] = mapped_column(String(200))         # the client's file name: shown, never used as a path
    media_type: Mapped[str] = mapped_column(String(40))     # recognised from the content
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    uploaded_by: Mapped[str] = mapped_column(String(100))   # "单位账号/登录名" or "自主开户申请人"
