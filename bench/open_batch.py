"""open_batch: POST /employees/open with 10,000 rows (缴存人登记), through the whole app in-process (the
FastAPI app as `serve` runs it, called through Starlette's TestClient: JSON parsing, the schema, the
signature check, every row check, the cross-unit ID check, issuing 个人账号, the inserts into employees,
the status log and the change log, the message, the commit), vs a bare DB-API `executemany` INSERT of the
same 10,000 employee rows (values already converted) into the same database, committed. SQLite by
default; PostgreSQL when GJJ_TEST_PG_URL is set. The signed request body is prepared before timing."""
from __future__ import annotations

import datetime as dt
import json
import random
import tempfile
import time
from pathlib import Path

from bench.common import report

ROWS = 10_000
BASELINE_ACCOUNT_PREFIX = "9"   # the baseline's rows are deleted again (untimed) before our side runs


def _people(people, rng: random.Random, seed: int, count: int, business_date: dt.date) -> list[dict]:
    """Fresh people each round (one factory for the whole run never repeats an ID)."""
    rows = []
    for i in range(count):
        gender = people.gender()
        rows.append({"name": people.name(gender) if seed == 0 and i < 3000 else f"职工{seed}-{i}", "id_type": "01",
                     "id_number": people.resident_id(people.birth_date(business_date), gender),
                     "mobile": people.mobile(), "department": rng.choice(("01", "02", "03", "04")),
                     "base": f"{rng.randrange(3000, 26000, 50)}.00", "first_month": "2025-03"})
    return rows


def _baseline_values(rows: list[dict], unit_id: int, department_ids: dict[str, int], seed: int) -> list[tuple]:
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None).isoformat(" ")
    values = []
    for i, row in enumerate(rows):
        base = int(row["base"].split(".")[0]) * 100
        monthly = (base * 12 + 5000) // 10000 * 100        # 12 %, rounded to the yuan
        values.append((unit_id, f"{BASELINE_ACCOUNT_PREFIX}{seed:03d}{i:08d}", row["name"], "01", row["id_number"],
                       "1", "1990-01-01", row["mobile"], department_ids[row["department"]], "01", base, 120000,
                       120000, monthly, monthly, 0, "2025-03", "2025-02", "2025-03-10", now, now))
    return values


INSERT = ("INSERT INTO employees (unit_id, person_account, name, id_type, id_number, gender, birth_date, mobile, "
          "department_id, status, base, unit_ratio, person_ratio, unit_monthly, person_monthly, balance, "
          "first_month, paid_through, opened_on, created_at, updated_at) VALUES ({})")


def _bare_insert(engine, values: list[tuple]) -> float:
    placeholders = ", ".join(["%s" if engine.dialect.name == "postgresql" else "?"] * len(values[0]))
    raw = engine.raw_connection()
    try:
        start = time.perf_counter()
        cursor = raw.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("BEGIN IMMEDIATE")
        cursor.executemany(INSERT.format(placeholders), values)
        raw.commit()
        elapsed = time.perf_counter() - start
        cursor.execute(f"DELETE FROM employees WHERE person_account LIKE '{BASELINE_ACCOUNT_PREFIX}%'")
        raw.commit()
        return elapsed
    finally:
        raw.close()


def run(repeat: int | None = None) -> str:
    from sqlalchemy import select

    from server_stub.demo.people import PeopleFactory
    from server_stub.departments.models import Department
    from server_stub.units.service import find_unit
    from services.signing import submission_message
    from tests.support.server import BUSINESS_DATE, bearer, make_centre

    repeat = repeat or 5
    with tempfile.TemporaryDirectory() as tmp, make_centre(Path(tmp)) as centre:
        ukey = centre.ukey(centre.unit1)
        token = centre.login_token(centre.unit1, ukey)
        with centre.database.session() as session:
            unit_id = find_unit(session=session, unit_account=centre.unit1.unit_account).id
            department_ids = dict(session.execute(select(Department.code, Department.id)
                                                  .where(Department.unit_id == unit_id)).all())
        engine = centre.database.engine
        rng = random.Random(20250310)
        people = PeopleFactory(rng)
        ours_times, base_times = [], []
        for seed in range(repeat + 1):   # the first round warms both sides and is not counted
            rows = _people(people, rng, seed, ROWS, BUSINESS_DATE)
            base_t = _bare_insert(engine, _baseline_values(rows, unit_id, department_ids, seed))
            body = {"rows": rows}
            body["signature"] = ukey.sign_b64(submission_message("POST", "/api/v1/employees/open", body))
            content = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers = {**bearer(token), "Content-Type": "application/json"}
            start = time.perf_counter()
            response = centre.client.post("/employees/open", content=content, headers=headers)
            ours_t = time.perf_counter() - start
            if response.status_code != 200 or len(response.json()["opened"]) != ROWS:
                raise RuntimeError(f"POST /employees/open failed: {response.status_code} {response.text[:500]}")
            if seed:
                ours_times.append(ours_t)
                base_times.append(base_t)
        ours_m, base_m = sorted(ours_times)[len(ours_times) // 2], sorted(base_times)[len(base_times) // 2]
        return report("open_batch", ours_m, base_m,
                      note=f"open_batch: {ROWS} rows on {engine.dialect.name}, in-process app (TestClient); "
                           f"{1e6 * ours_m / ROWS:.0f} µs per row (target ratio ≤ 3)")
