"""The state of the world that is not territory: advisories in force, transport status, figures.

All three read claims directly (no events needed) and keep every number and status traceable to the claim
ids that support it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sitroom.fuse._common import (
    SUPPORTING,
    as_utc_datetime,
    effective_day,
    is_plan,
    norm_name,
    published_day,
    stable_id,
    state_of,
)
from sitroom.model import ADVICE_LEVELS, Actor, ActorRef, Advisory, Claim, Figure, Place, TransportStatus

# --- advisories -------------------------------------------------------------------------------------

_ALL_AUDIENCE_WORDS = ("all", "everyone", "travellers", "travelers", "foreigners", "visitors", "anyone")


def audience_class(audience: str | None) -> str:
    """ "nationals" (a state speaking to its own people: citizens, nationals, expatriates) or "all"."""
    if audience and any(w in norm_name(audience).split() for w in _ALL_AUDIENCE_WORDS):
        return "all"
    return "nationals"


def advisory_id(adv: Advisory) -> str:
    """A stable id for an advisory (the target of another's `superseded_by`): from its first evidence claim."""
    if adv.evidence:
        return stable_id("adv", adv.evidence[0])
    return stable_id("adv", adv.issuer.id, adv.area.key, str(adv.issued), adv.audience or "")


@dataclass
class _Draft:
    issuer: ActorRef
    area: Place
    audience: str
    issued: date | None
    levels: set[str] = field(default_factory=set)
    means: str | None = None
    evidence: list[str] = field(default_factory=list)

    def take(self, c: Claim) -> None:
        if c.advice:
            self.levels.add(c.advice)
        if self.means is None and c.means:
            self.means = c.means
        if c.id not in self.evidence:
            self.evidence.append(c.id)

    def merge(self, later: _Draft) -> None:
        self.levels |= later.levels
        self.means = self.means or later.means
        self.evidence.extend(i for i in later.evidence if i not in self.evidence)

    def freeze(self, superseded_by: str | None) -> Advisory:
        levels = tuple(lvl for lvl in ADVICE_LEVELS if lvl in self.levels)
        levels += tuple(sorted(lvl for lvl in self.levels if lvl not in ADVICE_LEVELS))
        return Advisory(
            issuer=self.issuer,
            area=self.area,
            levels=levels,
            issued=self.issued,
            audience=self.audience,
            means=self.means,
            superseded_by=superseded_by,
            evidence=tuple(self.evidence),
        )


def _same_advice(a: _Draft, b: _Draft) -> bool:
    """Whether a later advisory only repeats an earlier one: its levels ("other" aside) are among the earlier
    one's. Later reports mostly recap the headline ("X has told its citizens to leave"); advice that is
    eased or lifted comes with new words, not with fewer of the old ones."""
    later = b.levels - {"other"}
    return bool(later) and later <= a.levels


def _claim_order(c: Claim) -> tuple[date, datetime, str]:
    day = effective_day(c) or date.min
    pub = c.published_at or datetime.min
    if pub.tzinfo is not None:
        pub = pub.replace(tzinfo=None)
    return (day, pub, c.id)


def advisories(
    claims: Sequence[Claim], at: date | None = None, actors: Mapping[str, Actor] | None = None
) -> list[Advisory]:
    """Advisories issued up to `at` (all when None), with their history.

    One advisory per issuer, area, audience and day of issue; it may hold several levels ("do not travel;
    those there should leave"). Each is superseded by the issuer's next advisory for the same area and
    audience that changes the advice: `superseded_by` holds that one's `advisory_id`; the advisories in
    force have None. The same advice (or part of it) said again later is the same advisory (its evidence
    grows, its issue date stays the first). An embassy speaks for its state (its actor's parent of kind "state"), so
    its notice and its ministry's supersede one another. A report that only dates an advisory loosely ("has urged citizens to leave",
    a range of days) is taken as another report of the advisory issued in that range when there is one.
    """
    actors = actors or {}
    usable: list[Claim] = []
    for c in claims:
        if c.type != "travel_advisory" or c.stance not in SUPPORTING or is_plan(c) or c.place is None:
            continue
        if (c.actor or c.attributed_to) is None:
            continue
        day = effective_day(c)
        if at is not None and (day is None or day > at):
            continue
        usable.append(c)

    groups: dict[tuple[str, str, str], list[Claim]] = {}
    heads: dict[tuple[str, str, str], tuple[ActorRef, Place]] = {}
    for c in sorted(usable, key=_claim_order):
        speaker = c.actor or c.attributed_to
        if speaker is None or c.place is None:
            continue
        issuer = state_of(speaker, actors)
        key = (issuer.id, c.place.key, audience_class(c.audience))
        groups.setdefault(key, []).append(c)
        heads.setdefault(key, (issuer, c.place))

    out: list[Advisory] = []
    for key, members in groups.items():
        precise = [c for c in members if c.when.exact is not None or c.when.earliest is None]
        precise_ids = {c.id for c in precise}
        loose = [c for c in members if c.id not in precise_ids]
        issuer, area = heads[key]
        drafts: dict[date | None, _Draft] = {}
        for c in precise:
            day = c.when.exact or published_day(c)
            draft = drafts.get(day)
            if draft is None:
                draft = drafts[day] = _Draft(issuer, area, key[2], day)
            draft.take(c)
        for c in loose:
            lo, hi = c.when.earliest, c.when.latest
            inside = [d for day, d in drafts.items() if day is not None and lo is not None and lo <= day <= (hi or day)]
            if inside:
                max(inside, key=lambda d: d.issued or date.min).take(c)
                continue
            day = hi or published_day(c)
            draft = drafts.get(day)
            if draft is None:
                draft = drafts[day] = _Draft(issuer, area, key[2], day)
            draft.take(c)
        ordered: list[_Draft] = []
        for d in sorted(drafts.values(), key=lambda d: d.issued or date.min):
            if ordered and _same_advice(ordered[-1], d):
                ordered[-1].merge(d)  # the same advice said again: still the advisory issued first
            else:
                ordered.append(d)
        frozen = [d.freeze(None) for d in ordered]
        for i in range(len(frozen) - 1):
            frozen[i] = ordered[i].freeze(advisory_id(frozen[i + 1]))
        out.extend(frozen)
    out.sort(key=lambda a: (a.area.name, a.issuer.name, a.audience or "", a.issued or date.min))
    return out


def in_force(advs: Sequence[Advisory]) -> list[Advisory]:
    return [a for a in advs if a.superseded_by is None]


# --- transport --------------------------------------------------------------------------------------


def _facility_key(place: Place) -> str:
    if place.geonameid is not None or place.id is not None:
        return place.key
    return f"name:{place.country}:{norm_name(place.name)}"


@dataclass(frozen=True, slots=True)
class _Report:
    day: date
    since: date
    claim: Claim


def _reports(claims: Sequence[Claim], at: date | None) -> dict[str, list[_Report]]:
    by_facility: dict[str, list[_Report]] = {}
    for c in claims:
        if c.type != "transport_status" or c.status is None or c.place is None:
            continue
        if c.stance not in SUPPORTING or is_plan(c):
            continue
        day = effective_day(c)
        if day is None or (at is not None and day > at):
            continue
        since = c.when.exact or c.when.earliest or day
        by_facility.setdefault(_facility_key(c.place), []).append(_Report(day, since, c))
    for reports in by_facility.values():
        reports.sort(key=lambda r: _claim_order(r.claim))
    return by_facility


def transport_history(claims: Sequence[Claim], at: date | None = None) -> list[TransportStatus]:
    """Every run of one status per facility, oldest first: the status changes over time."""
    out: list[TransportStatus] = []
    for reports in _reports(claims, at).values():
        runs: list[list[_Report]] = []
        for r in reports:
            if runs and runs[-1][-1].claim.status == r.claim.status:
                runs[-1].append(r)
            else:
                runs.append([r])
        prev_last: date | None = None
        for run in runs:
            since = min(r.since for r in run)
            if prev_last is not None and since < prev_last:
                since = prev_last  # a range reaching back before the last report of the previous status
            pubs = [r.claim.published_at for r in run if r.claim.published_at is not None]
            last = max(pubs) if pubs else as_utc_datetime(max(r.day for r in run))
            out.append(
                TransportStatus(
                    facility=_best_place([r.claim.place for r in run if r.claim.place is not None]),
                    status=run[0].claim.status or "",
                    since=since,
                    last_confirmed=last,
                    evidence=tuple(r.claim.id for r in run),
                )
            )
            prev_last = max(r.day for r in run)
    return out


def transport(claims: Sequence[Claim], at: date | None = None) -> list[TransportStatus]:
    """Per facility, the status in force on `at` (else the latest), since when, and when last confirmed."""
    latest: dict[str, TransportStatus] = {}
    for ts in transport_history(claims, at):
        latest[_facility_key(ts.facility)] = ts  # history is oldest first: the last run stands
    return sorted(latest.values(), key=lambda t: (t.facility.name, t.facility.key))


def _best_place(places: Sequence[Place]) -> Place:
    return max(places, key=lambda p: (p.geonameid is not None or p.id is not None, p.kind in ("airport",)))


# --- figures ----------------------------------------------------------------------------------------

DEFAULT_METRIC: Mapping[str, str] = {
    "displacement": "displaced",
    "casualties": "killed",
    "evacuation": "evacuated",
}


def _source(c: Claim) -> ActorRef | None:
    if c.attributed_to is not None:
        return c.attributed_to
    if c.outlet:
        return ActorRef("outlet:" + norm_name(c.outlet).replace(" ", "_"), c.outlet)
    return None


def figures(claims: Sequence[Claim]) -> list[Figure]:
    """Time series per metric and area. Projections are kept as their own points (projection=True), never
    mixed with counts; the same number for the same day from several reports is one point."""
    points: dict[tuple[str, str, bool, date | None], list[Figure]] = {}
    for c in sorted(claims, key=_claim_order):
        if c.quantity is None or c.stance not in ("asserted", "announced", "projected"):
            continue
        metric = c.metric or DEFAULT_METRIC.get(c.type)
        if metric is None:
            continue
        projection = c.stance == "projected"
        as_of = c.when.exact or c.when.latest or c.when.earliest or published_day(c)
        area_key = c.place.key if c.place is not None else ""
        same_day = points.setdefault((metric, area_key, projection, as_of), [])
        for i, fig in enumerate(same_day):
            if abs(fig.value - c.quantity) <= 0.01 * max(abs(fig.value), abs(c.quantity)):
                same_day[i] = replace(fig, evidence=(*fig.evidence, c.id))
                break
        else:
            same_day.append(Figure(metric, c.quantity, as_of, c.place, _source(c), projection, (c.id,)))
    figs = [f for same_day in points.values() for f in same_day]
    figs.sort(key=lambda f: (f.metric, f.area.name if f.area else "", f.projection, f.as_of or date.min, f.value))
    return figs
