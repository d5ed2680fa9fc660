"""The picture over a big store: `control --at` latency, events for a bounding box and a week, `--known-at`
replays, a day's sitrep and export, and the incremental fusion of 1,000 new claims — on SQLite and, with --pg, on PostgreSQL.

    python bench/bench_picture.py --claims 1000000 [--pg postgresql://postgres@127.0.0.1:5432/test]

Targets (DESIGN.md / issues 4 and 15): queries < 200 ms; replays, sitrep and export of a day < 2 s; incremental
fusion of 1,000 claims < 2 s.
Building the store and its first full fusion are one-off costs; they are printed too.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from synthetic import generate

from sitroom.report.export import export_events
from sitroom.report.sitrep import sitrep
from sitroom.state import Picture, end_of_day
from sitroom.store import Store


def timed(fn, repeat: int = 20) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def run(label: str, db: str, n: int) -> None:
    t = time.perf_counter()
    generate(db, n)
    build = time.perf_counter() - t
    store = Store.open(db)
    picture = Picture(store)
    t = time.perf_counter()
    full = picture.refresh()
    fuse_all = time.perf_counter() - t
    days = [date(2024, 11, 1) + timedelta(days=d) for d in range(0, 120, 6)]
    it = iter(days * 10)
    med, p95 = timed(lambda: picture.control(next(it)), repeat=len(days))
    boxes = [(35.5 + i * 0.5, 32.0 + i * 0.4, 36.5 + i * 0.5, 33.0 + i * 0.4) for i in range(10)]
    ib = iter(boxes * 10)
    week = date(2024, 12, 1)
    emed, ep95 = timed(lambda: picture.events(since=week, until=week + timedelta(days=6), bbox=next(ib)), repeat=20)
    # Replays: as known at the end of a day (what `sitrep --at` asks), and a day's sitrep and export.
    moments = [end_of_day(d) for d in days[2:12]]
    im = iter(moments * 10)
    rmed, rp95 = timed(lambda: picture.control(date(2024, 12, 1), next(im)), repeat=len(moments))
    rday = iter(days[4:10] * 10)
    smed, sp95 = timed(lambda: sitrep(store, next(rday)), repeat=6)
    xday = iter(days[4:10] * 10)
    xmed, xp95 = timed(lambda: export_events(store, "csv", since=(d := next(xday)), until=d), repeat=6)
    generate(db, 1000, seed=int(time.time()))
    t = time.perf_counter()
    inc = picture.refresh()
    incremental = time.perf_counter() - t
    print(f"[{label}] {n:,} claims: store built in {build:.0f} s; first full fusion {fuse_all:.0f} s "
          f"({full.events_written:,} events, {full.places_recomputed:,} places)")  # fmt: skip
    print(f"[{label}] control --at: p50 {med:.0f} ms, p95 {p95:.0f} ms (target < 200 ms)")
    print(f"[{label}] events in a 1x1 degree box and a week: p50 {emed:.0f} ms, p95 {ep95:.0f} ms (target < 200 ms)")
    print(f"[{label}] control --at --known-at (a replay): p50 {rmed:.0f} ms, p95 {rp95:.0f} ms (target < 2 s)")
    print(f"[{label}] sitrep of one day: p50 {smed:.0f} ms, p95 {sp95:.0f} ms (target < 2 s)")
    print(f"[{label}] export of one day (ACLED CSV): p50 {xmed:.0f} ms, p95 {xp95:.0f} ms (target < 2 s)")
    print(f"[{label}] incremental fusion of {inc.new_claims:,} new claims: {incremental:.2f} s (target < 2 s)")
    store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--pg", help="also run on PostgreSQL at this URL (a fresh schema is made and dropped)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="sitroom-bench-") as tmp:
        run("sqlite", str(Path(tmp) / "bench.db"), args.claims)
    if args.pg:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(args.pg.replace("postgresql://", "postgresql+psycopg://", 1))
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        try:
            # The schema travels in the URL's options, so every connection the benchmark opens uses it.
            url = args.pg.replace("postgresql://", "postgresql+psycopg://", 1)
            sep = "&" if "?" in url else "?"
            run("postgresql", f"{url}{sep}options=-csearch_path%3D{schema}", args.claims)
        finally:
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))


if __name__ == "__main__":
    main()
