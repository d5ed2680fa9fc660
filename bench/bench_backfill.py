"""Benchmark of `sitroom backfill`: the same synthetic archive ingested on a local Dask cluster of 1 and of 2
workers, and by plain `ingest` in one process, in the same run.

The archive is the dev corpus (../shared/corpus/dev, else corpus/styles-o) copied into JSONL files until it
holds --docs documents, each copy with its own id and a line of its own (so none is a duplicate of another).
Prints documents/s for each, the speed-up from 1 to 2 workers (issue 15's target: >= 1.7x on 2 cores), and
the peak memory of this process (the writer: it must stay flat in the archive's size).

    .venv/bin/python bench/bench_backfill.py [--docs 400]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPORA = [REPO.parent / "shared" / "corpus" / "dev", REPO / "corpus" / "styles-o"]


def make_archive(root: Path, n: int) -> int:
    from sitroom.ingest import read_path

    corpus = next(c for c in CORPORA if c.exists())
    base = [d for d in read_path([corpus]) if hasattr(d, "text")]
    root.mkdir(parents=True, exist_ok=True)
    written = 0
    with open(root / "archive.jsonl", "w", encoding="utf-8") as out:
        while written < n:
            for d in base:
                if written >= n:
                    break
                text = f"{d.text}\n\n(Archive copy {written}.)"
                day = d.published_at.date().isoformat() if d.published_at else "2024-12-01"
                out.write(json.dumps({"id": f"{d.id}-{written}", "title": d.title, "date": day, "url": d.url,
                                      "outlet": d.outlet, "text": text}) + "\n")  # fmt: skip
                written += 1
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=400)
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    from sitroom.backfill import backfill, connect
    from sitroom.pipeline import ingest_paths, load_extractor
    from sitroom.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="sitroom-backfill-"))
    n = make_archive(tmp / "archive", args.docs)
    print(f"archive: {n} documents in one JSONL file; {os.cpu_count()} CPU(s)")
    rates = {}
    for workers in (1, 2):
        cluster = connect(workers=workers)
        try:
            # warm the workers (extractor, gazetteer) outside the timed run, as a long backfill amortises it
            backfill(Store.open(str(tmp / f"warm{workers}.db")), [str(tmp / "archive")], cluster=cluster)
            store = Store.open(str(tmp / f"dask{workers}.db"))
            t0 = time.perf_counter()
            summary = backfill(store, [str(tmp / "archive")], cluster=cluster)
            dt = time.perf_counter() - t0
        finally:
            cluster.close()
        rates[workers] = summary.new / dt
        print(f"backfill, {workers} worker(s): {summary.new} documents, {summary.claims} claims in {dt:.1f} s "
              f"= {rates[workers]:.1f} documents/s")  # fmt: skip
    extractor = load_extractor("rules.v1")
    store = Store.open(str(tmp / "ingest.db"))
    t0 = time.perf_counter()
    summary = ingest_paths(store, [tmp / "archive"], extractor)
    dt = time.perf_counter() - t0
    print(f"ingest, one process: {summary.new} documents in {dt:.1f} s = {summary.new / dt:.1f} documents/s")
    print(f"speed-up 1 -> 2 workers: {rates[2] / rates[1]:.2f}x (target >= 1.7x on 2 cores)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the writer process (ingest run included): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
