"""Fixtures for the extractor tests: one extractor per session (lexicons and matchers are built once) and a
helper that reads a hand-written text as a document published on a given day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sitroom.extract import get_extractor
from sitroom.model import Claim, Document

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
DEV = SHARED / "corpus" / "dev"


@pytest.fixture(scope="session")
def extractor():
    return get_extractor("rules.v1")


@pytest.fixture()
def read(extractor) -> Callable[..., list[Claim]]:
    def _read(text: str, day: str = "2024-12-06", outlet: str | None = None, **kw: object) -> list[Claim]:
        doc = Document(
            id="t1",
            text=text,
            published_at=datetime.fromisoformat(day).replace(tzinfo=UTC),
            outlet=outlet,
            **kw,  # type: ignore[arg-type]
        )
        return extractor.extract(doc)

    return _read


def only(claims: list[Claim], type_: str) -> list[Claim]:
    return [c for c in claims if c.type == type_]


@pytest.fixture(scope="session")
def dev_dir() -> Path:
    if not (DEV / "gold" / "claims.jsonl").is_file():
        pytest.skip(f"../shared not found: {DEV}")
    return DEV
