"""Messages pushed to a unit (消息): system notices of businesses and centre notices."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..orm import Base, UtcDateTime

CHANNEL_SYSTEM = "系统推送"
CHANNEL_CENTRE = "中心推送"


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_unit_created", "unit_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    business: Mapped[str] = mapped_column(String(50))     # 业务名称
    channel: Mapped[str] = mapped_column(String(20))      # 推送渠道
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    read_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    read_by_operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id", ondelete="SET NULL"))
