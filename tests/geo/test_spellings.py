"""Common English transliterations of the towns of the Syrian offensive resolve to the GeoNames town (or city)."""

from __future__ import annotations

import pytest

from sitroom.geo import Gazetteer
from sitroom.geo.geoparser import Geoparser


@pytest.fixture(scope="module")
def parser() -> Geoparser:
    return Geoparser(Gazetteer.load())


@pytest.mark.parametrize(
    ("written", "geonameid"),
    [
        ("Qamishli", 173377),
        ("Sednaya", 164717),
        ("Nubul", 166331),
        ("Boukamal", 174448),
        ("Salamiya", 164947),
        ("Al-Atareb", 174030),
        ("Talbisa", 163779),
        ("Ma'arat an-Numan", 167611),
    ],
)
def test_a_common_spelling_resolves_to_its_town(parser: Geoparser, written: str, geonameid: int) -> None:
    found = [m for m in parser.parse(f"Rebels captured {written} on Friday.") if m.place is not None]
    assert found and found[0].place is not None and found[0].place.geonameid == geonameid, found
