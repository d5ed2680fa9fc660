"""An in-process API over a store holding the hand-made scenario (tests/api/scenario.py)."""

from __future__ import annotations

import importlib.util
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

with warnings.catch_warnings():
    # Starlette 1.x suggests another HTTP client for its TestClient; httpx is what FastAPI documents and ships with.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from sitroom.api import create_app
from sitroom.model import Claim, Document, Evidence
from sitroom.store import Store

TOKEN = "s3cret-test-token"


def load_scenario() -> ModuleType:
    """The scenario module, loaded by path (the test folders are not packages; the web tests load it too)."""
    path = Path(__file__).with_name("scenario.py")
    spec = importlib.util.spec_from_file_location("sitroom_test_scenario", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


scenario = load_scenario()


@pytest.fixture(name="scenario")
def scenario_module() -> ModuleType:
    return scenario


@pytest.fixture
def scenario_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(str(tmp_path / "api.db"))
    scenario.build(store)
    try:
        yield store
    finally:
        store.close()


@pytest.fixture(scope="session")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One scenario store for the tests that only read: building and migrating a store per test is most of
    their time. Tests that write get their own `scenario_store`."""
    store = Store.open(str(tmp_path_factory.mktemp("api") / "shared.db"))
    scenario.build(store)
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def client(shared_store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A read-only server (no token configured, none in the environment) over the shared scenario store."""
    monkeypatch.delenv("SITROOM_API_TOKEN", raising=False)
    with TestClient(create_app(store=shared_store)) as c:
        yield c


class FirstSentenceExtractor:
    """A stand-in extractor: one `statement` claim on each document's first sentence. The write tests are about
    the door (tokens, readers, storage); the real extractor is tested on its own and once through the door."""

    name = "test.first_sentence"

    def extract(self, doc: Document) -> list[Claim]:
        end = doc.text.find(".") + 1 or len(doc.text)
        sentence = doc.text[:end]
        return [
            Claim(
                id=f"{doc.id}-first",
                document_id=doc.id,
                type="statement",
                stance="asserted",
                evidence=Evidence(sentence, 0, end),
                extractor=self.name,
                rule="first_sentence",
                confidence=0.5,
                published_at=doc.published_at,
                outlet=doc.outlet,
            )
        ]


@pytest.fixture
def writer(scenario_store: Store) -> Iterator[TestClient]:
    """A server with a write token configured (and the stand-in extractor)."""
    with TestClient(create_app(store=scenario_store, token=TOKEN, extractor=FirstSentenceExtractor())) as c:
        yield c
