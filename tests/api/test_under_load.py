"""What keeps the API's latency under load: every read endpoint answers from the response cache, bounded in
bytes; a changed answer is rebuilt once, and while a slow rebuild runs its askers get the answer built before
(never one from before a write this server took itself, nor, on an idle server, one long out of date)."""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI, Request, Response

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from sitroom.api.cache import CachedBody, ResponseCache, VersionClock
from sitroom.api.routes import cached_response
from sitroom.store import Store


class Source:
    """A store stand-in: a data version the test moves, and an answer whose build the test can hold."""

    def __init__(self) -> None:
        self.version = 1
        self.builds = 0
        self.gate = threading.Event()
        self.gate.set()

    def answer(self) -> dict[str, int]:
        self.builds += 1
        self.gate.wait(timeout=30)
        return {"version": self.version}


def tiny_app(source: Source, max_stale: float = 60.0) -> FastAPI:
    """One endpoint answered the way the read endpoints are, over `source`; the version is read on every
    request (no freshness lag), so each test decides exactly when the data move."""
    app = FastAPI()
    app.state.cache = ResponseCache()
    app.state.inflight = {}
    app.state.versions = VersionClock(lambda: source.version, ttl=0.0, max_stale=max_stale)

    @app.get("/answer")
    async def answer(request: Request) -> Response:
        return await cached_response(request, source.answer)

    return app


@pytest.fixture
def source() -> Source:
    return Source()


@pytest.fixture
def served(source: Source) -> Iterator[TestClient]:
    with TestClient(tiny_app(source)) as client:  # one event loop for the test: rebuilds run on in it
        yield client


def eventually(check: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return False


def in_a_thread(fn: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    out: list[Any] = []
    thread = threading.Thread(target=lambda: out.append(fn()), daemon=True)
    thread.start()
    return thread, out


def test_a_slow_rebuild_leaves_askers_the_previous_answer_and_replaces_it_when_done(
    served: TestClient, source: Source
) -> None:
    assert served.get("/answer").json() == {"version": 1}
    source.version, source.gate = 2, threading.Event()  # new reports; the rebuild will take a while
    assert served.get("/answer").json() == {"version": 1}
    assert served.get("/answer").json() == {"version": 1}
    assert source.builds == 2  # one rebuild, however many ask meanwhile
    source.gate.set()
    assert eventually(lambda: served.get("/answer").json() == {"version": 2})
    assert source.builds == 2


def test_a_quick_rebuild_is_waited_for(served: TestClient, source: Source) -> None:
    assert served.get("/answer").json() == {"version": 1}
    source.version = 2
    assert served.get("/answer").json() == {"version": 2}


def test_an_answer_from_before_a_write_this_server_took_is_never_served(served: TestClient, source: Source) -> None:
    assert served.get("/answer").json() == {"version": 1}
    source.version, source.gate = 2, threading.Event()
    served.app.state.versions.expire()  # what POST /documents does once it has stored an upload
    asker, got = in_a_thread(lambda: served.get("/answer").json())
    asker.join(timeout=1.0)
    assert asker.is_alive()  # waiting for the rebuild, well past the patience for slow ones
    source.gate.set()
    asker.join(timeout=10)
    assert got == [{"version": 2}]


def test_an_answer_long_out_of_date_is_rebuilt_before_it_is_served(source: Source) -> None:
    with TestClient(tiny_app(source, max_stale=0.0)) as served:
        assert served.get("/answer").json() == {"version": 1}
        source.version, source.gate = 2, threading.Event()
        asker, got = in_a_thread(lambda: served.get("/answer").json())
        asker.join(timeout=1.0)
        assert asker.is_alive()
        source.gate.set()
        asker.join(timeout=10)
        assert got == [{"version": 2}]


def test_the_cache_is_bounded_in_bytes_as_well_as_in_entries() -> None:
    cache = ResponseCache(max_entries=100, max_bytes=100)
    for key in "abc":
        cache.put(key, CachedBody(b"x" * 40, "application/json"))
    assert cache.get("a") is None and cache.get("b") is not None and cache.get("c") is not None
    assert cache.bytes == 80
    cache.put("huge", CachedBody(b"x" * 101, "application/json"))
    assert cache.get("huge") is None and cache.bytes == 80


def test_an_answer_built_earlier_does_not_replace_one_built_later() -> None:
    cache = ResponseCache()
    cache.put("k", CachedBody(b"new", "application/json", built_at=2.0))
    cache.put("k", CachedBody(b"old", "application/json", built_at=1.0))
    found = cache.get("k")
    assert found is not None and found.body == b"new"


def test_claims_and_documents_are_answered_from_the_cache_the_second_time(
    client: TestClient, shared_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    iter_claims, documents = shared_store.iter_claims, shared_store.documents
    monkeypatch.setattr(shared_store, "iter_claims", lambda q: (reads.append("claims"), iter_claims(q))[1])
    monkeypatch.setattr(shared_store, "documents", lambda **kw: (reads.append("documents"), documents(**kw))[1])
    for _ in range(3):
        claims = client.get("/claims", params={"limit": 2, "offset": 1})
        docs = client.get("/documents", params={"limit": 2})
    assert reads == ["claims", "documents"]
    assert len(claims.json()) == 2 and int(claims.headers["x-total-count"]) > 2
    assert len(docs.json()) == 2 and docs.headers["x-total-count"] == "8"
