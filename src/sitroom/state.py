"""The picture a store holds, as the CLI and the API ask for it: events, control, advisories, transport, figures.

`Picture` reads claims from the store (only those known at `known_at`, for a replay), fuses them with
`sitroom.fuse` and returns DESIGN.md's JSON shapes. Results are cached per knowledge time inside one
`Picture`, so a page that asks for control, events and advisories of one moment fuses once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, overload

from sitroom import ontology
from sitroom.errors import ConfigError, QueryError
from sitroom.fuse import (
    CONTROL_TYPES,
    Baseline,
    advisories,
    changes_in,
    control_at,
    control_timeline,
    figures,
    fuse_events,
    lineage,
    load_baseline,
    transport,
)
from sitroom.fuse.events import WIDE_TYPES
from sitroom.fuse.routes import FIGHTING_TYPES as ROUTE_FIGHTING_TYPES
from sitroom.fuse.routes import FRESH_DAYS as ROUTE_FRESH_DAYS
from sitroom.fuse.routes import RoadPicture, best_route, segment_statuses
from sitroom.geo import Gazetteer, Geoparser, distance_km
from sitroom.geo.gazetteer import geonames_name_of
from sitroom.geo.roads import RoadGraph
from sitroom.geo.select import place_selector
from sitroom.model import FACILITY_KINDS, Actor, Claim, ControlSpan, Event, Place
from sitroom.serialize import (
    advisory_to_dict,
    control_to_dict,
    event_to_dict,
    figure_to_dict,
    route_to_dict,
    segment_to_dict,
    transport_to_dict,
)
from sitroom.store import ClaimQuery, Store
from sitroom.store.grid import cells_in
from sitroom.store.picture import PictureTables

# Claims of these types feed the panels (advisories, transport, figures), which are computed from claims on
# demand: they are few compared with the conflict events.
ADVISORY_TYPES = ("travel_advisory",)
TRANSPORT_TYPES = ("transport_status",)
FIGURE_TYPES = ("displacement", "casualties", "evacuation")
# How far around a place the events that may change its control are looked for (degrees, ~17 km): wider
# than fusion's largest radius for a populated place.
CONTROL_NEIGHBOURHOOD_DEG = 0.15
# Previous events a new claim may join lie within this box and date window of it.
CANDIDATE_BOX_DEG = 0.2
SAME_SPOT_KM = 5.0  # wider than fusion's 3 km grouping of a place's duplicates
_NOWHERE = (0.0, 0.0, -1.0, -1.0)  # an empty box: with `countries`, only the country match counts
CANDIDATE_DAYS = 30
# An event cut short at a replay's moment may lie elsewhere than the stored one, by a few of fusion's place radii
# at most (20 km between a claim and its event): a box is searched this much wider (degrees, ~55 km).
REPLAY_PAD_DEG = 0.5
# Up to this many places changing hands in a day's report are walked one by one (a query each); more, and the
# whole map is walked once (measured on 1 M synthetic claims: ~500 places a day cost 3x the whole map's walk).
WALK_PLACES_MAX = 100


@dataclass(frozen=True)
class RefreshStats:
    new_claims: int
    events_written: int
    places_recomputed: int
    full: bool


def refresh_picture(store: Store, actors: Mapping[str, Actor], baseline: Baseline) -> RefreshStats:
    """Bring the stored picture (events, control spans) up to date with the claims, incrementally.

    Only the new claims are fused, against the stored events near them (ids stay stable); control is
    recomputed only for the places whose control events changed. After a revision or a re-extraction
    (claims retired) the picture is rebuilt whole. Several processes may ask at once (three ingests, a watch
    and the server): one fuses while the others wait, then find nothing left to do.
    """
    tables = PictureTables(store)
    if not _behind(tables):
        return RefreshStats(0, 0, 0, False)
    with store.picture_lock():
        return _refresh_locked(store, tables, actors, baseline)


def _behind(tables: PictureTables) -> bool:
    fused = int(tables.meta("fused_claim_pk", "0"))
    return fused == 0 or tables.meta("rebuild") == "1" or tables.latest_claim_pk() != fused


def _refresh_locked(
    store: Store, tables: PictureTables, actors: Mapping[str, Actor], baseline: Baseline
) -> RefreshStats:
    fused = int(tables.meta("fused_claim_pk", "0"))
    latest = tables.latest_claim_pk()
    rebuild = tables.meta("rebuild") == "1" or fused == 0
    if latest == fused and not rebuild:
        return RefreshStats(0, 0, 0, False)  # another process fused while this one waited
    if rebuild:
        claims = store.claims()
        events = fuse_events(claims, actors)
        all_spans = control_timeline(claims, baseline, actors, events=events)
        by_id = {c.id: c for c in claims}
        with store.engine.begin() as conn:
            tables.clear(conn)
            tables.save_events(conn, events, _place_texts(events, by_id), _last_known(events, by_id))
            tables.replace_spans(conn, [s.place.key for s in all_spans], all_spans)
            tables.set_meta(conn, "fused_claim_pk", str(latest))
        return RefreshStats(len(claims), len(events), len({s.place.key for s in all_spans}), True)

    new = tables.claims_after(fused)
    previous = _candidates(tables, new)
    joined = fuse_events(new, actors, previous, claims_of=tables.claims_by_ids)
    # The events the new claims join are fused again from all their claims, in the one order fusion always
    # uses: the picture then does not depend on the order reports arrived in (a report read late that sorts
    # first founds its event, as in a rebuild), and an event whose id changes is replaced, not left beside.
    stored_ids = {ev.id for ev in previous}
    old = tables.claims_by_ids(cid for ev in joined for cid in (*ev.claims, *ev.opposing) if ev.id in stored_ids)
    by_id = {c.id: c for c in (*old, *new)}
    pool = {cid for ev in joined for cid in (*ev.claims, *ev.opposing)}
    touched = fuse_events([c for cid, c in by_id.items() if cid in pool], actors)
    gone = ({ev.id for ev in joined} & stored_ids) - {ev.id for ev in touched}
    places: dict[str, Any] = {}
    for ev in [*touched, *(p for p in joined if p.id in gone)]:
        if ev.type in CONTROL_TYPES and ev.place is not None and ev.place.lat is not None:
            places[ev.place.key] = ev.place
    spans: list[ControlSpan] = []
    keys: set[str] = set(places)
    fresh = {ev.id: ev for ev in touched if ev.type in CONTROL_TYPES}
    for key, place in places.items():
        # Control of a place follows from the control events around it: the stored ones, with those this
        # batch touched as they are now. Events, not claims: a town's history is tens of events but
        # hundreds of claims (claims only decide whether an event stands, which its status already says).
        box = _box(place, CONTROL_NEIGHBOURHOOD_DEG)
        nearby = {ev.id: ev for ev, _ in tables.events(types=sorted(CONTROL_TYPES), bbox=box)}
        nearby.update((i, ev) for i, ev in fresh.items() if ev.place is not None and _in_bbox(ev.place, box))
        for span in control_timeline([], baseline, actors, events=list(nearby.values()), include_baseline=False):
            # Fusion reports a place's spellings and gazetteer duplicates under one representative, which
            # may not be the touched event's own key: keep what lies on the spot, not what is at the edge
            # of the neighbourhood (its events were not all fetched).
            if (span.place.key == key or _same_spot(span.place, place)) and span not in spans:
                spans.append(span)  # once: two places recomputed side by side both reach an airport by its city
                keys.add(span.place.key)
    if places:
        # a place the baseline holds under another key (its own id for the airport, the gazetteer's for the city's
        # airport) is the same spot: its stored spans are replaced too, not left beside the recomputed ones
        for stored in tables.spans():
            if stored.place.key not in keys and any(
                _same_spot(stored.place, p) and (stored.place.kind in FACILITY_KINDS) == (p.kind in FACILITY_KINDS)
                for p in places.values()
            ):  # (a city's airport beside it is a place of its own)
                keys.add(stored.place.key)
    with store.engine.begin() as conn:
        tables.delete_events(conn, sorted(gone))
        tables.save_events(conn, touched, _place_texts(touched, by_id), _last_known(touched, by_id))
        tables.replace_spans(conn, keys, spans)
        tables.set_meta(conn, "fused_claim_pk", str(latest))
    return RefreshStats(len(new), len(touched), len(places), False)


def _candidates(tables: PictureTables, new: Sequence[Claim]) -> list[Event]:
    """Stored events the new claims might join: same type, in a grid cell near one of them, with dates
    near that claim's. Decided on narrow columns first, so only the candidates' full rows are read."""
    pad = timedelta(days=CANDIDATE_DAYS)
    windows: dict[tuple[str, int], list[tuple[date, date]]] = {}
    unlocated: set[str] = set()
    for c in new:
        if c.place is None or c.place.lat is None or c.place.lon is None:
            unlocated.add(c.type)
            continue
        lo = (c.when.earliest or date.min + pad) - pad
        hi = (c.when.latest or date.max - pad) + pad
        for cell in cells_in(*_box(c.place, CANDIDATE_BOX_DEG)) or ():
            windows.setdefault((c.type, cell), []).append((lo, hi))
    wanted = tables.event_ids_in_cells(sorted({t for t, _ in windows}), sorted({cell for _, cell in windows}))
    ids = [
        ev_id
        for ev_id, ev_type, cell, earliest, latest in wanted
        if any(
            (latest is None or latest >= lo) and (earliest is None or earliest <= hi)
            for lo, hi in windows.get((ev_type, cell), ())
        )
    ]
    found = {ev.id: ev for i in range(0, len(ids), 900) for ev, _ in tables.events(ids=ids[i : i + 900])}
    # Campaigns and area-wide happenings match by country or have no point: look them up by country.
    days = [d for c in new for d in (c.when.earliest, c.when.latest) if d is not None]
    since = min(days) - pad if days else None
    until = max(days) + pad if days else None
    countries = sorted({c.place.country for c in new if c.place is not None and c.place.country})
    wide = sorted(unlocated | ({c.type for c in new} & WIDE_TYPES))
    if wide:
        for ev, _ in tables.events(types=wide, since=since, until=until, countries=countries, bbox=_NOWHERE):
            found[ev.id] = ev
        if unlocated:
            for ev, _ in tables.events(types=sorted(unlocated), since=since, until=until, unlocated=True):
                found[ev.id] = ev
    return list(found.values())


def _box(place: Place, pad_deg: float) -> tuple[float, float, float, float]:
    lat, lon = place.lat or 0.0, place.lon or 0.0
    return (lon - pad_deg, lat - pad_deg, lon + pad_deg, lat + pad_deg)


def _same_spot(a: Place, b: Place) -> bool:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return False
    return distance_km(a.lat, a.lon, b.lat, b.lon) <= SAME_SPOT_KM


def _place_texts(events: Sequence[Event], claims: Mapping[str, Claim]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for ev in events:
        out[ev.id] = next((claims[c].place_text for c in ev.claims if c in claims and claims[c].place_text), None)
    return out


def _last_known(events: Sequence[Event], claims: Mapping[str, Claim]) -> dict[str, datetime | None]:
    """Each event's newest claim, denials included, by knowledge time (claims read from the store carry it
    as `published_at`); None when a claim is missing, so a replay fuses that event again rather than trust it."""
    out: dict[str, datetime | None] = {}
    for ev in events:
        times = [claims[c].published_at if c in claims else None for c in (*ev.claims, *ev.opposing)]
        out[ev.id] = None if not times or None in times else max(t for t in times if t is not None)
    return out


def end_of_day(d: date) -> datetime:
    """The last instant of a UTC day: what was known "on" that day."""
    return datetime.combine(d + timedelta(days=1), time(0), tzinfo=UTC) - timedelta(microseconds=1)


# A control entry not confirmed by any report for this long is flagged stale (`control --stale-after`)
STALE_AFTER = timedelta(hours=48)


class Picture:
    """The picture of one store. Without `known_at` it answers from the stored, incrementally refreshed
    picture, which it keeps up to date; with `known_at` (a replay) it cuts the stored picture at that moment
    (see `events_known`)."""

    def __init__(self, store: Store, actors: Mapping[str, Actor] | None = None) -> None:
        self.store = store
        if actors is None:
            from sitroom.extract import actors as lexicon_actors

            actors = lexicon_actors()
        self.actors = actors
        self.baseline = load_baseline()
        self.tables = PictureTables(store)
        self._replayed: dict[tuple[datetime, tuple[int, int]], list[ControlSpan]] = {}
        self._cut_memo: tuple[object, dict[str, list[tuple[Event, str | None]]]] = (None, {})
        self._roads: RoadGraph | None = None
        self._road_pictures: dict[tuple[date, datetime | None, tuple[int, int]], RoadPicture] = {}
        self._voices: tuple[tuple[int, int], dict[str, tuple[str, datetime]]] | None = None
        self._newest: tuple[tuple[int, int], datetime | None] | None = None

    # --- fusing ---------------------------------------------------------------------------------

    @overload
    @staticmethod
    def knowledge_time(at: date, known_at: datetime | None) -> datetime: ...

    @overload
    @staticmethod
    def knowledge_time(at: None, known_at: datetime | None) -> datetime | None: ...

    @staticmethod
    def knowledge_time(at: date | None, known_at: datetime | None) -> datetime | None:
        """For a report about day D: what was known by the end of D (or earlier, with `known_at`)."""
        if at is None:
            return known_at
        cutoff = end_of_day(at)
        return min(cutoff, known_at) if known_at else cutoff

    def refresh(self) -> RefreshStats:
        return refresh_picture(self.store, self.actors, self.baseline)

    def rebuild(self) -> RefreshStats:
        """Fuse every claim again from nothing: what a new gazetteer, lexicon or extractor needs."""
        self.tables.request_rebuild()
        return self.refresh()

    def events_known(
        self,
        known_at: datetime,
        types: Sequence[str] = (),
        since: date | None = None,
        until: date | None = None,
        bbox: tuple[float, float, float, float] | None = None,
    ) -> list[tuple[Event, str | None]]:
        """The events as they could be known at `known_at`, read from the stored picture: an event whose claims
        were all known by then is taken as stored; one first reported by then and confirmed or denied later is
        fused again from its claims known then; one first reported later did not exist yet.

        Fusion takes claims in the order they were published and never moves a claim once placed, so what was
        fused by a moment is the stored picture cut at that moment, without fusing the whole store again
        (tests/test_replay.py compares the two at many moments). That holds for a picture fused in publication
        order: after reports arrived out of order, `sitroom fuse --rebuild` restores it."""
        self.refresh()
        # Dates and places of an event cut short may differ from the stored ones: look a little wider.
        pad = timedelta(days=CANDIDATE_DAYS)
        d = REPLAY_PAD_DEG
        wide = (bbox[0] - d, bbox[1] - d, bbox[2] + d, bbox[3] + d) if bbox else None
        lo, hi = (since - pad if since else None), (until + pad if until else None)
        if bbox is None and since is None and until is None:
            rows = self.tables.events_reported_by(known_at, types)
        else:  # only an event cut short can have moved: the others are looked for where they are
            rows = self.tables.events_reported_by(known_at, types, since, until, bbox, settled=True)
            rows += self.tables.events_reported_by(known_at, types, lo, hi, wide, settled=False)
        out: list[tuple[Event, str | None]] = []
        later: list[Event] = []
        for ev, text, last in rows:
            if last is not None and last <= known_at:
                if _event_in(ev, types, since, until, bbox):
                    out.append((ev, text))
            else:
                later.append(ev)
        if later:
            # each event cut short is fused once per moment, however many questions about that moment ask for it
            memo_key = (known_at, self.store.data_version())
            if self._cut_memo[0] != memo_key:
                self._cut_memo = (memo_key, {})
            memo = self._cut_memo[1]
            todo = [ev for ev in later if ev.id not in memo]
            if todo:
                claims = self.tables.claims_by_ids((cid for ev in todo for cid in (*ev.claims, *ev.opposing)), known_at)
                by_id = {c.id: c for c in claims}
                texts = _place_texts(cut := fuse_events(claims, self.actors), by_id)
                owner = {cid: ev.id for ev in todo for cid in (*ev.claims, *ev.opposing)}
                for ev in todo:
                    memo[ev.id] = []
                for piece in cut:
                    memo[owner[(*piece.claims, *piece.opposing)[0]]].append((piece, texts.get(piece.id)))
            out.extend(
                (piece, text)
                for ev in later
                for piece, text in memo[ev.id]
                if _event_in(piece, types, since, until, bbox)
            )
        return out

    def control_changes_known(self, known_at: datetime, start: date, end: date) -> list[ControlSpan]:
        """The changes of control that began between `start` and `end` as known at `known_at` (a day's report):
        only the places with a control event in those days are walked, each from the control events around it,
        as the incremental refresh walks the places a new report touches, not the whole map."""
        key = (known_at, self.store.data_version())
        if key in self._replayed:  # the whole map at that moment is at hand already
            return changes_in(self._replayed[key], start, end)
        types = sorted(CONTROL_TYPES)
        places = {
            ev.place.key: ev.place
            for ev, _ in self.events_known(known_at, types, start, end)
            if ev.place is not None and ev.place.lat is not None
        }
        if len(places) > WALK_PLACES_MAX:  # a day of many changes: one walk of the whole map costs less
            return changes_in(self.control_spans(None, known_at), start, end)
        out: list[ControlSpan] = []
        for k, place in places.items():
            nearby = [ev for ev, _ in self.events_known(known_at, types, bbox=_box(place, CONTROL_NEIGHBOURHOOD_DEG))]
            walked = control_timeline([], self.baseline, self.actors, events=nearby, include_baseline=False)
            for span in changes_in(walked, start, end):
                if span not in out and (span.place.key == k or _same_spot(span.place, place)):
                    out.append(span)
        return sorted(out, key=lambda s: (s.place.name, s.place.key, s.since or date.min))

    def claims_behind(self, claim_ids: Sequence[str], known_at: datetime | None = None) -> dict[str, Claim]:
        """The claims of these ids by id (only those known at `known_at`): what events and spans cite."""
        return {c.id: c for c in self.tables.claims_by_ids(claim_ids, known_at)}

    def _claims_of(self, types: tuple[str, ...], known_at: datetime | None) -> list[Claim]:
        return self.store.claims(ClaimQuery(types=types, known_at=known_at))

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
        """Events dated within [since, until] (`at`: up to that day)."""
        if at is not None:
            until = min(until, at) if until else at
        if known_at is None:
            self.refresh()
            found = self.tables.events(types=types, since=since, until=until, bbox=bbox)
        else:
            found = self.events_known(known_at, types, since, until, bbox)
        out = []
        for ev, text in found:
            if place and not _place_matches(ev.place, place):
                continue
            d = event_to_dict(ev)
            if text and d["place"]:
                d["place"]["text"] = text  # the stored picture keeps the place as a report wrote it
            out.append(d)
        out.sort(key=lambda e: (e["date_earliest"] or e["date"] or "", e["id"]))
        return out

    def control_spans(self, at: date | None, known_at: datetime | None = None) -> list[ControlSpan]:
        if known_at is None:
            self.refresh()
            return self.tables.spans(at)
        key = (known_at, self.store.data_version())
        if key not in self._replayed:
            if len(self._replayed) > 32:
                self._replayed.clear()
            events = [ev for ev, _ in self.events_known(known_at, sorted(CONTROL_TYPES))]
            self._replayed[key] = control_timeline([], self.baseline, self.actors, events=events)
        spans = self._replayed[key]
        return list(control_at(spans, at)) if at is not None else list(spans)

    def control(
        self,
        at: date | None,
        known_at: datetime | None = None,
        place: str | None = None,
        stale_after: timedelta = STALE_AFTER,
    ) -> list[dict[str, Any]]:
        """One entry per place, the span in force on `at` (every span, as a timeline, when `at` is None), with
        its freshness: how many sources confirm it and whether it is stale (see `freshness`)."""
        if known_at is None and place is None:
            self.refresh()
            rows = self.tables.control_dicts(at)
            for r in rows:  # the Place shape of serialize.place_to_dict, built from the stored columns
                p = r["place"]
                p["geonames_name"] = geonames_name_of(p["geonameid"], p["name"])
        else:
            rows = [
                control_to_dict(s)
                for s in self.control_spans(at, known_at)
                if not place or _place_matches(s.place, place)
            ]
        return self.freshness(rows, self.reference_time(at, known_at), stale_after)

    def actor_list(self) -> list[dict[str, Any]]:
        """Every known actor with its map colour: its own, else its nearest ancestor's, else null (the page
        then computes one from the id)."""
        out = []
        for a in sorted(self.actors.values(), key=lambda a: a.id):
            colour = next(
                (c for aid in lineage(a.id, self.actors) if (c := getattr(self.actors.get(aid), "colour", None))), None
            )
            out.append({"id": a.id, "name": a.name, "kind": a.kind, "parent": a.parent, "colour": colour})
        return out

    def reference_time(self, at: date | None, known_at: datetime | None) -> datetime:
        """The moment freshness is judged at: the end of --at's day (or --known-at if earlier), else the newest
        report in the store, so a replayed archive is judged on its own days and a live feed on today's."""
        now = datetime.now(UTC)
        if at is not None:
            return min(end_of_day(at), known_at or now, now)
        if known_at is not None:
            return min(known_at, now)
        memo = self.store.data_version()
        if self._newest is None or self._newest[0] != memo:
            self._newest = (memo, self.store.latest_known_at())
        return self._newest[1] or now

    def freshness(
        self, rows: list[dict[str, Any]], reference: datetime, stale_after: timedelta = STALE_AFTER
    ) -> list[dict[str, Any]]:
        """Each control entry gains `sources` (independent voices among its evidence known by `reference`),
        `hours_since_confirmed` and `stale` (not confirmed within `stale_after` of `reference`). A span only
        the baseline holds has no reports behind it: its staleness is null, not true."""
        memo = self.store.data_version()
        if self._voices is None or self._voices[0] != memo:
            self._voices = (memo, self.store.claim_voices(sorted(ontology.control_types())))
        voices = self._voices[1]
        for r in rows:
            heard = [voices[c] for c in r.get("evidence") or () if c in voices and voices[c][1] <= reference]
            r["sources"] = len({who for who, _ in heard})
            last = max((t for _, t in heard), default=None)
            if last is None:
                r["hours_since_confirmed"] = None
                r["stale"] = None
                continue
            age = reference - last
            r["hours_since_confirmed"] = round(age.total_seconds() / 3600, 1)
            r["stale"] = age > stale_after
        return rows

    # --- roads ----------------------------------------------------------------------------------

    def road_graph(self) -> RoadGraph:
        if self._roads is None:
            self._roads = RoadGraph.load(Gazetteer.default())
        return self._roads

    def segment_statuses(self, at: date, known_at: datetime | None = None) -> RoadPicture:
        """Every road segment's status on `at`, as it could be known at `known_at` (as `control --at`: the
        stored picture when None)."""
        known = known_at
        memo = (at, known, self.store.data_version())
        if memo in self._road_pictures:
            return self._road_pictures[memo]  # every route asked about that day shares one road picture
        graph = self.road_graph()
        # only reports about the graph's roads and crossings can change a segment
        keys = tuple(sorted({r.id for r in graph.roads.values()} | set(graph.adjacent)))
        transport_claims = self.store.claims(
            ClaimQuery(types=TRANSPORT_TYPES, known_at=known, until=at, place_keys=keys)
        )
        spans = self.control_spans(at, known)
        start = at - timedelta(days=ROUTE_FRESH_DAYS)
        if known is None:
            self.refresh()
            events = [ev for ev, _ in self.tables.events(types=sorted(ROUTE_FIGHTING_TYPES), since=start, until=at)]
        else:
            events = [ev for ev, _ in self.events_known(known, since=start, until=at)]
        gp = Geoparser.default()

        def places_in(text: str) -> list[Place]:
            return [m.place for m in gp.parse(text) if m.place is not None]

        def side(actor_id: str) -> str:
            return lineage(actor_id, self.actors)[-1]  # the topmost ancestor: HTS and the SNA are the opposition

        picture = segment_statuses(
            graph, at, transport_claims, spans, events, places_in, self.baseline.controller_of, side
        )
        if len(self._road_pictures) > 64:
            self._road_pictures.clear()
        self._road_pictures[memo] = picture
        return picture

    def route(
        self, origin: str | Place, destination: str | Place, at: date, known_at: datetime | None = None
    ) -> dict[str, Any]:
        """Open / at risk / cut between two places on `at`, the best path and the segments that decide it."""
        gaz = Gazetteer.default()
        ends = []
        for what, name in (("from", origin), ("to", destination)):
            if isinstance(name, Place):
                ends.append(name)
                continue
            found = _resolve_place(gaz, name)
            if found is None:
                raise ConfigError(f"--{what}: no place called {name!r} in the gazetteer")
            ends.append(found)
        graph = self.road_graph()
        answer = best_route(graph, ends[0], ends[1], self.segment_statuses(at, known_at))
        return route_to_dict(answer, graph, at)

    def roads_geojson(self, at: date, known_at: datetime | None = None) -> dict[str, Any]:
        """Every road segment as a GeoJSON line, with its status and reasons: the map's road layer."""
        graph = self.road_graph()
        features = []
        for st in self.segment_statuses(at, known_at).values():
            seg = st.segment
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": [[seg.a.lon, seg.a.lat], [seg.b.lon, seg.b.lat]]},
                    "properties": segment_to_dict(st, graph),
                }
            )
        return {"type": "FeatureCollection", "features": features}

    def provinces(self, at: date, known_at: datetime | None = None) -> list[dict[str, Any]]:
        """Control summarised per first-level division (governorate, oblast, state) on `at`: how many of the
        places tracked in it each side holds, and which. A place's division is its GeoNames admin1 code;
        places without one (facilities, curated regions) are counted under the division of the nearest
        town within 25 km, else under "province not known"."""
        gaz = Gazetteer.default()
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        for span in self.control_spans(at, known_at):
            p = span.place
            if p.kind in ("country", "admin1", "region", "sea"):
                continue
            cc, code = p.country or "", p.admin1 or ""
            if not code and p.lat is not None and p.lon is not None:
                near = gaz.nearest_settlement(p.lat, p.lon, cc or None, 25.0)
                code = (near.admin1 or "") if near is not None else ""
            i = gaz.admin1_index(cc, code) if code else None
            name = gaz.place(i).name if i is not None else "province not known"
            row = rows.setdefault(
                (cc, code),
                {"province": {"name": name, "country": cc or None, "code": code or None}, "places": 0, "held": {}},
            )
            row["places"] += 1
            held = row["held"].setdefault(
                span.controller.id,
                {"controller": {"id": span.controller.id, "name": span.controller.name}, "places": []},
            )
            held["places"].append(p.name)
        out = []
        for row in rows.values():
            held = sorted(row["held"].values(), key=lambda h: (-len(h["places"]), h["controller"]["name"]))
            for h in held:
                h["share"] = round(len(h["places"]) / row["places"], 2)
                h["places"] = sorted(h["places"])
            out.append({**row, "held": held})
        out.sort(key=lambda r: (r["province"]["country"] or "", r["province"]["name"]))
        return out

    def control_changes(self, known_at: datetime | None = None) -> list[dict[str, Any]]:
        """Every reported change of control (baseline spans left out): what `sitroom eval` scores."""
        return [control_to_dict(s) for s in changes_in(self.control_spans(None, known_at))]

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
        claims = self._claims_of(ADVISORY_TYPES, known_at)
        return [advisory_to_dict(a) for a in advisories(claims, at=at, actors=self.actors)]

    def transport(self, at: date | None = None, known_at: datetime | None = None) -> list[dict[str, Any]]:
        return [transport_to_dict(t) for t in transport(self._claims_of(TRANSPORT_TYPES, known_at), at=at)]

    def figures(
        self,
        known_at: datetime | None = None,
        since: date | None = None,
        until: date | None = None,
        at: date | None = None,
    ) -> list[dict[str, Any]]:
        if at is not None:
            until = min(until, at) if until else at
        out = []
        for f in figures(self._claims_of(FIGURE_TYPES, known_at)):
            if since is not None and f.as_of is not None and f.as_of < since:
                continue
            if until is not None and f.as_of is not None and f.as_of > until:
                continue
            out.append(figure_to_dict(f))
        return out


_FIGURE_TYPE = dict(ontology.metric_types())  # metric -> the event type that counts it
# The event types each table's rows can be of, and the day --since/--until filter a row by (DESIGN.md: every query
# takes every filter; "advisories --type protest" used to list every advisory).
ROW_KIND_TYPES: dict[str, frozenset[str]] = {
    "control": frozenset(CONTROL_TYPES),
    "advisories": frozenset({"travel_advisory"}),
    "transport": frozenset({"transport_status"}),
    "figures": frozenset(_FIGURE_TYPE.values()),
}
_ROW_DAY = {"advisories": "issued", "transport": "since", "control": "since"}


def _row_types(kind: str, row: dict[str, Any]) -> frozenset[str]:
    """What one row says it comes from: a figure by its metric, any other row by its table."""
    if kind == "figures":
        return frozenset({_FIGURE_TYPE.get(row.get("metric", ""), "")})
    return ROW_KIND_TYPES[kind]


def filter_rows(
    kind: str,
    rows: list[dict[str, Any]],
    types: tuple[str, ...] = (),
    since: date | None = None,
    until: date | None = None,
) -> list[dict[str, Any]]:
    """Picture rows (control, advisories, transport, figures) of the event types asked for and, where a row has
    a day of its own, dated within [since, until]. A type the table can never hold is refused (QueryError):
    `advisories --type protest` would otherwise answer an empty table as if it had looked."""
    held = ROW_KIND_TYPES[kind]
    foreign = sorted(set(types) - held)
    if foreign:
        raise QueryError(f"{kind} hold only {', '.join(sorted(held))}; not {', '.join(foreign)}")
    if types:
        wanted = set(types)
        rows = [r for r in rows if _row_types(kind, r) & wanted]
    key = _ROW_DAY.get(kind)
    if key and (since or until):
        lo, hi = (since.isoformat() if since else None), (until.isoformat() if until else None)
        rows = [r for r in rows if r.get(key) and (lo is None or r[key] >= lo) and (hi is None or r[key] <= hi)]
    return rows


def _event_in(
    ev: Event,
    types: Sequence[str],
    since: date | None,
    until: date | None,
    bbox: tuple[float, float, float, float] | None,
) -> bool:
    if types and ev.type not in types:
        return False
    if since is not None and ev.when.latest is not None and ev.when.latest < since:
        return False
    if until is not None and ev.when.earliest is not None and ev.when.earliest > until:
        return False
    return bbox is None or _in_bbox(ev.place, bbox)


def _resolve_place(gaz: Gazetteer, name: str) -> Place | None:
    """A place the user named: a GeoNames id or own id, else the likeliest place of that name."""
    s = name.strip()
    got = gaz.get(f"geonames:{s}" if s.isdigit() else s)
    if got is not None:
        return got
    found = gaz.lookup(s)
    return found[0] if found else None


def _place_matches(place: Any, wanted: str) -> bool:
    """`--place` as the user typed it: any spelling, GeoNames id or country code (geo.select)."""
    return place_selector(wanted).matches(place)


def _in_bbox(place: Any, bbox: tuple[float, float, float, float]) -> bool:
    if place is None or place.lat is None or place.lon is None:
        return False
    min_lon, min_lat, max_lon, max_lat = bbox
    return bool(min_lat <= place.lat <= max_lat and min_lon <= place.lon <= max_lon)
