"""journal: the first page of a unit's 业务流水 (单位业务流水查询, GET /unit/journal) when the unit's journal
holds 1,000,000 entries, vs a bare indexed `SELECT … ORDER BY booked_on DESC, id DESC LIMIT` of the same
page's columns on the same table. "Ours" is what the route asks of the database and makes of the answer:
ledger.service.list_journal (the page and its total) and the entries in their API form, in a session of
their own; the whole HTTP call (in-process, TestClient: the session token, the JSON) is timed too and
printed in the note, with a plain authenticated GET for the fixed cost of any call. Pages as the client
asks for them: page 1, 500 entries (client.unit_queries.PAGE_SIZE), all types and dates. The entries are
made with bulk inserts (executemany on SQLite, COPY on PostgreSQL — GJJ_TEST_PG_URL, as for open_batch),
bypassing ledger.service.post_entry, so their per-day and per-type counts (journal_day_counts,
journal_type_counts) are recounted after."""
from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import report

ENTRIES = 1_000_000
OTHER_UNIT_ENTRIES = 50_000       # another unit's journal in the same table
PAGE_SIZE = 500
CHUNK = 100_000
DAYS = 3_650                      # ten years of business days, newest = the business date
TYPES = ("remittance", "receipt", "remittance", "receipt", "supplementary", "interest", "carry_forward")
RECOUNT = ("INSERT INTO journal_day_counts (unit_id, booked_on, type, entries) "
           "SELECT unit_id, booked_on, type, count(*) FROM journal_entries GROUP BY unit_id, booked_on, type")
RECOUNT_TYPES = ("INSERT INTO journal_type_counts (unit_id, type, entries) "
                 "SELECT unit_id, type, count(*) FROM journal_entries GROUP BY unit_id, type")
BARE = ("SELECT serial, booked_on, summary, amount, interest, headcount, type, month, unallocated_change "
        "FROM journal_entries WHERE unit_id = {p} ORDER BY booked_on DESC, id DESC LIMIT {p}")
TOTAL = "SELECT coalesce(sum(entries), 0) FROM journal_type_counts WHERE unit_id = {p}"   # list_journal's total


def fill_journal(database, unit_id: int, count: int, last_day: dt.date, now, serial_prefix: str) -> None:
    """`count` entries of the unit, spread over DAYS days up to `last_day`, oldest first, in bulk."""
    from decimal import Decimal

    from server_stub.employees.bulk import insert_rows
    from server_stub.ledger.models import JournalEntry
    from services.yearmonth import YearMonth

    first_day = last_day - dt.timedelta(days=DAYS - 1)
    for start in range(0, count, CHUNK):
        rows = []
        for i in range(start, min(start + CHUNK, count)):
            day = first_day + dt.timedelta(days=i * DAYS // count)
            kind = TYPES[i % len(TYPES)]
            amount = Decimal(1000 + i % 90_000) / 100
            rows.append((f"{serial_prefix}{i:09d}", day, kind, f"{kind} {i}", amount, Decimal(0), i % 50,
                         YearMonth(day.year, day.month) if kind in ("remittance", "supplementary") else None,
                         amount if kind == "receipt" else Decimal(0)))
        with database.transaction() as session:
            insert_rows(session=session, table=JournalEntry.__table__, rows=rows, columns=(
                "serial", "booked_on", "type", "summary", "amount", "interest", "headcount", "month",
                "unallocated_change"), same={"unit_id": unit_id, "created_at": now})


def run(repeat: int | None = None) -> str:
    from server_stub.ledger import service as ledger
    from server_stub.paging import PageParams
    from server_stub.units.routes import _journal_item
    from server_stub.units.service import find_unit
    from tests.support.server import BUSINESS_DATE, START, bearer, make_centre

    repeat = repeat or 50
    with tempfile.TemporaryDirectory() as tmp, make_centre(Path(tmp)) as centre:
        token = centre.login_token(centre.unit1)
        with centre.database.session() as session:
            unit_id = find_unit(session=session, unit_account=centre.unit1.unit_account).id
            other_id = find_unit(session=session, unit_account=centre.unit2.unit_account).id
        start = time.perf_counter()
        fill_journal(centre.database, unit_id, ENTRIES, BUSINESS_DATE, START, "B1")
        fill_journal(centre.database, other_id, OTHER_UNIT_ENTRIES, BUSINESS_DATE, START, "B2")
        engine = centre.database.engine
        with engine.begin() as connection:   # what post_entry keeps for each entry, recounted after the bulk load
            connection.exec_driver_sql("DELETE FROM journal_day_counts")
            connection.exec_driver_sql(RECOUNT)
            connection.exec_driver_sql("DELETE FROM journal_type_counts")
            connection.exec_driver_sql(RECOUNT_TYPES)
        made = time.perf_counter() - start
        pg = engine.dialect.name == "postgresql"
        if pg:
            with engine.begin() as connection:
                connection.exec_driver_sql("ANALYZE journal_entries")
        params = PageParams(1, PAGE_SIZE)

        def listed():
            with centre.database.session() as session:
                rows, total = ledger.list_journal(session=session, unit_id=unit_id, params=params, type=None,
                                                  day_from=None, day_to=None)
            assert len(rows) == PAGE_SIZE and total >= ENTRIES, (len(rows), total)
            return rows

        def ours():
            return [_journal_item(e) for e in listed()]

        raw = engine.raw_connection()
        bare_sql, total_sql = BARE.format(p="%s" if pg else "?"), TOTAL.format(p="%s" if pg else "?")

        def bare(with_total: bool = False):
            cursor = raw.cursor()
            cursor.execute(bare_sql, (unit_id, PAGE_SIZE))
            rows = cursor.fetchall()
            if with_total:
                cursor.execute(total_sql, (unit_id,))
                cursor.fetchone()
            raw.rollback()
            assert len(rows) == PAGE_SIZE
            return rows

        headers = bearer(token)

        def http(path: str):
            begin = time.perf_counter()
            response = centre.client.get(path, headers=headers)
            assert response.status_code == 200, response.text[:300]
            return time.perf_counter() - begin

        try:
            ours_first = ours()
            assert [e["serial"] for e in ours_first] == [r[0] for r in bare()], "the two pages differ"
            ours_t, base_t, sql_t, listed_t = [], [], [], []
            for _ in range(repeat):                       # alternate, so that all see the same machine
                for times, step in ((ours_t, ours), (base_t, bare), (sql_t, lambda: bare(True)), (listed_t, listed)):
                    begin = time.perf_counter()
                    step()
                    times.append(time.perf_counter() - begin)
        finally:
            raw.close()
        http_t = [http(f"/unit/journal?page=1&page_size={PAGE_SIZE}") for _ in range(max(5, repeat // 5))]
        plain_t = [http("/unit/journal?page=1&page_size=1&from=1990-01-01&to=1990-01-01")
                   for _ in range(max(5, repeat // 5))]
        ms = lambda times: f"{1000 * statistics.median(times):.2f} ms"   # noqa: E731
        note = (f"journal: {ENTRIES} entries of the unit (+{OTHER_UNIT_ENTRIES} of another, made in {made:.1f}s) "
                f"on {engine.dialect.name}, page 1 of {PAGE_SIZE}; ours = list_journal + API form in a session; "
                f"list_journal alone {ms(listed_t)}; its two statements run bare (page + total) {ms(sql_t)}; "
                f"the whole GET /unit/journal (TestClient) {ms(http_t)}, an empty page's call {ms(plain_t)} "
                "(target ratio ≤ 2)")
        return report("journal", statistics.median(ours_t), statistics.median(base_t), note)


if __name__ == "__main__":
    run()
