"""`sitroom routes import`: the main roads of any region from an OpenStreetMap extract, as a roads file.

An extract (``.osm.pbf`` as Geofabrik and others publish them, or ``.osm``) is read with pyosmium (the
``osm`` extra). Ways tagged ``highway`` of the chosen classes (motorway, trunk, primary by default) are
grouped by their ``ref`` (else their ``name``); each group's ways are joined at shared nodes and the longest
line through each connected piece is taken as the road. The towns, cities and border crossings of the
gazetteer that lie on that line (within a few km: `SNAP_KM`) become the road's points, in order along it —
the same form as sitroom's own ``roads.toml``, so the route planner treats imported roads like shipped ones.

The result is written to ``roads/<extract name>.toml`` in the user's data folder (``SITROOM_DATA_DIR``),
replacing an earlier import of the same extract; the roads' names become gazetteer places on next use.
"""

from __future__ import annotations

import heapq
import math
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sitroom.errors import ConfigError, DataFileError
from sitroom.geo.gazetteer import Gazetteer, distance_km
from sitroom.geo.imports import roads_dir

HIGHWAY_CLASSES = ("motorway", "trunk", "primary")
# How far from the line a place may lie and still be on the road (its centre, not its edge).
SNAP_KM = {"city": 5.0, "town": 2.5, "border_crossing": 1.5}
MIN_ROAD_KM = 10.0
_SAMPLE_KM = 0.3  # line vertices closer than this to the previous kept one are dropped before snapping


@dataclass(slots=True)
class _Group:
    ref: str
    names: set[str] = field(default_factory=set)
    edges: dict[int, set[int]] = field(default_factory=dict)


@dataclass(slots=True)
class ImportedRoad:
    id: str
    name: str
    aliases: list[str]
    points: list[tuple[str, str]]  # (name, ref)


def read_extract(
    path: Path, classes: Iterable[str] = HIGHWAY_CLASSES
) -> tuple[dict[str, _Group], dict[int, tuple[float, float]]]:
    """The highway groups of an OSM extract and the coordinates of their nodes."""
    try:
        import osmium
    except ImportError:
        raise ConfigError("reading OpenStreetMap extracts needs the osm extra: pip install 'sitroom[osm]'") from None
    wanted = set(classes)
    groups: dict[str, _Group] = {}
    coords: dict[int, tuple[float, float]] = {}
    try:
        fp = osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY).with_locations()
        for obj in fp:
            if not isinstance(obj, osmium.osm.Way):
                continue
            tags = obj.tags
            if tags.get("highway") not in wanted:
                continue
            ref = (tags.get("ref") or "").split(";")[0].strip()
            name = (tags.get("name:en") or tags.get("name") or "").strip()
            key = ref or name
            if not key:
                continue
            g = groups.setdefault(key, _Group(key))
            if name:
                g.names.add(name)
            prev: int | None = None
            for n in obj.nodes:
                if not n.location.valid():
                    prev = None
                    continue
                coords[n.ref] = (n.location.lat, n.location.lon)
                if prev is not None and prev != n.ref:
                    g.edges.setdefault(prev, set()).add(n.ref)
                    g.edges.setdefault(n.ref, set()).add(prev)
                prev = n.ref
    except RuntimeError as exc:
        raise DataFileError(str(path), None, f"not a readable OpenStreetMap file: {exc}") from None
    return groups, coords


def _farthest(
    start: int, edges: dict[int, set[int]], coords: dict[int, tuple[float, float]]
) -> tuple[int, dict[int, int], dict[int, float]]:
    dist = {start: 0.0}
    back: dict[int, int] = {}
    heap = [(0.0, start)]
    while heap:
        d, u = heapq.heappop(heap)
        if d > dist[u]:
            continue
        for v in edges.get(u, ()):
            nd = d + distance_km(*coords[u], *coords[v])
            if nd < dist.get(v, math.inf):
                dist[v], back[v] = nd, u
                heapq.heappush(heap, (nd, v))
    far = max(dist, key=dist.__getitem__)
    return far, back, dist


def _lines(g: _Group, coords: dict[int, tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """The longest line through each connected piece of a group (two sweeps: a tree's diameter)."""
    seen: set[int] = set()
    out = []
    for node in g.edges:
        if node in seen:
            continue
        a, _, reach = _farthest(node, g.edges, coords)
        seen.update(reach)
        b, back, dist = _farthest(a, g.edges, coords)
        if dist[b] < MIN_ROAD_KM:
            continue
        path = [b]
        while path[-1] != a:
            path.append(back[path[-1]])
        line = [coords[path[0]]]
        for n in path[1:]:
            if distance_km(*line[-1], *coords[n]) >= _SAMPLE_KM or n == a:
                line.append(coords[n])
        out.append(line)
    return out


def _snap(line: list[tuple[float, float]], gaz: Gazetteer, candidates: list[int]) -> list[tuple[str, str]]:
    """The gazetteer places on a line, in order along it."""
    lats = [p[0] for p in line]
    lons = [p[1] for p in line]
    pad = 0.06
    box = (min(lats) - pad, max(lats) + pad, min(lons) - pad, max(lons) + pad)
    hits: list[tuple[int, float, int]] = []  # (vertex index, distance, row)
    for i in candidates:
        lat, lon = gaz.xy(i)
        if not (box[0] <= lat <= box[1] and box[2] <= lon <= box[3]):
            continue
        limit = SNAP_KM[gaz.kind_of(i)]
        best = min(range(len(line)), key=lambda k: (line[k][0] - lat) ** 2 + (line[k][1] - lon) ** 2)
        d = distance_km(lat, lon, *line[best])
        if d <= limit:
            hits.append((best, d, i))
    hits.sort()
    points: list[tuple[str, str]] = []
    for _, _, i in hits:
        p = gaz.place(i)
        if not points or points[-1][1] != p.key:
            points.append((p.name, p.key))
    return points


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", s.lower()) or "road"


def roads_from_extract(path: Path, gaz: Gazetteer, classes: Iterable[str] = HIGHWAY_CLASSES) -> list[ImportedRoad]:
    groups, coords = read_extract(path, classes)
    candidates = [i for i in range(len(gaz)) if gaz.kind_of(i) in SNAP_KM]
    stem = _slug(path.name.split(".")[0])
    roads: list[ImportedRoad] = []
    for key, g in sorted(groups.items()):
        lines = _lines(g, coords)
        for n, line in enumerate(sorted(lines, key=len, reverse=True), 1):
            points = _snap(line, gaz, candidates)
            if len(points) < 2:
                continue
            suffix = f"-{n}" if len(lines) > 1 else ""
            name = key if not g.names or key in g.names else f"{key} ({sorted(g.names)[0]})"
            aliases = sorted({key, f"{key} highway", f"{key} road", *g.names} - {name}) if not suffix else []
            roads.append(ImportedRoad(f"osm:{stem}:{_slug(key)}{suffix}", name + suffix, aliases, points))
    return roads


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_roads(roads: list[ImportedRoad], source: Path, target_dir: Path | None = None) -> Path:
    """Write the roads file for an extract (atomically, replacing an earlier import of it)."""
    folder = target_dir or roads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{_slug(source.name.split('.')[0])}.toml"
    lines = [f"# Main roads imported by `sitroom routes import` from {source.name} (OpenStreetMap, ODbL).", ""]
    for r in roads:
        lines += ["[[road]]", f"id = {_toml_str(r.id)}", f"name = {_toml_str(r.name)}"]
        lines.append("aliases = [" + ", ".join(_toml_str(a) for a in r.aliases) + "]")
        lines.append("points = [")
        lines += [f"  {{ name = {_toml_str(name)}, ref = {_toml_str(ref)} }}," for name, ref in r.points]
        lines += ["]", ""]
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
    os.replace(tmp, target)
    return target
