"""The store on both backends: documents once, claims atomically, revisions kept, filters right."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from sitroom.model import ActorRef, Claim, DateSpan, Document, Evidence, Place, Span
from sitroom.store import ClaimQuery, Store, database_url
from sitroom.store.schema import metadata

HAMA = Place("Hama", 35.1318, 36.7578, "SY", "city", geonameid=170063)
ALEPPO = Place("Aleppo", 36.2021, 37.1343, "SY", "city", geonameid=170063 + 1)
AIRPORT = Place("Aleppo International Airport", 36.1807, 37.2244, "SY", "airport", id="sitroom:aleppo-airport")


def doc(id_: str = "d1", text: str = "Rebels took Hama on Thursday.", day: int = 6, **kw: object) -> Document:
    return Document(
        id=id_,
        text=text,
        title=f"title {id_}",
        url=f"https://example.org/{id_}",
        outlet="Example Wire",
        published_at=datetime(2024, 12, day, tzinfo=UTC),
        content_hash=f"hash-{id_}-{text}",
        non_news=(Span(0, 3, "caption"),),
        **kw,  # type: ignore[arg-type]
    )


def claim(doc_id: str = "d1", cid: str = "c1", place: Place | None = HAMA, **kw: object) -> Claim:
    values: dict[str, object] = {
        "id": cid,
        "document_id": doc_id,
        "type": "territory_captured",
        "stance": "asserted",
        "evidence": Evidence("Rebels took Hama on Thursday.", 0, 29),
        "extractor": "rules.v1",
        "rule": "capture.verb",
        "confidence": 0.8,
        "actor": ActorRef("hts", "Hayat Tahrir al-Sham"),
        "place": place,
        "place_text": place.name if place else None,
        "when": DateSpan.day(date(2024, 12, 5)),
    }
    values.update(kw)
    return Claim(**values)  # type: ignore[arg-type]


def test_migrated_schema_matches_the_metadata(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_document_and_claims_round_trip(store: Store) -> None:
    assert store.add_document(doc(), [claim(), claim(cid="c2", place=AIRPORT)]) == "new"
    (stored,) = store.documents()
    assert stored.document.id == "d1"
    assert stored.document.non_news == (Span(0, 3, "caption"),)
    assert stored.document.published_at == datetime(2024, 12, 6, tzinfo=UTC)
    assert stored.known_at == datetime(2024, 12, 6, tzinfo=UTC)
    got = {c.id: c for c in store.claims()}
    assert got["c1"].place == HAMA
    assert got["c1"].when == DateSpan.day(date(2024, 12, 5))
    assert got["c1"].actor == ActorRef("hts", "Hayat Tahrir al-Sham")
    assert got["c2"].place == AIRPORT
    assert got["c2"].place.key == "sitroom:aleppo-airport"


def test_reingesting_same_content_is_a_no_op(store: Store) -> None:
    assert store.add_document(doc(), [claim()]) == "new"
    assert store.add_document(doc(), [claim()]) == "duplicate"
    assert store.counts() == {"documents": 1, "claims": 1, "rejections": 0}


def test_same_id_with_new_content_is_a_revision_and_history_is_kept(store: Store) -> None:
    store.add_document(doc(), [claim()])
    changed = doc(text="Rebels took Hama and Rastan on Thursday.")
    assert store.add_document(changed, [claim(cid="c9")]) == "revision"
    (current,) = store.documents()
    assert current.revision == 2
    assert current.document.text.startswith("Rebels took Hama and Rastan")
    assert [h.revision for h in store.document_history("d1")] == [1, 2]
    # Queries see the current revision's claims only.
    assert [c.id for c in store.claims()] == ["c9"]


def test_a_failing_claim_leaves_no_half_written_document(store: Store) -> None:
    store.add_document(doc("keep"), [claim("keep")])
    broken = [claim("d2"), claim("d2")]  # the same claim id twice violates the unique key
    with pytest.raises(sa.exc.IntegrityError):
        store.add_document(doc("d2"), broken)
    assert [d.document.id for d in store.documents()] == ["keep"]
    assert [c.document_id for c in store.claims()] == ["keep"]


def test_claim_filters(store: Store) -> None:
    store.add_document(doc("early", day=1), [claim("early", "a", when=DateSpan.day(date(2024, 11, 30)), place=ALEPPO)])
    store.add_document(
        doc("late", day=6),
        [
            claim("late", "b"),
            claim(
                "late",
                "c",
                type="travel_advisory",
                place=None,
                when=DateSpan(date(2024, 12, 1), date(2024, 12, 6)),
            ),
        ],
    )
    ids = lambda q: sorted(c.id for c in store.claims(q))  # noqa: E731
    assert ids(ClaimQuery(since=date(2024, 12, 1))) == ["b", "c"]
    assert ids(ClaimQuery(until=date(2024, 12, 2))) == ["a", "c"]  # a range overlapping the window counts
    assert ids(ClaimQuery(known_at=datetime(2024, 12, 5, 12, tzinfo=UTC))) == ["a"]
    assert ids(ClaimQuery(types=("travel_advisory",))) == ["c"]
    assert ids(ClaimQuery(place="hama")) == ["b"]
    assert ids(ClaimQuery(place=str(ALEPPO.geonameid))) == ["a"]
    assert ids(ClaimQuery(bbox=(36.0, 35.0, 37.0, 36.0))) == ["b"]


def test_known_at_of_an_undated_document_is_its_ingestion(store: Store) -> None:
    undated = replace(doc("nodate"), published_at=None)
    at = datetime(2025, 3, 1, 10, tzinfo=UTC)
    store.add_document(undated, [claim("nodate")], ingested_at=at)
    (stored,) = store.documents()
    assert stored.known_at == at
    assert store.claims(ClaimQuery(known_at=datetime(2025, 2, 1, tzinfo=UTC))) == []


def test_rejections_are_recorded(store: Store) -> None:
    store.add_rejection("/tmp/bad.json", "truncated JSON (line 3)")
    ((path, reason, at),) = store.rejections()
    assert (path, reason) == ("/tmp/bad.json", "truncated JSON (line 3)")
    assert at.tzinfo is not None


def test_replace_claims_swaps_atomically(store: Store) -> None:
    store.add_document(doc(), [claim()])
    store.replace_claims("d1", [claim(cid="new1"), claim(cid="new2")])
    assert sorted(c.id for c in store.claims()) == ["new1", "new2"]


def test_database_url_forms(tmp_path) -> None:
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"


def test_sqlite_runs_in_wal_mode(tmp_path) -> None:
    s = Store.open(str(tmp_path / "wal.db"))
    with s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    s.close()


def test_an_events_note_is_kept(store: Store) -> None:
    from sitroom.model import Event
    from sitroom.store.picture import PictureTables

    tables = PictureTables(store)
    noted = Event(
        "ev-1", "territory_captured", "contested", 0.2, DateSpan.day(date(2024, 11, 30)),
        actor=ActorRef("russia", "Russia"), place=ALEPPO, sources=1, claims=("c1",),
        note="implausible: a capture credited to Russia, whose ground forces are not known to fight in SY",
    )  # fmt: skip
    plain = replace(noted, id="ev-2", note=None)
    with store.engine.begin() as conn:
        tables.save_events(conn, [noted, plain], {})
    got = {e.id: e.note for e, _ in tables.events()}
    assert got == {"ev-1": noted.note, "ev-2": None}
