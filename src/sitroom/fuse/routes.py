"""What the picture says about each road segment on a day, and the best way through.

A segment is **cut** when the latest report about it in force says so ("closed", "suspended"): a road
reported closed between two of its points closes that stretch only ("the M5 between Homs and Damascus"),
a road reported closed with no stretch named closes all of it, a closed border crossing closes the
segments that end at it. It is **at risk** when a report calls it disrupted, when its ends are held by
different sides or one of them changed hands in the last `FRESH_DAYS` days, or when fighting was reported
within `FIGHTING_KM` of it in those days. Otherwise it is **open**; a report that it is open is kept as
evidence. Every reason carries the claims or events behind it.

A route's status is that of the best path: the shortest that avoids cut segments, with at-risk ones
costing `RISK_COST` times their length, so a safe detour wins over a risky short cut.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sitroom import ontology
from sitroom.fuse._common import SUPPORTING, effective_day, is_plan
from sitroom.geo.gazetteer import distance_km
from sitroom.geo.roads import RoadGraph, Segment
from sitroom.model import ActorRef, Claim, ControlSpan, Event, Place

FRESH_DAYS = 3
FIGHTING_KM = 10.0
SAME_POINT_KM = 5.0  # a control span's place this close to a road point stands for it
RISK_COST = 3.0
FIGHTING_TYPES = ontology.types_where("fighting")
_CUT = {"closed": "cut", "suspended": "cut", "disrupted": "at_risk", "open": "open"}
_RANK = {"open": 0, "at_risk": 1, "cut": 2}


@dataclass(slots=True)
class Reason:
    kind: str  # "transport", "control" or "fighting"
    status: str  # what this reason makes of the segment: open, at_risk, cut
    text: str
    date: date | None
    claims: tuple[str, ...] = ()
    events: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "status": self.status,
            "text": self.text,
            "date": self.date.isoformat() if self.date else None,
            "claims": list(self.claims),
            "events": list(self.events),
        }


@dataclass(slots=True)
class SegmentStatus:
    segment: Segment
    status: str = "open"
    reasons: list[Reason] = field(default_factory=list)

    def add(self, reason: Reason) -> None:
        self.reasons.append(reason)
        if _RANK[reason.status] > _RANK[self.status]:
            self.status = reason.status


@dataclass(slots=True)
class RoadPicture:
    """Every segment's status on a day, and who holds each road point (None: not known)."""

    statuses: dict[str, SegmentStatus]
    held: dict[str, ControlSpan | None]  # a baseline holder comes as a span with no date and no evidence
    side: Callable[[str], str] = lambda actor_id: actor_id

    def __getitem__(self, segment_id: str) -> SegmentStatus:
        return self.statuses[segment_id]

    def values(self) -> Iterable[SegmentStatus]:
        return self.statuses.values()


def segment_statuses(
    graph: RoadGraph,
    day: date,
    transport_claims: Iterable[Claim],
    spans: Sequence[ControlSpan],
    events: Iterable[Event],
    places_in: Callable[[str], Iterable[Place]],
    baseline: Callable[[Place], ActorRef | None] | None = None,
    side: Callable[[str], str] = lambda actor_id: actor_id,
) -> RoadPicture:
    """Each segment's status on `day`. `spans` are the control spans in force that day, `baseline` who held
    a place with no span (the control baseline's regions); `events` the fighting events (any date: only the
    last `FRESH_DAYS` count); `places_in(text)` the places a sentence names (the geoparser), used to find the
    stretch of a road a report speaks of; `side(actor_id)` the side an actor fights on (HTS and the SNA are
    both the opposition: a road between them is not a front line)."""
    out = {s.id: SegmentStatus(s) for s in graph.segments()}
    _apply_transport(graph, day, transport_claims, places_in, out)
    held = _apply_control(graph, day, spans, out, baseline, side)
    _apply_fighting(graph, day, events, out)
    return RoadPicture(out, held, side)


def _segments_of_claim(graph: RoadGraph, c: Claim, places_in: Callable[[str], Iterable[Place]]) -> list[Segment]:
    place = c.place
    if place is None:
        return []
    if place.kind == "road":
        road = graph.road_of_place(place)
        if road is None:
            return []
        named = [k for p in places_in(c.evidence.text) if p.kind != "road" and (k := graph.node_for(p, SAME_POINT_KM))]
        return list(road.stretch(named))
    if place.kind == "border_crossing" and place.key in graph.adjacent:
        return list(graph.adjacent[place.key])
    return []


def _apply_transport(
    graph: RoadGraph,
    day: date,
    claims: Iterable[Claim],
    places_in: Callable[[str], Iterable[Place]],
    out: dict[str, SegmentStatus],
) -> None:
    latest: dict[str, tuple[tuple[Any, ...], Claim]] = {}
    for c in claims:
        if c.type != "transport_status" or c.status not in _CUT or c.stance not in SUPPORTING or is_plan(c):
            continue
        d = effective_day(c)
        if d is None or d > day:
            continue
        order = (d, c.published_at.isoformat() if c.published_at else "", c.id)
        for s in _segments_of_claim(graph, c, places_in):
            if s.id not in latest or order > latest[s.id][0]:
                latest[s.id] = (order, c)
    for sid, ((d, _, _), c) in latest.items():
        status = _CUT[c.status or ""]
        out[sid].add(Reason("transport", status, f"reported {c.status}: {c.evidence.text}", d, claims=(c.id,)))


_CELL_DEG = 0.1  # a grid cell (~11 km) for finding the spans near a road point


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / _CELL_DEG), math.floor(lon / _CELL_DEG)


def _span_index(
    spans: Sequence[ControlSpan],
) -> tuple[dict[str, ControlSpan], dict[tuple[int, int], list[ControlSpan]]]:
    by_key: dict[str, ControlSpan] = {}
    grid: dict[tuple[int, int], list[ControlSpan]] = {}
    for s in spans:
        by_key.setdefault(s.place.key, s)
        if s.place.lat is not None and s.place.lon is not None:
            grid.setdefault(_cell(s.place.lat, s.place.lon), []).append(s)
    return by_key, grid


def _controller_at(
    graph: RoadGraph, key: str, index: tuple[dict[str, ControlSpan], dict[tuple[int, int], list[ControlSpan]]]
) -> ControlSpan | None:
    by_key, grid = index
    if key in by_key:
        return by_key[key]
    p = graph.places[key]
    if p.lat is None or p.lon is None:
        return None
    best: tuple[float, ControlSpan] | None = None
    cy, cx = _cell(p.lat, p.lon)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            for s in grid.get((cy + dy, cx + dx), ()):
                d = distance_km(p.lat, p.lon, s.place.lat or 0.0, s.place.lon or 0.0)
                if d <= SAME_POINT_KM and (best is None or d < best[0]):
                    best = (d, s)
    return best[1] if best else None


def _apply_control(
    graph: RoadGraph,
    day: date,
    spans: Sequence[ControlSpan],
    out: dict[str, SegmentStatus],
    baseline: Callable[[Place], ActorRef | None] | None,
    side: Callable[[str], str],
) -> dict[str, ControlSpan | None]:
    fresh_from = day - timedelta(days=FRESH_DAYS)
    held: dict[str, ControlSpan | None] = {}
    index = _span_index(spans)
    for key, place in graph.places.items():
        span = _controller_at(graph, key, index)
        if span is None and baseline is not None:
            who = baseline(place)
            span = ControlSpan(place, who, None, None, 0.0) if who is not None else None
        held[key] = span
    for st in out.values():
        seg = st.segment
        a, b = held.get(seg.a.key), held.get(seg.b.key)
        if a is not None and b is not None and side(a.controller.id) != side(b.controller.id):
            st.add(
                Reason(
                    "control", "at_risk",
                    f"{seg.a.name} is held by {a.controller.name}, {seg.b.name} by {b.controller.name}",
                    max((s.since for s in (a, b) if s.since), default=None),
                    claims=(*a.evidence, *b.evidence), events=(*a.events, *b.events),
                )
            )  # fmt: skip
            continue
        for end, span in ((seg.a, a), (seg.b, b)):
            if span is not None and span.since is not None and fresh_from <= span.since <= day:
                st.add(
                    Reason(
                        "control", "at_risk",
                        f"{end.name} changed hands: held by {span.controller.name} since {span.since.isoformat()}",
                        span.since, claims=span.evidence, events=span.events,
                    )
                )  # fmt: skip
    return held


def _km_to_segment(p: Place, seg: Segment) -> float:
    """Distance from a point to a segment, on a local flat projection (fine at these scales)."""
    lat0 = math.radians(seg.a.lat or 0.0)
    kx, ky = 111.32 * math.cos(lat0), 110.57

    def xy(q: Place) -> tuple[float, float]:
        return ((q.lon or 0.0) * kx, (q.lat or 0.0) * ky)

    (ax, ay), (bx, by), (px, py) = xy(seg.a), xy(seg.b), xy(p)
    dx, dy = bx - ax, by - ay
    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def _apply_fighting(graph: RoadGraph, day: date, events: Iterable[Event], out: dict[str, SegmentStatus]) -> None:
    fresh_from = day - timedelta(days=FRESH_DAYS)
    for ev in events:
        if ev.type not in FIGHTING_TYPES or ev.place is None or ev.place.lat is None or ev.place.kind == "country":
            continue
        if ev.place.kind in ("admin1", "region", "sea"):
            continue  # an area is too coarse to put one road at risk
        when = ev.when.exact or ev.when.latest or ev.when.earliest
        if when is None or not fresh_from <= when <= day:
            continue
        pad = FIGHTING_KM / 100.0 + 0.02  # degrees of latitude: more than FIGHTING_KM
        pad_lon = pad / max(math.cos(math.radians(ev.place.lat)), 0.2)
        lat, lon = ev.place.lat, ev.place.lon or 0.0
        for st in out.values():
            a, b = st.segment.a, st.segment.b
            lats, lons = (a.lat or 0.0, b.lat or 0.0), (a.lon or 0.0, b.lon or 0.0)
            if not (min(lats) - pad <= lat <= max(lats) + pad and min(lons) - pad_lon <= lon <= max(lons) + pad_lon):
                continue  # outside the segment's box widened by more than FIGHTING_KM: no need to measure
            km = _km_to_segment(ev.place, st.segment)
            if km <= FIGHTING_KM:
                st.add(
                    Reason(
                        "fighting", "at_risk",
                        f"{ev.type.replace('_', ' ')} at {ev.place.name}, " + (f"{km:.0f} km from the road" if km >= 1 else "on the road"),
                        when, claims=tuple(ev.claims), events=(ev.id,),
                    )
                )  # fmt: skip


def _for_traveller_from(start: str, graph: RoadGraph, picture: RoadPicture) -> dict[str, SegmentStatus]:
    """The statuses as they stand for someone leaving `start`: a segment through a place held by another
    side than the one holding the start is at risk for them (a road open to its holders is not open to all)."""
    mine = picture.held.get(start)
    if mine is None:
        return picture.statuses
    ours = mine.controller
    out = dict(picture.statuses)
    for sid, st in picture.statuses.items():
        if st.status == "cut":
            continue
        for end in (st.segment.a, st.segment.b):
            span = picture.held.get(end.key)
            if span is not None and picture.side(span.controller.id) != picture.side(ours.id):
                theirs = span.controller
                copy = SegmentStatus(st.segment, st.status, list(st.reasons))
                copy.add(
                    Reason("control", "at_risk", f"{end.name} is held by {theirs.name}, not by {ours.name} "
                           f"who holds {graph.places[start].name}", span.since, claims=span.evidence,
                           events=span.events)
                )  # fmt: skip
                out[sid] = copy
                break
    return out


@dataclass(slots=True)
class RouteAnswer:
    origin: Place
    destination: Place
    status: str  # open, at_risk, cut, unknown (no road reaches one of the places)
    path: list[SegmentStatus]
    blocked: list[SegmentStatus]  # cut segments on the shortest path, which the answer goes round
    km: float = 0.0
    via: list[Place] = field(default_factory=list)  # the points the path passes, origin's first


def best_route(graph: RoadGraph, origin: Place, destination: Place, picture: RoadPicture) -> RouteAnswer:
    start, goal = graph.node_for(origin), graph.node_for(destination)
    if start is None or goal is None:
        return RouteAnswer(origin, destination, "unknown", [], [])
    statuses = _for_traveller_from(start, graph, picture)

    def cost(s: Segment) -> float | None:
        st = statuses[s.id].status
        if st == "cut":
            return None
        return s.km * (RISK_COST if st == "at_risk" else 1.0) + 0.01

    shortest = graph.path(start, goal, lambda s: s.km + 0.01) or []
    blocked = [statuses[s.id] for s in shortest if statuses[s.id].status == "cut"]
    path = graph.path(start, goal, cost)
    if path is None:
        return RouteAnswer(origin, destination, "cut" if shortest else "unknown", [], blocked)
    steps = [statuses[s.id] for s in path]
    worst = max((st.status for st in steps), key=_RANK.__getitem__, default="open")
    via = [graph.places[start]]
    for s in path:
        via.append(s.b if s.a.key == via[-1].key else s.a)
    return RouteAnswer(origin, destination, worst, steps, blocked, round(sum(s.km for s in path), 1), via)
