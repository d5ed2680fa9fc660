"""The controller of places before the period a corpus covers: the starting state of the control timeline.

A baseline is a TOML data file (the demo's ships as `fuse/data/baseline.toml`; its header comments describe
the format). Every problem in a file is reported as DataFileError(path, line, reason), with the line of the
offending entry, so a user editing their own baseline can find it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sitroom.errors import DataFileError
from sitroom.fuse._common import haversine_km, norm_name
from sitroom.model import FACILITY_KINDS, PLACE_KINDS, ActorRef, Place

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "baseline.toml"


@dataclass(frozen=True, slots=True)
class BaselinePlace:
    place: Place
    controller: ActorRef


@dataclass(frozen=True, slots=True)
class BaselineRegion:
    name: str
    controller: ActorRef
    polygon: tuple[tuple[float, float], ...]  # (lat, lon) vertices

    def contains(self, lat: float, lon: float) -> bool:
        """Ray casting; coarse regions only, so the plane approximation is fine."""
        inside = False
        pts = self.polygon
        j = len(pts) - 1
        for i in range(len(pts)):
            yi, xi = pts[i]
            yj, xj = pts[j]
            if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
                inside = not inside
            j = i
        return inside


@dataclass(frozen=True, slots=True)
class Baseline:
    """Who held what on `as_of`. Empty by default: with no baseline, places start with no known controller."""

    name: str = ""
    as_of: date | None = None
    confidence: float = 0.8
    match_km: float = 3.0
    places: tuple[BaselinePlace, ...] = ()
    regions: tuple[BaselineRegion, ...] = ()
    countries: Mapping[str, ActorRef] = field(default_factory=dict)

    def entry_for(self, place: Place) -> BaselinePlace | None:
        """The named entry for a place: same GeoNames id, else same name, else within `match_km`.

        Facilities match only facilities, populated places only populated places.
        """
        facility = place.kind in FACILITY_KINDS
        candidates = [e for e in self.places if (e.place.kind in FACILITY_KINDS) == facility]
        if place.geonameid is not None:
            for e in candidates:
                if e.place.geonameid == place.geonameid:
                    return e
        name = norm_name(place.name)
        for e in candidates:
            if norm_name(e.place.name) == name and (place.country in (None, e.place.country)):
                return e
        best: tuple[float, BaselinePlace] | None = None
        for e in candidates:
            km = haversine_km(place, e.place)
            if km is not None and km <= self.match_km and (best is None or km < best[0]):
                best = (km, e)
        return best[1] if best else None

    def controller_of(self, place: Place) -> ActorRef | None:
        """Who held the place on `as_of`, or None when the baseline does not say."""
        entry = self.entry_for(place)
        if entry is not None:
            return entry.controller
        if place.lat is not None and place.lon is not None and place.kind not in ("country", "sea"):
            for region in self.regions:
                if region.contains(place.lat, place.lon):
                    return region.controller
        if place.country and place.kind != "country":
            return self.countries.get(place.country)
        return None


def load_baseline(path: Path | None = None) -> Baseline:
    """Read a baseline file; None reads the one shipped for the demo (Syria, 26 November 2024)."""
    target = Path(path) if path is not None else DEFAULT_PATH
    try:
        text = target.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(str(target), None, f"cannot read the baseline file: {exc.strerror or exc}") from exc
    return parse_baseline(text, str(target))


_LINE_IN_MESSAGE = re.compile(r"line (\d+)")


def parse_baseline(text: str, path: str = "<baseline>") -> Baseline:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _LINE_IN_MESSAGE.search(str(exc))
        raise DataFileError(path, int(m.group(1)) if m else None, f"not valid TOML: {exc}") from exc
    return _Reader(path, text, doc).read()


class _Reader:
    def __init__(self, path: str, text: str, doc: dict[str, Any]) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.doc = doc
        self.names: dict[str, str] = {}

    def line_of(self, table: str, index: int) -> int | None:
        """The line of the index-th `[[table]]` header: where the user should look."""
        header = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]")
        seen = -1
        for no, line in enumerate(self.lines, start=1):
            if header.match(line):
                seen += 1
                if seen == index:
                    return no
        return None

    def fail(self, table: str, index: int, reason: str) -> DataFileError:
        return DataFileError(self.path, self.line_of(table, index), reason)

    def read(self) -> Baseline:
        head = self.doc.get("baseline", {})
        if not isinstance(head, dict):
            raise DataFileError(self.path, None, "[baseline] must be a table")
        as_of = head.get("as_of")
        if as_of is not None and not isinstance(as_of, date):
            raise DataFileError(self.path, None, "[baseline] as_of must be a date such as 2024-11-26")
        confidence = _number(head.get("confidence", 0.8))
        match_km = _number(head.get("match_km", 3.0))
        if confidence is None or not 0 <= confidence <= 1:
            raise DataFileError(self.path, None, "[baseline] confidence must be a number from 0 to 1")
        if match_km is None or match_km < 0:
            raise DataFileError(self.path, None, "[baseline] match_km must be a positive number")
        names = self.doc.get("actors", {})
        if not isinstance(names, dict) or not all(isinstance(v, str) for v in names.values()):
            raise DataFileError(self.path, None, "[actors] must map actor ids to names")
        self.names = dict(names)

        countries: dict[str, ActorRef] = {}
        for i, entry in enumerate(self.tables("country")):
            code = entry.get("country")
            if not isinstance(code, str) or len(code) != 2:
                raise self.fail("country", i, "a [[country]] entry needs 'country', an ISO 3166-1 alpha-2 code")
            countries[code.upper()] = self.controller("country", i, entry)

        regions: list[BaselineRegion] = []
        for i, entry in enumerate(self.tables("region")):
            poly = entry.get("polygon")
            points: list[tuple[float, float]] = []
            if isinstance(poly, list):
                for pt in poly:
                    if isinstance(pt, list) and len(pt) == 2 and all(_number(v) is not None for v in pt):
                        points.append((float(pt[0]), float(pt[1])))
                    else:
                        points = []
                        break
            if len(points) < 3:
                raise self.fail("region", i, "a [[region]] needs 'polygon': at least three [lat, lon] pairs")
            regions.append(
                BaselineRegion(
                    str(entry.get("name", f"region {i + 1}")), self.controller("region", i, entry), tuple(points)
                )
            )

        places: list[BaselinePlace] = []
        for i, entry in enumerate(self.tables("place")):
            places.append(BaselinePlace(self.place(i, entry), self.controller("place", i, entry)))
        return Baseline(
            name=str(head.get("name", "")),
            as_of=as_of,
            confidence=float(confidence),
            match_km=float(match_km),
            places=tuple(places),
            regions=tuple(regions),
            countries=countries,
        )

    def tables(self, key: str) -> Sequence[dict[str, Any]]:
        value = self.doc.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise DataFileError(self.path, None, f"'{key}' must be written as [[{key}]] tables")
        return value

    def controller(self, table: str, index: int, entry: dict[str, Any]) -> ActorRef:
        cid = entry.get("controller")
        if not isinstance(cid, str) or not cid:
            raise self.fail(table, index, f"a [[{table}]] entry needs 'controller', an actor id")
        name = entry.get("controller_name") or self.names.get(cid)
        if not isinstance(name, str):
            raise self.fail(table, index, f"controller '{cid}' has no name: add it under [actors]")
        return ActorRef(cid, name)

    def place(self, index: int, entry: dict[str, Any]) -> Place:
        name = entry.get("name")
        if not isinstance(name, str) or not name:
            raise self.fail("place", index, "a [[place]] needs a 'name'")
        lat, lon = _number(entry.get("lat")), _number(entry.get("lon"))
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise self.fail("place", index, f"place '{name}' needs 'lat' and 'lon' in degrees")
        kind = entry.get("kind", "town")
        if kind not in PLACE_KINDS:
            raise self.fail("place", index, f"place '{name}': kind '{kind}' is not one of {', '.join(PLACE_KINDS)}")
        gid = entry.get("geonameid")
        if gid is not None and (not isinstance(gid, int) or isinstance(gid, bool)):
            raise self.fail("place", index, f"place '{name}': geonameid must be a whole number")
        country = entry.get("country")
        if country is not None and (not isinstance(country, str) or len(country) != 2):
            raise self.fail("place", index, f"place '{name}': country must be a two-letter ISO code")
        own_id = None if gid is not None else f"baseline:{(country or '').upper()}:{norm_name(name)}"
        return Place(
            name=name,
            lat=float(lat),
            lon=float(lon),
            country=country.upper() if country else None,
            kind=kind,
            geonameid=gid,
            id=own_id,
        )


def _number(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    return float(v)
