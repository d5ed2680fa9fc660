from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sitroom.cli.geo import eval_geoparse, geoparse
from sitroom.geo import Geoparser

FIELDS = {"text", "start", "end", "name", "geonameid", "lat", "lon", "country", "kind", "zone"}

GOLD_XML = """<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="1">
    <title>t</title>
    <text><![CDATA[Flooding hit Macon, Ga., and Savannah on Tuesday.]]></text>
    <toponyms>
      <toponym><start>13</start><end>18</end><phrase>Macon</phrase>
        <gaztag geonameid="4207400"><name>Macon</name><lat>32.8407</lat><lon>-83.6324</lon></gaztag></toponym>
      <toponym><start>20</start><end>23</end><phrase>Ga.</phrase></toponym>
      <toponym><start>29</start><end>37</end><phrase>Savannah</phrase>
        <gaztag geonameid="4221552"><name>Savannah</name><lat>32.0835</lat><lon>-81.0998</lon></gaztag></toponym>
    </toponyms>
  </article>
</articles>
"""


def test_geoparse_json_has_the_design_shape_and_offsets(tmp_path: Path, geoparser: Geoparser) -> None:
    f = tmp_path / "a.txt"
    text = "# Clashes in Homs\n\nDecember 5, 2024\n\nFighting reached Homs and Hama in Syria.\n"
    f.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(geoparse, [str(f), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data[0]["file"] == str(f)
    places = data[0]["places"]
    assert places and all(set(p) == FIELDS for p in places)
    for p in places:
        assert text[p["start"] : p["end"]] == p["text"]
    assert places[0]["zone"] == "title" and places[0]["name"] == "Homs"
    assert {p["country"] for p in places} == {"SY"}


def test_geoparse_explain_adds_rule_and_score(tmp_path: Path, geoparser: Geoparser) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Rebels took Aleppo.", encoding="utf-8")
    result = CliRunner().invoke(geoparse, [str(f), "--explain"])
    place = json.loads(result.output)[0]["places"][0]
    assert place["rule"] and place["score"] > 0


def test_geoparse_places_file_with_bad_line_is_reported(tmp_path: Path, geoparser: Geoparser) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Rebels took Aleppo.", encoding="utf-8")
    bad = tmp_path / "places.tsv"
    bad.write_text("x:1\tGate\tairport\tSY\t35\n", encoding="utf-8")
    result = CliRunner().invoke(geoparse, [str(f), "--places", str(bad)])
    assert result.exit_code != 0
    assert f"{bad}:1" in result.output


def test_geoparse_table_format(tmp_path: Path, geoparser: Geoparser) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Rebels took Aleppo.", encoding="utf-8")
    result = CliRunner().invoke(geoparse, [str(f), "--format", "table"])
    assert result.exit_code == 0 and "Aleppo" in result.output and "SY" in result.output


def test_eval_geoparse_scores_a_small_gold_file(tmp_path: Path, geoparser: Geoparser) -> None:
    gold = tmp_path / "gold.xml"
    gold.write_text(GOLD_XML, encoding="utf-8")
    result = CliRunner().invoke(eval_geoparse, [str(gold), "--format", "json"])
    assert result.exit_code == 0, result.output
    d = json.loads(result.output)
    assert d["gold_toponyms"] == 3 and d["gold_with_coordinates"] == 2
    assert d["accuracy_161km"] == 1.0 and d["recognition_recall"] >= 2 / 3


def test_eval_geoparse_rejects_a_file_that_is_not_xml(tmp_path: Path, geoparser: Geoparser) -> None:
    bad = tmp_path / "gold.xml"
    bad.write_text("not xml at all", encoding="utf-8")
    result = CliRunner().invoke(eval_geoparse, [str(bad)])
    assert result.exit_code != 0 and "gold.xml" in result.output


def test_geoparse_places_file_adds_a_users_checkpoint(tmp_path: Path, geoparser: Geoparser) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Trucks waited at Checkpoint Zulu outside Hama.", encoding="utf-8")
    places = tmp_path / "mine.tsv"
    places.write_text("me:cp:zulu\tCheckpoint Zulu\tborder_crossing\tSY\t35.2\t36.7\t\tours\n", encoding="utf-8")
    result = CliRunner().invoke(geoparse, [str(f), "--places", str(places), "--explain"])
    assert result.exit_code == 0, result.output
    found = {p["text"]: p for p in json.loads(result.output)[0]["places"]}
    assert found["Checkpoint Zulu"]["kind"] == "border_crossing" and found["Checkpoint Zulu"]["id"] == "me:cp:zulu"
    assert found["Hama"]["country"] == "SY"
