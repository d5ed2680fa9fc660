"""`--place` as users type it: one selector for every command and API endpoint.

A user asks for a place the way they know it: as a report spelled it ("Hims"), by GeoNames' name
("Hamah"), by the English name sitroom shows ("Hama"), by any alternate name (حماة, "Хама"), by a GeoNames
id ("170017") or by a country code ("SY"). `PlaceSelector` turns that into the set of gazetteer places the
words can name, and matches a stored place (a `Place` or its JSON dict) against it, so that the same words
find the same rows in `claims`, `events`, `control`, `advisories`, `transport`, `figures`, the API and alerts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sitroom.geo.names import norm
from sitroom.model import Place


@dataclass(frozen=True, slots=True)
class PlaceSelector:
    needle: str
    keys: frozenset[str]  # Place.key of every gazetteer place the words can name
    geonameid: int | None = None  # when the needle is a GeoNames id

    def matches(self, place: Place | Mapping[str, Any] | None) -> bool:
        if place is None:
            return False
        texts: tuple[Any, ...]
        if isinstance(place, Place):
            gid, key = place.geonameid, place.key
            texts = (place.name, place.country)
        else:
            gid = place.get("geonameid")
            key = f"geonames:{gid}" if gid else str(place.get("id") or "")
            texts = (place.get("name"), place.get("text"), place.get("country"), place.get("geonames_name"))
        if self.geonameid is not None:
            return gid == self.geonameid
        if key and key in self.keys:
            return True
        wanted = norm(self.needle)
        return any(t and norm(str(t)) == wanted for t in texts)


@lru_cache(maxsize=256)
def place_selector(needle: str) -> PlaceSelector:
    """The selector for what a user typed (cached: the same words recur on every request)."""
    from sitroom.geo.gazetteer import Gazetteer

    s = needle.strip()
    if s.isascii() and s.isdigit():
        gid = int(s)
        return PlaceSelector(s, frozenset({f"geonames:{gid}"}), gid)
    gaz = Gazetteer.default()
    keys = {gaz.place(i).key for i in gaz.ids_for_key(norm(s))}
    got = gaz.get(s)  # a place's own key: "geonames:123", "sy:crossing:nasib"
    if got is not None:
        keys.add(got.key)
    return PlaceSelector(s, frozenset(keys))
