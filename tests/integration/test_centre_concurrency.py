"""Many clerks at once: a real `gjj-centre serve` answers 100 simultaneous requests. A request's
transaction spans several worker-thread hops; without a bound on requests inside the database, 100
requests all waiting for SQLite's write lock (or for a pooled PostgreSQL connection) took every worker
thread, the request holding the lock got none to commit on, and all stalled for the 30 s lock timeout."""
import asyncio
import os
from contextlib import ExitStack

import httpx
import pytest

from tests.support.centre import init_centre, running_centre
from tests.support.pg import fresh_schema

pytestmark = pytest.mark.postgres   # also on PostgreSQL when GJJ_TEST_PG_URL is set

CONCURRENT = 100


@pytest.fixture
def centre_env():
    with ExitStack() as stack:
        base = os.environ.get("GJJ_TEST_PG_URL")
        yield {"GJJ_DATABASE_URL": stack.enter_context(fresh_schema(base))} if base else {}


async def _hammer(api: str) -> list[int]:
    limits = httpx.Limits(max_connections=CONCURRENT, max_keepalive_connections=CONCURRENT)
    async with httpx.AsyncClient(base_url=api, limits=limits, timeout=20) as http:
        answers = await asyncio.gather(*(http.get("/business-date") for _ in range(CONCURRENT)))
    return [a.status_code for a in answers]


def test_a_hundred_simultaneous_requests_are_all_answered(tmp_path, centre_env):
    init_centre(tmp_path / "centre", demo=False, env=centre_env)
    with running_centre(tmp_path / "centre", env=centre_env) as centre:
        assert asyncio.run(_hammer(centre.api)) == [200] * CONCURRENT
