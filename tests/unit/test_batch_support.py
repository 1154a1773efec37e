"""Shared by the test_batch_* modules (no tests here): the fixture folder, the business date the fixtures
were made for, and the context with the roster of tests/fixtures/batch/roster.json."""
import datetime as dt
import json
from pathlib import Path

from stdnum.cn import ric

from services.batch import BatchContext, roster_from_items

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "batch"
BUSINESS_DATE = dt.date(2026, 7, 15)


def fixture(name: str) -> Path:
    return FIXTURES / name


def rid(birth: str, seq: str, region: str = "110105") -> str:
    """The IDs of make_fixtures.py: a valid 18-digit resident ID."""
    body = f"{region}{birth}{seq}"
    return body + ric.calc_check_digit(body + "0")


def offline(**kwargs) -> BatchContext:
    return BatchContext.offline(BUSINESS_DATE, **kwargs)


def with_roster(**kwargs) -> BatchContext:
    data = json.loads(fixture("roster.json").read_text(encoding="utf-8"))
    return BatchContext.offline(dt.date.fromisoformat(data["business_date"]), roster=roster_from_items(data["roster"]),
                                elsewhere=data["elsewhere"], departments=data["departments"], **kwargs)


def found(result) -> list[tuple[int, str, str, str]]:
    return [(p.row, p.column, p.code, p.message) for p in result.problems]
