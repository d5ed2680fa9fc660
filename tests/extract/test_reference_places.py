"""A place named only as a reference point ("west of X", "near X") is not the place taken."""

from __future__ import annotations

from datetime import UTC, datetime

from sitroom.extract.rules import RulesExtractor
from sitroom.model import Document


def _captures(text: str) -> list[str | None]:
    doc = Document("t", text, published_at=datetime(2024, 11, 30, tzinfo=UTC), content_hash=text)
    claims = RulesExtractor().extract(doc)
    return [c.place.name if c.place else None for c in claims if c.type == "territory_captured"]


def test_villages_taken_west_of_a_city_are_not_the_city() -> None:
    assert "Aleppo" not in _captures("Insurgents seized a string of hamlets west of Aleppo on Thursday.")
    assert "Hamah" not in _captures("Government troops retook two villages near Hama overnight.")


def test_a_town_located_by_a_city_is_still_the_town_taken() -> None:
    assert _captures("Opposition fighters captured Saraqib, south of Aleppo, on Friday.") == ["Saraqib"]
    assert _captures("Rebels captured Aleppo on Saturday.") == ["Aleppo"]
