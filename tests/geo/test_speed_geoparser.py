"""The geoparser's fast paths give the answers of the plain definitions they stand in for (no timings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitroom.geo import Geoparser
from sitroom.geo.geoparser import _WORD, _ProseLower
from sitroom.ingest import read_path

from .conftest import SHARED, shared_file

SAMPLES = [
    "police said. The Police said the police, and police; then police! police? police.Then police. x",
    "Dar'a and Dar’s mayor: the town's police.\nnorthern Syria,and al-Hol camp . end",
    "mobile units moved in. Mobile, Ala., reported calm; the mobile. mobile.\tmobile.  mobile",
    "a",
    "tail word at the end",
    "(hama) hama. hama.. hama - hama",
]


def _texts() -> list[str]:
    # read at collection time: without ../shared the samples alone are checked (a skip here would skip the module)
    dev = SHARED / "corpus" / "dev"
    docs = [d.text for d in read_path([dev]) if hasattr(d, "text")] if dev.is_dir() else []
    return SAMPLES + docs


@pytest.mark.parametrize("text", _texts()[:40])
def test_lazy_prose_lowercase_agrees_with_the_full_set(text: str) -> None:
    toks = [m.span() for m in _WORD.finditer(text)]
    words = [text[s:e] for s, e in toks]
    full = Geoparser._prose_lowercase(text, toks, words)
    lazy = _ProseLower(text, toks)
    asked = {w.lower() for w in words} | {w for w in words} | {"", "Police", "nowhere"}
    for w in sorted(asked):
        assert (w in lazy) == (w in full), w


def test_parse_is_deterministic_across_calls(geoparser: Geoparser) -> None:
    """Memoised state (loose candidates, title-case lines) does not leak between documents."""
    texts = _texts()
    first = [geoparser.parse(t) for t in texts]
    again = [geoparser.parse(t) for t in reversed(texts)][::-1]
    assert first == again


def test_dev_corpus_exists() -> None:
    assert Path(shared_file("corpus", "dev")).is_dir()
