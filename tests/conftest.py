"""Fixtures shared by the whole suite: stores on both backends, the shared corpus location, local HTTP servers."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlalchemy as sa

from sitroom.store import Store

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a clean skip when the shared folder is not beside the checkout."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared not found ({path}); tests on the shared corpus are skipped")
    return path


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A local HTTP server for `handler` on a free port, for the test's duration: its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session", autouse=True)
def gazetteer_cache(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One gazetteer index for the whole session, wherever a test (or a subprocess it starts) first needs
    it: kept with pytest's cache, so a checkout builds it once, and never in the user's own cache."""
    cache = getattr(request.config, "cache", None)  # absent with -p no:cacheprovider
    path = Path(cache.mkdir("sitroom-gazetteer")) if cache is not None else tmp_path_factory.mktemp("gazetteer")
    old = os.environ.get("SITROOM_CACHE_DIR")
    os.environ["SITROOM_CACHE_DIR"] = str(path)
    try:
        yield path
    finally:
        if old is None:
            os.environ.pop("SITROOM_CACHE_DIR", None)
        else:
            os.environ["SITROOM_CACHE_DIR"] = old


PG_URL = os.environ.get("SITROOM_TEST_PG")
BACKENDS = ["sqlite", "postgresql"]


def pg_schema() -> Iterator[str]:
    """A fresh, empty PostgreSQL schema for one test, dropped afterwards; skips cleanly without SITROOM_TEST_PG.
    Each test gets its own schema, so tests never see each other's rows and can run in any order."""
    if not PG_URL:
        pytest.skip("PostgreSQL run skipped: SITROOM_TEST_PG is not set (.ci/run sets it)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _pg_store() -> Iterator[Store]:
    for schema in pg_schema():
        store = Store.open(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
        try:
            yield store
        finally:
            store.close()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh, migrated store on each backend."""
    if request.param == "postgresql":
        yield from _pg_store()
        return
    s = Store.open(str(tmp_path / "test.db"))
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def dev_corpus() -> Path:
    """The shared dev corpus (docs/, raw/, gold/), or a clean skip."""
    return shared_path("corpus", "dev")
