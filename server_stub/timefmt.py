"""Timestamps as clerks and the API see them: ISO 8601 with the centre's offset (e.g. +08:00)."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache


@lru_cache(maxsize=8)
def zone(name: str) -> dt.tzinfo:
    try:
        from zoneinfo import ZoneInfo
        return ZoneInfo(name)
    except Exception:  # no tz database on the machine: China has had no DST since 1991
        return dt.timezone(dt.timedelta(hours=8), "CST")


def iso(value: dt.datetime | None, tz: str) -> str | None:
    if value is None:
        return None
    return value.astimezone(zone(tz)).isoformat(timespec="seconds")


def hhmm(value: dt.datetime, tz: str) -> str:
    return value.astimezone(zone(tz)).strftime("%H:%M")


def local_date(value: dt.datetime, tz: str) -> dt.date:
    return value.astimezone(zone(tz)).date()
