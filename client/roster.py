"""The unit's roster as the desk caches it (``GET /employees/roster``): every employee of the unit, any
status, for the 个人账号 picker and the offline checks of a 清册 or a workbook. Plain Python, no Qt."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from services.dictionaries import PERSON_STATUS

ACTIVE, SEALED = "01", "02"
FIELDS = ("person_account", "name", "id_type", "id_number", "status", "department", "base", "unit_ratio",
          "person_ratio", "paid_through", "opened_on")


@dataclass(frozen=True, slots=True)
class RosterEntry:
    person_account: str
    name: str
    id_type: str
    id_number: str
    status: str
    department: str          # 部门代码 ("" when none)
    base: str                # "5000.00"
    unit_ratio: str
    person_ratio: str
    paid_through: str        # "2025-03" ("" when never paid)
    opened_on: str           # "2024-07-01"

    @property
    def status_label(self) -> str:
        return PERSON_STATUS.get(self.status, self.status)

    def as_mapping(self) -> dict[str, Any]:
        """The shape ``services.batch.BatchContext.roster`` reads."""
        return {"name": self.name, "id_type": self.id_type, "id_number": self.id_number, "status": self.status,
                "department": self.department, "base": self.base or None, "unit_ratio": self.unit_ratio or None,
                "person_ratio": self.person_ratio or None, "paid_through": self.paid_through or None,
                "opened_on": self.opened_on or None}

    def describe(self) -> str:
        """One line for the picker: "200100000012  张三  110101199001011234  正常"."""
        return f"{self.person_account}  {self.name}  {self.id_number}  {self.status_label}"


class Roster:
    """The unit's people by 个人账号, with `version` (the centre's ETag value)."""

    def __init__(self, entries: Iterable[RosterEntry], version: str | None = None) -> None:
        self.entries: list[RosterEntry] = list(entries)
        self.version = version
        self.by_account: dict[str, RosterEntry] = {e.person_account: e for e in self.entries}
        self._batch: dict[str, dict] | None = None
        self._keys: list[tuple[str, str, str]] | None = None

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, account: str) -> RosterEntry | None:
        return self.by_account.get((account or "").strip())

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Roster:
        """From the roster answer ``{"version", "fields", "rows"}`` (columns found by name)."""
        fields = list(data.get("fields") or FIELDS)
        where = [fields.index(f) if f in fields else None for f in FIELDS]
        entries = []
        for row in data.get("rows") or []:
            values = ["" if i is None or i >= len(row) or row[i] is None else str(row[i]) for i in where]
            entries.append(RosterEntry(*values))
        return cls(entries, data.get("version"))

    def to_api(self) -> dict[str, Any]:
        """The cached form: the answer's shape, so a cache written by any desk version reads the same."""
        return {"version": self.version, "count": len(self.entries), "fields": list(FIELDS),
                "rows": [[getattr(e, f) for f in FIELDS] for e in self.entries]}

    def batch_roster(self) -> dict[str, dict]:
        """个人账号 → mapping, for ``services.batch.BatchContext(roster=...)``."""
        if self._batch is None:
            self._batch = {e.person_account: e.as_mapping() for e in self.entries}
        return self._batch

    def holders(self, id_number: str) -> list[RosterEntry]:
        number = (id_number or "").strip().upper()
        return [e for e in self.entries if e.id_number == number]

    def in_department(self, code: str) -> list[RosterEntry]:
        return [e for e in self.entries if e.department == code]

    def search(self, text: str, statuses: Iterable[str] | None = None, limit: int = 50) -> list[RosterEntry]:
        """People whose name contains `text`, or whose 证件号码 or 个人账号 starts with it (a lowercase x
        and spaces are fine). Exact 个人账号 / 证件号码 first, then starts-with, then the names; at most
        `limit`. An empty text lists the first `limit` people."""
        wanted = set(statuses) if statuses is not None else None
        needle = "".join((text or "").split())
        upper = needle.upper()
        if self._keys is None:
            self._keys = [(e.person_account, e.id_number.upper(), e.name) for e in self.entries]
        exact: list[RosterEntry] = []
        starts: list[RosterEntry] = []
        names: list[RosterEntry] = []
        for entry, (account, number, name) in zip(self.entries, self._keys):
            if wanted is not None and entry.status not in wanted:
                continue
            if not needle:
                starts.append(entry)
            elif account == needle or number == upper:
                exact.append(entry)
            elif account.startswith(needle) or number.startswith(upper):
                starts.append(entry)
            elif needle in name:
                names.append(entry)
            if not needle and len(starts) >= limit:
                break
        return (exact + starts + names)[:limit]
