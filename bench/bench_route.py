"""`sitroom route` latency: the road graph's segment statuses and the best path, on the demo store and on a
synthetic SQLite store of N claims (the same generator as bench_picture.py).

    python bench/bench_route.py [--demo demo.db] [--claims 1000000]

Target (issue 14): a route answer < 200 ms. The first question of a process also loads the gazetteer and
the road graph, and a store's first question fuses it: both are printed apart, as one-off costs.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from synthetic import generate

from sitroom.state import Picture
from sitroom.store import Store

PAIRS = [("Damascus", "Tartus"), ("Homs", "Beirut"), ("Aleppo", "Hama"), ("Damascus", "Amman"), ("Raqqa", "Homs")]


def measure(label: str, store: Store, days: list[date]) -> None:
    picture = Picture(store)
    t = time.perf_counter()
    picture.route("Damascus", "Tartus", days[0])
    first = (time.perf_counter() - t) * 1000
    samples = []
    for day in days:
        for a, b in PAIRS:
            t = time.perf_counter()
            picture.route(a, b, day)
            samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    p50, p95 = statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]
    print(f"[{label}] route: first {first:.0f} ms (gazetteer, graph, fusion); then p50 {p50:.0f} ms, "
          f"p95 {p95:.0f} ms over {len(samples)} questions (target < 200 ms)")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--demo", help="A store made by `sitroom demo` (e.g. demo.db).")
    ap.add_argument("--claims", type=int, default=0, help="Also a synthetic store of this many claims.")
    args = ap.parse_args()
    days = [date(2024, 11, 26) + timedelta(days=d) for d in range(13)]
    if args.demo:
        measure("demo", Store.open(args.demo), days)
    if args.claims:
        with tempfile.TemporaryDirectory() as tmp:
            db = str(Path(tmp) / "bench.db")
            measure(f"sqlite {args.claims:,}", _built(db, args.claims), days)


def _built(db: str, n: int) -> Store:
    t = time.perf_counter()
    generate(db, n)
    print(f"store of {n:,} claims built in {time.perf_counter() - t:.0f} s")
    return Store.open(db)


if __name__ == "__main__":
    main()
