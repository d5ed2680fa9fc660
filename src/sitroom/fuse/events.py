"""Claims -> events: one event per happening, however many reports, with who supports and who denies it.

Matching a claim to an event (all must hold):
- same type;
- compatible actors: the same actor, or one an ancestor of the other (HTS joins "Syrian opposition"); a claim
  that names no actor joins any actor's event;
- places close enough for the type (see `place_distance`): the same place (same gazetteer entry or name,
  or within 3 km; 10 km between a city and a spot not pinned to a gazetteer entry), facilities only with
  the same facility (an airport is never its city),
  campaigns (`offensive`) anywhere in the same country, areas (countries, provinces) only the same area;
- overlapping dates, widened by a type-dependent tolerance (a day for one-day happenings, which absorbs
  "late Friday" versus "early Saturday"; two weeks for a campaign);
- for figures (displacement, casualties) the same number within 1 %, for transport the same status, for
  statements the same words (wire copies): one speaker says many things in a day.
Among several matching events the nearest place wins, then the nearest date, then the lowest id (any fixed
rule would do; this one does not depend on the order events were loaded in).

Identity: an event's id derives from the claim that founded it and never changes afterwards. Claims are
processed in publication order (then document, offset, id), so fusing everything at once and fusing in
chronological batches (with `previous`) make the same events with the same ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sitroom.fuse._common import (
    AREA_KINDS,
    NOT_EVENTS,
    SUPPORTING,
    actor_depth,
    compatible,
    day_gap,
    haversine_km,
    is_plan,
    lineage,
    mode_ref,
    near_identical,
    norm_name,
    origin_key,
    source_groups,
    stable_id,
    widen,
)
from sitroom.model import FACILITY_KINDS, Actor, ActorRef, Claim, DateSpan, Event, Place

ClaimLookup = Callable[[Sequence[str]], Iterable[Claim]]

# Campaigns are matched by country; everything else by place.
WIDE_TYPES = frozenset({"offensive"})
FIGURE_TYPES = frozenset({"displacement", "casualties"})
# Types whose events are what was said, not a happening: fused only with reprints of the same words.
SAID_TYPES = frozenset({"statement"})
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
# A range wider than this ("in 2024", "since the war began") says little about when: it does not narrow
# an event's date that other reports give more precisely.
VAGUE_RANGE_DAYS = 31
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
    # Two places with different names are two places (a city and its suburb, two villages), unless they sit
    # on one spot (GeoNames holds duplicates) -- or one is a city and the other a spot sitroom could not
    # pin to a gazetteer entry, which may lie anywhere in the city's sprawl.
    unpinned = a.geonameid is None or b.geonameid is None
    radius = CITY_RADIUS_KM if unpinned and "city" in (a.kind, b.kind) else TOWN_RADIUS_KM
    return km if km <= radius else None


def fusable(claim: Claim) -> bool:
    """Hypotheticals, projections and plans never make an event."""
    return claim.stance not in NOT_EVENTS and not is_plan(claim)


_EPOCH = datetime.min.replace(tzinfo=UTC)


def _order_key(c: Claim) -> tuple[bool, datetime, str, int, str]:
    pub = c.published_at or _EPOCH
    if pub.tzinfo is None:
        pub = pub.replace(tzinfo=UTC)
    return (c.published_at is None, pub, c.document_id, c.evidence.start, c.id)


def _month(d: date) -> int:
    return d.year * 12 + d.month - 1


class _Side:
    """What the claims of one polarity (supporting, or denying) say about an event's actor, place and date.

    Kept incrementally so that adding the 1,000th report to a big event costs the same as the first.
    """

    __slots__ = ("actor_stats", "actors", "count", "hi", "lo", "narrowest", "place_stats", "votes")

    def __init__(self, actors: Mapping[str, Actor]) -> None:
        self.actors = actors
        self.count = 0
        self.actor_stats: dict[str, list[Any]] = {}  # id -> [count, first position, ref, depth]
        self.place_stats: dict[str, list[Any]] = {}  # key -> [count, first position, place]
        self.votes: dict[date, set[str]] = {}
        self.lo: date | None = None
        self.hi: date | None = None
        self.narrowest: DateSpan | None = None

    def add(self, c: Claim, vote: str) -> None:
        n = self.count
        self.count += 1
        if c.actor is not None:
            st = self.actor_stats.get(c.actor.id)
            if st is None:
                self.actor_stats[c.actor.id] = [1, n, c.actor, actor_depth(c.actor.id, self.actors)]
            else:
                st[0] += 1
        if c.place is not None:
            ps = self.place_stats.get(c.place.key)
            if ps is None:
                self.place_stats[c.place.key] = [1, n, c.place]
            else:
                ps[0] += 1
        self.add_when(c.when, vote)

    def add_when(self, w: DateSpan, vote: str) -> None:
        if w.exact is not None:
            self.votes.setdefault(w.exact, set()).add(vote)
        vague = w.earliest is not None and w.latest is not None and (w.latest - w.earliest).days > VAGUE_RANGE_DAYS
        if not vague and w.earliest is not None:
            self.lo = w.earliest if self.lo is None else max(self.lo, w.earliest)
        if not vague and w.latest is not None:
            self.hi = w.latest if self.hi is None else min(self.hi, w.latest)
        if w.earliest is not None and w.latest is not None:
            width = (w.latest - w.earliest).days
            nw = self.narrowest
            if nw is None or (width, w.earliest) < ((nw.latest - nw.earliest).days, nw.earliest):  # type: ignore[operator]
                self.narrowest = w

    def actor(self) -> ActorRef | None:
        """The most specific actor named (deepest in the hierarchy), then the most often named, then the first."""
        if not self.actor_stats:
            return None
        best = min(self.actor_stats.values(), key=lambda st: (-st[3], -st[0], st[1]))
        return best[2]  # type: ignore[no-any-return]

    def place(self) -> Place | None:
        if not self.place_stats:
            return None
        # most often named; then one pinned to a gazetteer entry; then the first named
        best = min(self.place_stats.values(), key=lambda ps: (-ps[0], ps[2].geonameid is None, ps[1]))
        return best[2]  # type: ignore[no-any-return]

    def when(self) -> DateSpan:
        """The day named by the most independent origins (ties: the earliest); else the ranges' intersection;
        when the ranges do not intersect, the narrowest one. Vague ranges (over VAGUE_RANGE_DAYS: "this
        year", "since the war began") only date an event nothing else dates."""
        if self.votes:
            return DateSpan.day(min(self.votes, key=lambda d: (-len(self.votes[d]), d)))
        if self.lo is None and self.hi is None:
            return self.narrowest or DateSpan(None, None)
        if self.lo is None or self.hi is None or self.lo <= self.hi:
            return DateSpan(self.lo, self.hi)
        return self.narrowest or DateSpan(None, None)


@dataclass
class _View:
    """What matching looks at: the same fields a stored Event has, so batches and one pass agree."""

    id: str
    type: str
    actor: ActorRef | None
    place: Place | None
    when: DateSpan


class _Summary:
    """An event under construction: its claims in order, both sides, and the previous event it continues."""

    def __init__(
        self,
        event_id: str,
        event_type: str,
        actors: Mapping[str, Actor],
        base: Event | None = None,
        unresolved: int = 0,
    ) -> None:
        self.id = event_id
        self.type = event_type
        self.actors = actors
        self.base = base if unresolved else None
        self.unresolved = unresolved
        self.members: list[Claim] = []
        self.support = _Side(actors)
        self.denial = _Side(actors)
        if self.base is not None:
            self.support.add_when(self.base.when, "base")

    def add(self, c: Claim) -> None:
        self.members.append(c)
        side = self.support if c.stance in SUPPORTING else self.denial
        side.add(c, origin_key(c, self.actors))

    def view(self) -> _View:
        side = self.support if self.support.count or self.denial.count == 0 else self.denial
        actor = side.actor()
        place = side.place()
        when = side.when() if side is self.support or self.base is None else self.support.when()
        if self.base is not None:
            if self.base.actor is not None:
                actor = _more_specific(self.base.actor, actor, self.actors)
            if place is None:
                place = self.base.place
        return _View(self.id, self.type, actor, place, when)


def _more_specific(a: ActorRef, b: ActorRef | None, actors: Mapping[str, Actor]) -> ActorRef:
    if b is None:
        return a
    return b if actor_depth(b.id, actors) > actor_depth(a.id, actors) else a


@dataclass
class _Cluster:
    view: _View
    base: Event | None = None  # the previous event this cluster continues (kept as is until a claim joins)
    summary: _Summary | None = None
    touched: bool = False


class _Fuser:
    def __init__(self, actors: Mapping[str, Actor], known: Mapping[str, Claim], claims_of: ClaimLookup | None) -> None:
        self.actors = actors
        self.known = known
        self.claims_of = claims_of
        self.clusters: list[_Cluster] = []
        self.by_cell: dict[tuple[str, object], list[int]] = {}
        self.by_month: dict[tuple[str, object, int], list[int]] = {}
        self.wide: dict[tuple[str, object], list[int]] = {}
        self.claim_home: set[str] = set()

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
    def months(span: DateSpan, tolerance_days: int = 0) -> list[int] | None:
        lo_day, hi_day = span.earliest, span.latest
        if lo_day is None or hi_day is None:
            return None
        if tolerance_days:
            pad = timedelta(days=tolerance_days)
            lo_day, hi_day = lo_day - pad, hi_day + pad
        lo, hi = _month(lo_day), _month(hi_day)
        if hi - lo > _WIDE_MONTHS:
            return None
        return list(range(lo, hi + 1))

    def register(self, idx: int) -> None:
        v = self.clusters[idx].view
        months = self.months(v.when, DATE_TOLERANCE.get(v.type, DEFAULT_DATE_TOLERANCE))
        for cell in self.cells(v.type, v.place, neighbours=False):
            self.by_cell.setdefault((v.type, cell), []).append(idx)
            if months is None:
                self.wide.setdefault((v.type, cell), []).append(idx)
            else:
                for m in months:
                    self.by_month.setdefault((v.type, cell, m), []).append(idx)

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

    def score(self, claim: Claim, cl: _Cluster) -> tuple[float, int] | None:
        v = cl.view
        if claim.type != v.type:
            return None
        if claim.actor is not None and v.actor is not None and not compatible(claim.actor.id, v.actor.id, self.actors):
            return None
        km = place_distance(claim.place, v.place, v.type)
        if km is None:
            return None
        tol = DATE_TOLERANCE.get(v.type, DEFAULT_DATE_TOLERANCE)
        if not claim.when.overlaps(widen(v.when, tol)):
            return None
        if v.type in FIGURE_TYPES or v.type == "transport_status":
            ref = self.first_member(cl)
            if ref is not None and not _same_measure(claim, ref):
                return None
        if v.type in SAID_TYPES:
            # One speaker says many things a day: only reprints of the same words are one statement.
            ref = self.first_member(cl)
            if ref is None or not near_identical(claim.evidence.text, ref.evidence.text):
                return None
        return km, day_gap(claim.when, v.when)

    def first_member(self, cl: _Cluster) -> Claim | None:
        if cl.summary is not None and cl.summary.members:
            return cl.summary.members[0]
        if cl.base is not None:
            for cid in (*cl.base.claims, *cl.base.opposing):
                if cid in self.known:
                    return self.known[cid]
        return None

    # -- building ----------------------------------------------------------------------------------

    def reach(self, claims: Sequence[Claim]) -> None:
        """Note the cells and months the new claims can reach, so previous events elsewhere are not indexed."""
        self.wanted_cells: set[tuple[str, object]] = set()
        self.wanted_any_month: set[tuple[str, object]] = set()
        self.wanted_months: set[tuple[str, object, int]] = set()
        for c in claims:
            months = self.months(c.when)
            for cell in self.cells(c.type, c.place, neighbours=True):
                self.wanted_cells.add((c.type, cell))
                if months is None:
                    self.wanted_any_month.add((c.type, cell))
                else:
                    self.wanted_months.update((c.type, cell, m) for m in months)

    def reachable(self, ev: Event) -> bool:
        months = self.months(ev.when, DATE_TOLERANCE.get(ev.type, DEFAULT_DATE_TOLERANCE))
        for cell in self.cells(ev.type, ev.place, neighbours=False):
            key = (ev.type, cell)
            if key not in self.wanted_cells:
                continue
            if months is None or key in self.wanted_any_month:
                return True
            if any((ev.type, cell, m) in self.wanted_months for m in months):
                return True
        return False

    def add_previous(self, ev: Event) -> None:
        """Take a previous event; index it only when a new claim could reach it."""
        self.claim_home.update(ev.claims)
        self.claim_home.update(ev.opposing)
        if not self.reachable(ev):
            return
        idx = len(self.clusters)
        self.clusters.append(_Cluster(_View(ev.id, ev.type, ev.actor, ev.place, ev.when), base=ev))
        self.register(idx)

    def open(self, cl: _Cluster) -> _Summary:
        """Start (once) the summary of a previous event a new claim joins: fetch its claims only now."""
        if cl.summary is not None:
            return cl.summary
        base = cl.base
        if base is None:
            raise ValueError("a new cluster always has a summary")  # internal invariant, not user input
        ids = [*base.claims, *base.opposing]
        missing = [i for i in ids if i not in self.known]
        fetched: dict[str, Claim] = {}
        if missing and self.claims_of is not None:
            fetched = {c.id: c for c in self.claims_of(missing)}
        resolved = [self.known.get(i) or fetched.get(i) for i in ids]
        members = sorted((c for c in resolved if c is not None), key=_order_key)
        summary = _Summary(base.id, base.type, self.actors, base, len(ids) - len(members))
        for c in members:
            summary.add(c)
        cl.summary = summary
        return summary

    def add(self, claim: Claim) -> None:
        if claim.id in self.claim_home:
            return
        best: tuple[tuple[float, int, str], int] | None = None
        for idx in self.candidates(claim):
            cl = self.clusters[idx]
            s = self.score(claim, cl)
            if s is None:
                continue
            key = (s[0], s[1], cl.view.id)
            if best is None or key < best[0]:
                best = (key, idx)
        if best is None:
            idx = len(self.clusters)
            event_id = stable_id("ev", claim.id)
            summary = _Summary(event_id, claim.type, self.actors)
            cl = _Cluster(_View(event_id, claim.type, None, None, DateSpan(None, None)), summary=summary)
            self.clusters.append(cl)
        else:
            idx = best[1]
            cl = self.clusters[idx]
            summary = self.open(cl)
        summary.add(claim)
        cl.touched = True
        self.claim_home.add(claim.id)
        old = cl.view
        cl.view = summary.view()
        if best is None or (old.place, old.when) != (cl.view.place, cl.view.when):
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


def build_event(summary: _Summary) -> Event:
    """Summarise an event's claims: status, confidence, independent sources, date, place, actor.

    When part of a previous event's claims are not available (`unresolved` > 0), its stored figures stand
    in for them: its source count is kept and new sources are added, its confidence acts as a prior.
    """
    actors = summary.actors
    members = summary.members
    base = summary.base
    view = summary.view()
    supports = [c for c in members if c.stance in SUPPORTING]
    denials = [c for c in members if c.stance == "denied"]
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
    if base is not None:
        sources += base.sources
        prior = base.confidence if base.status in ("reported", "corroborated") else 0.0
        has_support = has_support or base.status in ("reported", "corroborated", "contested")
        has_denial = has_denial or base.status in ("contested", "denied")

    disbelief = 1.0 - prior
    for group in support_groups.values():
        own = any(_is_own_announcement(c, view.actor, actors) for c in group)
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

    pubs = [c.published_at for c in members if c.published_at is not None]
    support_pubs = [c.published_at for c in supports if c.published_at is not None]
    first = min(pubs, default=None)
    last = max(support_pubs, default=None)
    claim_ids = [c.id for c in supports]
    opposing = [c.id for c in denials]
    if base is not None:
        if base.first_reported is not None:
            first = base.first_reported if first is None else min(first, base.first_reported)
        if base.last_confirmed is not None:
            last = base.last_confirmed if last is None else max(last, base.last_confirmed)
        seen = set(claim_ids) | set(opposing)
        claim_ids = [i for i in base.claims if i not in seen] + claim_ids
        opposing = [i for i in base.opposing if i not in seen] + opposing

    note = implausibility(summary.type, view.actor, view.place, actors)
    if note is not None and status in ("reported", "corroborated"):
        status, confidence = "contested", confidence * 0.5

    return Event(
        id=summary.id,
        type=summary.type,
        status=status,
        confidence=round(confidence, 3),
        when=view.when,
        actor=view.actor,
        target=target,
        place=view.place,
        sources=sources,
        claims=tuple(claim_ids),
        opposing=tuple(opposing),
        first_reported=first,
        last_confirmed=last,
        note=note,
    )


def implausibility(etype: str, actor: ActorRef | None, place: Place | None, actors: Mapping[str, Actor]) -> str | None:
    """Why a capture cannot be taken as read, or None: a state credited with taking a place in a country where
    its ground forces do not fight (states.toml `fights_in`), most often a misread ("a general removed after
    the fall of Aleppo" as Russia taking Aleppo). Such an event is kept, contested, and changes no control."""
    if etype != "territory_captured" or actor is None or place is None or not place.country:
        return None
    state = next(
        (a for aid in lineage(actor.id, actors) if (a := actors.get(aid)) is not None and a.kind == "state"), None
    )
    if state is None or state.country is None or place.country in (state.country, *state.fights_in):
        return None
    return (
        f"implausible: a capture credited to {state.name}, whose ground forces are not known to fight in "
        f"{place.country}; kept out of control"
    )


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
    known: dict[str, Claim] = {c.id: c for c in claims}
    fuser = _Fuser(actors, known, claims_of)
    new = sorted((c for c in claims if fusable(c)), key=_order_key)
    # Only previous events in the cells and months the new claims can reach need indexing: with a store's
    # worth of events passed in, an update stays proportional to the new claims, not to the archive.
    if previous:
        fuser.reach(new)
    for ev in sorted(previous, key=lambda e: e.id):
        fuser.add_previous(ev)
    for claim in new:
        fuser.add(claim)
    touched = [build_event(cl.summary) for cl in fuser.clusters if cl.touched and cl.summary is not None]
    return sorted(touched, key=_event_order)


def _event_order(ev: Event) -> tuple[bool, datetime, str]:
    first = ev.first_reported or _EPOCH
    return (ev.first_reported is None, first, ev.id)


def tolerance(event_type: str) -> timedelta:
    return timedelta(days=DATE_TOLERANCE.get(event_type, DEFAULT_DATE_TOLERANCE))


@dataclass(frozen=True, slots=True)
class Reach:
    """Where and when previous events must lie for some of a batch of new claims to join them.

    A store can fetch just these events and pass them as `previous`: events of `type` whose place is a
    point inside the box (south..north, west..east), or an area or unlocated place in one of `countries`,
    or no place at all when `placeless`; and whose dates overlap earliest..latest (None: unbounded).
    For campaign types (`offensive`) the box is None and any place in `countries` counts.
    """

    type: str
    south: float | None
    west: float | None
    north: float | None
    east: float | None
    countries: frozenset[str]
    placeless: bool
    earliest: date | None
    latest: date | None

    def contains(self, ev: Event) -> bool:
        """Whether a previous event lies in this window (what a store's query would select)."""
        if ev.type != self.type:
            return False
        if not ev.when.overlaps(DateSpan(self.earliest, self.latest)):
            return False
        p = ev.place
        if p is None:
            return self.placeless
        point = p.lat is not None and p.lon is not None and p.kind not in AREA_KINDS
        if self.south is None or not point:
            return p.country in self.countries if p.country else True
        return (
            self.south <= p.lat <= self.north  # type: ignore[operator]
            and self.west <= p.lon <= self.east  # type: ignore[operator]
        )


def reach(claims: Sequence[Claim]) -> list[Reach]:
    """The previous events a batch of new claims could join, one window per event type (see `Reach`)."""
    by_type: dict[str, list[Claim]] = {}
    for c in claims:
        if fusable(c):
            by_type.setdefault(c.type, []).append(c)
    out: list[Reach] = []
    pad_deg = _CELL_DEG  # wider than any fusing radius (2 x CITY_RADIUS_KM ~ 0.18 deg)
    for event_type, group in sorted(by_type.items()):
        tol = timedelta(days=DATE_TOLERANCE.get(event_type, DEFAULT_DATE_TOLERANCE))
        lats = [c.place.lat for c in group if c.place is not None and c.place.lat is not None]
        lons = [c.place.lon for c in group if c.place is not None and c.place.lon is not None]
        countries = frozenset(c.place.country for c in group if c.place is not None and c.place.country)
        starts = [c.when.earliest for c in group if c.when.earliest is not None]
        ends = [c.when.latest for c in group if c.when.latest is not None]
        open_start = len(starts) < len(group)
        open_end = len(ends) < len(group)
        point = event_type not in WIDE_TYPES and bool(lats)
        out.append(
            Reach(
                type=event_type,
                south=min(lats) - pad_deg if point else None,
                west=min(lons) - pad_deg if point else None,
                north=max(lats) + pad_deg if point else None,
                east=max(lons) + pad_deg if point else None,
                countries=countries,
                placeless=any(c.place is None for c in group),
                earliest=None if open_start else min(starts) - tol,
                latest=None if open_end else max(ends) + tol,
            )
        )
    return out
