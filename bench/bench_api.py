"""API latency under load: p50/p95 of the control GeoJSON and events-in-a-bbox endpoints, with N concurrent
requests sent from this process to a server in another process, over loopback.

    python bench/bench_api.py [--db PATH] [--claims 50000] [--concurrency 50] [--requests 400] [--max-seconds 60]

Without --db a synthetic store of --claims claims is built first (bench/synthetic.py; the 1M-claim store of
the fusion benchmark is `python bench/synthetic.py --db /tmp/bench-1m.db --claims 1000000`, then pass it
with --db). The load is bounded both in count (--requests per endpoint) and in time (--max-seconds per
endpoint). Target (issue 5): p95 < 200 ms at 50 concurrent requests.

The first request of each endpoint is timed apart: it brings the stored picture up to date (a full fusion
on a fresh store) and is a one-off cost, not a per-request latency. Then one client walks the URLs (the
first pass over each is a cache miss, later ones hits), then the concurrent load runs. `--cache-size 0`
measures every request as a miss.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

SERVER = """
import sys, uvicorn
from sitroom.api import create_app
app = create_app(sys.argv[1], token="", cache_size=int(sys.argv[3]))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: str, port: int, timeout: float, cache_size: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-c", SERVER, db, str(port), str(cache_size)], env=os.environ.copy())
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with code {proc.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/meta", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the server did not start in time")


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, url: str) -> int:
    """One GET on a kept-alive HTTP/1.1 connection; returns the status. A few lines of asyncio instead of a
    full client library, so the load generator spends little CPU of the two cores it shares with the server."""
    # Accept-Encoding as every browser sends it: big answers come back gzipped (compressed once, then cached).
    request = f"GET {url} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: gzip\r\nConnection: keep-alive\r\n\r\n"
    writer.write(request.encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
        elif name.strip().lower() == "transfer-encoding" and "chunked" in value:
            raise RuntimeError("chunked responses are not expected from the API")
    await reader.readexactly(length)
    return status


async def load(base: str, urls: list[str], concurrency: int, count: int, max_seconds: float) -> dict[str, float]:
    """`count` requests cycling over `urls`, at most `concurrency` in flight (one kept-alive connection
    each), stopping at `max_seconds`."""
    host_port = base.split("//", 1)[1]
    host, port = host_port.split(":")
    latencies: list[float] = []
    errors = 0
    sent = 0
    started = time.perf_counter()

    async def worker() -> None:
        nonlocal sent, errors
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while sent < count and time.perf_counter() - started < max_seconds:
                url = urls[sent % len(urls)]
                sent += 1
                t = time.perf_counter()
                try:
                    if await _get(reader, writer, host_port, url) != 200:
                        errors += 1
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    errors += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, int(port))
                latencies.append((time.perf_counter() - t) * 1000)
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return {
        "n": len(latencies),
        "errors": errors,
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p95": percentile(latencies, 0.95) if latencies else float("nan"),
        "max": max(latencies) if latencies else float("nan"),
        "rps": len(latencies) / elapsed if elapsed else 0.0,
    }


def days_of(meta: dict) -> list[str]:
    first = date.fromisoformat(meta.get("first_day") or "2024-11-27")
    last = date.fromisoformat(meta.get("last_day") or "2024-12-08")
    n = max(1, (last - first).days + 1)
    step = max(1, n // 12)  # a dozen days across the store's range, as a user dragging the slider would ask
    return [(first + timedelta(days=i)).isoformat() for i in range(0, n, step)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", help="an existing store (SQLite path or postgresql://...); default: build one")
    ap.add_argument("--claims", type=int, default=50_000, help="claims in the synthetic store (without --db)")
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--requests", type=int, default=400, help="requests per endpoint (upper bound)")
    ap.add_argument("--max-seconds", type=float, default=60.0, help="time per endpoint (upper bound)")
    ap.add_argument(
        "--cache-size", type=int, default=512, help="the API's response cache (0: off, every request fuses)"
    )
    ap.add_argument("--startup-timeout", type=float, default=900.0, help="for the server and its first fusion")
    args = ap.parse_args()

    tmp = None
    db = args.db
    if db is None:
        from synthetic import generate

        tmp = tempfile.TemporaryDirectory(prefix="sitroom-bench-api-")
        db = str(Path(tmp.name) / "bench.db")
        t = time.perf_counter()
        generate(db, args.claims)
        print(f"synthetic store: {args.claims:,} claims built in {time.perf_counter() - t:.1f} s")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(db, port, args.startup_timeout, args.cache_size)
    try:
        meta = httpx.get(f"{base}/meta", timeout=30).json()
        print(f"store: {meta['counts']['documents']:,} documents, {meta['counts']['claims']:,} claims")
        days = days_of(meta)
        boxes = [(35.5 + i * 0.5, 32.0 + i * 0.4, 36.5 + i * 0.5, 33.0 + i * 0.4) for i in range(10)]
        endpoints = {
            "control.geojson?at=D": [f"/control.geojson?at={d}" for d in days],
            "events?bbox=B&at=D": [
                f"/events?bbox={b[0]},{b[1]},{b[2]},{b[3]}&at={days[i % len(days)]}&limit=1000"
                for i, b in enumerate(boxes)
            ],
        }
        for name, urls in endpoints.items():
            t = time.perf_counter()
            first = httpx.get(base + urls[0], timeout=args.startup_timeout)
            print(f"{name}: first request {1000 * (time.perf_counter() - t):.0f} ms (status {first.status_code})")
            single = asyncio.run(load(base, urls, 1, min(40, args.requests), args.max_seconds))
            loaded = asyncio.run(load(base, urls, args.concurrency, args.requests, args.max_seconds))
            print(
                f"{name}: 1 client p50 {single['p50']:.1f} ms p95 {single['p95']:.1f} ms | "
                f"{args.concurrency} concurrent: n={loaded['n']:.0f} errors={loaded['errors']:.0f} "
                f"p50 {loaded['p50']:.1f} ms p95 {loaded['p95']:.1f} ms max {loaded['max']:.0f} ms "
                f"{loaded['rps']:.0f} req/s  (target p95 < 200 ms)"
            )
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    main()
