"""The payload of each application type (API.md "Applications"), checked for shape when it arrives."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

MONEY = r"^\d{1,9}(\.\d{1,2})?$"
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FieldChange(_Strict):
    field: str = Field(min_length=1, max_length=40)
    old: str | None = Field(default="", max_length=200)
    new: str = Field(max_length=200)

    @field_validator("old", "new", mode="before")
    @classmethod
    def _numbers_as_text(cls, value):
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class UnitInfoChangePayload(_Strict):
    changes: list[FieldChange] = Field(min_length=1, max_length=30)


class BaseAdjustmentRow(_Strict):
    person_account: str = Field(min_length=1, max_length=20)
    old_base: str = Field(pattern=MONEY)
    new_base: str = Field(pattern=MONEY)


class BaseAdjustmentPayload(_Strict):
    rows: list[BaseAdjustmentRow] = Field(min_length=1, max_length=10000)


class SupplementaryRow(_Strict):
    person_account: str = Field(min_length=1, max_length=20)
    reason: str = Field(min_length=1, max_length=20)
    from_month: str = Field(pattern=MONTH)
    to_month: str = Field(pattern=MONTH)
    unit_amount: str = Field(pattern=MONEY)
    person_amount: str = Field(pattern=MONEY)


class SupplementaryPayload(_Strict):
    rows: list[SupplementaryRow] = Field(min_length=1, max_length=10000)


class EmployeeInfoChangePayload(_Strict):
    person_account: str = Field(min_length=1, max_length=20)
    changes: list[FieldChange] = Field(min_length=1, max_length=30)
