"""The pieces both scorers share: place and name matching, date parsing, P/R/F1, and a one-to-one assignment.

Why a real assignment and not a greedy pass: when system claim S1 could match gold claims G1 or G2 and S2 only
G1, a greedy pass that hands G1 to S1 leaves G2 missed and S2 counted false, though a perfect pairing exists.
`assign` solves the assignment exactly (Hungarian method) on integer weights built lexicographically from
preference levels, so "more matches" always beats "better matches", which beats "nearer places".
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sitroom.model import FACILITY_KINDS, Place

PLACE_RADIUS_KM = 25.0
FACILITY_RADIUS_KM = 5.0
_EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance. Kept private to the scorer so it does not depend on the geo package."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def radius_km(gold_place: Place) -> float:
    return FACILITY_RADIUS_KM if gold_place.kind in FACILITY_KINDS else PLACE_RADIUS_KM


def place_closeness(gold_place: Place | None, system_place: Mapping[str, Any] | None) -> float | None:
    """None when the places do not match; else how close they are, 1.0 (same spot) down to 0.0 (at the limit).

    A null gold place is not scored (always matches, closeness 0). A country gold place matches any system
    place in that country; a system place that is the country itself is preferred (closeness 1).
    """
    if gold_place is None:
        return 0.0
    if not system_place:
        return None
    if gold_place.kind == "country":
        country = system_place.get("country")
        if not isinstance(country, str) or country.upper() != gold_place.country:
            return None
        return 1.0 if system_place.get("kind") == "country" else 0.0
    km = place_distance_km(gold_place, system_place)
    limit = radius_km(gold_place)
    if km is None or km > limit:
        return None
    return 1.0 - km / limit


def place_distance_km(gold_place: Place, system_place: Mapping[str, Any] | None) -> float | None:
    if not system_place or gold_place.lat is None or gold_place.lon is None:
        return None
    lat, lon = system_place.get("lat"), system_place.get("lon")
    if (
        not isinstance(lat, int | float)
        or not isinstance(lon, int | float)
        or not (_is_number(lat) and _is_number(lon))
    ):
        return None
    return haversine_km(gold_place.lat, gold_place.lon, float(lat), float(lon))


def normalise_name(name: str) -> str:
    """Case-insensitive comparison that also forgives typographic quotes and spacing ("Hay’at" == "hay'at")."""
    text = unicodedata.normalize("NFKC", name).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.casefold().split())


def name_matches(acceptable: Iterable[str], ref: Mapping[str, Any] | None) -> bool:
    """True when the system's {id, name} reference has its id or name among the acceptable names."""
    if not ref:
        return False
    wanted = {normalise_name(a) for a in acceptable}
    return any(isinstance(ref.get(k), str) and normalise_name(ref[k]) in wanted for k in ("id", "name"))


def parse_day(value: Any) -> date | None:
    """A system date field: 'YYYY-MM-DD' (a timestamp is cut to its day); anything else reads as unknown."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    """Precision, recall and F1. With nothing to find and nothing found the score is perfect; a side with a
    zero denominator otherwise scores 0 (an empty system output must not look precise)."""
    precision = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    recall = tp / (tp + fn) if tp + fn else (1.0 if fp == 0 else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


# --- assignment -----------------------------------------------------------------------------------


def lexicographic_weight(levels: Sequence[int], base: int) -> int:
    """Pack preference levels (most important first, each 0..base-1 summed over a matching) into one integer.

    `base` must exceed the largest possible sum of any one level over a whole matching, so a gain at a higher
    level always outweighs any change at the lower ones.
    """
    weight = 0
    for level in levels:
        weight = weight * base + level
    return weight


def assign(n_rows: int, n_cols: int, weights: Mapping[tuple[int, int], int]) -> dict[int, int]:
    """Maximum-weight one-to-one matching of rows to columns; only pairs in `weights` (all > 0) may match.

    Solved as a rectangular assignment problem (Hungarian method with potentials, O(n^2 m)): pairs absent from
    `weights` cost 0, and since every real pair is positive, the best full assignment restricted to real pairs
    is the best matching. Returns {row: col}.
    """
    if not weights:
        return {}
    transpose = n_rows > n_cols  # the method wants rows <= columns
    if transpose:
        weights = {(c, r): w for (r, c), w in weights.items()}
        n_rows, n_cols = n_cols, n_rows
    top = max(weights.values())
    # cost[i][j] = top - weight, so minimising cost maximises weight; a missing pair costs `top` (weight 0).
    cost = [[top - weights.get((i, j), 0) for j in range(n_cols)] for i in range(n_rows)]
    inf = math.inf
    u = [0] * (n_rows + 1)
    v = [0] * (n_cols + 1)
    owner = [0] * (n_cols + 1)  # owner[j]: the row (1-based) holding column j; 0 = free
    way = [0] * (n_cols + 1)
    for i in range(1, n_rows + 1):
        owner[0] = i
        j0 = 0
        min_v: list[float] = [inf] * (n_cols + 1)
        used = [False] * (n_cols + 1)
        while True:
            used[j0] = True
            i0 = owner[j0]
            delta: float = inf
            j1 = 0
            for j in range(1, n_cols + 1):
                if used[j]:
                    continue
                cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                if cur < min_v[j]:
                    min_v[j] = cur
                    way[j] = j0
                if min_v[j] < delta:
                    delta = min_v[j]
                    j1 = j
            step = int(delta)
            for j in range(n_cols + 1):
                if used[j]:
                    u[owner[j]] += step
                    v[j] -= step
                else:
                    min_v[j] -= step
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    result: dict[int, int] = {}
    for j in range(1, n_cols + 1):
        i = owner[j]
        if i and (i - 1, j - 1) in weights:
            row, col = i - 1, j - 1
            if transpose:
                row, col = col, row
            result[row] = col
    return result
