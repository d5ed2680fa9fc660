"""GeoNames dumps a user imports once, kept as compact extracts that the gazetteer index folds in.

What ``sitroom gazetteer import`` reads, as GeoNames publishes it (plain ``.txt`` or its ``.zip``):

- the main table — a country file (``SY.txt``), ``allCountries`` (with ``--country``) or a ``citiesNNN``
  file: 19 tab-separated columns (geonameid, name, asciiname, alternatenames, latitude, longitude, feature
  class, feature code, country code, cc2, admin1 … modification date);
- ``alternateNamesV2`` (or a country's alternate-names file): 10 columns (alternateNameId, geonameid,
  isolanguage, alternate name, isPreferredName, isShortName, isColloquial, isHistoric, from, to);
- ``admin1CodesASCII``: 4 columns (``SY.09``, name, asciiname, geonameid).

The kind of file is told by its column count, not its name (a country's alternate-names zip also holds a
``SY.txt``). Only the features a crisis picture needs are kept: populated places, first- to third-level
divisions, airports, bases, border posts, ports, wadis, hills and the like (``FEATURES``).

Extracts live in the user's data folder (``SITROOM_DATA_DIR`` overrides it), under ``gazetteer/``: one
``places-CC.tsv`` a country, ``names.tsv`` (alternate names by geonameid) and ``admin1.tsv``. Every write
is a whole file replaced atomically, keyed by geonameid, so an import is idempotent (the same file twice
changes nothing) and incremental (a second country, or the alternate names after the places, adds to what
is there). ``manifest.json`` records a hash of each extract: the gazetteer's cache key includes it, so the
index is rebuilt once after an import and never otherwise.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sitroom.errors import DataFileError

# GeoNames feature code -> sitroom place kind. Codes not listed are not imported.
FEATURES: dict[str, str] = {
    "PPLC": "city", "PPLA": "city", "PPLA2": "city",
    "PPL": "town", "PPLA3": "town", "PPLA4": "town", "PPLA5": "town", "PPLG": "town", "PPLS": "village",
    "PPLL": "village", "PPLF": "village", "PPLR": "village", "PPLX": "town", "PPLQ": "village",
    "PPLW": "village", "PPLCH": "town", "STLMT": "village", "CMP": "village", "CMPRF": "village",
    "ADM1": "admin1", "ADM2": "region", "ADM3": "region",
    "AIRP": "airport", "AIRF": "airport", "AIRB": "military_base", "AIRH": "airport",
    "MILB": "military_base", "INSM": "military_base", "NVB": "military_base",
    "PSTB": "border_crossing", "CSTM": "border_crossing",
    "PRT": "port", "HBR": "port",
    "RGN": "region", "AREA": "region", "PLN": "region", "VAL": "region", "WAD": "region", "STM": "region",
    "MT": "region", "MTS": "region", "HLL": "region", "HLLS": "region", "PK": "region",
    "DAM": "region", "BDG": "region", "PRN": "region", "RDJCT": "region",
}  # fmt: skip
# Populated places of fewer people than this are villages (GeoNames gives many villages population 0).
VILLAGE_POPULATION = 2_000
CITY_POPULATION = 100_000
# Alternate-name "languages" that are codes or links, not names.
_NOT_NAMES = {"link", "post", "iata", "icao", "faac", "abbr", "wkdt", "unlc", "tcid", "fr_1793", "phon", "piny"}


def user_data_root() -> Path:
    """The user's sitroom data folder: ``SITROOM_DATA_DIR``, else the platform's user data folder."""
    env = os.environ.get("SITROOM_DATA_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("sitroom"))


def data_dir() -> Path:
    """Where imported GeoNames extracts are kept."""
    return user_data_root() / "gazetteer"


def roads_dir() -> Path:
    """Where users' roads files are kept (``sitroom routes import`` writes there)."""
    return user_data_root() / "roads"


def user_roads_files() -> list[Path]:
    folder = roads_dir()
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


@dataclass(slots=True)
class ImportedPlace:
    gid: int
    name: str
    kind: str
    cc: str
    admin1: str
    lat: float
    lon: float
    population: int
    fcode: str
    names: list[str] = field(default_factory=list)

    def row(self) -> str:
        cells = [str(self.gid), self.name, self.kind, self.cc, self.admin1, f"{self.lat:.5f}", f"{self.lon:.5f}",
                 str(self.population), self.fcode, "|".join(self.names)]  # fmt: skip
        return "\t".join(c.replace("\t", " ") for c in cells)


@dataclass(slots=True)
class AltNames:
    """Alternate names of one GeoNames entry, and its preferred English name if GeoNames marks one."""

    names: list[str] = field(default_factory=list)
    english: str = ""


@dataclass(slots=True)
class ImportResult:
    path: str
    kind: str  # "places", "alternate names" or "admin1 codes"
    read: int = 0
    kept: int = 0
    countries: list[str] = field(default_factory=list)

    def describe(self) -> str:
        where = f" ({', '.join(self.countries)})" if self.countries else ""
        return f"{self.path}: {self.kind}, {self.read:,} rows read, {self.kept:,} kept{where}"


def place_kind(fcode: str, population: int) -> str | None:
    """The sitroom kind of a GeoNames feature, or None when it is not imported."""
    kind = FEATURES.get(fcode)
    if kind == "town":
        if population >= CITY_POPULATION:
            return "city"
        if population < VILLAGE_POPULATION:
            return "village"
    return kind


# --- reading GeoNames files -------------------------------------------------------------------------


def _open_text(path: Path) -> Iterator[tuple[str, Iterable[str]]]:
    """(member name, lines) for a .txt file or each data member of a GeoNames .zip."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            members = [m for m in zf.namelist() if m.endswith(".txt") and "readme" not in m.lower()]
            # alternateNamesV2.zip also carries iso-languagecodes.txt: the data member is named like the zip
            named = [m for m in members if Path(m).stem.lower() == path.stem.lower()]
            for m in named or members:
                if m.lower().startswith("iso-languagecodes"):
                    continue
                with zf.open(m) as raw:
                    yield m, io.TextIOWrapper(raw, encoding="utf-8", errors="replace")
        return
    with path.open(encoding="utf-8", errors="replace") as fh:
        yield path.name, fh


def _lines(lines: Iterable[str]) -> Iterator[list[str]]:
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        yield line.rstrip("\n").split("\t")


def _file_kind(first: list[str], path: str) -> str:
    n = len(first)
    if n >= 19:
        return "places"
    if n in (8, 10) and first[1].isdigit():
        return "alternate names"
    if n == 4 and "." in first[0] and first[3].strip().isdigit():
        return "admin1 codes"
    raise DataFileError(
        path, None,
        f"not a GeoNames file sitroom reads: {n} tab-separated columns (a country or allCountries file has 19, "
        "alternateNamesV2 has 10, admin1CodesASCII has 4)",
    )  # fmt: skip


class GeoNamesImport:
    """The extracts folder, read and written as a whole: ``import_file`` reads one GeoNames file into it."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or data_dir()

    # --- the extracts as they are ---

    def manifest(self) -> dict[str, str]:
        try:
            data = json.loads((self.root / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def countries(self) -> list[str]:
        return sorted(p.stem.removeprefix("places-") for p in self.root.glob("places-*.tsv"))

    def places(self, cc: str | None = None) -> Iterator[ImportedPlace]:
        files = [self.root / f"places-{cc}.tsv"] if cc else sorted(self.root.glob("places-*.tsv"))
        for path in files:
            if not path.exists():
                continue
            for row_no, f in enumerate(_lines(path.open(encoding="utf-8")), 1):
                try:
                    yield ImportedPlace(
                        int(f[0]), f[1], f[2], f[3], f[4], float(f[5]), float(f[6]), int(f[7]), f[8],
                        [n for n in f[9].split("|") if n] if len(f) > 9 else [],
                    )  # fmt: skip
                except (IndexError, ValueError):
                    raise DataFileError(str(path), row_no, "a damaged extract line: import its source again") from None

    def alternate_names(self) -> dict[int, AltNames]:
        out: dict[int, AltNames] = {}
        path = self.root / "names.tsv"
        if not path.exists():
            return out
        for f in _lines(path.open(encoding="utf-8")):
            if len(f) >= 3 and f[0].isdigit():
                out[int(f[0])] = AltNames([n for n in f[2].split("|") if n], f[1])
        return out

    def admin1(self) -> dict[tuple[str, str], tuple[str, int]]:
        """(country, admin1 code) -> (GeoNames name, geonameid)."""
        out: dict[tuple[str, str], tuple[str, int]] = {}
        path = self.root / "admin1.tsv"
        if path.exists():
            for f in _lines(path.open(encoding="utf-8")):
                if len(f) >= 4 and f[3].isdigit():
                    out[(f[0], f[1])] = (f[2], int(f[3]))
        return out

    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for p in self.places():
            counts[p.cc] = counts.get(p.cc, 0) + 1
        return counts

    # --- importing ---

    def import_file(self, path: Path, countries: set[str] | None = None, known_ids: Iterable[int] = ()) -> ImportResult:
        """Read one GeoNames file (txt or zip) into the extracts. `countries` limits which are taken;
        alternate names are kept for the imported places and for `known_ids` (the shipped gazetteer's)."""
        if not path.exists():
            raise DataFileError(str(path), None, "file not found")
        if path.stat().st_size == 0:
            raise DataFileError(str(path), None, "empty file")
        if path.name.lower().startswith("allcountries") and not countries:
            raise DataFileError(
                str(path), None, "allCountries covers the world: name the countries to import with --country SY,LB"
            )
        result: ImportResult | None = None
        try:
            for member, lines in _open_text(path):
                rows = _lines(lines)
                first = next(rows, None)
                if first is None:
                    continue
                label = str(path) if member == path.name else f"{path}!{member}"
                kind = _file_kind(first, label)
                chained = _chain(first, rows)
                if kind == "places":
                    result = self._import_places(chained, label, countries)
                elif kind == "alternate names":
                    result = self._import_names(chained, label, set(known_ids))
                else:
                    result = self._import_admin1(chained, label, countries)
        except (zipfile.BadZipFile, OSError) as exc:
            raise DataFileError(str(path), None, f"cannot read: {exc}") from exc
        if result is None:
            raise DataFileError(str(path), None, "no data lines (only comments or a zip without a .txt file)")
        return result

    def _import_places(self, rows: Iterable[list[str]], label: str, countries: set[str] | None) -> ImportResult:
        res = ImportResult(label, "places")
        fresh: dict[str, dict[int, ImportedPlace]] = {}
        for n, f in enumerate(rows, 1):
            res.read += 1
            if len(f) < 19:
                raise DataFileError(label, n, f"expected 19 tab-separated columns, found {len(f)}")
            cc = f[8]
            if countries and cc not in countries:
                continue
            try:
                gid, lat, lon = int(f[0]), float(f[4]), float(f[5])
                pop = int(f[14] or 0)
            except ValueError:
                raise DataFileError(label, n, "geonameid, latitude, longitude or population is not a number") from None
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise DataFileError(label, n, f"coordinates {lat}, {lon} are out of range")
            kind = place_kind(f[7], pop)
            if kind is None or not cc:
                continue
            names = [a for a in f[3].split(",") if a and a != f[1]] if f[3] else []
            if f[2] and f[2] != f[1] and f[2] not in names:
                names.insert(0, f[2])
            fresh.setdefault(cc, {})[gid] = ImportedPlace(gid, f[1], kind, cc, f[10], lat, lon, pop, f[7], names)
            res.kept += 1
        for cc, places in sorted(fresh.items()):
            old = {p.gid: p for p in self.places(cc)}
            old.update(places)
            self._write(
                f"places-{cc}.tsv",
                (p.row() for p in sorted(old.values(), key=lambda p: p.gid)),
                header="# geonameid\tname\tkind\tcountry\tadmin1\tlat\tlon\tpopulation\tfeature code\tnames",
            )
        res.countries = sorted(fresh)
        return res

    def _import_names(self, rows: Iterable[list[str]], label: str, known_ids: set[int]) -> ImportResult:
        res = ImportResult(label, "alternate names")
        wanted = self._wanted_ids() | known_ids
        names = self.alternate_names()
        english_rank: dict[int, int] = {}
        for n, f in enumerate(rows, 1):
            res.read += 1
            if len(f) < 4 or not f[1].isdigit():
                raise DataFileError(label, n, "expected alternateNameId, geonameid, isolanguage, name ...")
            gid = int(f[1])
            if gid not in wanted:
                continue
            lang, name = f[2], f[3].strip()
            if lang in _NOT_NAMES or not name or len(name) > 120:
                continue
            historic = len(f) > 7 and f[7] == "1"
            entry = names.setdefault(gid, AltNames())
            if name not in entry.names:
                entry.names.append(name)
            if lang == "en" and not historic:
                # The English name shown to users: a preferred one beats a short one beats any other.
                rank = 3 if len(f) > 4 and f[4] == "1" else 2 if len(f) > 5 and f[5] == "1" else 1
                if rank > english_rank.get(gid, 0) or (rank == english_rank.get(gid) and not entry.english):
                    english_rank[gid] = rank
                    entry.english = name
            res.kept += 1
        self._write("names.tsv", (f"{g}\t{a.english}\t{'|'.join(a.names)}".replace("\n", " ")
                                  for g, a in sorted(names.items())),
                    header="# geonameid\tEnglish name\talternate names")  # fmt: skip
        return res

    def _import_admin1(self, rows: Iterable[list[str]], label: str, countries: set[str] | None) -> ImportResult:
        res = ImportResult(label, "admin1 codes")
        table = self.admin1()
        for n, f in enumerate(rows, 1):
            res.read += 1
            if len(f) < 4 or "." not in f[0] or not f[3].strip().isdigit():
                raise DataFileError(label, n, "expected CC.code, name, asciiname, geonameid")
            cc, code = f[0].split(".", 1)
            if countries and cc not in countries:
                continue
            table[(cc, code)] = (f[1], int(f[3]))
            res.kept += 1
        self._write("admin1.tsv", (f"{cc}\t{code}\t{name}\t{gid}" for (cc, code), (name, gid) in sorted(table.items())),
                    header="# country\tadmin1 code\tname\tgeonameid")  # fmt: skip
        res.countries = sorted({cc for cc, _ in table})
        return res

    def _wanted_ids(self) -> set[int]:
        """Ids of imported places and divisions, whose alternate names are kept."""
        ids = {p.gid for p in self.places()}
        ids.update(gid for _, gid in self.admin1().values())
        return ids

    def _write(self, name: str, lines: Iterable[str], header: str) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.root, suffix=".tmp")
        digest = hashlib.sha256()
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(header + "\n")
                for line in lines:
                    fh.write(line + "\n")
                    digest.update(line.encode())
            os.replace(tmp, self.root / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        manifest = self.manifest()
        manifest[name] = digest.hexdigest()
        fd, tmp = tempfile.mkstemp(dir=self.root, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(manifest, fh, indent=1, sort_keys=True)
        os.replace(tmp, self.root / "manifest.json")

    def fingerprint(self) -> str:
        """A short hash of what is imported ('' when nothing is): part of the gazetteer's cache key."""
        m = self.manifest()
        if not m:
            return ""
        return hashlib.sha256(json.dumps(m, sort_keys=True).encode()).hexdigest()[:16]


def _chain(first: list[str], rest: Iterator[list[str]]) -> Iterator[list[str]]:
    yield first
    yield from rest
