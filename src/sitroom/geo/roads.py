"""The road graph: main roads as ordered points, their segments, and paths between places.

Roads are data (``data/roads.toml``; users add their own files in the same format, or import an
OpenStreetMap extract with ``sitroom routes import``). Each road is a sequence of points — gazetteer
places (``geonames:ID``) or curated facilities such as border crossings (``sy:crossing:nasib``) — and each
pair of consecutive points is a *segment*, the unit that a report can close ("the M5 between Homs and
Damascus") and that control or fighting can put at risk. Roads sharing a point meet there.

This module knows geometry only: which segments exist, how long they are, which stretch of a road lies
between two named points, and the cheapest path given a cost per segment. What the picture says about a
segment (open, at risk, cut) is `sitroom.fuse.routes`.
"""

from __future__ import annotations

import heapq
import math
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from sitroom.errors import DataFileError
from sitroom.geo.gazetteer import Gazetteer, distance_km
from sitroom.geo.imports import user_roads_files
from sitroom.geo.names import norm
from sitroom.model import Place

DATA_FILE = Path(__file__).parent / "data" / "roads.toml"


@dataclass(frozen=True, slots=True)
class Segment:
    road: str  # road id
    a: Place
    b: Place
    km: float

    @property
    def id(self) -> str:
        return f"{self.road}|{self.a.key}|{self.b.key}"

    def touches(self, key: str) -> bool:
        return key in (self.a.key, self.b.key)


@dataclass(frozen=True, slots=True)
class Road:
    id: str
    name: str
    aliases: tuple[str, ...]
    points: tuple[Place, ...]
    segments: tuple[Segment, ...] = field(default=())

    def index_of(self, key: str) -> int | None:
        for i, p in enumerate(self.points):
            if p.key == key:
                return i
        return None

    def stretch(self, keys: Iterable[str]) -> tuple[Segment, ...]:
        """The segments between the outermost of the given points on this road (one point: the segments
        touching it; none on the road: the whole road)."""
        idx = sorted(i for i in (self.index_of(k) for k in keys) if i is not None)
        if not idx:
            return self.segments
        if len(idx) == 1:
            i = idx[0]
            return tuple(s for j, s in enumerate(self.segments) if j in (i - 1, i))
        return self.segments[idx[0] : idx[-1]]


class RoadGraph:
    """Roads, their segments, and an adjacency list over point keys."""

    def __init__(self, roads: Sequence[Road]) -> None:
        self.roads = {r.id: r for r in roads}
        self.places: dict[str, Place] = {}
        self.adjacent: dict[str, list[Segment]] = {}
        self._names: dict[str, str] = {}
        for r in roads:
            for p in r.points:
                self.places.setdefault(p.key, p)
            for s in r.segments:
                self.adjacent.setdefault(s.a.key, []).append(s)
                self.adjacent.setdefault(s.b.key, []).append(s)
            for name in (r.name, *r.aliases, r.id):
                self._names.setdefault(norm(name), r.id)

    @classmethod
    def load(cls, gazetteer: Gazetteer, files: Sequence[Path] | None = None) -> RoadGraph:
        """sitroom's roads and the user's (``sitroom routes import``), or the given files instead of the user's."""
        roads: list[Road] = []
        seen: set[str] = set()
        for path in (DATA_FILE, *(user_roads_files() if files is None else files)):
            for road in read_roads(path, gazetteer):
                if road.id in seen:
                    raise DataFileError(str(path), None, f"road {road.id!r} is defined twice")
                seen.add(road.id)
                roads.append(road)
        return cls(roads)

    def road_named(self, name: str) -> Road | None:
        rid = self._names.get(norm(name))
        return self.roads.get(rid) if rid else None

    def road_of_place(self, place: Place) -> Road | None:
        """The road a resolved road place (kind "road", e.g. ``sy:road:m5``) stands for."""
        if place.id and place.id in self.roads:
            return self.roads[place.id]
        return self.road_named(place.name)

    def segments(self) -> list[Segment]:
        return [s for r in self.roads.values() for s in r.segments]

    def node_for(self, place: Place, max_km: float = 30.0) -> str | None:
        """The graph point standing for a place: itself, else the nearest point within `max_km`."""
        if place.key in self.places:
            return place.key
        if place.lat is None or place.lon is None:
            return None
        best: tuple[float, str] | None = None
        for key, p in self.places.items():
            d = distance_km(place.lat, place.lon, p.lat or 0.0, p.lon or 0.0)
            if d <= max_km and (best is None or d < best[0]):
                best = (d, key)
        return best[1] if best else None

    def path(self, start: str, goal: str, cost: Callable[[Segment], float | None]) -> list[Segment] | None:
        """The cheapest path from `start` to `goal` (Dijkstra); `cost` None means the segment is impassable."""
        if start == goal:
            return []
        dist: dict[str, float] = {start: 0.0}
        back: dict[str, Segment] = {}
        heap: list[tuple[float, str]] = [(0.0, start)]
        while heap:
            d, node = heapq.heappop(heap)
            if node == goal:
                break
            if d > dist.get(node, math.inf):
                continue
            for s in self.adjacent.get(node, ()):
                c = cost(s)
                if c is None:
                    continue
                nxt = s.b.key if s.a.key == node else s.a.key
                nd = d + c
                if nd < dist.get(nxt, math.inf):
                    dist[nxt] = nd
                    back[nxt] = s
                    heapq.heappush(heap, (nd, nxt))
        if goal not in back:
            return None
        out: list[Segment] = []
        node = goal
        while node != start:
            s = back[node]
            out.append(s)
            node = s.a.key if s.b.key == node else s.b.key
        out.reverse()
        return out


def read_roads(path: Path, gazetteer: Gazetteer) -> list[Road]:
    """Roads of a TOML file: ``[[road]]`` tables with id, name, aliases and points ``{name, ref}``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError(str(path), None, "file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataFileError(str(path), None, f"not a TOML roads file: {exc}") from None
    roads: list[Road] = []
    for n, entry in enumerate(data.get("road", []), 1):
        where = f"road #{n}"
        rid = entry.get("id")
        if not isinstance(rid, str) or not rid:
            raise DataFileError(str(path), None, f"{where}: an id is required")
        points: list[Place] = []
        for pt in entry.get("points", []):
            ref = pt.get("ref", "") if isinstance(pt, dict) else ""
            place = gazetteer.get(ref)
            if place is None:
                raise DataFileError(str(path), None, f"road {rid!r}: point {pt!r} is not in the gazetteer")
            label = pt.get("name")
            if label and label != place.name:
                place = Place(label, place.lat, place.lon, place.country, place.kind, place.geonameid,
                              place.admin1, place.population, place.id)  # fmt: skip
            points.append(place)
        if len(points) < 2:
            raise DataFileError(str(path), None, f"road {rid!r}: a road needs at least two points")
        segments = tuple(
            Segment(rid, a, b, round(distance_km(a.lat or 0.0, a.lon or 0.0, b.lat or 0.0, b.lon or 0.0), 1))
            for a, b in pairwise(points)
        )
        roads.append(Road(rid, str(entry.get("name") or rid), tuple(entry.get("aliases", ())), tuple(points), segments))
    return roads
