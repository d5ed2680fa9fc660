"""The matchers' shared candidate pass finds what each pattern's own gating found (no timings)."""

from __future__ import annotations

import pytest
from tests.conftest import shared_path

from sitroom.extract.lexicon import default_lexicons
from sitroom.extract.matchers import Gated, Matchers, _WordIndex
from sitroom.ingest import read_path

SAMPLES = [
    "The Syrian army said rebels had captured the town of Maarat al-Numan and the Russian Embassy in "
    "Damascus urged Russian citizens to leave. " * 3,
    "Jordan closed the Jaber crossing; the Foreign Ministry of Jordan said the border was shut until further notice. "
    * 3,
]


def _gated(m: Matchers) -> list[Gated]:
    out = [v for v in vars(m).values() if isinstance(v, Gated)]
    out += [t.regex for t in m.triggers]
    out += [*m.metric_res.values(), *m.advice_res.values(), *m.status_res.values()]
    return out


@pytest.fixture(scope="module")
def matchers() -> Matchers:
    return Matchers(default_lexicons())


def _texts() -> list[str]:
    return SAMPLES + [d.text for d in read_path([shared_path("corpus", "dev")]) if hasattr(d, "text")]


def test_every_gated_pattern_is_in_the_group(matchers: Matchers) -> None:
    gated = [g for g in _gated(matchers) if g.prefixes is not None]
    assert gated and all(g.group is not None for g in gated)
    assert len({g.slot for g in gated}) == len(gated)


def test_group_candidates_equal_per_pattern_candidates(matchers: Matchers) -> None:
    for text in _texts():
        grouped = _WordIndex(text)
        alone = _WordIndex(text)
        for g in _gated(matchers):
            if g.prefixes is None:
                continue
            group, g.group = g.group, None  # the per-pattern path
            try:
                own = alone.candidates(g)
            finally:
                g.group = group
            assert grouped.candidates(g) == own


def test_search_on_short_text_is_finditers_first_match(matchers: Matchers) -> None:
    for text in _texts():
        for start in range(0, len(text), 97):
            window = text[start : start + 150]
            for g in _gated(matchers):
                found = g.search(window)
                first = next(g.finditer(window), None)
                assert (found and found.span()) == (first and first.span())
