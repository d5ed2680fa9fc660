"""Benchmark of the claims extractors (rules.v1 by default; --extractor hybrid.v1 ...) on one core.

Replicates the dev corpus (../shared/corpus/dev) until it holds at least 2 MB of text, then times, in the same
run and on the same documents:

* bare spaCy tokenization (``spacy.blank("en")``), the floor any spaCy-based pipeline pays;
* sitroom's extraction (sentences, actors, places, dates, attribution, claims), geoparsing included.

Prints articles/s and words/s for both, and the ratio; then the time per MiB of one document of growing size
(extraction must stay linear in a document's size). DESIGN.md's bar: >= 100 articles of 600 words per
second on one core, and within 3x of bare tokenization.

    .venv/bin/python bench/bench_extract.py [--corpus DIR] [--mb 2] [--repeat 3] [--extractor NAME ...]

With several --extractor options each is timed on the same documents, with the process's peak memory after its
warm-up (the learned layer's bar, issue 13: hybrid.v1 >= 40 articles/s and at most 200 MB above the rules).

With --repeat N each stage is timed N times and the fastest run is reported (the usual way to read a timing
on a shared machine: other work only ever adds time).
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "dev"


def _timed(fn: Callable[[], None]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--mb", type=float, default=2.0, help="replicate the corpus to at least this many MB of text")
    ap.add_argument("--repeat", type=int, default=1, help="time each stage this many times, report the fastest")
    ap.add_argument("--scaling", type=float, nargs="*", default=[0.25, 0.5, 1.0],
                    help="also time one document of each of these sizes in MiB (none: skip)")  # fmt: skip
    ap.add_argument("--extractor", action="append", help="extractor to time (repeatable; default rules.v1)")
    args = ap.parse_args()
    names = args.extractor or ["rules.v1"]
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    import spacy

    from sitroom.extract import get_extractor
    from sitroom.ingest import read_path

    base = [d for d in read_path([args.corpus]) if hasattr(d, "text")]
    if not base:
        raise SystemExit(f"no documents under {args.corpus}")
    docs = []
    size = 0
    i = 0
    while size < args.mb * 1_000_000:
        for d in base:
            # a distinct id per copy, so nothing downstream can cache by document
            docs.append(replace(d, id=f"{d.id}#{i}"))
            size += len(d.text.encode("utf-8"))
        i += 1
    words = sum(len(d.text.split()) for d in docs)
    print(f"corpus: {len(base)} documents x {i} = {len(docs)} documents, {size / 1e6:.2f} MB, {words:,} words "
          f"({words / len(docs):.0f} words/article)")  # fmt: skip

    extractors = []
    for name in names:
        ex = get_extractor(name)
        t0 = time.perf_counter()
        ex.extract(base[0])  # load gazetteer, lexicons, matchers (and a scorer) outside the timed loop
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"warm-up {ex.name}: {time.perf_counter() - t0:.2f} s; peak memory of the process now {rss:.0f} MB")
        extractors.append(ex)
    ex = extractors[0]

    nlp = spacy.blank("en")
    repeat = max(1, args.repeat)

    def tokenize() -> None:
        for d in docs:
            nlp.make_doc(d.text)

    tok = min(_timed(tokenize) for _ in range(repeat))

    gp = getattr(ex, "geoparser", None)
    geo = 0.0
    if gp is not None:

        def geoparse() -> None:
            for d in docs:
                gp.parse(d.text)

        geo = min(_timed(geoparse) for _ in range(repeat))

    n_claims = 0

    def extract(reader: object = ex) -> None:
        nonlocal n_claims
        n_claims = 0
        for d in docs:
            n_claims += len(reader.extract(d))  # type: ignore[attr-defined]

    timings = [(other.name, min(_timed(lambda o=other: extract(o)) for _ in range(repeat))) for other in extractors]
    ext = timings[0][1]

    print(f"{'':26}{'seconds':>9}{'articles/s':>12}{'words/s':>12}")
    print(f"{'spaCy tokenizer (blank)':26}{tok:9.2f}{len(docs) / tok:12.0f}{words / tok:12.0f}")
    for name, t in timings:
        print(f"{'sitroom extract ' + name:26}{t:9.2f}{len(docs) / t:12.0f}{words / t:12.0f}")
    if geo:
        # the geoparser (sitroom.geo) runs inside extraction; shown alone so each stage's share is visible
        print(f"{'  of which geoparse alone':26}{geo:9.2f}{len(docs) / geo:12.0f}{words / geo:12.0f}")
        rest = max(ext - geo, 1e-9)
        print(f"{'  extraction without geo':26}{rest:9.2f}{len(docs) / rest:12.0f}{words / rest:12.0f}")
    print(f"extraction ({timings[0][0]}) / tokenization time: {ext / tok:.2f}x")
    for name, t in timings:
        print(f"{name}: throughput in 600-word articles: {(words / t) / 600:.0f}/s (target >= 100/s for the default)")

    if args.scaling:
        # one document made of the corpus end to end, at growing sizes: time per MiB must stay flat (linear
        # extraction, issue 12: at most 2 s per MiB is the target)
        whole = "\n\n".join(d.text for d in base)
        print(f"{'one document of':26}{'seconds':>9}{'s/MiB':>12}")
        for mib in args.scaling:
            n = int(mib * 1024 * 1024)
            text = (whole * (n // len(whole) + 1))[:n]
            big = replace(base[0], id=f"scaling-{mib}", text=text, non_news=())
            t = min(_timed(lambda big=big: ex.extract(big)) for _ in range(repeat))
            print(f"{f'{mib:g} MiB':26}{t:9.2f}{t / mib:12.2f}")


if __name__ == "__main__":
    main()
