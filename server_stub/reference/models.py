"""Centre-wide reference data: settings (the business date), the policy per policy year, dictionaries."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.policy import Policy
from services.rounding import Precision, RoundingMode

from ..orm import Base, Money, Ratio, UtcDateTime


class CentreSettings(Base):
    """Exactly one row (id 1), written by `gjj-centre init`."""
    __tablename__ = "centre_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_name: Mapped[str] = mapped_column(String(100))
    business_date: Mapped[dt.date]
    dictionary_version: Mapped[int] = mapped_column(default=1)
    initialised_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class PolicyYear(Base):
    """The contribution policy of one policy year (1 July of `year` – 30 June of the next)."""
    __tablename__ = "policy_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int]
    unit_ratio_min: Mapped[Decimal] = mapped_column(Ratio)
    unit_ratio_max: Mapped[Decimal] = mapped_column(Ratio)
    person_ratio_min: Mapped[Decimal] = mapped_column(Ratio)
    person_ratio_max: Mapped[Decimal] = mapped_column(Ratio)
    base_min: Mapped[Decimal] = mapped_column(Money)
    base_max: Mapped[Decimal] = mapped_column(Money)
    precision: Mapped[str] = mapped_column(String(8))
    rounding_mode: Mapped[str] = mapped_column(String(10))
    adjustment_month: Mapped[int]
    max_remit_months: Mapped[int]
    max_supplement_months: Mapped[int]
    interest_rate: Mapped[Decimal] = mapped_column(Ratio)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    def to_policy(self) -> Policy:
        return Policy(
            year=self.year, version=self.version,
            unit_ratio_min=self.unit_ratio_min, unit_ratio_max=self.unit_ratio_max,
            person_ratio_min=self.person_ratio_min, person_ratio_max=self.person_ratio_max,
            base_min=self.base_min, base_max=self.base_max,
            precision=Precision(self.precision), mode=RoundingMode(self.rounding_mode),
            adjustment_month=self.adjustment_month, max_remit_months=self.max_remit_months,
            max_supplement_months=self.max_supplement_months, interest_rate=self.interest_rate,
        )

    @classmethod
    def from_policy(cls, policy: Policy, *, updated_at: dt.datetime) -> "PolicyYear":
        return cls(
            year=policy.year, version=policy.version,
            unit_ratio_min=policy.unit_ratio_min, unit_ratio_max=policy.unit_ratio_max,
            person_ratio_min=policy.person_ratio_min, person_ratio_max=policy.person_ratio_max,
            base_min=policy.base_min, base_max=policy.base_max,
            precision=policy.precision.value, rounding_mode=policy.mode.value,
            adjustment_month=policy.adjustment_month, max_remit_months=policy.max_remit_months,
            max_supplement_months=policy.max_supplement_months, interest_rate=policy.interest_rate,
            updated_at=updated_at,
        )


class DictionaryEntry(Base):
    """One code of a centre-configurable dictionary (封存原因, 启封原因, 补缴原因, 职务, …)."""
    __tablename__ = "dictionary_entries"
    __table_args__ = (UniqueConstraint("name", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
