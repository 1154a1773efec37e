"""What a workbook is checked against: the policy, the dictionaries, the centre's business date and,
where the client has them cached, the unit's roster, its departments and what is known of other units."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from services.dictionaries import Dictionaries, default_dictionaries
from services.identity import ID_TYPE_RESIDENT
from services.money import D
from services.policy import Policy, demo_policy, policy_year_of
from services.yearmonth import YearMonth

from .cells import ratio_of

ACTIVE, SEALED = "01", "02"


@dataclass(frozen=True)
class BatchContext:
    """Everything the offline check needs besides the file.

    roster: this unit's employees by 个人账号 → a mapping with (any of) "name", "id_type", "id_number",
        "status" (code "01"/"02"/…), "paid_through" ("YYYY-MM" or YearMonth), "base" ("5000.00" or
        Decimal), "opened_on" ("YYYY-MM-DD" or date), "unit_ratio", "person_ratio" — the items of
        GET /employees as they come (see `roster_from_items`). None: not known (checks that need it skip).
    elsewhere: ID number → status code of an account in *another* unit, where the client knows it.
    departments: the unit's departments, code → name (None: not known; the 部门 column is then taken as
        a code and the centre checks it).
    unit_ratio / person_ratio: the ratios chosen for 缴存人登记 (percent); checked against the policy.
    unit_opened_on: the unit's opening date (bounds 首次缴存年月 as the centre does).
    """
    policy: Policy
    dictionaries: Dictionaries
    business_date: dt.date
    roster: Mapping[str, Mapping[str, Any]] | None = None
    elsewhere: Mapping[str, str] | None = None
    departments: Mapping[str, str] | None = None
    unit_ratio: Decimal | None = None
    person_ratio: Decimal | None = None
    unit_opened_on: dt.date | None = None
    _people: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("unit_ratio", "person_ratio"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, Decimal):
                object.__setattr__(self, name, ratio_of(value))

    @classmethod
    def offline(cls, business_date: dt.date | None = None, **kwargs) -> "BatchContext":
        """The built-in demo policy (for the business date's policy year) and the default dictionaries:
        what `gjj-desk check-workbook` uses without --centre."""
        day = business_date or dt.date.today()
        return cls(policy=demo_policy(policy_year_of(day)), dictionaries=default_dictionaries(), business_date=day, **kwargs)

    @property
    def month(self) -> YearMonth:
        return YearMonth.of(self.business_date)

    def person(self, account: str) -> "Person | None":
        """The roster entry of a 个人账号 in typed form (None if not in the roster)."""
        if self.roster is None:
            return None
        try:
            return self._people[account]
        except KeyError:
            pass
        raw = self.roster.get(account)
        person = Person.of(account, raw) if raw is not None else None
        self._people[account] = person
        return person

    def holders_by_id(self) -> dict[str, "Person"]:
        """This unit's accounts by ID number (a 正常 account wins over a 封存 one over the rest)."""
        index = self._people.get("\0by-id")
        if index is None:
            index = {}
            rank = {ACTIVE: 0, SEALED: 1}
            for account in self.roster or {}:
                person = self.person(account)
                if person is None or not person.id_number:
                    continue
                held = index.get(person.id_number)
                if held is None or rank.get(person.status, 9) < rank.get(held.status, 9):
                    index[person.id_number] = person
            self._people["\0by-id"] = index
        return index


@dataclass(frozen=True, slots=True)
class Person:
    account: str
    name: str
    id_type: str
    id_number: str
    status: str
    paid_through: YearMonth | None
    base: Decimal | None
    opened_on: dt.date | None
    unit_ratio: Decimal | None
    person_ratio: Decimal | None

    @classmethod
    def of(cls, account: str, raw: Mapping[str, Any]) -> "Person":
        return cls(account=account, name=str(raw.get("name") or ""),
                   id_type=str(raw.get("id_type") or ID_TYPE_RESIDENT),
                   id_number=str(raw.get("id_number") or "").strip().upper(),
                   status=str(raw.get("status") or ""),
                   paid_through=_month(raw.get("paid_through")), base=_decimal(raw.get("base")),
                   opened_on=_date(raw.get("opened_on")), unit_ratio=_decimal(raw.get("unit_ratio")),
                   person_ratio=_decimal(raw.get("person_ratio")))


def roster_from_items(items: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """GET /employees items (or any mappings with "person_account") → the roster mapping."""
    return {str(item["person_account"]): item for item in items}


def _month(value: Any) -> YearMonth | None:
    if value in (None, ""):
        return None
    if isinstance(value, YearMonth):
        return value
    if isinstance(value, dt.date):
        return YearMonth.of(value)
    return YearMonth.parse(str(value))


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    return D(value) if not isinstance(value, Decimal) else value


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
