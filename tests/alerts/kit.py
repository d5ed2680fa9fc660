"""Hand-made documents and claims for the alert tests: the alert logic is pinned here, independent of the
extractor's accuracy. Loaded by tests/alerts/conftest.py and tests/watch/conftest.py."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sitroom.ingest._base import content_hash
from sitroom.model import Actor, ActorRef, Claim, DateSpan, Document, Evidence, Place

ACTORS: dict[str, Actor] = {
    a.id: a
    for a in (
        Actor("syrian_opposition", "Syrian opposition"),
        Actor("hts", "Hayat Tahrir al-Sham", parent="syrian_opposition", aliases=("HTS",)),
        Actor("syrian_government", "Syrian government", kind="state"),
        Actor("syrian_army", "Syrian army", parent="syrian_government"),
        Actor("defence_ministry", "Syrian defence ministry", kind="government_body", parent="syrian_government"),
        Actor("sohr", "Syrian Observatory for Human Rights", kind="monitor"),
        Actor("jordan", "Jordan", kind="state"),
        Actor("jordan_fm", "Jordanian foreign ministry", kind="government_body", parent="jordan"),
        Actor("china", "China", kind="state"),
    )
}

PLACES: dict[str, Place] = {
    "aleppo": Place("Aleppo", 36.2021, 37.1343, "SY", "city", geonameid=170063, admin1="09"),
    "aleppo airport": Place("Aleppo International Airport", 36.1807, 37.2244, "SY", "airport", id="sy:airport:aleppo"),
    "hama": Place("Hama", 35.1318, 36.7578, "SY", "city", geonameid=170017, admin1="10"),
    "homs": Place("Homs", 34.7268, 36.7234, "SY", "city", geonameid=169577, admin1="11"),
    "rastan": Place("Rastan", 34.9265, 36.7324, "SY", "town", geonameid=172946, admin1="11"),
    "damascus": Place("Damascus", 33.5102, 36.2913, "SY", "city", geonameid=170654, admin1="13"),
    "damascus airport": Place(
        "Damascus International Airport", 33.4114, 36.5156, "SY", "airport", id="sy:airport:damascus"
    ),
    "nasib": Place("Nasib-Jaber border crossing", 32.542, 36.203, "SY", "border_crossing", id="sy:crossing:nasib"),
    "syria": Place("Syria", 35.0, 38.0, "SY", "country", geonameid=163843),
}


def resolve(name: str) -> Place | None:
    return PLACES.get(name.strip().lower())


def ref(actor_id: str | None) -> ActorRef | None:
    return ActorRef(actor_id, ACTORS[actor_id].name) if actor_id else None


def when(day: str | None) -> DateSpan:
    return DateSpan.day(date.fromisoformat(day)) if day else DateSpan(None, None)


def claim(
    cid: str,
    doc: str,
    type: str,
    place: str | None,
    day: str | None,
    *,
    stance: str = "asserted",
    actor: str | None = None,
    said_by: str | None = None,
    confidence: float = 0.8,
    **extra: Any,
) -> Claim:
    return Claim(
        id=cid,
        document_id=doc,
        type=type,
        stance=stance,
        evidence=Evidence(f"sentence behind {cid}", 0, 10),
        extractor="test.v1",
        rule="hand-made",
        confidence=confidence,
        actor=ref(actor),
        attributed_to=ref(said_by),
        place=PLACES[place] if place else None,
        place_text=place.title() if place else None,
        when=when(day),
        **extra,
    )


def document(doc_id: str, published: str, outlet: str, text: str | None = None) -> Document:
    body = text or f"Report {doc_id} from {outlet}."
    url = f"https://example.org/{doc_id}"
    return Document(
        id=doc_id,
        text=body,
        title=f"Report {doc_id}",
        url=url,
        outlet=outlet,
        published_at=datetime.fromisoformat(published).replace(tzinfo=UTC),
        published_precision="time",
        content_hash=content_hash(body, url),
        format="json",
    )


class FixedExtractor:
    """Returns the claims written for each document id (what an extractor would have found)."""

    def __init__(self, claims: Mapping[str, Sequence[Claim]]) -> None:
        self.claims = claims

    def extract(self, doc: Document) -> list[Claim]:
        pub = doc.published_at
        from dataclasses import replace

        return [replace(c, published_at=pub, outlet=doc.outlet) for c in self.claims.get(doc.id, ())]


# The offensive, in seven reports (the order they arrive in).
SCENARIO_DOCS = [
    document("d1", "2024-11-30T09:00:00", "Orontes Daily"),
    document("d2", "2024-11-30T15:00:00", "Levant Wire"),
    document("d3", "2024-12-05T13:00:00", "Orontes Daily"),
    document("d4", "2024-12-06T06:48:00", "Amman Courier"),
    document("d5", "2024-12-06T08:00:00", "Levant Wire"),
    document("d6", "2024-12-06T11:00:00", "State News Agency"),
    document("d7", "2024-12-06T12:00:00", "Orontes Daily"),
]

SCENARIO_CLAIMS: dict[str, list[Claim]] = {
    "d1": [
        claim("c1", "d1", "territory_captured", "aleppo", "2024-11-30", stance="announced", actor="hts", said_by="hts"),
        claim("c2", "d1", "transport_status", "aleppo airport", "2024-11-30", status="closed"),
    ],
    "d2": [claim("c3", "d2", "territory_captured", "aleppo", "2024-11-30", actor="syrian_opposition")],
    "d3": [
        claim("c4", "d3", "territory_captured", "hama", "2024-12-05", stance="announced", actor="hts", said_by="hts")
    ],
    "d4": [
        claim(
            "c5",
            "d4",
            "travel_advisory",
            "syria",
            "2024-12-06",
            said_by="jordan_fm",
            advice="leave",
            audience="Jordanian nationals",
            means="commercial flights",
        )
    ],
    "d5": [
        claim("c6", "d5", "withdrawal", "homs", "2024-12-06", actor="syrian_army", said_by="sohr"),
        claim("c7", "d5", "armed_clash", "rastan", "2024-12-06", actor="hts"),
    ],
    "d6": [
        claim(
            "c8",
            "d6",
            "withdrawal",
            "homs",
            "2024-12-06",
            stance="denied",
            actor="syrian_army",
            said_by="defence_ministry",
        )
    ],
    "d7": [claim("c9", "d7", "transport_status", "nasib", "2024-12-06", status="closed")],
}

SUBSCRIPTIONS_YAML = """\
sinks:
  out: {type: file, path: PLACEHOLDER}
subscriptions:
  - id: leave-advisories
    description: any government's leave advisory on Syria
    sinks: [out]
    when:
      advisory: {area: Syria, levels: [leave]}
  - id: captures
    sinks: [out]
    when:
      control: {place: [Aleppo, Hama]}
  - id: aleppo-airport
    sinks: [out]
    when:
      transport: {facility: Aleppo Airport, status: [closed, suspended]}
  - id: contradictions
    sinks: [out]
    when:
      contradiction: {}
  - id: fighting-near-homs
    sinks: [out]
    when:
      event:
        types: [armed_clash, advance, territory_captured]
        within: {km: 30, of: Homs}
        min_confidence: 0.6
        min_sources: 2
        require: any
  - id: staff-plan
    sinks: [out]
    tripwire:
      plan: staff in Damascus and Homs
      people: [Damascus, Homs]
      exits: [Damascus Airport, Nasib]
      radius_km: 30
      advisories: {issuer: [Jordan, China], levels: [leave]}
"""
