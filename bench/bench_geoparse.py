"""Benchmark of the gazetteer and the geoparser (prints figures; not a test).

    .venv/bin/python bench/bench_geoparse.py [--rebuild]

- index build time (into a fresh temporary cache dir, only with --rebuild: it takes ~15 s);
- index load time, measured in a fresh interpreter (import + load), best of 3;
- geoparser throughput in words per second on one core, on the dev corpus (docs/*.json, raw/*.txt) and on
  the LGL articles, after a warm-up pass;
- peak resident memory of this process (gazetteer loaded, corpora parsed).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
_WORDS = re.compile(r"\w+")


def dev_texts() -> list[str]:
    base = SHARED / "corpus" / "dev"
    texts = [json.loads(p.read_text(encoding="utf-8"))["text"] for p in sorted((base / "docs").glob("*.json"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((base / "raw").glob("*.txt"))]
    return texts


def lgl_texts() -> list[str]:
    root = ET.parse(SHARED / "corpus" / "geo" / "lgl.xml").getroot()
    return [a.findtext("text", "") for a in root.iter("article")]


def load_seconds() -> tuple[float, float]:
    """(wall, cpu) seconds to import sitroom.geo and load the cached index in a fresh interpreter.

    CPU time is reported beside wall time because on a shared machine the wall clock mostly measures
    the neighbours."""
    code = (
        "import time; t = time.perf_counter(); c = time.process_time(); from sitroom.geo import Gazetteer; "
        "Gazetteer.load(); print(time.perf_counter() - t, time.process_time() - c)"
    )
    runs = [subprocess.check_output([sys.executable, "-c", code], text=True).split() for _ in range(3)]
    return min(float(r[0]) for r in runs), min(float(r[1]) for r in runs)


def throughput(gp: object, texts: list[str], rounds: int) -> tuple[float, int]:
    words = sum(len(_WORDS.findall(t)) for t in texts)
    for t in texts:  # warm-up: caches of normal forms
        gp.parse(t)  # type: ignore[attr-defined]
    start = time.process_time()  # CPU time of this one-core process: robust to busy neighbours
    for _ in range(rounds):
        for t in texts:
            gp.parse(t)  # type: ignore[attr-defined]
    elapsed = time.process_time() - start
    return words * rounds / elapsed, words


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rebuild", action="store_true", help="also time a build from scratch")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    from sitroom.geo import Gazetteer, Geoparser
    from sitroom.geo.gazetteer import cache_dir

    if args.rebuild:
        with tempfile.TemporaryDirectory() as tmp:
            t, c = time.perf_counter(), time.process_time()
            Gazetteer.load(cache=Path(tmp))
            print(f"index build:        {time.perf_counter() - t:6.1f} s wall, {time.process_time() - c:.1f} s CPU")
    Gazetteer.load()  # make sure the cache exists before timing loads
    index = sorted(cache_dir().glob("gazetteer-*.marshal"), key=lambda p: p.stat().st_mtime)
    if index:
        print(f"index file:         {index[-1].stat().st_size / 2**20:6.1f} MiB ({index[-1]})")
    wall, cpu = load_seconds()
    print(f"index load:         {wall:6.2f} s wall, {cpu:.2f} s CPU (fresh interpreter, import + load, best of 3)")
    gaz = Gazetteer.load()
    print(f"places:             {len(gaz):>8,}")
    gp = Geoparser(gaz)
    if (SHARED / "corpus").exists():
        wps, words = throughput(gp, dev_texts(), rounds=20)
        print(f"dev corpus:         {wps:>8,.0f} words/s of CPU ({words:,} words x 20)")
        wps, words = throughput(gp, lgl_texts(), rounds=2)
        print(f"LGL:                {wps:>8,.0f} words/s of CPU ({words:,} words x 2)")
    else:
        print("../shared not found: throughput skipped")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS:           {peak:6.0f} MiB")


if __name__ == "__main__":
    main()
