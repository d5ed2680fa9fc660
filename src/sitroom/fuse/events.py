"""Claims -> events: one event per happening, however many reports, with who supports and who denies it.

Matching a claim to an event (all must hold):
- same type;
- compatible actors: the same actor, or one an ancestor of the other (HTS joins "Syrian opposition"); a claim
  that names no actor joins any actor's event;
- places close enough for the type (see `place_distance`): a capture of a town ~10 km (a city's quarters and
  suburbs resolve a little apart), facilities only with the same facility (an airport is never its city),
  campaigns (`offensive`) anywhere in the same country, areas (countries, provinces) only the same area;
- overlapping dates, widened by a type-dependent tolerance (a day for one-day happenings, which absorbs
  "late Friday" versus "early Saturday"; two weeks for a campaign);
- for figures (displacement, casualties) the same number within 1 %, for transport the same status.
Among several matching events the nearest place wins, then the nearest date, then the oldest event.

Identity: an event's id derives from the claim that founded it and never changes afterwards. Claims are
processed in publication order (then document, offset, id), so fusing everything at once and fusing in
chronological batches (with `previous`) make the same events with the same ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sitroom.fuse._common import (
    AREA_KINDS,
    NOT_EVENTS,
    SUPPORTING,
    compatible,
    day_gap,
    estimate_when,
    haversine_km,
    is_plan,
    mode_ref,
    norm_name,
    source_groups,
    stable_id,
    widen,
)
from sitroom.model import FACILITY_KINDS, Actor, ActorRef, Claim, DateSpan, Event, Place

ClaimLookup = Callable[[Sequence[str]], Iterable[Claim]]

# Campaigns are matched by country; everything else by place.
WIDE_TYPES = frozenset({"offensive"})
FIGURE_TYPES = frozenset({"displacement", "casualties"})
# How far apart two reports' dates may be and still describe one happening (days).
DATE_TOLERANCE: Mapping[str, int] = {
    "offensive": 14,
    "military_exercise": 3,
    "travel_advisory": 0,
    "displacement": 0,
    "casualties": 0,
    "transport_status": 1,
}
DEFAULT_DATE_TOLERANCE = 1
# Radius for two populated places to count as one (km): a city's quarters resolve a few km apart.
CITY_RADIUS_KM = 10.0
TOWN_RADIUS_KM = 3.0
FACILITY_RADIUS_KM = 2.0
_CELL_DEG = 0.2  # ~22 km: with the 3x3 neighbourhood this covers every radius above
_WIDE_MONTHS = 13  # an event spanning more months than this is kept in the "any month" list


def place_distance(a: Place | None, b: Place | None, event_type: str) -> float | None:
    """How far apart two claim places are for fusing, or None when they cannot be one event's place."""
    if a is None or b is None:
        return 0.0 if a is None and b is None else None
    if event_type in WIDE_TYPES:
        if a.key == b.key:
            return 0.0
        if a.country and a.country == b.country:
            return 1.0  # same country: fine, but prefer an event at the very same place
        return None
    if a.key == b.key:
        return 0.0
    fa, fb = a.kind in FACILITY_KINDS, b.kind in FACILITY_KINDS
    same_name = norm_name(a.name) == norm_name(b.name) and a.country == b.country
    if fa or fb:
        if not (fa and fb):
            return None
        km = haversine_km(a, b)
        if km is None:
            return 0.0 if same_name else None
        return km if km <= FACILITY_RADIUS_KM else None
    if a.kind in AREA_KINDS or b.kind in AREA_KINDS:
        if a.kind == b.kind == "country":
            return 0.0 if a.country and a.country == b.country else None
        return 0.0 if same_name and a.kind == b.kind else None
    km = haversine_km(a, b)
    if km is None:
        return 0.0 if same_name else None
    if same_name:
        return km if km <= 2 * CITY_RADIUS_KM else None
    distinct_entries = a.geonameid is not None and b.geonameid is not None
    radius = CITY_RADIUS_KM if (a.kind == "city" or b.kind == "city" or not distinct_entries) else TOWN_RADIUS_KM
    return km if km <= radius else None


def fusable(claim: Claim) -> bool:
    """Hypotheticals, projections and plans never make an event."""
    return claim.stance not in NOT_EVENTS and not is_plan(claim)


def _order_key(c: Claim) -> tuple[bool, datetime, str, int, str]:
    pub = c.published_at or datetime.min.replace(tzinfo=UTC)
    if pub.tzinfo is None:
        pub = pub.replace(tzinfo=UTC)
    return (c.published_at is None, pub, c.document_id, c.evidence.start, c.id)


def _month(d: date) -> int:
    return d.year * 12 + d.month - 1


@dataclass
class _Cluster:
    id: str
    type: str
    members: list[Claim] = field(default_factory=list)
    base: Event | None = None  # the previous event this cluster continues
    unresolved: int = 0  # previous members whose claims we could not see
    event: Event | None = None
    touched: bool = False


class _Fuser:
    def __init__(self, actors: Mapping[str, Actor]) -> None:
        self.actors = actors
        self.clusters: list[_Cluster] = []
        self.by_cell: dict[tuple[str, object], list[int]] = {}
        self.by_month: dict[tuple[str, object, int], list[int]] = {}
        self.wide: dict[tuple[str, object], list[int]] = {}
        self.claim_home: dict[str, int] = {}
        self.by_id: dict[str, int] = {}

    # -- indexing ----------------------------------------------------------------------------------

    @staticmethod
    def cells(event_type: str, place: Place | None, neighbours: bool) -> list[object]:
        if place is None:
            return [("none",)]
        if event_type in WIDE_TYPES:
            return [("country", place.country or norm_name(place.name))]
        if place.kind in AREA_KINDS:
            return [("area", place.country or "", norm_name(place.name))]
        if place.lat is None or place.lon is None:
            return [("name", place.country or "", norm_name(place.name))]
        ci, cj = int(place.lat // _CELL_DEG), int(place.lon // _CELL_DEG)
        if not neighbours:
            return [("cell", ci, cj)]
        return [("cell", ci + di, cj + dj) for di in (-1, 0, 1) for dj in (-1, 0, 1)]

    @staticmethod
    def months(span: DateSpan) -> list[int] | None:
        if span.earliest is None or span.latest is None:
            return None
        lo, hi = _month(span.earliest), _month(span.latest)
        if hi - lo > _WIDE_MONTHS:
            return None
        return list(range(lo, hi + 1))

    def register(self, idx: int) -> None:
        ev = self.clusters[idx].event
        if ev is None:
            return
        tol = DATE_TOLERANCE.get(ev.type, DEFAULT_DATE_TOLERANCE)
        months = self.months(widen(ev.when, tol))
        for cell in self.cells(ev.type, ev.place, neighbours=False):
            self.by_cell.setdefault((ev.type, cell), []).append(idx)
            if months is None:
                self.wide.setdefault((ev.type, cell), []).append(idx)
            else:
                for m in months:
                    self.by_month.setdefault((ev.type, cell, m), []).append(idx)

    def candidates(self, claim: Claim) -> set[int]:
        out: set[int] = set()
        months = self.months(claim.when)
        for cell in self.cells(claim.type, claim.place, neighbours=True):
            if months is None:
                out.update(self.by_cell.get((claim.type, cell), ()))
            else:
                out.update(self.wide.get((claim.type, cell), ()))
                for m in months:
                    out.update(self.by_month.get((claim.type, cell, m), ()))
        return out

    # -- matching ----------------------------------------------------------------------------------

    def score(self, claim: Claim, ev: Event) -> tuple[float, int] | None:
        if claim.type != ev.type:
            return None
        if (
            claim.actor is not None
            and ev.actor is not None
            and not compatible(claim.actor.id, ev.actor.id, self.actors)
        ):
            return None
        km = place_distance(claim.place, ev.place, ev.type)
        if km is None:
            return None
        tol = DATE_TOLERANCE.get(ev.type, DEFAULT_DATE_TOLERANCE)
        if not claim.when.overlaps(widen(ev.when, tol)):
            return None
        if ev.type in FIGURE_TYPES or ev.type == "transport_status":
            ref = self._first_member_like(ev)
            if ref is not None and not _same_measure(claim, ref):
                return None
        return km, day_gap(claim.when, ev.when)

    def _first_member_like(self, ev: Event) -> Claim | None:
        idx = self.by_id.get(ev.id)
        if idx is None:
            return None
        members = self.clusters[idx].members
        return members[0] if members else None

    # -- building ----------------------------------------------------------------------------------

    def add_previous(self, ev: Event, resolved: list[Claim]) -> None:
        idx = len(self.clusters)
        cl = _Cluster(ev.id, ev.type, members=resolved, base=ev, event=ev)
        cl.unresolved = len(ev.claims) + len(ev.opposing) - len(resolved)
        self.clusters.append(cl)
        self.by_id[ev.id] = idx
        for cid in (*ev.claims, *ev.opposing):
            self.claim_home[cid] = idx
        self.register(idx)

    def add(self, claim: Claim) -> None:
        if claim.id in self.claim_home:
            return
        best: tuple[tuple[float, int, int], int] | None = None
        for idx in self.candidates(claim):
            ev = self.clusters[idx].event
            if ev is None:
                continue
            s = self.score(claim, ev)
            if s is None:
                continue
            key = (s[0], s[1], idx)
            if best is None or key < best[0]:
                best = (key, idx)
        if best is None:
            idx = len(self.clusters)
            cl = _Cluster(stable_id("ev", claim.id), claim.type)
            self.clusters.append(cl)
            self.by_id[cl.id] = idx
        else:
            idx = best[1]
            cl = self.clusters[idx]
        cl.members.append(claim)
        cl.touched = True
        self.claim_home[claim.id] = idx
        cl.event = build_event(cl.id, cl.type, cl.members, self.actors, cl.base, cl.unresolved)
        self.register(idx)


def _same_measure(a: Claim, b: Claim) -> bool:
    if a.type == "transport_status":
        return a.status == b.status
    if a.metric != b.metric:
        return False
    if a.quantity is None or b.quantity is None:
        return a.quantity is None and b.quantity is None
    return abs(a.quantity - b.quantity) <= 0.01 * max(abs(a.quantity), abs(b.quantity))


def claim_weight(claim: Claim, own_announcement: bool, actors: Mapping[str, Actor]) -> float:
    """How much one independent source adds to belief in an event.

    An actor's own announcement of its act and a named monitor or UN body weigh a little more than an
    outlet's own voice or an unnamed crowd; the extractor's confidence scales it.
    """
    factor = 0.6
    if own_announcement:
        factor = 0.75
    elif claim.attributed_to is not None:
        speaker = actors.get(claim.attributed_to.id)
        if speaker is not None and speaker.kind in ("monitor", "international_organisation"):
            factor = 0.7
    return max(0.0, min(1.0, claim.confidence)) * factor


def _is_own_announcement(c: Claim, actor: ActorRef | None, actors: Mapping[str, Actor]) -> bool:
    if c.stance != "announced":
        return False
    speaker = c.attributed_to or c.actor
    if speaker is None or actor is None:
        return c.stance == "announced"
    return compatible(speaker.id, actor.id, actors)


def build_event(
    event_id: str,
    event_type: str,
    members: Sequence[Claim],
    actors: Mapping[str, Actor],
    base: Event | None = None,
    unresolved: int = 0,
) -> Event:
    """Summarise an event's claims: status, confidence, independent sources, date, place, actor.

    When part of a previous event's claims are not available (`unresolved` > 0), its stored figures stand
    in for them: its source count is kept and new sources are added, its confidence acts as a prior.
    """
    supports = [c for c in members if c.stance in SUPPORTING]
    denials = [c for c in members if c.stance == "denied"]
    actor = mode_ref((c.actor for c in supports or denials), actors)
    if base is not None and unresolved and base.actor is not None:
        actor = mode_ref([base.actor, actor], actors)
    target = mode_ref((c.target for c in supports or denials), actors)
    if target is None and base is not None:
        target = base.target

    groups = source_groups(members, actors)
    support_groups: dict[int, list[Claim]] = {}
    deny_groups: dict[int, list[Claim]] = {}
    for c, g in zip(members, groups, strict=True):
        (support_groups if c.stance in SUPPORTING else deny_groups).setdefault(g, []).append(c)

    sources = len(support_groups)
    prior = 0.0
    has_support, has_denial = bool(supports), bool(denials)
    if base is not None and unresolved:
        sources += base.sources
        prior = base.confidence if base.status in ("reported", "corroborated") else 0.0
        has_support = has_support or base.status in ("reported", "corroborated", "contested")
        has_denial = has_denial or base.status in ("contested", "denied")

    disbelief = 1.0 - prior
    announced = False
    for group in support_groups.values():
        own = any(_is_own_announcement(c, actor, actors) for c in group)
        announced = announced or own
        disbelief *= 1.0 - max(claim_weight(c, own, actors) for c in group)
    support = 1.0 - disbelief
    doubt = 1.0
    for group in deny_groups.values():
        doubt *= 1.0 - 0.6 * max(max(0.0, min(1.0, c.confidence)) for c in group)
    denial = 1.0 - doubt

    if has_support and has_denial:
        status = "contested"
        confidence = support * (1.0 - 0.5 * denial)
    elif has_support:
        status = "corroborated" if sources >= 2 else "reported"
        confidence = support
    else:
        status = "denied"
        confidence = 0.3 * (1.0 - denial)

    dated = [(c.when, f"g{g}") for c, g in zip(members, groups, strict=True) if c.stance in SUPPORTING]
    if not dated:
        dated = [(c.when, f"g{g}") for c, g in zip(members, groups, strict=True)]
    if base is not None and unresolved:
        dated.append((base.when, "base"))
    when = estimate_when(dated)

    place = _mode_place([c.place for c in (supports or denials)])
    if place is None and base is not None:
        place = base.place

    pubs = [c.published_at for c in members if c.published_at is not None]
    support_pubs = [c.published_at for c in supports if c.published_at is not None]
    first = min(pubs, default=None)
    last = max(support_pubs, default=None)
    if base is not None:
        if base.first_reported is not None:
            first = base.first_reported if first is None else min(first, base.first_reported)
        if base.last_confirmed is not None and unresolved:
            last = base.last_confirmed if last is None else max(last, base.last_confirmed)

    claim_ids = [c.id for c in supports]
    opposing = [c.id for c in denials]
    if base is not None and unresolved:
        seen = set(claim_ids) | set(opposing)
        claim_ids = [i for i in base.claims if i not in seen] + claim_ids
        opposing = [i for i in base.opposing if i not in seen] + opposing

    return Event(
        id=event_id,
        type=event_type,
        status=status,
        confidence=round(confidence, 3),
        when=when,
        actor=actor,
        target=target,
        place=place,
        sources=sources,
        claims=tuple(claim_ids),
        opposing=tuple(opposing),
        first_reported=first,
        last_confirmed=last,
    )


def _mode_place(places: Iterable[Place | None]) -> Place | None:
    counts: dict[str, int] = {}
    first: dict[str, tuple[int, Place]] = {}
    for i, p in enumerate(places):
        if p is None:
            continue
        counts[p.key] = counts.get(p.key, 0) + 1
        first.setdefault(p.key, (i, p))
    if not counts:
        return None
    best = min(counts, key=lambda k: (-counts[k], first[k][0]))
    return first[best][1]


def fuse_events(
    claims: Sequence[Claim],
    actors: Mapping[str, Actor],
    previous: Sequence[Event] = (),
    *,
    claims_of: ClaimLookup | None = None,
) -> list[Event]:
    """Fuse claims into events.

    Without `previous`: every event made from `claims`. With `previous` (events made earlier) and the NEW
    claims: only the events those claims join or found, previous ids kept. To recompute a previous event
    exactly (independent sources, wire copies), its claims are needed: pass them in `claims` too (claims
    already in a previous event are recognised and not added twice) or give `claims_of(ids)`; without
    them, the stored source count and confidence stand in for the unseen claims.
    Hypothetical and projected claims, and claims about days after their own publication (plans), never
    make an event.
    """
    fuser = _Fuser(actors)
    known: dict[str, Claim] = {c.id: c for c in claims}
    if previous:
        wanted = [cid for ev in previous for cid in (*ev.claims, *ev.opposing) if cid not in known]
        if wanted and claims_of is not None:
            for c in claims_of(wanted):
                known.setdefault(c.id, c)
        for ev in sorted(previous, key=lambda e: e.id):
            resolved = [known[cid] for cid in (*ev.claims, *ev.opposing) if cid in known]
            resolved.sort(key=_order_key)
            fuser.add_previous(ev, resolved)
    for claim in sorted((c for c in claims if fusable(c)), key=_order_key):
        fuser.add(claim)
    touched = [cl.event for cl in fuser.clusters if cl.touched and cl.event is not None]
    return sorted(touched, key=_event_order)


def _event_order(ev: Event) -> tuple[bool, datetime, str]:
    first = ev.first_reported or datetime.min.replace(tzinfo=UTC)
    return (ev.first_reported is None, first, ev.id)


def tolerance(event_type: str) -> timedelta:
    return timedelta(days=DATE_TOLERANCE.get(event_type, DEFAULT_DATE_TOLERANCE))
