"""Who controls which place, day by day: spans built from captures and withdrawals on top of a baseline.

How a change is read from the events (see `events.py` for how claims become events):
- A `territory_captured` event asserted or announced by someone moves the place to its actor, unless that
  actor already holds it (same actor or one of its family: then it only confirms the span). Denied-only
  events, hypotheticals, projections and plans change nothing; a capture asserted by some and denied by
  others is kept, with its (lowered) confidence and the denials in the evidence. A capture fusion marks
  implausible (a state credited with taking a place where its forces do not fight) changes nothing; the
  event keeps the reason in its note.
- A `withdrawal` by the controller ends its span. When another actor's capture of the place is reported
  within PAIR_WINDOW_DAYS ("the army withdrew — the rebels entered"), the two are one transfer: the old
  span runs until the capture and the withdrawal is evidence for the new one. A withdrawal alone leaves the
  place with no known controller from that day. A capture that names only who lost the place ("slipped
  out of government control") counts as that holder's withdrawal.
- Dates: a change takes effect on its event's day (the day most independent sources name); with only
  ranges, on the range the reports agree on: its last day when it is short (overnight, a weekend), its
  middle when longer, never when vague (see `_event_day`). `until` is the day the next span begins
  (exclusive), so on a capture's own day the captor holds the place.
- When several capture events say the same holder took the place (dates too far apart to fuse), the change
  is dated by the earliest of them with at least half the independent sources of the best-supported one:
  a lone report with a stray early date does not start it, later mentions of the place as held do not
  delay it.
- Captures by rival actors within RIVAL_WINDOW_DAYS of the holder's own capture are rival accounts of one
  change (most often a report naming the wrong side): the better-supported account stands.
- Reports about days on or before the baseline's `as_of` are history the baseline already holds, for the
  places it covers; elsewhere (another country, another war) they are read like any other.
- Places are kept apart by identity, not by distance: an airport is its own place, so taking a city does not
  settle its airport, and two villages a few km apart are two places.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sitroom import ontology
from sitroom.fuse._common import SUPPORTING, compatible, haversine_km, is_plan, lineage, norm_name
from sitroom.fuse.baseline import Baseline
from sitroom.fuse.events import VAGUE_RANGE_DAYS, fusable, fuse_events
from sitroom.model import FACILITY_KINDS, Actor, ActorRef, Claim, ControlSpan, Event, Place

CONTROL_TYPES = ontology.control_types()
PAIR_WINDOW_DAYS = 3
# Captures of one place by rival actors this close to each other are read as rival accounts of one change.
RIVAL_WINDOW_DAYS = 2
SHORT_RANGE_DAYS = 2
SAME_PLACE_KM = 3.0
_GRID_DEG = 0.05  # ~5 km: neighbouring cells hold every place within SAME_PLACE_KM
# Places a control span is about: towns, cities, facilities. Areas (a country, a province, a region) are
# never "taken" in one report the way a town is, and a province's centroid says nothing of its towns.
AREA_KINDS = frozenset({"country", "region", "admin1", "sea"})


@dataclass
class _Change:
    kind: str  # "capture" | "withdrawal"
    actor: ActorRef
    day: date
    event: Event
    evidence: tuple[str, ...]


@dataclass
class _Run:
    """One holder's time at a place: the captures that say so (the first is not always the best dated)."""

    controller: ActorRef
    baseline_confidence: float | None = None  # set for the baseline's run, which has no start date
    captures: list[_Change] = field(default_factory=list)
    withdrawals: list[_Change] = field(default_factory=list)
    ended: date | None = None  # a lone withdrawal ended it

    @property
    def best(self) -> _Change | None:
        """The best-supported capture: most independent sources, then confidence, then the earliest."""
        if not self.captures:
            return None
        return min(self.captures, key=lambda c: (-c.event.sources, -c.event.confidence, c.day, c.event.id))

    @property
    def since(self) -> date | None:
        """The earliest capture with at least half the support of the best one: a lone stray date does not
        start the run, and later "rebel-held X" mentions, however many, do not push its start back."""
        best = self.best
        if best is None or self.baseline_confidence is not None:
            return None
        solid = [c.day for c in self.captures if 2 * c.event.sources >= best.event.sources]
        return min(solid, default=best.day)

    @property
    def confidence(self) -> float:
        if self.baseline_confidence is not None:
            return self.baseline_confidence
        best = self.best
        conf = best.event.confidence if best is not None else 0.0
        for w in self.withdrawals:
            conf = 1 - (1 - conf) * (1 - 0.5 * w.event.confidence)
        return conf

    def add(self, change: _Change, actors: Mapping[str, Actor]) -> None:
        if change.kind == "withdrawal":
            self.withdrawals.append(change)
            return
        if len(lineage(change.actor.id, actors)) > len(lineage(self.controller.id, actors)):
            self.controller = change.actor  # a more precise name for the same holder
        self.captures.append(change)

    def span(self, place: Place, until: date | None) -> ControlSpan | None:
        """The finished span; None when it would end the day it began."""
        since = self.since
        if until is not None and since is not None and until <= since:
            return None
        evidence: list[str] = []
        events: list[str] = []
        last: datetime | None = None
        for change in sorted(self.captures + self.withdrawals, key=lambda c: (c.day, c.event.id)):
            evidence.extend(i for i in change.evidence if i not in evidence)
            if change.event.id not in events:
                events.append(change.event.id)
            lc = change.event.last_confirmed
            if lc is not None and (last is None or lc > last):
                last = lc
        return ControlSpan(
            place=place,
            controller=self.controller,
            since=since,
            until=until,
            confidence=round(self.confidence, 3),
            last_confirmed=last,
            evidence=tuple(evidence),
            events=tuple(events),
        )


def _event_day(ev: Event) -> date | None:
    """The day a change takes effect (None: it cannot be dated, so it changes nothing).

    A known day is that day. A short range (a night, a weekend: up to SHORT_RANGE_DAYS) is dated by its
    end, by which the capture was done; a longer one by its middle, the single day least far from any day
    in it; a vague one (a year, "since the war began") not at all. Undated reports date it by when they
    were first published.
    """
    w = ev.when
    if w.exact is not None:
        return w.exact
    if w.earliest is not None and w.latest is not None:
        width = (w.latest - w.earliest).days
        if width <= SHORT_RANGE_DAYS:
            return w.latest
        if width > VAGUE_RANGE_DAYS:
            return None
        return w.earliest + timedelta(days=(width + 1) // 2)
    day = w.latest or w.earliest
    if day is None and ev.first_reported is not None:
        day = ev.first_reported.date()
    return day


def _changes(
    events: Sequence[Event], claims: Mapping[str, Claim], baseline: Baseline, with_areas: bool
) -> list[tuple[Place, _Change]]:
    out: list[tuple[Place, _Change]] = []
    for ev in events:
        if ev.type not in CONTROL_TYPES or ev.status == "denied" or ev.place is None or ev.note:
            continue  # (a noted event is one fusion doubts: an implausible capture changes nothing)
        kind = "capture" if ev.type == "territory_captured" else "withdrawal"
        actor = ev.actor
        if actor is None and kind == "capture" and ev.target is not None:
            # "X slipped out of government control": nobody named as taking it, but its holder lost it.
            kind, actor = "withdrawal", ev.target
        if actor is None:
            continue
        if ev.place.kind in AREA_KINDS and not with_areas:
            continue
        known = [claims[i] for i in ev.claims if i in claims]
        if known and not any(c.stance in SUPPORTING and not is_plan(c) for c in known):
            continue
        day = _event_day(ev)
        if day is None:
            continue
        if baseline.as_of is not None and day <= baseline.as_of and baseline.controller_of(ev.place) is not None:
            continue  # history the baseline already holds (only for the places it speaks for)
        out.append((ev.place, _Change(kind, actor, day, ev, (*ev.claims, *ev.opposing))))
    return out


def _group_places(changes: list[tuple[Place, _Change]]) -> list[tuple[Place, list[_Change]]]:
    """Changes per place. One place: the same key, or the same name and country, or within SAME_PLACE_KM
    (gazetteer duplicates); facilities only with facilities. Indexed by key, name and a ~5 km grid, so an
    archive with thousands of places groups in linear time."""
    groups: list[tuple[list[Place], list[_Change]]] = []
    by_key: dict[str, int] = {}
    by_name: dict[tuple[str, str | None, bool], int] = {}
    by_cell: dict[tuple[int, int, bool], list[tuple[Place, int]]] = {}

    def cell(p: Place) -> tuple[int, int] | None:
        if p.lat is None or p.lon is None:
            return None
        return int(p.lat // _GRID_DEG), int(p.lon // _GRID_DEG)

    for place, change in changes:
        facility = place.kind in FACILITY_KINDS
        name = (norm_name(place.name), place.country, facility)
        found = by_key.get(place.key)
        if found is None:
            found = by_name.get(name)
        here = cell(place)
        if found is None and here is not None:
            near = [
                (haversine_km(place, other), idx)
                for di in (-1, 0, 1)
                for dj in (-1, 0, 1)
                for other, idx in by_cell.get((here[0] + di, here[1] + dj, facility), ())
            ]
            close = [(km, idx) for km, idx in near if km is not None and km <= SAME_PLACE_KM]
            if close:
                found = min(close)[1]
        if found is None:
            found = len(groups)
            groups.append(([], []))
        groups[found][0].append(place)
        groups[found][1].append(change)
        by_key.setdefault(place.key, found)
        by_name.setdefault(name, found)
        if here is not None:
            by_cell.setdefault((*here, facility), []).append((place, found))
    out: list[tuple[Place, list[_Change]]] = []
    for places, members in groups:
        counts: dict[str, int] = {}
        for p in places:
            counts[p.key] = counts.get(p.key, 0) + 1
        rep = min(places, key=lambda p: (-counts[p.key], p.geonameid is None, p.key))
        out.append((rep, members))
    return out


def _walk(
    place: Place, start: ActorRef | None, changes: list[_Change], baseline: Baseline, actors: Mapping[str, Actor]
) -> list[ControlSpan]:
    order = sorted(changes, key=lambda c: (c.day, c.kind == "capture", c.event.confidence, c.event.id))
    runs: list[_Run] = [_Run(start, baseline_confidence=baseline.confidence)] if start is not None else []
    pending: list[_Change] = []  # withdrawals waiting for the entry that completes the transfer

    def paired(w: _Change) -> bool:
        return any(
            c.kind == "capture"
            and not compatible(c.actor.id, w.actor.id, actors)
            and abs((c.day - w.day).days) <= PAIR_WINDOW_DAYS
            for c in order
        )

    def holding() -> _Run | None:
        return runs[-1] if runs and runs[-1].ended is None else None

    for change in order:
        current = holding()
        if change.kind == "capture":
            if current is not None and compatible(current.controller.id, change.actor.id, actors):
                current.add(change, actors)
                continue
            since = current.since if current is not None else None
            if current is not None and since is not None and (change.day - since).days <= RIVAL_WINDOW_DAYS:
                # Two holders named for one place within a day or two: rival accounts of one change, most
                # often a report that names the wrong side. The better-supported account stands.
                best = current.best
                if best is not None and change.event.confidence <= best.event.confidence:
                    continue
                runs.pop()
                current = holding()
                if current is not None and compatible(current.controller.id, change.actor.id, actors):
                    current.add(change, actors)
                    continue
            run = _Run(change.actor)
            run.add(change, actors)
            for w in pending:
                run.add(w, actors)
            pending = []
            runs.append(run)
            continue
        # a withdrawal
        if current is not None and compatible(current.controller.id, change.actor.id, actors):
            if paired(change):
                pending.append(change)
            else:
                current.ended = change.day
        elif (
            current is not None
            and len(runs) > 1
            and compatible(runs[-2].controller.id, change.actor.id, actors)
            and current.since is not None
            and abs((change.day - current.since).days) <= PAIR_WINDOW_DAYS
        ):
            current.add(change, actors)  # the loser's withdrawal reported after the winner's entry

    spans: list[ControlSpan] = []
    for i, run in enumerate(runs):
        until = run.ended
        if until is None and i + 1 < len(runs):
            until = runs[i + 1].since
        span = run.span(place, until)
        if span is not None:
            spans.append(span)
    return spans


def control_timeline(
    claims: Sequence[Claim],
    baseline: Baseline | None = None,
    actors: Mapping[str, Actor] | None = None,
    events: Sequence[Event] | None = None,
    *,
    include_baseline: bool = True,
    with_areas: bool = False,
) -> list[ControlSpan]:
    """Control spans per place, oldest first.

    `claims`: the claims known (the caller filters by publication for a `known_at` replay). `events`: the
    fused events when the caller has them (else they are fused here from the claims). With
    `include_baseline`, every baseline place also gets its baseline span (since None), so the map shows
    who held what even where nothing was reported. Captures of whole areas (provinces, regions) are left
    out unless `with_areas`.
    """
    baseline = baseline or Baseline()
    actors = actors or {}
    by_id = {c.id: c for c in claims}
    if events is None:
        relevant = [c for c in claims if c.type in CONTROL_TYPES and fusable(c)]
        events = fuse_events(relevant, actors)
    spans: list[ControlSpan] = []
    grouped = _group_places(_changes(events, by_id, baseline, with_areas))
    covered: list[Place] = []
    for place, changes in grouped:
        entry = baseline.entry_for(place)
        if entry is not None:
            covered.append(entry.place)
        spans.extend(_walk(place, baseline.controller_of(place), changes, baseline, actors))
    if include_baseline:
        for entry in baseline.places:
            if any(entry.place is p for p in covered):
                continue
            spans.append(ControlSpan(entry.place, entry.controller, None, None, baseline.confidence))
    spans.sort(key=lambda s: (s.place.name, s.place.key, s.since or date.min))
    return spans


def control_at(spans: Sequence[ControlSpan], day: date) -> list[ControlSpan]:
    """One entry per place: the span in force on `day` (none for a place nobody is known to hold then)."""
    best: dict[str, ControlSpan] = {}
    for s in spans:
        if s.since is not None and s.since > day:
            continue
        if s.until is not None and day >= s.until:
            continue
        held = best.get(s.place.key)
        if held is None or (s.since or date.min) > (held.since or date.min):
            best[s.place.key] = s
    return sorted(best.values(), key=lambda s: (s.place.name, s.place.key))


def changes_in(spans: Sequence[ControlSpan], start: date | None = None, end: date | None = None) -> list[ControlSpan]:
    """The spans that begin with a reported change (not baseline spans), optionally within [start, end]."""
    return [
        s
        for s in spans
        if s.since is not None and (start is None or s.since >= start) and (end is None or s.since <= end)
    ]
