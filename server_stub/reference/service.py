"""Business date, policy years and dictionaries."""
from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.dictionaries import DEFAULT_CONFIGURABLE, FIXED, Dictionaries
from services.policy import DEMO_POLICY, Policy, policy_year_of

from ..errors import Problem
from .models import CentreSettings, DictionaryEntry, PolicyYear

SETTINGS_ID = 1


def settings(*, session: Session) -> CentreSettings:
    row = session.get(CentreSettings, SETTINGS_ID)
    if row is None:
        raise Problem(503, "not_initialised", "公积金中心数据库尚未初始化，请先运行 gjj-centre init")
    return row


def business_date(*, session: Session) -> dt.date:
    return settings(session=session).business_date


def set_business_date(*, session: Session, day: dt.date, now: dt.datetime) -> CentreSettings:
    """Move "today"; the policy year of the new date gets a policy row if it has none (carried forward)."""
    row = session.get(CentreSettings, SETTINGS_ID, with_for_update=True) or settings(session=session)
    row.business_date = day
    row.updated_at = now
    ensure_policy_year(session=session, year=policy_year_of(day), now=now)
    return row


def policy_for(*, session: Session, day: dt.date) -> Policy:
    year = policy_year_of(day)
    row = session.get(PolicyYear, year)
    if row is None:
        raise Problem(404, "policy_missing",
                      f"{year}年度（{year}年7月1日至{year + 1}年6月30日）的缴存政策尚未设置，请联系公积金中心")
    return row.to_policy()


def ensure_policy_year(*, session: Session, year: int, now: dt.datetime) -> PolicyYear:
    """The policy row of `year`; a missing one is carried forward from the nearest earlier year (or back
    from the nearest later one, or the demo values when there is none), as version 1."""
    row = session.get(PolicyYear, year)
    if row is not None:
        return row
    earlier = select(PolicyYear).where(PolicyYear.year < year).order_by(PolicyYear.year.desc())
    later = select(PolicyYear).where(PolicyYear.year > year).order_by(PolicyYear.year)
    nearest = session.scalars(earlier).first() or session.scalars(later).first()
    template = nearest.to_policy() if nearest is not None else DEMO_POLICY
    row = PolicyYear.from_policy(dataclasses.replace(template, year=year, version=1), updated_at=now)
    session.add(row)
    session.flush()
    return row


def dictionaries(*, session: Session) -> Dictionaries:
    tables: dict[str, dict[str, str]] = {name: dict(table) for name, table in FIXED.items()}
    for entry in session.scalars(select(DictionaryEntry).where(DictionaryEntry.active.is_(True))
                                 .order_by(DictionaryEntry.name, DictionaryEntry.position, DictionaryEntry.id)):
        tables.setdefault(entry.name, {})[entry.code] = entry.label
    return Dictionaries(settings(session=session).dictionary_version, tables)


def seed_dictionaries(*, session: Session) -> None:
    for name, table in DEFAULT_CONFIGURABLE.items():
        for position, (code, label) in enumerate(table.items()):
            session.add(DictionaryEntry(name=name, code=code, label=label, position=position))
