"""A 清册 (the list a clerk builds before submitting) as a plain list, without Qt: rows, a status per row,
running totals, and the JSON form kept in the local store's drafts (one draft per unit, operator and
business), so that a 清册 survives a crash or a kill.

Rows are dicts of JSON-safe values (money as "5000.00" text, months as "2025-03"); they are never changed
in place — a change replaces the row — so a shallow copy of the list is a consistent snapshot that a
background thread may write while the clerk carries on.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from services.money import D

STATUS = "_status"      # row key of the row's status
MESSAGE = "_message"    # row key of what the centre (or the offline check) said about the row
READY, REFUSED, SENT = "ready", "refused", "sent"
STATUS_TEXT = {READY: "待办理", REFUSED: "未通过", SENT: "已提交，等待中心确认"}
FORMAT_VERSION = 1


class DraftList:
    """The rows of one 清册 with their status and the sums of `money_keys`."""

    def __init__(self, rows: Iterable[dict] = (), *, money_keys: Sequence[str] = (),
                 meta: dict[str, Any] | None = None) -> None:
        self.money_keys = tuple(money_keys)
        self.rows: list[dict] = []
        self.meta: dict[str, Any] = dict(meta or {})
        self._totals: dict[str, Decimal] = {k: Decimal("0.00") for k in self.money_keys}
        self._refused = 0
        self.extend(rows)

    # -- reading --------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> dict:
        return self.rows[index]

    def total(self, key: str) -> Decimal:
        return self._totals[key]

    def status(self, index: int) -> str:
        return self.rows[index].get(STATUS) or READY

    def message(self, index: int) -> str:
        return self.rows[index].get(MESSAGE) or ""

    def refused_count(self) -> int:
        return self._refused

    def find(self, key: str, value: Any) -> int | None:
        """The index of the first row whose `key` is `value` (None if there is none)."""
        for i, row in enumerate(self.rows):
            if row.get(key) == value:
                return i
        return None

    # -- changing -------------------------------------------------------------------------------
    def append(self, row: dict) -> int:
        self.extend([row])
        return len(self.rows) - 1

    def extend(self, rows: Iterable[dict]) -> int:
        """Add rows (dicts, taken as they are: never changed in place afterwards)."""
        rows = list(rows)
        self.rows.extend(rows)
        for key in self.money_keys:
            self._totals[key] += _sum(row.get(key) for row in rows)
        self._refused += sum(1 for row in rows if row.get(STATUS) == REFUSED)
        return len(rows)

    def remove(self, indices: Iterable[int]) -> list[dict]:
        """Remove the rows at `indices`; returns them (in list order)."""
        drop = set(indices)
        removed = [r for i, r in enumerate(self.rows) if i in drop]
        if removed:
            self.rows[:] = [r for i, r in enumerate(self.rows) if i not in drop]
            for row in removed:
                self._add(row, -1)
        return removed

    def remove_range(self, first: int, last: int) -> list[dict]:
        """Remove rows first..last (inclusive); returns them."""
        removed = self.rows[first:last + 1]
        del self.rows[first:last + 1]
        for row in removed:
            self._add(row, -1)
        return removed

    def clear(self) -> None:
        self.rows.clear()
        self._totals = {k: Decimal("0.00") for k in self.money_keys}
        self._refused = 0
        self.meta.pop("pending", None)

    def set_status(self, index: int, status: str, message: str = "") -> None:
        row = dict(self.rows[index])
        self._refused += (status == REFUSED) - (row.get(STATUS) == REFUSED)
        row[STATUS] = status
        if message:
            row[MESSAGE] = message
        else:
            row.pop(MESSAGE, None)
        self.rows[index] = row

    def set_all(self, status: str, indices: Iterable[int] | None = None) -> None:
        for i in range(len(self.rows)) if indices is None else indices:
            self.set_status(i, status)

    # -- the stored form ------------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        """What the local store keeps: safe to hand to another thread (rows are never changed in place).
        The sums and the count of refused rows go along, so that showing a stored 清册 does not add up
        100,000 amounts again."""
        return {"format": FORMAT_VERSION, "rows": list(self.rows), "meta": dict(self.meta), "count": len(self.rows),
                "totals": {k: str(v) for k, v in self._totals.items()}, "refused": self._refused}

    @classmethod
    def from_snapshot(cls, data: Any, *, money_keys: Sequence[str] = ()) -> DraftList:
        if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
            return cls(money_keys=money_keys)
        rows = data["rows"]
        if set(map(type, rows)) - {dict}:
            rows = [r for r in rows if isinstance(r, dict)]
        meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
        totals, refused = data.get("totals"), data.get("refused")
        if (data.get("count") == len(rows) and isinstance(totals, dict) and set(money_keys) <= set(totals)
                and isinstance(refused, int)):
            draft = cls(money_keys=money_keys, meta=meta)
            draft.rows = list(rows)
            try:
                draft._totals = {k: Decimal(str(totals[k])) for k in draft.money_keys}
                draft._refused = refused
                return draft
            except (InvalidOperation, ValueError):
                pass
        return cls(rows, money_keys=money_keys, meta=meta)

    def _add(self, row: dict, sign: int) -> None:
        for key in self.money_keys:
            amount = _sum((row.get(key),))
            self._totals[key] += amount if sign > 0 else -amount
        if row.get(STATUS) == REFUSED:
            self._refused += sign


class DraftStore:
    """Where one 清册 lives in the local store: (unit, operator, module). Called from background work."""

    def __init__(self, store, unit_account: str, operator: str, module: str) -> None:
        self.store = store
        self.unit_account = unit_account
        self.operator = operator
        self.module = module

    def load(self) -> Any | None:
        return self.store.load_draft(self.unit_account, self.operator, self.module)

    def save(self, snapshot: dict[str, Any]) -> None:
        if snapshot.get("rows") or snapshot.get("meta"):
            self.store.save_draft(self.unit_account, self.operator, self.module, snapshot)
        else:
            self.store.delete_draft(self.unit_account, self.operator, self.module)


def _sum(values: Iterable[Any]) -> Decimal:
    """The sum of amounts in API form ("1234.50"; thousands separators and blanks tolerated)."""
    total = Decimal("0.00")
    for value in values:
        if value is None or value == "":
            continue
        try:
            total += Decimal(value) if isinstance(value, str) else D(value)
        except (InvalidOperation, TypeError, ValueError):
            try:
                total += D(str(value))
            except (InvalidOperation, TypeError, ValueError):
                continue
    return total
