"""import: validating a 100,000-row 缴存人登记 workbook offline (services.batch.import_workbook), vs a bare
python-calamine iter_rows() over the same file, in the same run. Target ratio ≤ 2.0. Peak memory of each
side is measured in a fresh child process (ru_maxrss: calamine's Rust allocations are invisible to
tracemalloc); target ≤ 400 MB for ours."""
from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import report

ROWS = 100_000
BUSINESS_DATE = dt.date(2026, 7, 15)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅玉兰志强海燕晓东"

OURS = """
import datetime as dt, resource, sys, time
from services.batch import BatchContext, import_workbook
ctx = BatchContext.offline(dt.date(2026, 7, 15), unit_ratio="12", person_ratio="12")
start = time.perf_counter()
result = import_workbook(sys.argv[1], "open", ctx)
elapsed = time.perf_counter() - start
assert len(result.rows) == {rows} and not result.problems, result.problems[:3]
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
BARE = """
import resource, sys, time
from python_calamine import CalamineWorkbook
start = time.perf_counter()
workbook = CalamineWorkbook.from_path(sys.argv[1])
n = 0
for row in workbook.get_sheet_by_name("缴存人登记").iter_rows():
    n += 1
elapsed = time.perf_counter() - start
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def make_workbook(path: Path, rows: int = ROWS, seed: int = 4) -> Path:
    """A filled 缴存人登记 template: valid, unique IDs; bases as numbers and as text; months as text."""
    from stdnum.cn import ric

    from services.batch import write_template

    rng = random.Random(seed)
    first_birth = dt.date(1970, 1, 1).toordinal()

    def lines():
        for i in range(rows):
            birth = dt.date.fromordinal(first_birth + i % 12_000)        # unique (birth, sequence) pairs
            body = f"{rng.choice(('110101', '110102', '110105', '110108'))}{birth:%Y%m%d}{i // 12_000:03d}"
            number = body + ric.calc_check_digit(body + "0")
            cents = rng.randrange(242_000, 3_581_100)
            base = cents / 100 if i % 2 else f"{cents // 100:,}.{cents % 100:02d}"
            yield [rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(("", rng.choice(GIVEN))),
                   None if i % 3 else "居民身份证", number, f"139{i:08d}", rng.choice(("01", "02", None)),
                   base, "2026-07"]

    write_template("open", path, rows=lines())
    return path


def _child(code: str, path: Path) -> tuple[float, int]:
    out = subprocess.run([sys.executable, "-c", code, str(path)], check=True, capture_output=True, text=True)
    seconds, maxrss_kib = out.stdout.split()
    return float(seconds), int(maxrss_kib)


def run(repeat: int | None = None) -> str:
    repeat = repeat or 3
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "import-100k.xlsx"
        start = time.perf_counter()
        make_workbook(path)
        made = time.perf_counter() - start
        ours_code = OURS.replace("{rows}", str(ROWS))
        _child(BARE, path)                                   # warm the file cache
        ours, bare, ours_rss, bare_rss = [], [], 0, 0
        for _ in range(repeat):
            seconds, rss = _child(ours_code, path)
            ours.append(seconds)
            ours_rss = max(ours_rss, rss)
            seconds, rss = _child(BARE, path)
            bare.append(seconds)
            bare_rss = max(bare_rss, rss)
        size = path.stat().st_size
    ours.sort(), bare.sort()
    note = (f"import: {ROWS} rows, {size / 2**20:.1f} MB xlsx (made in {made:.1f}s); peak memory (maxrss of a "
            f"fresh process) ours {ours_rss / 1024:.0f} MB, baseline {bare_rss / 1024:.0f} MB; "
            f"times ours {json.dumps([round(t, 3) for t in ours])}, baseline {json.dumps([round(t, 3) for t in bare])}")
    return report("import", ours[len(ours) // 2], bare[len(bare) // 2], note)


if __name__ == "__main__":
    run()
