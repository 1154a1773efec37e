"""messages: the no-news message poll — GET /messages?since=<newest> with a session — under 100 concurrent
pollers on loopback against a real gjj-centre (demo data, SQLite), vs a bare FastAPI route returning an
empty page, served by uvicorn the same way, in the same run. Reported: wall time for the same number of
polls (lower is better) and the ratio ours / baseline (target ≤ 2)."""
from __future__ import annotations

import asyncio
import base64
import subprocess
import sys
import time

from bench.common import report
from bench.login import MODULE, PIN, _free_port, demo_centre_with_ukey, wait_until_serving

POLLERS = int(__import__("os").environ.get("GJJ_BENCH_POLLERS", "100"))
POLLS_EACH = 20

BARE = """
import sys, uvicorn
from fastapi import FastAPI
app = FastAPI()
@app.get("/api/v1/messages")
def messages(since: str | None = None):
    return {"items": [], "total": 0, "page": 1, "page_size": 50}
@app.get("/api/v1/business-date")
def business_date():
    return {"date": "2026-01-01"}
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="info")
"""


async def _poll_all(url: str, headers: dict[str, str], params: dict[str, str]) -> float:
    import httpx

    limits = httpx.Limits(max_connections=POLLERS, max_keepalive_connections=POLLERS)
    async with httpx.AsyncClient(base_url=url + "/api/v1", headers=headers, limits=limits, timeout=60) as http:
        async def poller() -> None:
            for _ in range(POLLS_EACH):
                response = await http.get("/messages", params=params)
                response.raise_for_status()
                assert response.json()["items"] == []  # no news

        await asyncio.gather(*(http.get("/messages", params=params) for _ in range(POLLERS)))  # open connections
        start = time.perf_counter()
        await asyncio.gather(*(poller() for _ in range(POLLERS)))
        return time.perf_counter() - start


def _login(url: str, unit: dict) -> str:
    import httpx

    from hsm import TokenClient
    from services.signing import login_message

    with TokenClient(MODULE) as token, httpx.Client(base_url=url + "/api/v1") as http:
        token.login(PIN)
        nonce = http.post("/auth/challenge").json()["nonce"]
        signature = token.sign(login_message(nonce, unit["unit_account"], unit["login_name"]))
        answer = http.post("/auth/login", json={
            "unit_account": unit["unit_account"], "login_name": unit["login_name"], "password": unit["password"],
            "nonce": nonce, "certificate": base64.b64encode(token.certificate()).decode(),
            "signature": base64.b64encode(signature).decode()})
        answer.raise_for_status()
        return answer.json()["token"]


def run(repeat: int | None = None) -> str:
    repeat = repeat or 3
    with demo_centre_with_ukey() as (url, unit):
        import httpx

        session = _login(url, unit)
        headers = {"Authorization": f"Bearer {session}"}
        newest = httpx.get(url + "/api/v1/messages", headers=headers, params={"page_size": 1}).json()["items"]
        params = {"since": str(newest[0]["id"])} if newest else {}
        port = _free_port()
        bare = subprocess.Popen([sys.executable, "-c", BARE, str(port)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            bare_url = f"http://127.0.0.1:{port}"
            wait_until_serving(bare_url)
            ours, base = [], []
            for _ in range(repeat):  # alternate so drift hits both sides alike
                ours.append(asyncio.run(_poll_all(url, headers, params)))
                base.append(asyncio.run(_poll_all(bare_url, {}, params)))
        finally:
            bare.terminate()
            bare.wait(10)
    ours.sort(), base.sort()
    polls = POLLERS * POLLS_EACH
    o, b = ours[len(ours) // 2], base[len(base) // 2]
    return report("messages", o, b, note=f"messages: {polls} no-news polls by {POLLERS} concurrent pollers; "
                                         f"ours {polls / o:.0f} polls/s, baseline {polls / b:.0f} polls/s")
