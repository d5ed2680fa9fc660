"""Scoring the geoparser on LGL / GeoWebNews-style XML (Gritta et al.'s redistribution format).

Each ``<article>`` has ``<text>`` and ``<toponyms>``; each ``<toponym>`` has ``<start>``, ``<end>``,
``<phrase>`` and, when the annotators could place it, a ``<gaztag geonameid=..>`` with ``<lat>``/``<lon>``.
Toponyms without coordinates count for recognition only.

Figures (all reported, so that none is mistaken for another):
- recognition: precision and recall of mention spans (a predicted span matches a gold one when they
  overlap; each gold toponym is matched at most once);
- resolution, the usual geocoding figures (Gritta et al. 2018; Halterman 2023) over the gold toponyms
  with coordinates that the parser recognised: accuracy@161 km, mean and median error, exact GeoNames id;
  a recognised mention left unresolved counts as a miss (error: the maximum, 20,039 km);
- end to end: accuracy@161 km over *all* gold toponyms with coordinates (missed ones count as misses).
"""

from __future__ import annotations

import statistics
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sitroom.errors import DataFileError
from sitroom.geo.gazetteer import distance_km
from sitroom.geo.geoparser import Geoparser

_MAX_ERROR_KM = 20_039.0  # half the Earth's circumference: the error of a toponym left unresolved


@dataclass(frozen=True, slots=True)
class GoldToponym:
    start: int
    end: int
    phrase: str
    geonameid: int | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class GoldArticle:
    docid: str
    title: str
    text: str
    toponyms: tuple[GoldToponym, ...]


def read_gold(path: Path) -> Iterator[GoldArticle]:
    """Articles of an LGL/GeoWebNews-style XML file."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise DataFileError(str(path), None, f"not a readable gold XML file: {exc}") from exc
    for art in root.iter("article"):
        tops = []
        for t in art.iter("toponym"):
            try:
                start, end = int(t.findtext("start", "")), int(t.findtext("end", ""))
            except ValueError:
                continue
            g = t.find("gaztag")
            gid = lat = lon = None
            if g is not None:
                gid_s = g.get("geonameid")
                gid = int(gid_s) if gid_s and gid_s.isdigit() else None
                try:
                    lat, lon = float(g.findtext("lat", "")), float(g.findtext("lon", ""))
                except ValueError:
                    lat = lon = None
            tops.append(GoldToponym(start, end, t.findtext("phrase", ""), gid, lat, lon))
        yield GoldArticle(art.get("docid", ""), art.findtext("title", ""), art.findtext("text", ""), tuple(tops))


@dataclass(slots=True)
class GeoparseScore:
    articles: int = 0
    gold: int = 0
    gold_with_coords: int = 0
    predicted: int = 0
    matched_pred: int = 0
    recognised: int = 0  # gold toponyms (with coordinates) whose span was found
    within_161: int = 0
    exact_id: int = 0
    same_country_or_near: int = 0
    errors_km: list[float] = field(default_factory=list)
    unresolved_recognised: int = 0
    matched_gold: int = 0

    @property
    def precision(self) -> float:
        return self.matched_pred / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 0.0

    def as_dict(self) -> dict[str, float | int]:
        rec = self.recognised or 1
        return {
            "articles": self.articles,
            "gold_toponyms": self.gold,
            "gold_with_coordinates": self.gold_with_coords,
            "predicted_mentions": self.predicted,
            "recognition_precision": round(self.precision, 4),
            "recognition_recall": round(self.recall, 4),
            "recognised_with_coordinates": self.recognised,
            "accuracy_161km": round(self.within_161 / rec, 4),
            "exact_geonameid": round(self.exact_id / rec, 4),
            "mean_error_km": round(statistics.fmean(self.errors_km), 1) if self.errors_km else 0.0,
            "median_error_km": round(statistics.median(self.errors_km), 1) if self.errors_km else 0.0,
            "unresolved_recognised": self.unresolved_recognised,
            "end_to_end_accuracy_161km": round(self.within_161 / (self.gold_with_coords or 1), 4),
        }

    def render_table(self) -> str:
        d = self.as_dict()
        width = max(len(k) for k in d)
        return "\n".join(f"{k.ljust(width)}  {v}" for k, v in d.items())


def evaluate_geoparse(path: Path, gp: Geoparser | None = None, *, demonyms: bool = False) -> GeoparseScore:
    """Run the geoparser over every article of a gold XML file and score it (see module docstring).

    `demonyms=True` lets the parser report "Russian", "Americans"... as mentions of their country, as
    LGL's annotators did; sitroom's default (off) leaves them out, which costs recall on LGL only."""
    gp = gp or Geoparser.default()
    sc = GeoparseScore()
    for art in read_gold(path):
        sc.articles += 1
        mentions = gp.parse(art.text, demonyms=demonyms)
        sc.predicted += len(mentions)
        sc.gold += len(art.toponyms)
        used: set[int] = set()
        for m in mentions:
            hit = next(
                (k for k, g in enumerate(art.toponyms) if k not in used and m.start < g.end and g.start < m.end),
                None,
            )
            if hit is None:
                continue
            used.add(hit)
            sc.matched_pred += 1
            g = art.toponyms[hit]
            if g.lat is None or g.lon is None:
                continue
            sc.recognised += 1
            p = m.place
            if p is None or p.lat is None or p.lon is None:
                sc.unresolved_recognised += 1
                sc.errors_km.append(_MAX_ERROR_KM)
                continue
            err = distance_km(p.lat, p.lon, g.lat, g.lon)
            sc.errors_km.append(err)
            if err <= 161.0:
                sc.within_161 += 1
            if g.geonameid is not None and p.geonameid == g.geonameid:
                sc.exact_id += 1
        sc.matched_gold += len(used)
        sc.gold_with_coords += sum(1 for g in art.toponyms if g.lat is not None)
    return sc
