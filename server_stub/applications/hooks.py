"""What the per-type hooks of the catalogue receive and return (kept apart so that a type's own package,
e.g. registrations, can implement its hooks without importing the catalogue)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from services.dictionaries import Dictionaries

from ..units.models import Unit
from .models import Application


@dataclass(frozen=True)
class ChangeRow:
    """One line of "what this application changes" as a reviewer reads it."""
    item: str
    old: str
    new: str


@dataclass(frozen=True)
class Situation:
    """What the checks and the apply hook may use."""
    session: Session
    unit: Unit | None
    dictionaries: Dictionaries
    business_date: dt.date
    now: dt.datetime


@dataclass(frozen=True)
class Approval:
    """What an apply hook gets: the application, its current payload, who approved, who asked."""
    situation: Situation
    application: Application
    payload: dict
    reviewer: str
    initiator: str
