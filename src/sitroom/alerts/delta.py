"""What a new document changed in the picture: new or changed events, control changes, advisories, transport.

`PictureDelta` is the small interface the alert engine reads:

    token = delta.begin(new_claims)      # before the document is stored
    changes = delta.end(token, new_claims)  # after: list[Change]

Two implementations compute the same kind of changes from two claim sets, "before" and "after":
- `SnapshotDelta` fuses the whole store before and after (exact, but its cost grows with the store);
- `LocalDelta` fuses only the claims near the new ones (same types, a window of days, a box of ~35 km or
  the same area or facility), which is what a new claim can join or change (events fuse within 10 km,
  one day or two weeks for campaigns), so its cost follows the neighbourhood, not the archive.
Event ids come from the claim that founded an event, so both see the same ids for one happening.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from sitroom.fuse import (
    CONTROL_TYPES,
    Baseline,
    advisories,
    advisory_id,
    changes_in,
    control_timeline,
    fuse_events,
    lineage,
    load_baseline,
    transport,
)
from sitroom.fuse.events import DATE_TOLERANCE, DEFAULT_DATE_TOLERANCE
from sitroom.model import Actor, ActorRef, Advisory, Claim, ControlSpan, Event, Place, TransportStatus
from sitroom.serialize import advisory_to_dict, control_to_dict, event_to_dict, transport_to_dict
from sitroom.store import ClaimQuery, Store

AREA_KINDS = frozenset({"country", "region", "admin1", "sea"})
# How far around a new claim to look for what it may join: events fuse within 10 km (2 x 10 km for two
# spellings of one city), so 0.25 degrees (~28 km north-south, ~23 km east-west here) holds every candidate;
BOX_DEG = 0.25
DATE_PAD_DAYS = 3
VAGUE_LOOKBACK_DAYS = 14  # a report dated by a range starting earlier than this before the window is too vague to fuse
PLACELESS_LIMIT = 2000  # placeless claims fuse with each other only; a bound keeps an odd archive from stalling
_NO_PLACE = "\x00no place"


@dataclass(frozen=True)
class Change:
    """One thing in the picture that is new or different after a document.

    kind: event | control | advisory | transport. `key` names the thing across documents; `status` is what
    an alert is deduplicated on (an event's status, a facility's status, an advisory's levels, a controller).
    """

    kind: str
    key: str
    status: str
    previous: str | None  # the status before, None when the thing is new
    obj: Event | ControlSpan | Advisory | TransportStatus
    data: Mapping[str, Any] = field(default_factory=dict)  # DESIGN.md JSON shape

    @property
    def place(self) -> Place | None:
        o = self.obj
        if isinstance(o, Event):
            return o.place
        if isinstance(o, ControlSpan):
            return o.place
        if isinstance(o, Advisory):
            return o.area
        return o.facility

    @property
    def type(self) -> str:
        if isinstance(self.obj, Event):
            return self.obj.type
        return {"control": "territory_captured", "advisory": "travel_advisory", "transport": "transport_status"}[
            self.kind
        ]

    @property
    def actor(self) -> ActorRef | None:
        o = self.obj
        if isinstance(o, Event):
            return o.actor
        if isinstance(o, ControlSpan):
            return o.controller
        if isinstance(o, Advisory):
            return o.issuer
        return None

    @property
    def evidence(self) -> tuple[str, ...]:
        o = self.obj
        if isinstance(o, Event):
            return (*o.claims, *o.opposing)
        return tuple(o.evidence)


@dataclass
class Items:
    """The picture made from one set of claims, keyed for diffing."""

    by_key: dict[str, Change]
    claims: dict[str, Claim]


def picture_items(claims: Sequence[Claim], actors: Mapping[str, Actor], baseline: Baseline) -> Items:
    by_id = {c.id: c for c in claims}
    out: dict[str, Change] = {}
    events = fuse_events(claims, actors)
    for ev in events:
        out[f"event:{ev.id}"] = Change("event", f"event:{ev.id}", ev.status, None, ev, event_to_dict(ev, by_id))
    control = [c for c in claims if c.type in CONTROL_TYPES]
    if control:
        spans = control_timeline(control, baseline, actors, events=[e for e in events if e.type in CONTROL_TYPES])
        for span in changes_in(spans):
            # One thing per place (the latest change stands); its status is the controller's side (the root of
            # its lineage) and the day it took over: a report naming the group more precisely (rebels -> HTS)
            # is no new change, a change of side is, and so is the same side taking the place back later.
            key = f"control:{span.place.key}"
            side = lineage(span.controller.id, actors)[-1]
            status = f"{side}@{span.since.isoformat() if span.since else '?'}"
            out[key] = Change("control", key, status, None, span, control_to_dict(span))
    adv_claims = [c for c in claims if c.type == "travel_advisory"]
    if adv_claims:
        for adv in advisories(adv_claims, actors=actors):
            if adv.superseded_by is not None:
                continue
            key = f"advisory:{advisory_id(adv)}"
            out[key] = Change("advisory", key, ",".join(sorted(adv.levels)), None, adv, advisory_to_dict(adv))
    tr_claims = [c for c in claims if c.type == "transport_status"]
    if tr_claims:
        for ts in transport(tr_claims):
            key = f"transport:{ts.facility.key}"
            out[key] = Change("transport", key, ts.status, None, ts, transport_to_dict(ts))
    return Items(out, by_id)


def diff(before: Items, after: Items) -> list[Change]:
    """What is new or different after. Anything that changed is reported (a new source joining an event
    too, so a threshold on sources can be crossed); alerting deduplicates on (subscription, key, status)."""
    out = []
    for key, ch in after.by_key.items():
        old = before.by_key.get(key)
        if old is not None and old.data == ch.data:
            continue
        out.append(Change(ch.kind, ch.key, ch.status, old.status if old is not None else None, ch.obj, ch.data))
    return out


class PictureDelta(Protocol):
    def begin(self, new_claims: Sequence[Claim]) -> object: ...

    def end(self, token: object, new_claims: Sequence[Claim]) -> list[Change]: ...

    def claims(self, token: object) -> Mapping[str, Claim]: ...


@dataclass
class _Token:
    before: Items
    context: list[Claim]
    after: Items | None = None


class SnapshotDelta:
    """The whole store fused before and after: the reference the fast delta is tested against."""

    def __init__(self, store: Store, actors: Mapping[str, Actor], baseline: Baseline | None = None) -> None:
        self.store = store
        self.actors = actors
        self.baseline = baseline or load_baseline()

    def begin(self, new_claims: Sequence[Claim]) -> object:
        return _Token(picture_items(self.store.claims(), self.actors, self.baseline), [])

    def end(self, token: object, new_claims: Sequence[Claim]) -> list[Change]:
        if not isinstance(token, _Token):
            raise TypeError("token from another delta")
        token.after = picture_items(self.store.claims(), self.actors, self.baseline)
        return diff(token.before, token.after)

    def claims(self, token: object) -> Mapping[str, Claim]:
        return token.after.claims if isinstance(token, _Token) and token.after else {}


class LocalDelta:
    """Fuse the new claims with their neighbourhood only: cost follows the neighbourhood, not the store."""

    def __init__(self, store: Store, actors: Mapping[str, Actor], baseline: Baseline | None = None) -> None:
        self.store = store
        self.actors = actors
        self.baseline = baseline or load_baseline()

    def begin(self, new_claims: Sequence[Claim]) -> object:
        new_ids = {c.id for c in new_claims}
        context = [c for c in self.neighbourhood(new_claims) if c.id not in new_ids]
        return _Token(picture_items(context, self.actors, self.baseline), context)

    def end(self, token: object, new_claims: Sequence[Claim]) -> list[Change]:
        if not isinstance(token, _Token):
            raise TypeError("token from another delta")
        token.after = picture_items([*token.context, *new_claims], self.actors, self.baseline)
        return diff(token.before, token.after)

    def claims(self, token: object) -> Mapping[str, Claim]:
        return token.after.claims if isinstance(token, _Token) and token.after else {}

    def neighbourhood(self, new_claims: Iterable[Claim]) -> list[Claim]:
        found: dict[str, Claim] = {}
        asked: set[ClaimQuery] = set()
        for c in new_claims:
            for q in self.queries(c):
                if q in asked:
                    continue
                asked.add(q)
                for old in self.fetch(q):
                    found.setdefault(f"{old.document_id}\x1f{old.id}", old)
        return list(found.values())

    def fetch(self, q: ClaimQuery) -> list[Claim]:
        """The claims of one neighbourhood query (the store picks the index that fits its shape)."""
        return self.store.claims_around(
            q, placeless=q.place == _NO_PLACE, lookback_days=VAGUE_LOOKBACK_DAYS, placeless_limit=PLACELESS_LIMIT
        )

    @staticmethod
    def queries(c: Claim) -> list[ClaimQuery]:
        """Where the claims a new claim can fuse with, or whose picture it can change, are."""
        p = c.place
        if c.type in ("travel_advisory", "transport_status"):
            # An advisory supersedes the issuer's earlier ones for the area, a facility's status follows its
            # history: whatever their dates.
            return [ClaimQuery(types=(c.type,), place=p.key if p else None)]
        if c.type in CONTROL_TYPES and p is not None:
            # Who holds a place is walked over its whole history of captures and withdrawals (rare reports);
            # control keeps places apart by identity, so that history is the place's own.
            return [ClaimQuery(types=tuple(sorted(CONTROL_TYPES)), place=p.key)]
        types: tuple[str, ...] = tuple(sorted(CONTROL_TYPES)) if c.type in CONTROL_TYPES else (c.type,)
        # Events fuse within a type's date tolerance of each other; a few days more catch an event whose
        # estimated day sits off its members' (a chain of reports a day apart).
        pad = timedelta(days=DATE_TOLERANCE.get(c.type, DEFAULT_DATE_TOLERANCE) + DATE_PAD_DAYS)
        lo, hi = c.when.earliest, c.when.latest
        if lo is None and hi is None and c.published_at is not None:
            lo = hi = c.published_at.date()
        since = lo - pad if lo is not None else None
        until = hi + pad if hi is not None else None
        if p is None:
            return [ClaimQuery(types=types, since=since, until=until, place=_NO_PLACE)]
        if c.type == "offensive":
            return [ClaimQuery(types=types, since=since, until=until, place=p.country or p.key)]
        if p.kind in AREA_KINDS or p.lat is None or p.lon is None:
            return [ClaimQuery(types=types, since=since, until=until, place=p.key)]
        box = (p.lon - BOX_DEG, p.lat - BOX_DEG, p.lon + BOX_DEG, p.lat + BOX_DEG)
        return [ClaimQuery(types=types, since=since, until=until, bbox=box)]
