"""The stored picture: refreshed incrementally, the same as fusing everything at once, rebuilt after a
revision, and replayable as known at an earlier moment — on both store backends."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sitroom.model import Actor, ActorRef, Claim, DateSpan, Document, Evidence, Place
from sitroom.state import Picture
from sitroom.store import Store

ACTORS = {
    "syrian_government": Actor("syrian_government", "Syrian government", kind="state"),
    "syrian_opposition": Actor("syrian_opposition", "Syrian opposition"),
    "hts": Actor("hts", "Hayat Tahrir al-Sham", parent="syrian_opposition"),
}
HTS = ActorRef("hts", "Hayat Tahrir al-Sham")
ALEPPO = Place("Aleppo", 36.2021, 37.1343, "SY", "city", geonameid=170063, population=1_602_264)
HAMA = Place("Hama", 35.1318, 36.7578, "SY", "city", geonameid=170017, population=696_863)


def report(
    doc_id: str, outlet: str, day: date, claims: list[tuple[str, Place, date, str]]
) -> tuple[Document, list[Claim]]:
    published = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    text = f"Report {doc_id} from {outlet}."
    doc = Document(doc_id, text, title=doc_id, outlet=outlet, published_at=published, content_hash=f"h-{doc_id}")
    out = []
    for i, (kind, place, when, stance) in enumerate(claims):
        out.append(
            Claim(
                id=f"{doc_id}-{i}",
                document_id=doc_id,
                type=kind,
                stance=stance,
                evidence=Evidence(text, 0, len(text)),
                extractor="rules.v1",
                rule="test",
                confidence=0.7,
                actor=HTS,
                place=place,
                place_text=place.name,
                when=DateSpan.day(when),
                published_at=published,
                outlet=outlet,
            )
        )
    return doc, out


BATCH_1 = [
    report("a1", "Wire One", date(2024, 11, 30), [("territory_captured", ALEPPO, date(2024, 11, 30), "asserted")]),
    report("a2", "Paper Two", date(2024, 12, 1), [("territory_captured", ALEPPO, date(2024, 11, 30), "asserted")]),
]
BATCH_2 = [
    report("h1", "Wire One", date(2024, 12, 5), [("territory_captured", HAMA, date(2024, 12, 5), "announced")]),
    report("h2", "Radio Three", date(2024, 12, 6), [("territory_captured", HAMA, date(2024, 12, 5), "asserted")]),
    report("a3", "Radio Three", date(2024, 12, 6), [("territory_captured", ALEPPO, date(2024, 11, 30), "asserted")]),
]


def add(store: Store, batch: list[tuple[Document, list[Claim]]]) -> None:
    for doc, claims in batch:
        store.add_document(doc, claims)


def controller(picture: Picture, place: str, day: date, known_at: datetime | None = None) -> str | None:
    found = [c for c in picture.control(day, known_at) if c["place"]["name"] == place]
    return found[0]["controller"]["id"] if found else None


def test_control_follows_captures_over_time(store: Store) -> None:
    add(store, BATCH_1 + BATCH_2)
    picture = Picture(store, ACTORS)
    assert controller(picture, "Aleppo", date(2024, 11, 29)) == "syrian_government"
    assert controller(picture, "Aleppo", date(2024, 12, 1)) == "hts"
    assert controller(picture, "Hama", date(2024, 12, 4)) == "syrian_government"
    assert controller(picture, "Hama", date(2024, 12, 6)) == "hts"
    changes = {(c["place"]["name"], c["since"]) for c in picture.control_changes()}
    assert {("Aleppo", "2024-11-30"), ("Hama", "2024-12-05")} <= changes


def test_incremental_refresh_equals_fusing_everything_at_once(store: Store, tmp_path) -> None:
    add(store, BATCH_1)
    picture = Picture(store, ACTORS)
    first = picture.refresh()
    assert first.full
    add(store, BATCH_2)
    second = picture.refresh()
    assert not second.full and second.new_claims == 3
    incremental = sorted((e["id"], tuple(sorted(e["claims"])), e["sources"]) for e in picture.events())

    other = Store.open(str(tmp_path / "all-at-once.db"))
    add(other, BATCH_1 + BATCH_2)
    at_once = sorted((e["id"], tuple(sorted(e["claims"])), e["sources"]) for e in Picture(other, ACTORS).events())
    other.close()
    assert incremental == at_once
    aleppo = next(e for e in picture.events() if e["place"]["name"] == "Aleppo")
    assert aleppo["sources"] == 3  # three outlets, one happening
    assert picture.refresh().new_claims == 0  # nothing new: nothing done


def test_replay_shows_what_was_known_then(store: Store) -> None:
    add(store, BATCH_1 + BATCH_2)
    picture = Picture(store, ACTORS)
    before_hama_news = datetime(2024, 12, 5, 8, tzinfo=UTC)
    assert controller(picture, "Hama", date(2024, 12, 6), known_at=before_hama_news) == "syrian_government"
    assert controller(picture, "Hama", date(2024, 12, 6)) == "hts"
    events = picture.events(known_at=datetime(2024, 11, 30, 12, tzinfo=UTC))
    assert [e["place"]["name"] for e in events] == ["Aleppo"]


def test_a_revision_rebuilds_the_picture(store: Store) -> None:
    add(store, BATCH_1)
    picture = Picture(store, ACTORS)
    picture.refresh()
    # The first report is corrected: it no longer claims anything.
    corrected = Document(
        "a1",
        "Corrected report.",
        title="a1",
        outlet="Wire One",
        published_at=datetime(2024, 11, 30, 9, tzinfo=UTC),
        content_hash="h-a1-v2",
    )
    store.add_document(corrected, [])
    assert picture.refresh().full
    (aleppo,) = picture.events()
    assert aleppo["claims"] == ["a2-0"]


def test_a_refresh_waits_for_another_processes_refresh_on_postgresql(tmp_path) -> None:
    # Two refreshes at once on PostgreSQL both inserted the same new events (read committed hides the other's
    # uncommitted rows): a CI run of three concurrent ingests failed on events_pkey. One waits for the other now.
    import threading

    from tests.conftest import PG_URL, pg_schema

    for schema in pg_schema():
        holder = Store.open(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
        other = Store.open(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
        try:
            add(holder, BATCH_1 + BATCH_2)
            done = threading.Event()

            def refresh(store: Store = other, finished: threading.Event = done) -> None:
                Picture(store, ACTORS).refresh()
                finished.set()

            with holder.picture_lock():
                worker = threading.Thread(target=refresh)
                worker.start()
                assert not done.wait(1.0)  # held elsewhere: the refresh waits
            worker.join(timeout=60)
            assert done.is_set()
            assert {e["place"]["name"] for e in Picture(holder, ACTORS).events()} == {"Aleppo", "Hama"}
        finally:
            holder.close()
            other.close()
