"""Keeping up with the centre: reference data (policy, dictionaries) cached with their versions, and
message polling that announces each message once, with backoff while the centre is unreachable.
No threads or timers here: the UI drives `poll()` from its background helper and its own timer."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from services.dictionaries import Dictionaries
from services.policy import Policy

from .api import CentreClient
from .errors import CentreUnreachable
from .outbox import Backoff
from .store import LocalStore

log = logging.getLogger(__name__)

POLICY_CACHE = "policy"
DICTIONARIES_CACHE = "dictionaries"


def cached_policy(store: LocalStore) -> Policy | None:
    entry = store.get_cache(POLICY_CACHE)
    return Policy.from_api(entry.data) if entry else None


def cached_dictionaries(store: LocalStore) -> Dictionaries | None:
    entry = store.get_cache(DICTIONARIES_CACHE)
    return Dictionaries.from_api(entry.data) if entry else None


def fetch_reference(api: CentreClient, store: LocalStore | None) -> tuple[Policy, Dictionaries]:
    """The centre's policy and dictionaries, cached in `store` with their versions. When the centre is
    unreachable the cached copies are used (offline validation keeps working) if there are any."""
    try:
        policy_data, dict_data = api.policy_raw(), api.dictionaries_raw()
    except CentreUnreachable:
        if store is not None:
            policy, dictionaries = cached_policy(store), cached_dictionaries(store)
            if policy is not None and dictionaries is not None:
                log.info("centre unreachable: using cached policy v%s, dictionaries v%s",
                         policy.version, dictionaries.version)
                return policy, dictionaries
        raise
    policy, dictionaries = Policy.from_api(policy_data), Dictionaries.from_api(dict_data)
    if store is not None:
        store.put_cache(POLICY_CACHE, policy_data, version=policy.version)
        store.put_cache(DICTIONARIES_CACHE, dict_data, version=dictionaries.version)
    return policy, dictionaries


class MessageSync:
    """Polls GET /messages for this unit. A message is new once: unread and not announced before. What
    was announced is kept in the store, so a restart does not announce old messages again."""

    PAGE_SIZE = 100
    MAX_PAGES = 20            # a first poll on a new desk reads at most this many pages
    REMEMBER_IDS = 500        # ids kept to drop repeats (the overlap below, an inclusive `since`)
    OVERLAP = dt.timedelta(minutes=1)  # ask a little before the newest seen: messages stamped in the
                                       # same instant, or committed a moment late, are not missed

    def __init__(self, api: CentreClient, store: LocalStore, unit_account: str, *,
                 interval: float = 30, backoff: Backoff | None = None) -> None:
        self.api = api
        self.store = store
        self.unit_account = unit_account
        self.interval = interval
        self.backoff = backoff or Backoff()
        self._delay = interval
        self.online: bool | None = None

    @property
    def _state_key(self) -> str:
        return f"messages.seen:{self.unit_account}"

    def next_delay(self) -> float:
        """Seconds until the next poll: the interval, or the backoff while the centre is unreachable."""
        return self._delay

    def poll(self) -> list[dict[str, Any]]:
        """The messages not announced before, oldest first. Raises CentreUnreachable (after lengthening
        next_delay) and SessionExpired like any call."""
        state = self.store.get_meta(self._state_key) or {}
        since, seen = state.get("newest"), list(state.get("ids") or [])
        try:
            items = self._fetch((_parse(since) - self.OVERLAP).isoformat() if since else None)
        except CentreUnreachable:
            self.online = False
            self._delay = self.backoff.next_delay()
            raise
        self.online = True
        self.backoff.reset()
        self._delay = self.interval

        seen_set = set(seen)
        new = [m for m in items if not m.get("read") and str(m.get("id")) not in seen_set]
        new.sort(key=lambda m: (_when(m), str(m.get("id"))))
        newest = max((m.get("created_at") for m in items if m.get("created_at")), key=_parse, default=since)
        if since and newest and _parse(since) > _parse(newest):
            newest = since
        ids = seen + [str(m.get("id")) for m in items if str(m.get("id")) not in seen_set]
        self.store.set_meta(self._state_key, {"newest": newest, "ids": ids[-self.REMEMBER_IDS:]})
        return new

    def _fetch(self, since: str | None) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for page in range(1, self.MAX_PAGES + 1):
            answer = self.api.messages(page=page, page_size=self.PAGE_SIZE, since=since)
            batch = answer.get("items") or []
            items.extend(batch)
            if not batch or len(items) >= int(answer.get("total") or 0):
                break
        return items


_MIN = dt.datetime.min.replace(tzinfo=dt.timezone.utc)


def _parse(value: Any) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return _MIN
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def _when(message: dict[str, Any]) -> dt.datetime:
    return _parse(message.get("created_at"))
