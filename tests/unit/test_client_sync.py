"""client.sync: messages announced once (also across a restart), backoff while unreachable, reference
data from the cache when the centre is away."""
import datetime as dt
import random

import httpx
import pytest

from client.api import CentreClient
from client.errors import CentreUnreachable
from client.outbox import Backoff
from client.store import LocalStore
from client.sync import MessageSync, cached_dictionaries, fetch_reference
from services.dictionaries import default_dictionaries
from services.policy import DEMO_POLICY

T0 = dt.datetime(2026, 7, 15, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def msg(i, minutes, read=False):
    return {"id": i, "title": f"消息{i}", "body": "…", "business": "缴存", "channel": "客户端",
            "created_at": (T0 + dt.timedelta(minutes=minutes)).isoformat(), "read": read}


class MessageCentre:
    """GET /messages with an inclusive `since`, newest first, paged."""

    def __init__(self):
        self.messages = []
        self.down = False
        self.queries = []

    def __call__(self, request):
        if self.down:
            raise httpx.ConnectError("down", request=request)
        p = request.url.params
        self.queries.append(dict(p))
        if request.url.path == "/api/v1/policy":
            return httpx.Response(200, json=DEMO_POLICY.to_api())
        if request.url.path == "/api/v1/dictionaries":
            return httpx.Response(200, json=default_dictionaries(4).to_api())
        items = [m for m in self.messages
                 if "since" not in p or dt.datetime.fromisoformat(m["created_at"]) >= dt.datetime.fromisoformat(p["since"])]
        items.sort(key=lambda m: m["created_at"], reverse=True)
        page, size = int(p["page"]), int(p["page_size"])
        return httpx.Response(200, json={"items": items[(page - 1) * size: page * size], "total": len(items),
                                         "page": page, "page_size": size})


@pytest.fixture
def env(tmp_path):
    centre = MessageCentre()
    api = CentreClient("http://127.0.0.1:8700", transport=httpx.MockTransport(centre))
    store = LocalStore(tmp_path / "local.sqlite3")
    return centre, api, store


def ids(messages):
    return [m["id"] for m in messages]


def test_each_message_is_new_once(env):
    centre, api, store = env
    centre.messages = [msg(1, 0, read=True), msg(2, 1), msg(3, 2)]
    sync = MessageSync(api, store, "U1", interval=30)
    assert ids(sync.poll()) == [2, 3]          # unread ones are announced on a new desk, oldest first
    assert ids(sync.poll()) == []
    centre.messages += [msg(4, 2), msg(5, 10)]  # 4 has the same instant as the newest seen
    assert ids(sync.poll()) == [4, 5]
    assert "since" in centre.queries[-1]
    assert sync.next_delay() == 30 and sync.online is True


def test_a_restart_does_not_announce_old_messages(env, tmp_path):
    centre, api, store = env
    centre.messages = [msg(1, 0), msg(2, 1)]
    assert ids(MessageSync(api, store, "U1").poll()) == [1, 2]
    store.close()
    again = MessageSync(api, LocalStore(tmp_path / "local.sqlite3"), "U1")
    centre.messages.append(msg(3, 5))
    assert ids(again.poll()) == [3]
    # another unit on the same desk has its own state
    assert ids(MessageSync(api, again.store, "U2").poll()) == [1, 2, 3]


def test_read_elsewhere_is_not_new(env):
    centre, api, store = env
    sync = MessageSync(api, store, "U1")
    sync.poll()
    centre.messages = [msg(1, 0, read=True)]
    assert sync.poll() == []


def test_many_pages(env):
    centre, api, store = env
    centre.messages = [msg(i, i) for i in range(1, 251)]
    assert ids(MessageSync(api, store, "U1").poll()) == list(range(1, 251))


def test_backoff_while_unreachable(env):
    centre, api, store = env
    sync = MessageSync(api, store, "U1", interval=30, backoff=Backoff(rng=random.Random(3)))
    centre.down = True
    delays = []
    for _ in range(4):
        with pytest.raises(CentreUnreachable):
            sync.poll()
        delays.append(sync.next_delay())
    assert sync.online is False
    assert delays[0] < delays[1] < delays[2] < delays[3] <= 60
    centre.down = False
    centre.messages = [msg(1, 0)]
    assert ids(sync.poll()) == [1]
    assert sync.next_delay() == 30


def test_reference_data_is_cached_and_used_offline(env):
    centre, api, store = env
    policy, dictionaries = fetch_reference(api, store)
    assert policy == DEMO_POLICY and dictionaries.version == 4
    assert store.get_cache("policy").version == str(DEMO_POLICY.version)
    centre.down = True
    assert fetch_reference(api, store) == (policy, dictionaries)
    assert cached_dictionaries(store) == dictionaries
    with pytest.raises(CentreUnreachable):
        fetch_reference(api, None)
