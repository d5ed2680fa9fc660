from __future__ import annotations

from pathlib import Path

import pytest

from sitroom.errors import DataFileError
from sitroom.geo import Gazetteer, distance_km
from sitroom.geo.datafiles import read_places_text
from sitroom.geo.geoparser import Geoparser


def test_distance_between_damascus_and_aleppo_is_about_310_km() -> None:
    assert 300 < distance_km(33.5102, 36.2913, 36.2012, 37.1612) < 320
    assert distance_km(10.0, 20.0, 10.0, 20.0) == 0.0


def test_lookup_ranks_the_famous_city_first_and_filters_by_country(gazetteer: Gazetteer) -> None:
    aleppo = gazetteer.lookup("Aleppo")[0]
    assert (aleppo.country, aleppo.kind, aleppo.geonameid) == ("SY", "city", 170063)
    us_damascus = gazetteer.lookup("Damascus", country="US")
    assert us_damascus and all(p.country == "US" for p in us_damascus)
    assert gazetteer.lookup("Damascus")[0].country == "SY"


def test_country_by_code_or_name_and_get_by_key(gazetteer: Gazetteer) -> None:
    syria = gazetteer.country("Syria")
    assert syria is not None and syria.kind == "country" and syria.country == "SY"
    assert gazetteer.country("sy") == syria
    assert gazetteer.country("Narnia") is None
    assert gazetteer.get(syria.key) == syria
    airport = gazetteer.get("sy:airport:aleppo")
    assert airport is not None and airport.kind == "airport"
    assert abs(airport.lat - 36.1807) < 1e-6 and abs(airport.lon - 37.2244) < 1e-6
    assert gazetteer.get("geonames:notanumber") is None


def test_arabic_and_cyrillic_names_find_aleppo(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("حلب")[0].geonameid == 170063
    assert gazetteer.lookup("Алеппо")[0].geonameid == 170063


def test_curated_facilities_have_their_kinds(gazetteer: Gazetteer) -> None:
    kinds = {
        "Hmeimim": "military_base",
        "Kuweires air base": "military_base",
        "Tartus naval base": "military_base",
        "Bab al-Hawa": "border_crossing",
        "Nasib": "border_crossing",
        "Masnaa": "border_crossing",
        "Damascus International Airport": "airport",
    }
    for name, kind in kinds.items():
        found = gazetteer.lookup(name)
        assert found and found[0].kind == kind, name


def test_second_load_comes_from_the_cache(geo_cache_dir: Path, gazetteer: Gazetteer) -> None:
    assert list(geo_cache_dir.glob("gazetteer-*.marshal"))
    again = Gazetteer.load(cache=geo_cache_dir)
    assert len(again) == len(gazetteer)


def test_user_places_file_adds_a_place_and_aliases(tmp_path: Path, geo_cache_dir: Path) -> None:
    f = tmp_path / "mine.tsv"
    f.write_text(
        "# my checkpoints\n"
        "id\tname\tkind\tcountry\tlat\tlon\taliases\tnote\n"
        "me:cp:zulu\tCheckpoint Zulu\tborder_crossing\tSY\t35.5\t36.5\tZulu gate|Bawwabat Zulu\tours\n"
        "geonames:170063\tHalab\t\t\t\t\tHaleb\t\n",
        encoding="utf-8",
    )
    gaz = Gazetteer.load([f], cache=geo_cache_dir)
    zulu = gaz.lookup("Zulu gate")
    assert zulu and zulu[0].id == "me:cp:zulu" and zulu[0].kind == "border_crossing"
    assert gaz.get("me:cp:zulu") == zulu[0]
    assert gaz.lookup("Haleb")[0].geonameid == 170063


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("x:1\tFoo\tairport\tSY\tninety\t36.0\t\t", "latitude"),
        ("x:1\tFoo\tairfield\tSY\t35.0\t36.0\t\t", "kind"),
        ("x:1\tFoo\tairport\tSY\t35.0", "columns"),
        ("x:1\tFoo\tairport\tSYR\t35.0\t36.0\t\t", "country"),
        ("x:1\tFoo\tairport\tSY\t135.0\t36.0\t\t", "outside"),
    ],
)
def test_malformed_places_line_names_file_and_line(tmp_path: Path, line: str, reason: str) -> None:
    f = tmp_path / "bad.tsv"
    f.write_text("# comment\nok:1\tFine\tport\tSY\t35.0\t35.9\t\t\n" + line + "\n", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        Gazetteer.load([f])
    assert err.value.line == 3
    assert str(f) in str(err.value) and ":3:" in str(err.value)
    assert reason in str(err.value)


def test_csv_places_file_reads_like_tsv() -> None:
    rows = read_places_text('p:1,"Gate, North",border_crossing,LB,33.9,35.5,North gate,\n', "x.csv")
    assert rows[0].name == "Gate, North" and rows[0].aliases == ("North gate",)


def test_airports_of_the_world_by_their_names_and_their_towns(gazetteer: Gazetteer, geoparser: Geoparser) -> None:
    for name, country in {
        "Goma International Airport": "CD",
        "Goma airport": "CD",
        "Kavumu airport": "CD",  # a word of its own name ("Bukavu Kavumu Airport")
        "Bamako airport": "ML",  # the town near it ("Senou Airport", Bamako)
        "Port-au-Prince airport": "HT",
        "Khartoum International Airport": "SD",
    }.items():
        found = gazetteer.lookup(name)
        assert found and found[0].kind == "airport" and found[0].country == country, name
    # a curated entry stands: one Aleppo airport, not two; and it answers to the runs of the registered name
    assert len([p for p in gazetteer.lookup("Aleppo International Airport") if p.kind == "airport"]) == 1
    [beirut] = [p for p in gazetteer.lookup("Rafic Hariri International Airport") if p.kind == "airport"]
    assert beirut.country == "LB"
    [m] = geoparser.parse("M23 rebels seized Goma airport on Monday, residents said.")
    assert m.place is not None and m.place.kind == "airport"
