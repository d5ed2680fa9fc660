"""Helpers every fusion step shares: distances, actor families, claim dates, independent sources.

Kept free of I/O and of module-level mutable state: every function is a pure function of its arguments,
so replaying with a different `known_at` (the caller filters claims) can never see a leftover.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache

from sitroom.geo import distance_km
from sitroom.model import Actor, ActorRef, Claim, DateSpan, Place

# Place kinds that stand for an area rather than a point: distances between their centroids mean little.
AREA_KINDS = frozenset({"country", "region", "admin1", "sea"})
SUPPORTING = frozenset({"asserted", "announced"})
# Stances that never make an asserted event or a control change (DESIGN.md: projections go to figures).
NOT_EVENTS = frozenset({"hypothetical", "projected"})


def haversine_km(a: Place, b: Place) -> float | None:
    """Great-circle distance between two places, None when either has no point."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    return distance_km(a.lat, a.lon, b.lat, b.lon)


_PUNCT = re.compile(r"[^\w\s]+")
_WS = re.compile(r"\s+")


@lru_cache(maxsize=65_536)
def norm_name(s: str) -> str:
    """Case, accents, apostrophes and hyphens folded: "Ḩamāh" and "hamah" meet on one key."""
    decomposed = unicodedata.normalize("NFKD", s)
    out = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    out = out.replace("-", " ")
    out = _PUNCT.sub("", out)
    return _WS.sub(" ", out).strip()


def stable_id(prefix: str, *parts: str) -> str:
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
    return f"{prefix}-{digest}"


# --- actors ---------------------------------------------------------------------------------------


def lineage(actor_id: str, actors: Mapping[str, Actor]) -> tuple[str, ...]:
    """The actor and its ancestors, nearest first. Cycles in a user's lexicon are cut, not followed."""
    chain = [actor_id]
    seen = {actor_id}
    current = actors.get(actor_id)
    while current is not None and current.parent and current.parent not in seen:
        chain.append(current.parent)
        seen.add(current.parent)
        current = actors.get(current.parent)
    return tuple(chain)


def compatible(a: str, b: str, actors: Mapping[str, Actor]) -> bool:
    """Same actor, or one is an ancestor of the other (HTS and "Syrian opposition"); siblings are not."""
    if a == b:
        return True
    return a in lineage(b, actors) or b in lineage(a, actors)


def actor_depth(actor_id: str, actors: Mapping[str, Actor]) -> int:
    return len(lineage(actor_id, actors))


def state_of(actor: ActorRef, actors: Mapping[str, Actor]) -> ActorRef:
    """The state an actor speaks for (an embassy -> its state), else the actor itself."""
    for aid in lineage(actor.id, actors):
        known = actors.get(aid)
        if known is not None and known.kind == "state":
            return ActorRef(known.id, known.name)
    return actor


# --- dates ----------------------------------------------------------------------------------------


def published_day(claim: Claim) -> date | None:
    return claim.published_at.date() if claim.published_at is not None else None


def is_plan(claim: Claim) -> bool:
    """A claim dated wholly after its own publication speaks of a plan or a forecast, not of a fact."""
    pub = published_day(claim)
    return pub is not None and claim.when.earliest is not None and claim.when.earliest > pub


def effective_day(claim: Claim) -> date | None:
    """The day a statement holds by: its exact day, else the end of its range, else its publication."""
    w = claim.when
    return w.exact or w.latest or w.earliest or published_day(claim)


def widen(span: DateSpan, days: int) -> DateSpan:
    if days <= 0:
        return span
    d = timedelta(days=days)
    return DateSpan(
        span.earliest - d if span.earliest is not None else None,
        span.latest + d if span.latest is not None else None,
    )


def day_gap(a: DateSpan, b: DateSpan) -> int:
    """Days between two spans (0 when they overlap or an end is open)."""
    if a.latest is not None and b.earliest is not None and a.latest < b.earliest:
        return (b.earliest - a.latest).days
    if b.latest is not None and a.earliest is not None and b.latest < a.earliest:
        return (a.earliest - b.latest).days
    return 0


# --- independent sources ----------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+")
WIRE_MIN_TOKENS = 8
WIRE_JACCARD = 0.7


def _shingles(text: str) -> tuple[frozenset[tuple[str, ...]], int]:
    tokens = _TOKEN.findall(text.casefold())
    if len(tokens) < 3:
        return frozenset({tuple(tokens)}), len(tokens)
    return frozenset(zip(tokens, tokens[1:], tokens[2:], strict=False)), len(tokens)


def near_identical(a: str, b: str) -> bool:
    """Wire copies: the same sentence reprinted (minor edits allowed). Short sentences must be equal."""
    return _similar(_shingles(a), _shingles(b))


def _similar(a: tuple[frozenset[tuple[str, ...]], int], b: tuple[frozenset[tuple[str, ...]], int]) -> bool:
    (sa, na), (sb, nb) = a, b
    if min(na, nb) < WIRE_MIN_TOKENS:
        return sa == sb
    inter = len(sa & sb)
    return inter / max(1, len(sa | sb)) >= WIRE_JACCARD


def outlet_key(claim: Claim) -> str:
    return "outlet:" + norm_name(claim.outlet) if claim.outlet else "doc:" + claim.document_id


def origin_key(claim: Claim, actors: Mapping[str, Actor]) -> str:
    """Who a claim ultimately comes from.

    A named speaker (a monitor, a ministry, the rebels' own channel) is the source however many outlets
    quote it; an outlet's own voice is the outlet. Vague crowds ("residents", "witnesses") are not one
    speaker across outlets, so they count per outlet.
    """
    speaker = claim.attributed_to
    if speaker is not None:
        known = actors.get(speaker.id)
        if known is None or known.kind != "population":
            return "speaker:" + speaker.id
        return outlet_key(claim) + "|" + speaker.id
    return outlet_key(claim)


def _wire_pairs(shingles: Sequence[tuple[frozenset[tuple[str, ...]], int]]) -> list[tuple[int, int]]:
    """Pairs of near-identical texts, without comparing every pair.

    Short texts pair only when equal (a hash). Longer ones use prefix filtering: two sets with Jaccard
    similarity >= t share at least one of the (1 - t)|s| + 1 rarest elements of each, so only texts sharing
    one of those are compared. Reports of one event repeat its common phrases; the rare ones are what a
    reprint copies.
    """
    pairs: list[tuple[int, int]] = []
    short: dict[frozenset[tuple[str, ...]], list[int]] = {}
    long_ids: list[int] = []
    for i, (sh, n) in enumerate(shingles):
        if n < WIRE_MIN_TOKENS:
            short.setdefault(sh, []).append(i)
        else:
            long_ids.append(i)
    for same in short.values():
        pairs.extend((same[0], j) for j in same[1:])
    if len(long_ids) < 2:
        return pairs
    freq: dict[tuple[str, ...], int] = {}
    for i in long_ids:
        for g in shingles[i][0]:
            freq[g] = freq.get(g, 0) + 1
    index: dict[tuple[str, ...], list[int]] = {}
    for i in long_ids:
        sh = shingles[i][0]
        keep = int((1 - WIRE_JACCARD) * len(sh)) + 1
        prefix = sorted(sh, key=lambda g: (freq[g], g))[:keep]
        seen: set[int] = set()
        for g in prefix:
            for j in index.get(g, ()):
                if j not in seen:
                    seen.add(j)
                    if _similar(shingles[j], shingles[i]):
                        pairs.append((j, i))
            index.setdefault(g, []).append(i)
    return pairs


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def source_groups(claims: Sequence[Claim], actors: Mapping[str, Actor]) -> list[int]:
    """For each claim, the index of its independent-source group.

    Claims join one group when they share an origin (same outlet's own voice, same named speaker however
    many outlets quote it) or when they are wire copies of one another (near-identical evidence in
    different outlets).
    """
    n = len(claims)
    if n < 2:
        return list(range(n))
    uf = _UnionFind(n)
    first_by_origin: dict[str, int] = {}
    for i, c in enumerate(claims):
        key = origin_key(c, actors)
        if key in first_by_origin:
            uf.union(first_by_origin[key], i)
        else:
            first_by_origin[key] = i
    for i, j in _wire_pairs([_shingles(c.evidence.text) for c in claims]):
        if claims[i].outlet != claims[j].outlet:
            uf.union(i, j)
    return [uf.find(i) for i in range(n)]


def mode_ref(refs: Iterable[ActorRef | None], actors: Mapping[str, Actor]) -> ActorRef | None:
    """The most specific actor named (deepest in the hierarchy), then the most often named, then the first."""
    counts: dict[str, int] = {}
    first: dict[str, tuple[int, ActorRef]] = {}
    for i, r in enumerate(refs):
        if r is None:
            continue
        counts[r.id] = counts.get(r.id, 0) + 1
        first.setdefault(r.id, (i, r))
    if not counts:
        return None
    best = min(counts, key=lambda k: (-actor_depth(k, actors), -counts[k], first[k][0]))
    return first[best][1]


def as_utc_datetime(d: date) -> datetime:
    from datetime import UTC

    return datetime(d.year, d.month, d.day, tzinfo=UTC)
