"""`sitroom gazetteer import`: GeoNames dumps written here in GeoNames' own formats, imported into a
data folder of the test's own, and then found by the gazetteer, the geoparser and `--place`."""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitroom.cli import main
from sitroom.errors import DataFileError
from sitroom.geo import Gazetteer, Geoparser
from sitroom.geo.imports import GeoNamesImport, place_kind

# geonameid, name, asciiname, alternatenames, lat, lon, class, code, cc, admin1, population
VILLAGES = [
    (170510, "‘Andān", "`Andan", "Anadan,Andan,عندان", 36.2939, 37.0469, "P", "PPL", "SY", "09", 10000),
    (168280, "Khān al ‘Asal", "Khan al `Asal", "Khan al-Asal,Khan al Assal", 36.1736, 37.0375, "P", "PPL", "SY", "09", 0),
    (162200, "Ūrum al Kubrá", "Urum al Kubra", "Urum al-Kubra,Orum al-Kubra", 36.1491, 36.9543, "P", "PPL", "SY", "09", 0),
    (9990001, "Maţār Kuwayris", "Matar Kuwayris", "", 36.1869, 37.5833, "S", "AIRB", "SY", "09", 0),
    (9990002, "Dukkān", "Dukkan", "", 36.0, 37.0, "S", "SHOP", "SY", "09", 0),
    (170017, "Ḩamāh", "Hamah", "Hama", 35.13179, 36.75783, "P", "PPLA", "SY", "10", 460602),
]  # fmt: skip
LEBANON = [(9990010, "Qaa", "Qaa", "Al Qaa,El Qaa", 34.3436, 36.4756, "P", "PPL", "LB", "02", 0)]


def _main_table(rows: list[tuple]) -> str:  # type: ignore[type-arg]
    lines = []
    for gid, name, ascii_, alts, lat, lon, fcl, fc, cc, a1, pop in rows:
        cols = [gid, name, ascii_, alts, lat, lon, fcl, fc, cc, "", a1, "", "", "", pop, "", 300, "Asia/Damascus",
                "2024-01-01"]  # fmt: skip
        lines.append("\t".join(map(str, cols)))
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def dumps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("geonames")
    with zipfile.ZipFile(d / "SY.zip", "w") as zf:
        zf.writestr("readme.txt", "GeoNames export of one country")
        zf.writestr("SY.txt", _main_table(VILLAGES))
    (d / "LB.txt").write_text(_main_table(LEBANON), encoding="utf-8")
    (d / "alternateNamesV2.txt").write_text(
        "1\t170017\ten\tHama\t1\t\t\t\t\t\n2\t168280\tar\tخان العسل\t\t\t\t\t\t\n3\t168280\tlink\thttps://x\t\t\t\t\t\t\n",
        encoding="utf-8",
    )
    (d / "admin1CodesASCII.txt").write_text("SY.09\tAleppo\tAleppo\t170062\n", encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def imported(dumps: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A data folder holding the imports, and a cache of its own (the session's index stays untouched)."""
    data, cache = tmp_path_factory.mktemp("data"), tmp_path_factory.mktemp("cache")
    old = {k: os.environ.get(k) for k in ("SITROOM_DATA_DIR", "SITROOM_CACHE_DIR")}
    os.environ["SITROOM_DATA_DIR"], os.environ["SITROOM_CACHE_DIR"] = str(data), str(cache)
    try:
        yield data
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def test_feature_codes_map_to_place_kinds() -> None:
    assert place_kind("PPL", 0) == "village"
    assert place_kind("PPL", 25_000) == "town"
    assert place_kind("PPL", 250_000) == "city"
    assert place_kind("PPLA", 0) == "city"
    assert place_kind("AIRB", 0) == "military_base"
    assert place_kind("PSTB", 0) == "border_crossing"
    assert place_kind("SHOP", 0) is None


def test_import_then_villages_resolve_like_cities(dumps: Path, imported: Path) -> None:
    runner = CliRunner()
    files = [str(dumps / n) for n in ("alternateNamesV2.txt", "SY.zip", "LB.txt", "admin1CodesASCII.txt")]
    out = runner.invoke(main, ["gazetteer", "import", *files])
    assert out.exit_code == 0, out.output
    assert "SY.zip" in out.output and "5 kept (SY)" in out.output  # the shop is not a place sitroom needs
    imp = GeoNamesImport()
    assert imp.countries() == ["LB", "SY"]
    manifest = imp.manifest()
    # the same files again change nothing: the index is not rebuilt for nothing
    again = runner.invoke(main, ["gazetteer", "import", *files])
    assert again.exit_code == 0 and imp.manifest() == manifest

    gaz = Gazetteer.load()
    village = gaz.lookup("Khan al-Asal", "SY")[0]
    assert (village.kind, village.geonameid, village.country) == ("village", 168280, "SY")
    assert gaz.lookup("خان العسل")[0].geonameid == 168280  # an alternate name from alternateNamesV2
    assert gaz.lookup("Matar Kuwayris")[0].kind == "military_base"
    assert gaz.lookup("Qaa", "LB")[0].geonameid == 9990010
    # a city already shipped keeps one row and takes GeoNames' English name
    hama = gaz.lookup("Hamah", "SY")
    assert hama[0].geonameid == 170017 and hama[0].name == "Hama"

    mentions = Geoparser(gaz).parse("Insurgents took Anadan and Khan al-Asal west of Aleppo on Thursday.")
    found = {m.text: m.place.geonameid for m in mentions if m.place is not None}
    assert found["Anadan"] == 170510 and found["Khan al-Asal"] == 168280

    info = runner.invoke(main, ["gazetteer", "info", "--format", "json"])
    assert info.exit_code == 0, info.output
    data = json.loads(info.output)
    assert data["imported"] == {"LB": 1, "SY": 5} and data["by_kind"]["village"] >= 3


def test_a_bad_file_is_named_and_the_rest_still_imported(dumps: Path, imported: Path, tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("just\tthree\tcolumns\n", encoding="utf-8")
    out = CliRunner().invoke(main, ["gazetteer", "import", str(bad), str(dumps / "LB.txt")])
    assert out.exit_code == 1
    assert "notes.txt" in out.output and "19" in out.output  # says what a GeoNames file looks like
    assert "LB.txt: places" in out.output


def test_all_countries_needs_a_country_and_a_damaged_row_is_refused(tmp_path: Path) -> None:
    imp = GeoNamesImport(tmp_path / "gaz")
    world = tmp_path / "allCountries.txt"
    world.write_text(_main_table(VILLAGES + LEBANON), encoding="utf-8")
    with pytest.raises(DataFileError, match="--country"):
        imp.import_file(world)
    res = imp.import_file(world, {"LB"})
    assert res.countries == ["LB"] and imp.countries() == ["LB"]
    broken = tmp_path / "SY.txt"
    broken.write_text(_main_table(VILLAGES).replace("36.2939", "north"), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"SY.txt:1: .*not a number"):
        imp.import_file(broken)
    assert imp.countries() == ["LB"]  # nothing half-written
