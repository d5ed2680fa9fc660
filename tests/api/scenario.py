"""A small hand-made crisis for the API and page tests: reports written for these tests, with their claims set by
hand (so the tests do not depend on the extractor's accuracy), stored through the real Store.

Aleppo: government-held before the offensive (the baseline), taken by the opposition on 30 November.
Hama: rebels announce its capture on 5 December; the defence ministry denies losing it; a monitor confirms.
One report carries markup in its title and text, to prove the page shows it as text.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

from sitroom.model import ActorRef, Claim, DateSpan, Document, Evidence, Place
from sitroom.store import Store

ALEPPO = Place("Aleppo", 36.20124, 37.16117, "SY", "city", geonameid=170063, population=2098210)
HAMA = Place("Hama", 35.13179, 36.75783, "SY", "city", geonameid=170017, population=460602)
HOMS = Place("Homs", 34.72405, 36.72559, "SY", "city", geonameid=169577, population=775404)
DAMASCUS = Place("Damascus", 33.5102, 36.29128, "SY", "city", geonameid=170654, population=1569394)
SYRIA = Place("Syria", 35.0, 38.0, "SY", "country", geonameid=163843)
DAMASCUS_AIRPORT = Place("Damascus International Airport", 33.4114, 36.5156, "SY", "airport", id="sitroom:dam-airport")

HTS = ActorRef("hts", "Hayat Tahrir al-Sham")
OPPOSITION = ActorRef("syrian_opposition", "Syrian opposition")
ARMY = ActorRef("syrian_government_forces", "Syrian government forces")
MOD = ActorRef("syrian_defence_ministry", "Syrian Ministry of Defense")
SOHR = ActorRef("sohr", "Syrian Observatory for Human Rights")
JORDAN = ActorRef("jordan", "Jordan")
OCHA = ActorRef("ocha", "OCHA")

HOSTILE_TITLE = 'Market report <script>window.__pwned = "title"</script>'
HOSTILE_TEXT = (
    "Traders in Homs said prices doubled overnight. "
    '<script>window.__pwned = "text"</script> '
    "A leaflet read <img src=x onerror=\"window.__pwned = 'img'\"> before it was torn down."
)


def _doc(doc_id: str, day: str, outlet: str, title: str, text: str, hour: int = 9) -> Document:
    published = datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)
    return Document(
        id=doc_id,
        text=text,
        title=title,
        url=f"https://example.org/{doc_id}",
        outlet=outlet,
        published_at=published,
        published_precision="time",
        content_hash=hashlib.sha256(f"{text}\n{doc_id}".encode()).hexdigest(),
        format="json",
    )


def _claim(doc: Document, n: int, sentence: str, type_: str, stance: str, **kw: object) -> Claim:
    start = doc.text.index(sentence)
    return Claim(
        id=f"{doc.id}-c{n}",
        document_id=doc.id,
        type=type_,
        stance=stance,
        evidence=Evidence(sentence, start, start + len(sentence)),
        extractor="rules.v1",
        rule="test.hand_made",
        confidence=0.9,
        published_at=doc.published_at,
        outlet=doc.outlet,
        **kw,  # type: ignore[arg-type]
    )


def build(store: Store) -> None:
    """Write the scenario's documents and claims into `store`."""
    d0 = _doc(
        "orontes-offensive-1127",
        "2024-11-27",
        "Orontes Daily",
        "Offensive west of Aleppo",
        "Hayat Tahrir al-Sham and allied factions launched an offensive against government positions west of "
        "Aleppo on Wednesday.",
    )
    store.add_document(
        d0,
        [
            _claim(
                d0,
                1,
                d0.text,
                "offensive",
                "asserted",
                actor=HTS,
                target=ARMY,
                place=ALEPPO,
                place_text="Aleppo",
                when=DateSpan.day(date(2024, 11, 27)),
            )
        ],
    )
    d1 = _doc(
        "orontes-aleppo-1130",
        "2024-11-30",
        "Orontes Daily",
        "Rebels take Aleppo",
        "Opposition fighters took control of Aleppo on Saturday, residents said. "
        "The army had pulled back from the city centre overnight.",
    )
    store.add_document(
        d1,
        [
            _claim(
                d1,
                1,
                "Opposition fighters took control of Aleppo on Saturday, residents said.",
                "territory_captured",
                "asserted",
                actor=OPPOSITION,
                place=ALEPPO,
                place_text="Aleppo",
                when=DateSpan.day(date(2024, 11, 30)),
            ),
            _claim(
                d1,
                2,
                "The army had pulled back from the city centre overnight.",
                "withdrawal",
                "asserted",
                actor=ARMY,
                place=ALEPPO,
                place_text="Aleppo",
                when=DateSpan.day(date(2024, 11, 30)),
            ),
        ],
    )
    d2 = _doc(
        "steppe-aleppo-1201",
        "2024-12-01",
        "Steppe Wire",
        "Aleppo in rebel hands",
        "The Syrian Observatory for Human Rights said Hayat Tahrir al-Sham controls most of Aleppo.",
    )
    store.add_document(
        d2,
        [
            _claim(
                d2,
                1,
                "The Syrian Observatory for Human Rights said Hayat Tahrir al-Sham controls most of Aleppo.",
                "territory_captured",
                "asserted",
                actor=HTS,
                attributed_to=SOHR,
                place=ALEPPO,
                place_text="Aleppo",
                when=DateSpan(date(2024, 11, 29), date(2024, 12, 1)),
            )
        ],
    )
    d3 = _doc(
        "compass-hama-1205",
        "2024-12-05",
        "Compass News",
        "Rebels say they have entered Hama",
        "Hayat Tahrir al-Sham announced that its fighters had captured Hama. "
        "The defence ministry denied that the army had lost the city, saying troops had redeployed outside it.",
        hour=14,
    )
    store.add_document(
        d3,
        [
            _claim(
                d3,
                1,
                "Hayat Tahrir al-Sham announced that its fighters had captured Hama.",
                "territory_captured",
                "announced",
                actor=HTS,
                attributed_to=HTS,
                place=HAMA,
                place_text="Hama",
                when=DateSpan.day(date(2024, 12, 5)),
            ),
            _claim(
                d3,
                2,
                "The defence ministry denied that the army had lost the city, saying troops had redeployed outside it.",
                "territory_captured",
                "denied",
                actor=HTS,
                attributed_to=MOD,
                place=HAMA,
                place_text="Hama",
                when=DateSpan.day(date(2024, 12, 5)),
            ),
        ],
    )
    d4 = _doc(
        "harbour-hama-1205",
        "2024-12-05",
        "Harbour Times",
        "Monitor: Hama has fallen",
        "The war monitor said opposition forces were in full control of Hama by the evening.",
        hour=20,
    )
    store.add_document(
        d4,
        [
            _claim(
                d4,
                1,
                "The war monitor said opposition forces were in full control of Hama by the evening.",
                "territory_captured",
                "asserted",
                actor=OPPOSITION,
                attributed_to=SOHR,
                place=HAMA,
                place_text="Hama",
                when=DateSpan.day(date(2024, 12, 5)),
            )
        ],
    )
    d5 = _doc(
        "amman-advisory-1206",
        "2024-12-06",
        "Amman Courier",
        "Jordan tells citizens to leave Syria",
        "Jordan's foreign ministry urged its citizens in Syria to leave as soon as possible on commercial flights. "
        "Damascus airport remained open on Friday morning.",
        hour=6,
    )
    store.add_document(
        d5,
        [
            _claim(
                d5,
                1,
                "Jordan's foreign ministry urged its citizens in Syria to leave as soon as possible on commercial flights.",
                "travel_advisory",
                "asserted",
                actor=JORDAN,
                attributed_to=JORDAN,
                place=SYRIA,
                place_text="Syria",
                when=DateSpan.day(date(2024, 12, 6)),
                advice="leave",
                audience="citizens",
                means="commercial flights",
            ),
            _claim(
                d5,
                2,
                "Damascus airport remained open on Friday morning.",
                "transport_status",
                "asserted",
                place=DAMASCUS_AIRPORT,
                place_text="Damascus airport",
                when=DateSpan.day(date(2024, 12, 6)),
                status="open",
            ),
        ],
    )
    d6 = _doc(
        "ocha-flash-1207",
        "2024-12-07",
        "OCHA",
        "Flash update",
        "Some 280,000 people have been displaced in the north-west since 27 November, OCHA said.",
    )
    store.add_document(
        d6,
        [
            _claim(
                d6,
                1,
                "Some 280,000 people have been displaced in the north-west since 27 November, OCHA said.",
                "displacement",
                "asserted",
                attributed_to=OCHA,
                place=SYRIA,
                place_text="north-west",
                when=DateSpan.day(date(2024, 12, 7)),
                quantity=280000.0,
                metric="displaced",
            )
        ],
    )
    d7 = _doc("hostile-homs-1208", "2024-12-08", "Homs <b>Bulletin</b>", HOSTILE_TITLE, HOSTILE_TEXT)
    store.add_document(
        d7,
        [
            _claim(
                d7,
                1,
                "Traders in Homs said prices doubled overnight.",
                "statement",
                "asserted",
                place=HOMS,
                place_text="Homs",
                when=DateSpan.day(date(2024, 12, 8)),
            )
        ],
    )
