from __future__ import annotations

from pydantic import BaseModel, Field


class MessagePublic(BaseModel):
    id: int
    title: str
    body: str
    business: str = Field(description="业务名称")
    channel: str = Field(description="推送渠道")
    created_at: str
    read: bool
