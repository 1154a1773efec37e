"""assess: 汇缴核定 of one month for a unit with 100,000 active employees, through the whole app in-process
(POST /remittance/assessments as `serve` runs it, called through Starlette's TestClient: the session, the
signature check, the months' checks, who pays the month — 正常 and pending 封存/启封, SPEC 4.5 — the
assessment with its totals, the roster snapshot of 100,000 lines, the message, the commit), vs a bare SQL
`INSERT … SELECT` of the same snapshot (the employees' account, name, ID, base and monthly parts) into
remittance_assessment_lines in the same database, committed. The HTTP path adds a few milliseconds (the
note prints a refused call's time for comparison). Between rounds, untimed, the assessment is deleted again
(DELETE /remittance/assessments/{id}) and the baseline's lines removed. SQLite by default; PostgreSQL when
GJJ_TEST_PG_URL is set (as for open_batch). The employees are made with one bulk insert."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.common import report

EMPLOYEES = 100_000
ACCOUNT_PREFIX = "7"      # the bench's own 个人账号, apart from the demo's
BASELINE_MONTH = "1999-01"   # the baseline's placeholder assessment (its lines need one to point at)
LINES = ("INSERT INTO remittance_assessment_lines (assessment_id, employee_id, person_account, name, id_number, "
         "base, unit_monthly, person_monthly) SELECT {p}, id, person_account, name, id_number, base, unit_monthly, "
         "person_monthly FROM employees WHERE unit_id = {p} AND status = '01' AND first_month <= {p} "
         "ORDER BY person_account")


def add_employees(database, unit_id: int, count: int, first_month: str, now) -> None:
    """`count` active employees of the unit in one bulk insert (executemany on SQLite, COPY on PostgreSQL)."""
    import datetime as dt
    from decimal import Decimal

    from server_stub.employees.bulk import insert_rows
    from server_stub.employees.models import Employee
    from services.yearmonth import YearMonth

    month = YearMonth.parse(first_month)
    ratio = Decimal("12")
    rows = []
    for i in range(count):
        base = Decimal(3000 + (i * 37) % 23000)
        part = (base * ratio / 100).quantize(Decimal("1"))
        rows.append((f"{ACCOUNT_PREFIX}{i:011d}", f"职工{i}", "01", f"91{i:016d}", "1" if i % 2 else "2",
                     dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28), f"139{i:08d}", base, ratio, ratio, part, part,
                     month, month - 1))
    with database.transaction() as session:
        insert_rows(session=session, table=Employee.__table__, rows=rows, columns=(
            "person_account", "name", "id_type", "id_number", "gender", "birth_date", "mobile", "base",
            "unit_ratio", "person_ratio", "unit_monthly", "person_monthly", "first_month", "paid_through"),
            same={"unit_id": unit_id, "status": "01", "balance": Decimal(0), "opened_on": now.date(),
                  "created_at": now, "updated_at": now})


def _bare_lines(engine, unit_id: int, month: str) -> tuple[float, int]:
    """The baseline, timed: INSERT … SELECT of the snapshot, committed; then (untimed) removed again."""
    pg = engine.dialect.name == "postgresql"
    p = "%s" if pg else "?"
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if not pg:
            cursor.execute("BEGIN IMMEDIATE")
        cursor.execute("INSERT INTO remittance_assessments (unit_id, month, headcount, unit_amount, person_amount, "
                       "amount, status, serial, verification_code, assessed_on, deadline, operator_name, "
                       "signed_body, signature, assessed_at, breakdown) VALUES "
                       f"({p}, {p}, 0, 0, 0, 0, 'unallocated', 'BENCH', '00000000', {p}, {p}, '', '', '', {p}, '')",
                       (unit_id, BASELINE_MONTH, "2025-03-10", "2025-03-10", "2025-03-10 00:00:00"))
        cursor.execute("SELECT id FROM remittance_assessments WHERE serial = 'BENCH'")
        assessment_id = cursor.fetchone()[0]
        start = time.perf_counter()
        cursor.execute(LINES.format(p=p), (assessment_id, unit_id, month))
        raw.commit()
        elapsed = time.perf_counter() - start
        if not pg:
            cursor.execute("BEGIN IMMEDIATE")
        cursor.execute(f"SELECT count(*) FROM remittance_assessment_lines WHERE assessment_id = {p}", (assessment_id,))
        count = cursor.fetchone()[0]
        cursor.execute(f"DELETE FROM remittance_assessment_lines WHERE assessment_id = {p}", (assessment_id,))
        cursor.execute(f"DELETE FROM remittance_assessments WHERE id = {p}", (assessment_id,))
        raw.commit()
        return elapsed, count
    finally:
        raw.close()


def run(repeat: int | None = None) -> str:
    from services.signing import submission_message
    from server_stub.units.service import find_unit
    from tests.support.server import START, bearer, make_centre

    repeat = repeat or 3
    with tempfile.TemporaryDirectory() as tmp, make_centre(Path(tmp)) as centre:
        ukey = centre.ukey(centre.unit1)
        token = centre.login_token(centre.unit1, ukey)
        with centre.database.session() as session:
            unit = find_unit(session=session, unit_account=centre.unit1.unit_account)
            unit_id, month = unit.id, str(unit.paid_through + 1)
        start = time.perf_counter()
        add_employees(centre.database, unit_id, EMPLOYEES, "2025-01", START)
        made = time.perf_counter() - start
        engine = centre.database.engine
        headers = {**bearer(token), "Content-Type": "application/json"}

        def post(months: list[str]):
            body = {"months": months}
            body["signature"] = ukey.sign_b64(submission_message("POST", "/api/v1/remittance/assessments", body))
            begin = time.perf_counter()
            response = centre.client.post("/remittance/assessments", json=body, headers=headers)
            return time.perf_counter() - begin, response

        ours_times, base_times, overhead = [], [], []
        for round_no in range(repeat + 1):   # the first round warms both sides and is not counted
            base_t, base_count = _bare_lines(engine, unit_id, month)
            ours_t, response = post([month])
            if response.status_code != 200:
                raise RuntimeError(f"POST /remittance/assessments failed: {response.status_code} {response.text[:500]}")
            assessed = response.json()["assessments"][0]
            if assessed["headcount"] != base_count:
                raise RuntimeError(f"headcount {assessed['headcount']} ≠ the baseline's {base_count} lines")
            deleted = centre.client.delete(f"/remittance/assessments/{assessed['id']}", headers=bearer(token))
            if deleted.status_code != 204:
                raise RuntimeError(f"DELETE failed: {deleted.status_code} {deleted.text[:300]}")
            overhead.append(post([])[0])                  # refused (months_empty) after the same session and signature checks
            if round_no:
                ours_times.append(ours_t)
                base_times.append(base_t)
        ours_m, base_m = sorted(ours_times)[len(ours_times) // 2], sorted(base_times)[len(base_times) // 2]
        return report("assess", ours_m, base_m,
                      note=f"assess: {base_count} payers ({EMPLOYEES} made in {made:.1f}s) on {engine.dialect.name}, "
                           f"in-process app (TestClient); a refused POST costs {1000 * min(overhead):.1f} ms; "
                           f"times ours {[round(t, 3) for t in ours_times]}, baseline {[round(t, 3) for t in base_times]} "
                           "(target ratio ≤ 2)")


if __name__ == "__main__":
    run()
