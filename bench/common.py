"""Shared reporting for the benchmarks: medians and the one-line result."""
from __future__ import annotations

import statistics
import time
from typing import Callable


def median_time(fn: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def report(name: str, ours: float, baseline: float, note: str = "") -> str:
    line = f"{name}: ours {ours:.4f}s, baseline {baseline:.4f}s, ratio {ours / baseline:.2f}"
    if note:
        print(note)
    print(line)
    return line
