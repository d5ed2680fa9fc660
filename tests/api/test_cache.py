"""The response cache: least-recently-used eviction, one build per new question, a bounded-lag data version."""

from __future__ import annotations

import asyncio
import time

import pytest

from sitroom.api.cache import CachedBody, ResponseCache, VersionClock
from sitroom.api.routes import _build_once


def body(text: str) -> CachedBody:
    return CachedBody(text.encode(), "application/json")


def test_the_cache_evicts_the_least_recently_used_answer() -> None:
    cache = ResponseCache(max_entries=2)
    cache.put("a", body("A"))
    cache.put("b", body("B"))
    assert cache.get("a") == body("A")  # a is now the most recent
    cache.put("c", body("C"))
    assert cache.get("b") is None and cache.get("a") == body("A") and cache.get("c") == body("C")


def test_a_cache_of_size_zero_keeps_nothing() -> None:
    cache = ResponseCache(max_entries=0)
    cache.put("a", body("A"))
    assert cache.get("a") is None


def test_many_identical_new_questions_are_built_once() -> None:
    builds = 0

    def build() -> CachedBody:
        nonlocal builds
        builds += 1
        time.sleep(0.05)  # long enough for every caller to arrive while the first one builds
        return body("answer")

    async def crowd() -> list[CachedBody]:
        inflight: dict = {}
        return await asyncio.gather(*(_build_once(inflight, "key", build) for _ in range(20)))

    answers = asyncio.run(crowd())
    assert builds == 1 and all(a == body("answer") for a in answers)


def test_a_failed_build_fails_every_waiter_and_is_not_kept() -> None:
    def build() -> CachedBody:
        time.sleep(0.02)
        raise RuntimeError("fusion failed")

    async def crowd() -> tuple[list, dict]:
        inflight: dict = {}
        results = await asyncio.gather(*(_build_once(inflight, "k", build) for _ in range(3)), return_exceptions=True)
        return results, inflight

    results, inflight = asyncio.run(crowd())
    assert all(isinstance(r, RuntimeError) for r in results) and inflight == {}


def test_the_data_version_is_read_again_after_its_ttl_or_when_expired(monkeypatch: pytest.MonkeyPatch) -> None:
    reads = []
    now = [1000.0]  # a clock the test moves, so a loaded machine cannot make it flaky

    def read() -> int:
        reads.append(1)
        return len(reads)

    monkeypatch.setattr("sitroom.api.cache.time.monotonic", lambda: now[0])
    clock = VersionClock(read, ttl=0.1)
    assert clock.fresh() is None and clock.refresh() == 1
    now[0] += 0.05
    assert clock.fresh() == 1  # within the TTL: no read
    now[0] += 0.1
    assert clock.fresh() is None
    clock.refresh()
    clock.expire()
    assert clock.fresh() is None and len(reads) == 2


def test_a_big_answer_is_sent_gzipped_to_clients_that_accept_it(client) -> None:  # type: ignore[no-untyped-def]
    plain = client.get("/control.geojson", params={"at": "2024-12-01"}, headers={"Accept-Encoding": "identity"})
    packed = client.get("/control.geojson", params={"at": "2024-12-01"}, headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip" and packed.headers["vary"] == "Accept-Encoding"
    assert int(packed.headers["content-length"]) < len(plain.content) / 3
    assert packed.json() == plain.json()  # the client decodes it to the same answer
