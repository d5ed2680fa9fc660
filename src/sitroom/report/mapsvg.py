"""A control map drawn by sitroom itself, as SVG: country outlines and who holds each place, no tiles, no browser.

    svg = control_map(entries, colours)   # entries: `Picture.control(...)` rows; colours: actor id -> "#rrggbb"

The outlines are Natural Earth's (npm `world-atlas`, built into the package by `make web`); without them the
map still draws the places on a plain background. The view is the box around the places, in an
equirectangular projection scaled by the cosine of its middle latitude (true to shape at this scale).
"""

from __future__ import annotations

import colorsys
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from html import escape
from math import cos, radians
from pathlib import Path
from typing import Any

WORLD_ATLAS = Path(__file__).resolve().parents[1] / "web" / "static" / "vendor" / "world-atlas" / "countries-50m.json"

Ring = list[tuple[float, float]]


@cache
def _countries() -> list[tuple[str, list[Ring]]]:
    """Every country's outer rings (lon, lat), decoded from the TopoJSON; empty when it is not installed."""
    if not WORLD_ATLAS.is_file():
        return []
    topo = json.loads(WORLD_ATLAS.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs: list[Ring] = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:  # quantised and delta-encoded
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(indices: Iterable[int]) -> Ring:
        out: Ring = []
        for i in indices:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts[1:] if out else pts)
        return out

    shapes = []
    for geom in topo["objects"]["countries"]["geometries"]:
        name = (geom.get("properties") or {}).get("name", "")
        if geom.get("type") == "Polygon":
            rings = [ring(geom["arcs"][0])]
        elif geom.get("type") == "MultiPolygon":
            rings = [ring(poly[0]) for poly in geom["arcs"]]
        else:
            continue
        shapes.append((name, rings))
    return shapes


def actor_colour(actor: Mapping[str, Any] | None, colours: Mapping[str, str]) -> str:
    """The actor's colour from the lexicon, else one computed from its id (as the web page does)."""
    aid = str((actor or {}).get("id") or (actor or {}).get("name") or "unknown")
    if aid in colours:
        return colours[aid]
    hue = int(hashlib.sha1(aid.encode()).hexdigest()[:4], 16) % 360 / 360
    r, g, b = colorsys.hls_to_rgb(hue, 0.45, 0.55)
    return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"


def control_map(
    entries: Sequence[Mapping[str, Any]], colours: Mapping[str, str], width: int = 720, height: int = 480
) -> str:
    """An SVG map of the control entries: a dot per place in its holder's colour (faded when stale), city
    names, a legend of holders. Report text never reaches it unescaped."""
    pts = [e for e in entries if e.get("place") and e["place"].get("lat") is not None]
    if not pts:
        return ""
    lats = [e["place"]["lat"] for e in pts]
    lons = [e["place"]["lon"] for e in pts]
    pad = 0.6
    s, n, w, e_ = min(lats) - pad, max(lats) + pad, min(lons) - pad, max(lons) + pad
    k = cos(radians((s + n) / 2))
    span_x, span_y = (e_ - w) * k, n - s
    scale = min((width - 20) / span_x, (height - 60) / span_y)
    ox = (width - span_x * scale) / 2
    oy = (height - 40 - span_y * scale) / 2

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return ox + (lon - w) * k * scale, oy + (n - lat) * scale

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'font-family="DejaVu Sans, sans-serif" font-size="10" role="img" aria-label="Control map">',
        f'<rect width="{width}" height="{height - 40}" fill="#dfe9f2"/>',
    ]
    for name, rings in _countries():
        for r in rings:
            if not any(w - 5 <= lon <= e_ + 5 and s - 5 <= lat <= n + 5 for lon, lat in r):
                continue
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(lon, lat) for lon, lat in r))
            out.append(f'<polygon points="{path}" fill="#f4f1ea" stroke="#a9a49a" stroke-width="0.6">'
                       f"<title>{escape(name)}</title></polygon>")  # fmt: skip
    holders: dict[str, str] = {}
    labels: list[tuple[float, float, float, float]] = []
    for entry in sorted(pts, key=lambda e: e["place"].get("kind") == "city"):
        place = entry["place"]
        x, y = xy(place["lon"], place["lat"])
        colour = actor_colour(entry.get("controller"), colours)
        holders.setdefault(str((entry.get("controller") or {}).get("name") or "unknown"), colour)
        stale = entry.get("stale") is True
        radius = 5 if place.get("kind") == "city" else 3.5
        dash = ' stroke-dasharray="2 2"' if stale else ""
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{colour}" fill-opacity="{0.35 if stale else 0.95}" '
            f'stroke="#ffffff" stroke-width="1"{dash}/>'
        )
        if place.get("kind") == "city":
            text = str(place.get("name") or "")
            box = (x + 7, y - 9, x + 7 + 5.6 * len(text), y + 3)
            if any(not (box[2] < b[0] or b[2] < box[0] or box[3] < b[1] or b[3] < box[1]) for b in labels):
                continue  # labels never collide: a name that would overlap one already drawn is left out
            labels.append(box)
            out.append(f'<text x="{x + 7:.1f}" y="{y + 3:.1f}" fill="#222">{escape(text)}</text>')
    lx = 10
    ly = height - 24
    for name, colour in holders.items():
        out.append(f'<circle cx="{lx + 5}" cy="{ly}" r="5" fill="{colour}"/>')
        out.append(f'<text x="{lx + 14}" y="{ly + 4}">{escape(name)}</text>')
        lx += 24 + 6 * len(name)
        if lx > width - 120:
            lx, ly = 10, ly + 14
    out.append(f'<text x="{width - 10}" y="{height - 4}" text-anchor="end" fill="#666">faded: not confirmed lately'
               " · outlines: Natural Earth</text>")  # fmt: skip
    out.append("</svg>")
    return "".join(out)
