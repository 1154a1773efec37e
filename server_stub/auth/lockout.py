"""Password lockout, the same for operators and centre users: the Nth consecutive failure locks the
account for M minutes (5 and 15 by default); a success, or the end of the lock, starts the count again."""
from __future__ import annotations

import datetime as dt
from typing import Protocol

from ..config import CentreConfig
from ..errors import Problem
from ..timefmt import hhmm, iso


class Lockable(Protocol):
    failed_count: int
    locked_until: dt.datetime | None


def check_not_locked(account: Lockable, *, now: dt.datetime, config: CentreConfig) -> None:
    if account.locked_until is not None and account.locked_until > now:
        raise locked_problem(account.locked_until, config)
    if account.locked_until is not None:  # the lock has run out
        account.locked_until = None
        account.failed_count = 0


def register_failure(account: Lockable, *, now: dt.datetime, config: CentreConfig) -> Problem:
    """Count a wrong password; the refusal to answer with (keep its changes: the count must stay)."""
    account.failed_count += 1
    remaining = max(config.lockout_failures - account.failed_count, 0)
    if remaining == 0:
        account.locked_until = now + dt.timedelta(minutes=config.lockout_minutes)
        return locked_problem(account.locked_until, config)
    return Problem(401, "bad_credentials", f"密码错误，还可尝试{remaining}次", remaining_attempts=remaining,
                   keep_changes=True)


def register_success(account: Lockable) -> None:
    account.failed_count = 0
    account.locked_until = None


def locked_problem(locked_until: dt.datetime, config: CentreConfig) -> Problem:
    return Problem(401, "locked",
                   f"密码连续错误{config.lockout_failures}次，账户已锁定，请于{hhmm(locked_until, config.timezone)}后再试",
                   locked_until=iso(locked_until, config.timezone), remaining_attempts=0, keep_changes=True)
