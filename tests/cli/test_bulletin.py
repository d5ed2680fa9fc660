"""`sitroom bulletin`: the changes of the last hours as short plain text, most important first, with sources."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitroom.cli import main
from sitroom.model import ActorRef, Claim, DateSpan, Document, Evidence, Place
from sitroom.store import Store

HAMA = Place("Hama", 35.1318, 36.7578, "SY", "city", geonameid=170017, admin1="10")
SYRIA = Place("Syria", 35.0, 38.0, "SY", "country", geonameid=163843)
AIRPORT = Place("Damascus International Airport", 33.4114, 36.5156, "SY", "airport", id="sy:airport:damascus")
HTS = ActorRef("hts", "Hayat Tahrir al-Sham")


def _doc(store: Store, doc_id: str, hour: int, outlet: str, claims: list[dict]) -> None:
    published = datetime(2024, 12, 5, hour, tzinfo=UTC)
    doc = Document(doc_id, f"Report {doc_id}.", title=doc_id, url=f"https://example.org/{doc_id}", outlet=outlet,
                   published_at=published, published_precision="time", content_hash=doc_id)  # fmt: skip
    made = []
    for i, kw in enumerate(claims):
        base = {"id": f"{doc_id}-{i}", "document_id": doc_id, "stance": "asserted", "extractor": "rules.v1",
                "rule": "test", "confidence": 0.8, "published_at": published, "outlet": outlet,
                "evidence": Evidence(f"sentence {doc_id}-{i}", 0, 10)}  # fmt: skip
        base.update(kw)
        made.append(Claim(**base))  # type: ignore[arg-type]
    store.add_document(doc, made)


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "b.db")
    store = Store.open(path)
    day = DateSpan.day(date(2024, 12, 5))
    # 02:00, long before the window: an advisory that is old news by 12:00
    _doc(store, "early", 2, "Amman Courier", [dict(type="travel_advisory", actor=ActorRef("jordan", "Jordan"),
         place=SYRIA, advice="leave", audience="Jordanian nationals", when=day)])  # fmt: skip
    # in the window: Hama falls (two outlets), the airport closes
    _doc(store, "w1", 9, "Orontes Daily", [dict(type="territory_captured", actor=HTS, place=HAMA, when=day)])
    _doc(store, "w2", 11, "Levant Wire", [
        dict(type="territory_captured", actor=HTS, place=HAMA, when=day),
        dict(type="transport_status", place=AIRPORT, status="closed", when=day),
    ])  # fmt: skip
    store.close()
    return path


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_bulletin_puts_control_first_then_exits_and_maps_references_to_links(db: str) -> None:
    text = run("--db", db, "bulletin", "--since", "6h")
    lines = text.splitlines()
    assert lines[0] == "sitroom bulletin: changes in the 6 h to 05 Dec 2024 11:00 UTC"
    assert lines[1].startswith("■ Control of Hama passed to Hayat Tahrir al-Sham since 2024-12-05")
    assert lines[2].startswith("✈ Damascus International Airport closed")
    assert "Jordan" not in text  # the advisory came before the window
    # each line names its confidence and its reports, newest first; the footer maps them to links
    assert lines[1].endswith("[1][2]") and "%" in lines[1]
    assert "[1] Levant Wire https://example.org/w2" in lines and "[2] Orontes Daily https://example.org/w1" in lines
    # a longer window reaches the advisory
    longer = run("--db", db, "bulletin", "--since", "12h").splitlines()
    assert longer[2].startswith("! Advisory: Jordan advises nationals in Syria (level: leave)")
    # the capture the control line already tells is not told again as an event
    assert not any("Territory captured" in line for line in longer)


def test_a_bulletin_fits_the_characters_asked_for_and_says_what_it_left_out(db: str) -> None:
    text = run("--db", db, "bulletin", "--since", "1d", "--max-chars", "300")
    assert len(text) <= 300
    assert "Control of Hama" in text  # the most important line stays
    assert "more change" in text


def test_a_bulletin_for_one_place_and_a_quiet_window(db: str) -> None:
    hama = run("--db", db, "bulletin", "--since", "6h", "--place", "Hama")
    assert "Control of Hama" in hama and "Airport" not in hama
    quiet = run("--db", db, "bulletin", "--since", "1h", "--known-at", "2024-12-05T08:00:00Z")
    assert "No change in this window." in quiet
