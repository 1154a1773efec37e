"""python -m bench [NAME ...] — runs the named benchmarks (all when none is named)."""
from __future__ import annotations

import argparse
import importlib
import sys

BENCHMARKS = ["startup", "login", "open_batch", "pdf_roster", "import", "roster_view", "messages", "assess",
              "journal"]
MODULES = {"import": "import_batch"}   # "import" is a keyword: its module is bench/import_batch.py


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", metavar="NAME", help="one of: " + ", ".join(BENCHMARKS))
    parser.add_argument("--repeat", type=int, default=None, help="measurements per side (median is reported)")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark: {', '.join(unknown)} (choose from {', '.join(BENCHMARKS)})")
    for name in args.names or BENCHMARKS:
        module = importlib.import_module(f"bench.{MODULES.get(name, name)}")
        module.run(repeat=args.repeat)
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
