"""The API under load: N concurrent clients for D seconds over a mix of the read endpoints, against
`sitroom serve` in another process, over loopback. Prints throughput, p50/p95/p99, errors by kind and the
server's memory (RSS of the server and its workers) at the start, middle and end of the run.

    python bench/bench_load.py [--db PATH | --db postgresql://...] [--claims 20000 | --demo]
                               [--clients 50] [--seconds 60] [--workers N] [--write-every S]

The store: a SQLite path or a PostgreSQL URL. A PostgreSQL database gets a fresh schema, filled and then
dropped; a SQLite path that holds documents is served as it is, otherwise it is filled (without --db, in a
temporary folder). Filling writes a synthetic picture of --claims claims (bench/synthetic.py: a moving front,
3-12 outlets per happening, 120 days) or, with --demo, ingests the demo corpus.

The mix is what the web page asks when someone drags the day slider and clicks around (control, events,
advisories, transport, figures on a day; the claims of a place or an event; their documents; a sitrep), plus
paged lists of documents and claims, over a dozen days and a score of places: a few hundred distinct URLs,
each client walking them in its own shuffled order with no pause between requests (a closed loop).

Before the load: the first request (the store's first fusion, a one-off) is timed apart, then one client walks
every URL once (cold caches: each is a miss on the worker that answers it). The load generator is a few lines
of asyncio rather than an HTTP library, so it takes little CPU from the cores it shares with the server.
With --write-every S, new reports are written into the store every S seconds during the load, as `watch`
would: each batch moves the data version, so every cached answer is rebuilt while the clients keep asking.

Target (issue 12): 50 clients for 60 s, 0 errors, p95 < 300 ms on both backends, memory flat.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import IO

import httpx
from bench_api import days_of, free_port, percentile

TARGET_P95_MS = 300.0


# --- the store ---------------------------------------------------------------------------------------------


def fill(db: str, claims: int, demo: bool) -> str:
    """Write the picture into the store `db`; returns what was written."""
    t = time.perf_counter()
    if demo:
        from sitroom.demo import demo_files
        from sitroom.pipeline import ingest_paths, load_extractor
        from sitroom.store import Store

        with Store.open(db) as store:
            summary = ingest_paths(store, demo_files(), load_extractor("rules.v1"))
        return f"demo corpus: {summary.line()} in {time.perf_counter() - t:.1f} s"
    from synthetic import generate

    stats = generate(db, claims)
    return f"synthetic: {stats['claims']:,} claims in {stats['documents']:,} documents, {time.perf_counter() - t:.1f} s"


def sqlite_holds_documents(path: str) -> bool:
    if not Path(path).exists():
        return False
    from sitroom.store import Store

    with Store.open(path) as store:
        return store.counts()["documents"] > 0


class PgSchema:
    """A fresh schema in the PostgreSQL database at `url`, dropped on exit; `.url` reaches it (the schema
    travels in the URL's options, so every connection the server opens uses it)."""

    def __init__(self, url: str) -> None:
        import sqlalchemy as sa

        self.sa = sa
        self.name = f"bench_load_{uuid.uuid4().hex[:8]}"
        self.admin = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        sep = "&" if "?" in url else "?"
        self.url = f"{url}{sep}options=-csearch_path%3D{self.name}"

    def __enter__(self) -> PgSchema:
        with self.admin.begin() as conn:
            conn.execute(self.sa.text(f'CREATE SCHEMA "{self.name}"'))
        return self

    def __exit__(self, *exc: object) -> None:
        with self.admin.begin() as conn:
            conn.execute(self.sa.text(f'DROP SCHEMA "{self.name}" CASCADE'))
        self.admin.dispose()


# --- the server --------------------------------------------------------------------------------------------


def start_server(
    db: str, port: int, workers: int | None, timeout: float, log_path: Path
) -> tuple[subprocess.Popen[bytes], IO[bytes]]:
    """`sitroom serve` as a user runs it (its log, access lines included, goes to `log_path`)."""
    command = [sys.executable, "-m", "sitroom", "--db", db, "serve", "--host", "127.0.0.1", "--port", str(port)]
    if workers is not None:
        command += ["--workers", str(workers)]
    env = {k: v for k, v in os.environ.items() if k != "SITROOM_API_TOKEN"}
    log = open(log_path, "wb")  # noqa: SIM115 - closed by the caller with the server
    proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.close()
            raise SystemExit(f"the server exited with code {proc.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/meta", timeout=5).status_code == 200:
                return proc, log
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop_server(proc)
    log.close()
    raise SystemExit("the server did not start in time")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    # SIGINT, as Ctrl-C: uvicorn's supervisor stops its workers and waits for them.
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def tree_rss_mib(pid: int) -> tuple[float, int] | None:
    """Resident memory of a process and all its descendants (MiB) and how many processes that is; None where
    /proc is not there to read."""
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    total_kib = 0
    counted = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total_kib += int(line.split()[1])
                        counted += 1
        except OSError:
            continue
    return (total_kib / 1024, counted) if counted else None


# --- the mix -----------------------------------------------------------------------------------------------


def q(path: str, **params: object) -> str:
    items: list[tuple[str, object]] = []
    for k, v in params.items():
        items.extend((k, x) for x in v) if isinstance(v, list | tuple) else items.append((k, v))
    return path + ("?" + urllib.parse.urlencode(items) if items else "")


def place_key(place: dict[str, object]) -> str:
    return str(place["geonameid"]) if place.get("geonameid") is not None else str(place["name"])


def build_mix(base: str, seed: int = 12) -> list[tuple[str, str]]:
    """(endpoint label, URL) pairs, weighted by repetition: what the page asks for a day, for a place and an
    event, and the lists a script reads."""
    rng = random.Random(seed)
    meta = httpx.get(f"{base}/meta", timeout=60).json()
    days = days_of(meta)
    last = meta.get("last_day") or days[-1]
    # Places, claims and documents the store really holds, as a user would meet them on the map.
    sample = httpx.get(f"{base}/claims", params={"limit": 2000}, timeout=600).json()
    rng.shuffle(sample)
    # The page names a place by its GeoNames id, or by its name when it has none.
    places = list(dict.fromkeys(place_key(c["place"]) for c in sample if c.get("place")))[:20]
    groups = [sample[i : i + 6] for i in range(0, min(len(sample), 120), 6)]  # "an event's claims"
    doc_ids = list(dict.fromkeys(c["document_id"] for c in sample))[:20]
    types = sorted({c["type"] for c in sample})[:4]
    boxes = [(35.5 + i * 0.5, 32.0 + i * 0.4, 36.5 + i * 0.5, 33.0 + i * 0.4) for i in range(6)]
    first = date.fromisoformat(meta.get("first_day") or days[0])
    mix: list[tuple[str, str]] = []

    def add(label: str, url: str, weight: int = 1) -> None:
        mix.extend([(label, url)] * weight)

    for d in days:
        # The page, on each move of the slider.
        add("/control.geojson", q("/control.geojson", at=d), 3)
        add("/events", q("/events", limit=10000, at=d), 3)
        add("/advisories", q("/advisories", limit=500, at=d), 2)
        add("/transport", q("/transport", limit=500, at=d), 2)
        add("/control", q("/control", at=d))
        for box in boxes[:2]:
            add("/events", q("/events", bbox=",".join(map(str, box)), at=d, limit=1000))
        # A click on a place: its claims up to the day.
        for place in places[:6]:
            add("/claims", q("/claims", place=place, at=d, limit=500))
    for d in days[::3]:
        add("/sitrep", q("/sitrep", at=d, format="html"))  # the page's "situation report" link
    add("/sitrep", q("/sitrep", at=last, format="html"), 3)
    add("/sitrep", q("/sitrep", at=last))
    add("/figures", q("/figures", limit=2000, at=last), 6)
    add("/meta", "/meta", 4)
    for place in places:
        add("/claims", q("/claims", place=place, limit=500))
    for group in groups:
        # A click on an event (its claims, by id and place) or a figure (by id and type), then their documents.
        ids = [c["id"] for c in group]
        if group[0].get("place"):
            add("/claims", q("/claims", id=ids, place=place_key(group[0]["place"]), limit=500))
        add("/claims", q("/claims", id=ids, type=sorted({c["type"] for c in group}), limit=500))
        add("/documents", q("/documents", id=list(dict.fromkeys(c["document_id"] for c in group)), limit=10000))
    # What a script reads: claims of a type over the whole period, pages of everything, a week of documents.
    for t in types:
        add("/claims", q("/claims", type=t, since=first.isoformat(), until=last, limit=100))
    for offset in (0, 100):
        add("/claims", q("/claims", limit=100, offset=offset))
        add("/documents", q("/documents", limit=100, offset=offset))
    for d in days[::3]:
        until = (date.fromisoformat(d) + timedelta(days=6)).isoformat()
        add("/documents", q("/documents", since=d, until=until, limit=100))
    for doc_id in doc_ids:
        add("/documents/{id}", "/documents/" + urllib.parse.quote(doc_id, safe="/"))
    return mix


# --- the load ----------------------------------------------------------------------------------------------


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    by_endpoint: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0


class Disconnected(Exception):
    pass


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, url: str) -> tuple[int, bool]:
    """One GET on a kept-alive HTTP/1.1 connection, the body read and dropped; returns the status and whether
    the server keeps the connection open (it closes it after an error, for one)."""
    request = f"GET {url} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: gzip\r\nConnection: keep-alive\r\n\r\n"
    writer.write(request.encode())
    await writer.drain()
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        raise Disconnected("closed before answering" if not exc.partial else "closed mid-header") from None
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    try:
        if "chunked" in headers.get("transfer-encoding", ""):
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            await reader.readexactly(int(headers.get("content-length", "0")))
    except asyncio.IncompleteReadError:
        raise Disconnected("closed mid-body") from None
    return status, headers.get("connection", "").lower() != "close"


async def drive(
    base: str, mix: list[tuple[str, str]], clients: int, seconds: float, timeout: float, seed: int = 1
) -> Results:
    """`clients` connections, each sending its next request as soon as the last one is answered, until
    `seconds` have passed."""
    host_port = base.split("//", 1)[1]
    host, port = host_port.split(":")
    out = Results()
    started = time.perf_counter()

    async def client(n: int) -> None:
        order = mix[:]
        random.Random(seed * 1000 + n).shuffle(order)
        i = 0
        conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        while time.perf_counter() - started < seconds:
            label, url = order[i % len(order)]
            i += 1
            t = time.perf_counter()
            keep = False
            try:
                if conn is None:
                    conn = await asyncio.wait_for(asyncio.open_connection(host, int(port)), timeout)
                status, keep = await asyncio.wait_for(_get(*conn, host_port, url), timeout)
                if status >= 400:
                    out.errors[f"HTTP {status} {label}"] += 1
            except TimeoutError:
                out.errors[f"timeout (> {timeout:.0f} s) {label}"] += 1
            except Disconnected as exc:
                out.errors[f"disconnect ({exc}) {label}"] += 1
            except OSError as exc:
                out.errors[f"{type(exc).__name__} {label}"] += 1
            if not keep and conn is not None:
                conn[1].close()
                conn = None
            ms = (time.perf_counter() - t) * 1000
            out.latencies.append(ms)
            out.by_endpoint[label].append(ms)
        if conn is not None:
            conn[1].close()

    await asyncio.gather(*(client(n) for n in range(clients)))
    out.elapsed = time.perf_counter() - started
    return out


async def sample_memory(pid: int, seconds: float, into: list[tuple[str, tuple[float, int] | None]]) -> None:
    into.append(("start", tree_rss_mib(pid)))
    await asyncio.sleep(seconds / 2)
    into.append(("middle", tree_rss_mib(pid)))
    await asyncio.sleep(max(0.0, seconds / 2 - 0.5))
    into.append(("end", tree_rss_mib(pid)))


async def write_while_loaded(db: str, every: float, seconds: float, claims: int, written: list[float]) -> None:
    """New reports every `every` seconds, as `watch` would add them (each batch moves the data version, so
    every cached answer is asked again); the time each batch took to write is kept in `written`."""
    from synthetic import generate

    started = time.perf_counter()
    batch = 0
    while time.perf_counter() - started + every < seconds:
        await asyncio.sleep(every)
        batch += 1
        t = time.perf_counter()
        await asyncio.to_thread(generate, db, claims, 1000 + batch)
        written.append(time.perf_counter() - t)


async def run_load(
    base: str, pid: int, mix: list[tuple[str, str]], args: argparse.Namespace, db: str, written: list[float]
) -> tuple[Results, list[tuple[str, tuple[float, int] | None]]]:
    memory: list[tuple[str, tuple[float, int] | None]] = []
    tasks = [drive(base, mix, args.clients, args.seconds, args.timeout), sample_memory(pid, args.seconds, memory)]
    if args.write_every:
        tasks.append(write_while_loaded(db, args.write_every, args.seconds, args.write_claims, written))
    results, *_ = await asyncio.gather(*tasks)
    return results, memory


# --- report ------------------------------------------------------------------------------------------------


def summary(samples: list[float]) -> str:
    if not samples:
        return "no samples"
    return (
        f"p50 {percentile(samples, 0.5):.0f} ms  p95 {percentile(samples, 0.95):.0f} ms  "
        f"p99 {percentile(samples, 0.99):.0f} ms  max {max(samples):.0f} ms"
    )


def report(label: str, results: Results, memory: list[tuple[str, tuple[float, int] | None]], clients: int) -> None:
    n = len(results.latencies)
    errors = sum(results.errors.values())
    print(f"\n[{label}] {clients} clients, {results.elapsed:.0f} s: {n:,} requests, {n / results.elapsed:.0f} req/s, "
          f"{errors} errors")  # fmt: skip
    print(f"[{label}] latency: {summary(results.latencies)}  (target p95 < {TARGET_P95_MS:.0f} ms)")
    for name, count in sorted(results.errors.items()):
        print(f"[{label}]   error: {name}: {count}")
    for endpoint, samples in sorted(results.by_endpoint.items(), key=lambda kv: -percentile(kv[1], 0.95)):
        print(f"[{label}]   {endpoint:18} n={len(samples):6,}  {summary(samples)}")
    mem = "  ".join(
        f"{when} {m[0]:.0f} MiB" + (f" ({m[1]} processes)" if m[1] > 1 else "") if m else f"{when} n/a"
        for when, m in memory
    )
    print(f"[{label}] server RSS: {mem}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", help="SQLite path or postgresql:// URL (a fresh schema is made and dropped)")
    ap.add_argument("--claims", type=int, default=20_000, help="claims in the synthetic picture")
    ap.add_argument("--demo", action="store_true", help="fill the store with the demo corpus instead")
    ap.add_argument("--clients", type=int, default=50, help="concurrent clients (connections)")
    ap.add_argument("--seconds", type=float, default=60.0, help="length of the loaded run")
    ap.add_argument("--workers", type=int, help="passed to `sitroom serve --workers` (default: serve's own)")
    ap.add_argument("--timeout", type=float, default=30.0, help="a request slower than this is an error")
    ap.add_argument("--startup-timeout", type=float, default=900.0, help="for the server and its first fusion")
    ap.add_argument("--no-warm", action="store_true", help="skip the single-client pass over every URL")
    ap.add_argument(
        "--write-every", type=float, default=0.0, metavar="S", help="write new reports every S seconds (0: never)"
    )
    ap.add_argument("--write-claims", type=int, default=50, help="claims (one document each) per written batch")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="sitroom-bench-load-") as tmp:
        if args.db and args.db.startswith(("postgresql://", "postgres://")):
            with PgSchema(args.db) as schema:
                print(fill(schema.url, args.claims, args.demo))
                bench("postgresql", schema.url, args, Path(tmp))
            return
        db = args.db or str(Path(tmp) / "bench.db")
        if sqlite_holds_documents(db):
            print(f"serving {db} as it is")
        else:
            print(fill(db, args.claims, args.demo))
        bench("sqlite", db, args, Path(tmp))


def bench(label: str, db: str, args: argparse.Namespace, tmp: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp / "server.log"
    t = time.perf_counter()
    proc, log = start_server(db, port, args.workers, args.startup_timeout, log_path)
    print(f"[{label}] server up in {time.perf_counter() - t:.1f} s (workers: {args.workers or 'default'})")
    try:
        meta = httpx.get(f"{base}/meta", timeout=30).json()
        print(f"[{label}] store: {meta['counts']['documents']:,} documents, {meta['counts']['claims']:,} claims, "
              f"{meta['first_day']} to {meta['last_day']}")  # fmt: skip
        t = time.perf_counter()
        first = httpx.get(f"{base}/events", params={"limit": 1}, timeout=args.startup_timeout)
        print(f"[{label}] first request (the store's first fusion): {time.perf_counter() - t:.1f} s, "
              f"status {first.status_code}")  # fmt: skip
        mix = build_mix(base)
        distinct = sorted(set(mix))
        print(f"[{label}] mix: {len(mix)} weighted requests over {len(distinct)} distinct URLs, "
              f"{len({e for e, _ in distinct})} endpoints")  # fmt: skip
        if not args.no_warm:
            cold = asyncio.run(walk_once(base, distinct, args.timeout))
            print(f"[{label}] one client, every URL once (cold): {summary(cold.latencies)}, "
                  f"{sum(cold.errors.values())} errors")  # fmt: skip
            for name, count in sorted(cold.errors.items()):
                print(f"[{label}]   error: {name}: {count}")
        written: list[float] = []
        results, memory = asyncio.run(run_load(base, proc.pid, mix, args, db, written))
        report(label, results, memory, args.clients)
        if args.write_every:
            print(f"[{label}] while loaded: {len(written)} batches of {args.write_claims} new claims written, "
                  f"slowest {max(written, default=0):.1f} s")  # fmt: skip
    finally:
        stop_server(proc)
        log.close()
    text = log_path.read_text(errors="replace")
    problems = [line for line in text.splitlines() if "Traceback" in line or line.startswith(("ERROR", "CRITICAL"))]
    if problems:
        print(f"[{label}] server log: {len(problems)} error lines; the first: {problems[0]}")
        tail = text[text.find("Traceback") :][:3000] if "Traceback" in text else ""
        if tail:
            print(tail)


async def walk_once(base: str, urls: list[tuple[str, str]], timeout: float) -> Results:
    """One client asking each URL once, in order (the first ask of each is a cache miss)."""
    host_port = base.split("//", 1)[1]
    host, port = host_port.split(":")
    out = Results()
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(host, int(port))
    for label, url in urls:
        t = time.perf_counter()
        keep = False
        try:
            status, keep = await asyncio.wait_for(_get(reader, writer, host_port, url), timeout)
            if status >= 400:
                out.errors[f"HTTP {status} {label}"] += 1
        except (OSError, TimeoutError, Disconnected) as exc:
            out.errors[f"{type(exc).__name__} {label}"] += 1
        if not keep:
            writer.close()
            reader, writer = await asyncio.open_connection(host, int(port))
        ms = (time.perf_counter() - t) * 1000
        out.latencies.append(ms)
        out.by_endpoint[label].append(ms)
    writer.close()
    out.elapsed = time.perf_counter() - started
    return out


if __name__ == "__main__":
    main()
