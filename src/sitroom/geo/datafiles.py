"""Readers for sitroom's own place tables and for users' places files.

A places file is tab-separated (``.tsv``) or comma-separated (``.csv``), UTF-8, one place a line, with
these columns (a header line naming them is optional; ``#`` starts a comment line):

    id  name  kind  country  lat  lon  aliases  note

- ``id``: a stable id of the user's choosing (``sy:airport:aleppo``), or ``geonames:NNN`` to add aliases
  to a GeoNames entry (then kind/lat/lon may be left empty and are taken from GeoNames);
- ``kind``: one of the Place kinds of DESIGN.md (airport, border_crossing, port, military_base, ...);
- ``country``: ISO 3166-1 alpha-2, empty for seas and regions spanning countries;
- ``aliases``: other names, separated by ``|``;
- ``note``: free text, shown by ``--explain``.

Any malformed line raises `DataFileError` naming the file and the line, so a typo never silently drops
a place.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from sitroom.errors import DataFileError
from sitroom.model import PLACE_KINDS

COLUMNS = ("id", "name", "kind", "country", "lat", "lon", "aliases", "note")


@dataclass(frozen=True, slots=True)
class PlaceRow:
    """One line of a places file."""

    id: str
    name: str
    kind: str
    country: str | None
    lat: float | None
    lon: float | None
    aliases: tuple[str, ...]
    note: str
    source: str  # "file:line", for --explain and error messages


def _coord(value: str, lo: float, hi: float, what: str, path: str, line: int) -> float | None:
    if not value.strip():
        return None
    try:
        x = float(value)
    except ValueError:
        raise DataFileError(path, line, f"{what} {value!r} is not a number") from None
    if not lo <= x <= hi:
        raise DataFileError(path, line, f"{what} {x} is outside [{lo}, {hi}]")
    return x


def read_places_text(text: str, path: str) -> list[PlaceRow]:
    """Parse a places table given as text; `path` is used in messages (its suffix picks the delimiter)."""
    delimiter = "," if path.lower().endswith(".csv") else "\t"
    rows: list[PlaceRow] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    for fields in reader:
        line = reader.line_num
        if not fields or not "".join(fields).strip() or fields[0].lstrip().startswith("#"):
            continue
        if [f.strip().lower() for f in fields[:3]] == ["id", "name", "kind"]:
            continue  # a header line
        if len(fields) < 6:
            raise DataFileError(
                path, line, f"expected at least 6 columns ({', '.join(COLUMNS[:6])}), found {len(fields)}"
            )
        if len(fields) > len(COLUMNS):
            raise DataFileError(path, line, f"expected at most {len(COLUMNS)} columns, found {len(fields)}")
        fields = [f.strip() for f in fields] + [""] * (len(COLUMNS) - len(fields))
        pid, name, kind, country, lat_s, lon_s, aliases, note = fields
        if not pid:
            raise DataFileError(path, line, "the id column is empty")
        if not name:
            raise DataFileError(path, line, "the name column is empty")
        lat = _coord(lat_s, -90.0, 90.0, "latitude", path, line)
        lon = _coord(lon_s, -180.0, 180.0, "longitude", path, line)
        is_geonames = pid.startswith("geonames:")
        if is_geonames and not pid.removeprefix("geonames:").isdigit():
            raise DataFileError(path, line, f"id {pid!r}: geonames ids are geonames:<number>")
        if not is_geonames:
            if kind not in PLACE_KINDS:
                raise DataFileError(path, line, f"kind {kind!r} is not one of {', '.join(PLACE_KINDS)}")
            if lat is None or lon is None:
                raise DataFileError(path, line, "lat and lon are required for a place of one's own")
        elif kind and kind not in PLACE_KINDS:
            raise DataFileError(path, line, f"kind {kind!r} is not one of {', '.join(PLACE_KINDS)}")
        if country and (len(country) != 2 or not country.isalpha()):
            raise DataFileError(path, line, f"country {country!r} is not an ISO 3166-1 alpha-2 code")
        rows.append(
            PlaceRow(
                id=pid,
                name=name,
                kind=kind,
                country=country.upper() or None,
                lat=lat,
                lon=lon,
                aliases=tuple(a.strip() for a in aliases.split("|") if a.strip()),
                note=note,
                source=f"{path}:{line}",
            )
        )
    return rows


def read_places_file(path: Path) -> list[PlaceRow]:
    """Read a user's (or sitroom's own) places file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(str(path), None, "file not found") from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise DataFileError(str(path), line, "not UTF-8 text") from None
    return read_places_text(text, str(path))
