"""A `--known-at` replay reads the stored picture cut at that moment; it must give what fusing every claim known
then gives, on real reports spread over days (the reference below is how replays were answered before)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sitroom.fuse import control_timeline, fuse_events
from sitroom.pipeline import ingest_paths, load_extractor
from sitroom.serialize import control_to_dict, event_to_dict
from sitroom.state import Picture, end_of_day
from sitroom.store import ClaimQuery, Store

REPO = Path(__file__).resolve().parents[1]
SETS = ("styles", "styles-b")


def _docs() -> list[Path]:
    return sorted(p for name in SETS for p in (REPO / "corpus" / name / "docs").glob("*.json"))


def _events(events: list[dict]) -> list[tuple]:
    keep = ("id", "type", "status", "confidence", "sources", "date_earliest", "date_latest", "first_reported")
    return sorted(
        (*(e[k] for k in keep), (e["place"] or {}).get("name"), tuple(e["supporting"]), tuple(e["opposing"]))
        for e in events
    )


def _spans(spans: list[dict]) -> list[tuple]:
    return sorted(
        (s["place"]["name"], s["controller"]["id"], s["since"], s["until"], s["confidence"], tuple(s["evidence"]))
        for s in spans
    )


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store.open(str(tmp_path_factory.mktemp("replay") / "r.db"))
    ingest_paths(store, _docs(), load_extractor())
    Picture(store).refresh()
    return store


def _moments(store: Store) -> list[datetime]:
    known = sorted({d.known_at for d in store.documents()})
    assert len(known) >= 10
    # just before, at and just after a few publications, and the end of days in between
    picks = known[:: max(1, len(known) // 8)]
    out = [t + d for t in picks for d in (-timedelta(seconds=1), timedelta(0), timedelta(hours=6))]
    return sorted(set(out))


def test_a_replay_is_what_fusing_the_claims_known_then_gives(filled: Store) -> None:
    picture = Picture(filled)
    compared = 0
    for moment in _moments(filled):
        claims = filled.claims(ClaimQuery(known_at=moment))
        events = fuse_events(claims, picture.actors)
        spans = control_timeline(claims, picture.baseline, picture.actors, events=events)
        want_events = _events([event_to_dict(e) for e in events])
        got_events = _events(picture.events(known_at=moment))
        assert got_events == want_events, moment
        want_spans = _spans([control_to_dict(s) for s in spans])
        assert _spans([control_to_dict(s) for s in picture.control_spans(None, moment)]) == want_spans, moment
        compared += len(want_events)
    assert compared > 100  # the moments cut real events short, not only empty pictures


def test_a_replay_window_finds_events_whose_dates_moved(filled: Store) -> None:
    picture = Picture(filled)
    moment = datetime(2024, 12, 3, 12, tzinfo=UTC)
    day = moment.date()
    whole = [
        e
        for e in picture.events(known_at=moment)
        if (e["date_latest"] or "9") >= day.isoformat() >= (e["date_earliest"] or "0")
    ]
    window = picture.events(known_at=moment, since=day, until=day)
    assert {e["id"] for e in window} == {e["id"] for e in whole}


def test_a_days_changes_walked_place_by_place_are_the_whole_maps(filled: Store) -> None:
    # a sitrep asks only for the changes of its day and the day before: walked from the places with a control
    # event then, they must be the spans of the whole map's walk that begin on those days
    days = sorted({d.known_at.date() for d in filled.documents()})
    found = 0
    for day in days:
        moment = end_of_day(day)
        start = day - timedelta(days=1)
        whole = [
            control_to_dict(s)
            for s in Picture(filled).control_spans(None, moment)
            if s.since is not None and start <= s.since <= day
        ]
        cut = [control_to_dict(s) for s in Picture(filled).control_changes_known(moment, start, day)]
        assert _spans(cut) == _spans(whole), day
        found += len(whole)
    assert found >= 5
