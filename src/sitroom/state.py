"""The picture a store holds, as the CLI and the API ask for it: events, control, advisories, transport, figures.

`Picture` reads claims from the store (only those known at `known_at`, for a replay), fuses them with
`sitroom.fuse` and returns DESIGN.md's JSON shapes. Results are cached per knowledge time inside one
`Picture`, so a page that asks for control, events and advisories of one moment fuses once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sitroom.fuse import (
    advisories,
    changes_in,
    control_at,
    control_timeline,
    figures,
    fuse_events,
    load_baseline,
    transport,
)
from sitroom.fuse.json import advisory_to_dict, control_to_dict, event_to_dict, figure_to_dict, transport_to_dict
from sitroom.model import Actor, Claim, ControlSpan, Event
from sitroom.store import ClaimQuery, Store


def end_of_day(d: date) -> datetime:
    """The last instant of a UTC day: what was known "on" that day."""
    return datetime.combine(d + timedelta(days=1), time(0), tzinfo=UTC) - timedelta(microseconds=1)


@dataclass(frozen=True)
class Snapshot:
    """Everything fused from the claims known at one moment."""

    claims: Mapping[str, Claim]
    events: Sequence[Event]
    spans: Sequence[ControlSpan]


class Picture:
    def __init__(self, store: Store, actors: Mapping[str, Actor] | None = None) -> None:
        self.store = store
        if actors is None:
            from sitroom.extract import actors as lexicon_actors

            actors = lexicon_actors()
        self.actors = actors
        self.baseline = load_baseline()
        self._snapshots: dict[tuple[datetime | None, tuple[int, int]], Snapshot] = {}

    # --- fusing ---------------------------------------------------------------------------------

    @staticmethod
    def knowledge_time(at: date | None, known_at: datetime | None) -> datetime | None:
        """`--at D` implies "as known by the end of D"; with `--known-at` too, the earlier wins."""
        if at is None:
            return known_at
        cutoff = end_of_day(at)
        return min(cutoff, known_at) if known_at else cutoff

    def snapshot(self, known_at: datetime | None) -> Snapshot:
        # Keyed by the store's data version too, so a long-lived Picture (the API's) sees new reports.
        key = (known_at, self.store.data_version())
        if key not in self._snapshots:
            if len(self._snapshots) > 32:
                self._snapshots.clear()
            claims = self.store.claims(ClaimQuery(known_at=known_at))
            events = fuse_events(claims, self.actors)
            spans = control_timeline(claims, self.baseline, self.actors, events=events)
            self._snapshots[key] = Snapshot({c.id: c for c in claims}, events, spans)
        return self._snapshots[key]

    # --- queries (DESIGN.md JSON shapes) -------------------------------------------------------

    def events(
        self,
        since: date | None = None,
        until: date | None = None,
        known_at: datetime | None = None,
        place: str | None = None,
        types: tuple[str, ...] = (),
        bbox: tuple[float, float, float, float] | None = None,
        at: date | None = None,
    ) -> list[dict[str, Any]]:
        snap = self.snapshot(self.knowledge_time(at, known_at))
        if at is not None:
            until = min(until, at) if until else at
        out = []
        for ev in snap.events:
            if types and ev.type not in types:
                continue
            if since is not None and ev.when.latest is not None and ev.when.latest < since:
                continue
            if until is not None and ev.when.earliest is not None and ev.when.earliest > until:
                continue
            if place and not _place_matches(ev.place, place):
                continue
            if bbox is not None and not _in_bbox(ev.place, bbox):
                continue
            out.append(event_to_dict(ev, snap.claims))
        out.sort(key=lambda e: (e["date_earliest"] or e["date"] or "", e["id"]))
        return out

    def control_spans(self, at: date | None, known_at: datetime | None = None) -> list[ControlSpan]:
        snap = self.snapshot(self.knowledge_time(at, known_at))
        return list(control_at(snap.spans, at)) if at is not None else list(snap.spans)

    def control(
        self, at: date | None, known_at: datetime | None = None, place: str | None = None
    ) -> list[dict[str, Any]]:
        """One entry per place, the span in force on `at` (every span when `at` is None)."""
        return [
            control_to_dict(s) for s in self.control_spans(at, known_at) if not place or _place_matches(s.place, place)
        ]

    def control_changes(self, known_at: datetime | None = None) -> list[dict[str, Any]]:
        """Every reported change of control (baseline spans left out): what `sitroom eval` scores."""
        return [control_to_dict(s) for s in changes_in(self.snapshot(known_at).spans)]

    def control_geojson(self, at: date | None, known_at: datetime | None = None) -> dict[str, Any]:
        features = []
        for entry in self.control(at, known_at):
            place = entry["place"]
            if place is None or place.get("lat") is None:
                continue
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
                    "properties": {**{k: v for k, v in entry.items() if k != "place"}, "place": place},
                }
            )
        return {"type": "FeatureCollection", "features": features}

    def advisories(self, at: date | None = None, known_at: datetime | None = None) -> list[dict[str, Any]]:
        snap = self.snapshot(self.knowledge_time(at, known_at))
        return [advisory_to_dict(a) for a in advisories(list(snap.claims.values()), at=at, actors=self.actors)]

    def transport(self, at: date | None = None, known_at: datetime | None = None) -> list[dict[str, Any]]:
        snap = self.snapshot(self.knowledge_time(at, known_at))
        return [transport_to_dict(t) for t in transport(list(snap.claims.values()), at=at)]

    def figures(
        self,
        known_at: datetime | None = None,
        since: date | None = None,
        until: date | None = None,
        at: date | None = None,
    ) -> list[dict[str, Any]]:
        snap = self.snapshot(self.knowledge_time(at, known_at))
        if at is not None:
            until = min(until, at) if until else at
        out = []
        for f in figures(list(snap.claims.values())):
            if since is not None and f.as_of is not None and f.as_of < since:
                continue
            if until is not None and f.as_of is not None and f.as_of > until:
                continue
            out.append(figure_to_dict(f))
        return out


def _place_matches(place: Any, wanted: str) -> bool:
    if place is None:
        return False
    w = wanted.strip().lower()
    if w.isdigit():
        return place.geonameid == int(w)
    return w in {(place.name or "").lower(), (place.country or "").lower(), place.key.lower()}


def _in_bbox(place: Any, bbox: tuple[float, float, float, float]) -> bool:
    if place is None or place.lat is None or place.lon is None:
        return False
    min_lon, min_lat, max_lon, max_lat = bbox
    return bool(min_lat <= place.lat <= max_lat and min_lon <= place.lon <= max_lon)
