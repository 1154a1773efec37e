"""Plain values the UKey interface returns (picklable, so they cross the token-process pipe as they are)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TokenInfo:
    slot: int
    label: str
    serial: str
    manufacturer: str
    model: str
    pin_count_low: bool
    pin_final_try: bool
    pin_locked: bool


@dataclass(frozen=True)
class TokenState:
    """What the status bar shows: is a UKey in, which one, or why the token service cannot tell."""

    present: bool
    serial: str | None = None
    label: str | None = None
    error: str | None = None
