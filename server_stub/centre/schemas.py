from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class BusinessDateUpdate(BaseModel):
    date: dt.date


class CentreMessageCreate(BaseModel):
    unit_account: str | None = Field(default=None, max_length=20, description="为空表示发给所有单位")
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=5000)
    business: str = Field(default="中心通知", min_length=1, max_length=50)


class CentreMessagesPublic(BaseModel):
    sent: int
    ids: list[int]
