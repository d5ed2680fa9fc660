"""Hand-made claims for the fusion tests: a small actor family and a few Syrian places."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from sitroom.model import Actor, ActorRef, Claim, DateSpan, Evidence, Place

ACTORS: dict[str, Actor] = {
    a.id: a
    for a in (
        Actor("syrian_opposition", "Syrian opposition"),
        Actor("hts", "Hayat Tahrir al-Sham", parent="syrian_opposition"),
        Actor("sna", "Syrian National Army", parent="syrian_opposition"),
        Actor("sdf", "Syrian Democratic Forces"),
        Actor("syrian_government", "Syrian government", kind="state"),
        Actor("syrian_army", "Syrian army", parent="syrian_government"),
        Actor("sohr", "Syrian Observatory for Human Rights", kind="monitor"),
        Actor("residents", "residents", kind="population"),
        Actor("russia", "Russia", kind="state"),
        Actor("russian_embassy", "Russian Embassy in Damascus", kind="government_body", parent="russia"),
        Actor("jordan", "Jordan", kind="state"),
        Actor("un", "United Nations", kind="international_organisation"),
    )
}

PLACES: dict[str, Place] = {
    "aleppo": Place("Aleppo", 36.2021, 37.1343, "SY", "city", geonameid=170063),
    "aleppo_airport": Place("Aleppo International Airport", 36.1807, 37.2244, "SY", "airport", id="ap:ALP"),
    "hama": Place("Hama", 35.1318, 36.7578, "SY", "city", geonameid=170017),
    "homs": Place("Homs", 34.7268, 36.7234, "SY", "city", geonameid=169577),
    "rastan": Place("Rastan", 34.9265, 36.7324, "SY", "town", geonameid=172946),
    "saraqib": Place("Saraqib", 35.8645, 36.8059, "SY", "town", geonameid=164816),
    "deir_ez_zor": Place("Deir ez-Zor", 35.3359, 40.1408, "SY", "city", geonameid=170794),
    "idlib": Place("Idlib", 35.9306, 36.6339, "SY", "city", geonameid=169389),
    "damascus_airport": Place("Damascus International Airport", 33.4114, 36.5156, "SY", "airport", id="ap:DAM"),
    "nasib": Place("Nasib border crossing", 32.549, 36.212, "SY", "border_crossing", id="bc:nasib"),
    "syria": Place("Syria", 35.0, 38.0, "SY", "country", geonameid=163843),
    "kherson": Place("Kherson", 46.6354, 32.6169, "UA", "city", geonameid=706448),
}


def ref(actor_id: str | None) -> ActorRef | None:
    if actor_id is None:
        return None
    a = ACTORS.get(actor_id)
    return ActorRef(actor_id, a.name if a else actor_id)


def _day(v: str | date) -> date:
    return v if isinstance(v, date) else date.fromisoformat(v)


def make_claim(
    cid: str,
    *,
    type: str = "territory_captured",
    stance: str = "asserted",
    actor: str | None = "hts",
    place: str | Place | None = "aleppo",
    day: str | None = "2024-11-30",
    span: tuple[str | None, str | None] | None = None,
    outlet: str | None = "Reuters",
    doc: str | None = None,
    said_by: str | None = None,
    text: str | None = None,
    published: str = "2024-11-30T18:00:00",
    confidence: float = 0.8,
    **extra: Any,
) -> Claim:
    when = DateSpan(None, None)
    if span is not None:
        when = DateSpan(_day(span[0]) if span[0] else None, _day(span[1]) if span[1] else None)
    elif day is not None:
        when = DateSpan.day(_day(day))
    p = PLACES[place] if isinstance(place, str) else place
    # Short and unique by default: only tests about wire copies share wording on purpose.
    sentence = text or f"{cid} on {p.name if p else 'somewhere'}."
    return Claim(
        id=cid,
        document_id=doc or f"doc-{cid}",
        type=type,
        stance=stance,
        evidence=Evidence(sentence, 0, len(sentence)),
        extractor="test.v1",
        rule="hand-made",
        confidence=confidence,
        actor=ref(actor),
        attributed_to=ref(said_by),
        place=p,
        place_text=p.name if p else None,
        when=when,
        published_at=datetime.fromisoformat(published).replace(tzinfo=UTC),
        outlet=outlet,
        **extra,
    )


@pytest.fixture
def mk() -> Callable[..., Claim]:
    return make_claim


@pytest.fixture
def actors() -> dict[str, Actor]:
    return ACTORS


@pytest.fixture
def places() -> dict[str, Place]:
    return PLACES
