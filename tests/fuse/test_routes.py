"""Road segments and routes: which stretch a report closes, what puts a segment at risk, and the way round.

Over the shipped road graph (geo/data/roads.toml) and the real geoparser, with hand-made claims, spans and
events whose every field is known."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from sitroom.fuse.routes import best_route, segment_statuses
from sitroom.geo import Gazetteer, Geoparser
from sitroom.geo.roads import RoadGraph
from sitroom.model import ActorRef, Claim, ControlSpan, DateSpan, Event, Place

DAY = date(2024, 12, 6)


@pytest.fixture(scope="module")
def graph() -> RoadGraph:
    return RoadGraph.load(Gazetteer.default())


@pytest.fixture(scope="module")
def places_in() -> Callable[[str], list[Place]]:
    gp = Geoparser.default()
    return lambda text: [m.place for m in gp.parse(text) if m.place is not None]


def _place(name: str) -> Place:
    return Gazetteer.default().lookup(name, "SY")[0]


def _seg(graph: RoadGraph, road: str, a: str, b: str) -> str:
    r = graph.roads[road]
    for s in r.segments:
        if {s.a.name, s.b.name} == {a, b}:
            return s.id
    raise AssertionError(f"no segment {a}-{b} on {road}: {[(s.a.name, s.b.name) for s in r.segments]}")


def _road_claim(mk: Callable[..., Claim], cid: str, text: str, status: str, road: str = "M5 highway") -> Claim:
    gaz = Gazetteer.default()
    place = gaz.lookup(road)[0]
    assert place.kind == "road"
    return mk(cid, type="transport_status", actor=None, place=place, day="2024-12-05", text=text, status=status,
              published="2024-12-05T18:00:00")  # fmt: skip


def test_a_road_closed_between_two_towns_closes_that_stretch_only(graph, places_in, mk) -> None:
    c = _road_claim(mk, "c1", "The M5 between Homs and Damascus was closed to traffic on Thursday.", "closed")
    st = segment_statuses(graph, DAY, [c], [], [], places_in)
    assert st[_seg(graph, "sy:road:m5", "Nabk", "Homs")].status == "cut"
    assert st[_seg(graph, "sy:road:m5", "Damascus", "Qutayfah")].status == "cut"
    assert st[_seg(graph, "sy:road:m5", "Homs", "Rastan")].status == "open"
    reason = st[_seg(graph, "sy:road:m5", "Nabk", "Homs")].reasons[0]
    assert reason.kind == "transport" and reason.claims == ("c1",)


def test_a_road_closed_with_no_stretch_named_is_closed_all_along(graph, places_in, mk) -> None:
    c = _road_claim(mk, "c1", "Authorities shut the M5 highway on Thursday.", "closed")
    st = segment_statuses(graph, DAY, [c], [], [], places_in)
    assert {st[s.id].status for s in graph.roads["sy:road:m5"].segments} == {"cut"}


def test_a_later_report_reopens_what_an_earlier_one_closed(graph, places_in, mk) -> None:
    closed = _road_claim(mk, "c1", "Authorities shut the M5 highway on Thursday.", "closed")
    opened = mk("c2", type="transport_status", actor=None, place=closed.place, day="2024-12-06",
                text="Traffic is moving again on the M5 highway.", status="open", published="2024-12-06T18:00:00")  # fmt: skip
    st = segment_statuses(graph, DAY, [closed, opened], [], [], places_in)
    seg = st[_seg(graph, "sy:road:m5", "Homs", "Rastan")]
    assert seg.status == "open" and seg.reasons[0].claims == ("c2",)
    # ...but not on a day before the reopening
    before = segment_statuses(graph, date(2024, 12, 5), [closed, opened], [], [], places_in)
    assert before[seg.segment.id].status == "cut"


def test_a_denied_or_planned_closure_closes_nothing(graph, places_in, mk) -> None:
    denied = _road_claim(mk, "c1", "The ministry denied that the M5 highway was closed.", "closed")
    denied = Claim(**{**{f: getattr(denied, f) for f in denied.__dataclass_fields__}, "stance": "denied"})
    st = segment_statuses(graph, DAY, [denied], [], [], places_in)
    assert {s.status for s in st.values()} == {"open"}


def test_a_closed_border_crossing_cuts_the_segments_ending_at_it(graph, places_in, mk) -> None:
    gaz = Gazetteer.default()
    nasib = gaz.get("sy:crossing:nasib")
    assert nasib is not None
    c = mk("c1", type="transport_status", actor=None, place=nasib, day="2024-12-06",
           text="Jordan closed the Jaber crossing.", status="closed", published="2024-12-06T18:00:00")  # fmt: skip
    st = segment_statuses(graph, DAY, [c], [], [], places_in)
    cut = {s.segment.road for s in st.values() if s.status == "cut"}
    assert cut == {"sy:road:m5", "jo:road:jaberamman"}


def _span(place: Place, who: str, since: date | None) -> ControlSpan:
    return ControlSpan(place, ActorRef(who, who.upper()), since, None, 0.8, evidence=(f"clm-{who}",))


def test_ends_held_by_different_sides_or_a_fresh_change_put_a_segment_at_risk(graph, places_in) -> None:
    homs, rastan, hama = _place("Homs"), _place("Rastan"), _place("Hama")
    spans = [_span(homs, "gov", None), _span(rastan, "hts", date(2024, 11, 20)), _span(hama, "hts", DAY)]
    st = segment_statuses(graph, DAY, [], spans, [], places_in)
    front = st[_seg(graph, "sy:road:m5", "Homs", "Rastan")]
    assert front.status == "at_risk" and front.reasons[0].kind == "control"
    assert "GOV" in front.reasons[0].text and "HTS" in front.reasons[0].text
    fresh = st[_seg(graph, "sy:road:m5", "Rastan", "Hama")]
    assert fresh.status == "at_risk" and "changed hands" in fresh.reasons[0].text
    # four days later the change is no longer fresh and both ends are held by one side
    later = segment_statuses(graph, date(2024, 12, 10), [], spans, [], places_in)
    assert later[fresh.segment.id].status == "open"


def _event(eid: str, type_: str, place: Place, day: date) -> Event:
    return Event(eid, type_, "reported", 0.6, DateSpan.day(day), place=place, claims=(f"{eid}-c",))


def test_fighting_near_a_road_puts_it_at_risk_for_a_few_days(graph, places_in) -> None:
    # Talbiseh lies on the M5 between Homs and Rastan; Masyaf is 30 km off it.
    talbiseh, masyaf = _place("Talbiseh"), _place("Masyaf")
    events = [_event("e1", "armed_clash", talbiseh, date(2024, 12, 5)), _event("e2", "armed_clash", masyaf, DAY)]
    st = segment_statuses(graph, DAY, [], [], events, places_in)
    seg = st[_seg(graph, "sy:road:m5", "Homs", "Rastan")]
    assert seg.status == "at_risk" and seg.reasons[0].events == ("e1",)
    assert all("e2" not in r.events for s in st.values() for r in s.reasons)
    stale = segment_statuses(graph, date(2024, 12, 12), [], [], events, places_in)
    assert stale[seg.segment.id].status == "open"


def test_a_route_goes_round_a_cut_and_names_what_decided_it(graph, places_in, mk) -> None:
    c = _road_claim(mk, "c1", "The M5 between Homs and Damascus was closed to traffic on Thursday.", "closed")
    st = segment_statuses(graph, DAY, [c], [], [], places_in)
    answer = best_route(graph, _place("Damascus"), _place("Tartus"), st)
    names = [p.name for p in answer.via]
    assert names[0] == "Damascus" and names[-1] == "Tartus"
    assert "Nabk" not in names  # the cut stretch is avoided
    assert answer.status == "open"
    assert answer.blocked and all(b.status == "cut" for b in answer.blocked)
    free = best_route(graph, _place("Damascus"), _place("Tartus"), segment_statuses(graph, DAY, [], [], [], places_in))
    assert "Homs" in [p.name for p in free.via] and free.km < answer.km and not free.blocked


def test_a_route_with_every_way_cut_is_cut(graph, places_in, mk) -> None:
    gaz = Gazetteer.default()
    crossings = [gaz.get("sy:crossing:masnaa")]
    claims = [
        mk(
            f"c{i}",
            type="transport_status",
            actor=None,
            place=p,
            day="2024-12-06",
            text="Closed.",
            status="closed",
            published="2024-12-06T18:00:00",
        )
        for i, p in enumerate(crossings)
    ]
    st = segment_statuses(graph, DAY, claims, [], [], places_in)
    answer = best_route(graph, _place("Damascus"), gaz.lookup("Beirut", "LB")[0], st)
    assert answer.status == "cut" and answer.blocked and not answer.via
