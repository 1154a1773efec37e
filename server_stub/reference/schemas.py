"""Answers of the reference-data calls (shapes of services.policy.Policy.to_api and Dictionaries.to_api)."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class BusinessDatePublic(BaseModel):
    date: str


class RoundingPublic(BaseModel):
    precision: Literal["yuan", "jiao", "fen"]
    mode: Literal["half_up", "up", "down"]


class PolicyPublic(BaseModel):
    year: int
    version: int
    unit_ratio_min: str
    unit_ratio_max: str
    person_ratio_min: str
    person_ratio_max: str
    base_min: str
    base_max: str
    rounding: RoundingPublic
    adjustment_month: int
    max_remit_months: int
    max_supplement_months: int
    interest_rate: str


class CodeLabel(BaseModel):
    code: str
    label: str


class DictionariesPublic(BaseModel):
    version: int
    dictionaries: dict[str, list[CodeLabel]]
