"""score_control against hand-made control gold: place, controller, since tolerance and ranges, the period."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sitroom.errors import ConfigError
from sitroom.evaluate import Gold, default_period, load_gold, period_from_dates, score_control

LAT, LON = 35.0, 36.0  # 0.01 deg of latitude ~ 1.11 km
REBELS = ["HTS", "Hayat Tahrir al-Sham", "rebels"]


def gold_line(since: Any = "2024-12-05", lat: float = LAT, kind: str = "city", **fields: Any) -> dict:
    line = {
        "place": {"name": "Here", "lat": lat, "lon": LON, "country": "SY", "kind": kind},
        "controller": REBELS,
        "since": since,
        "tolerance_days": 1,
        "note": "hand-made",
    }
    line.update(fields)
    return line


def change(since: str | None = "2024-12-05", lat: float = LAT, controller: str = "HTS", kind: str = "city") -> dict:
    return {
        "place": {
            "name": f"P{lat}",
            "text": "P",
            "geonameid": None,
            "lat": lat,
            "lon": LON,
            "country": "SY",
            "kind": kind,
        },
        "controller": {"id": controller.lower(), "name": controller},
        "since": since,
        "until": None,
        "confidence": 0.8,
        "evidence": ["c1"],
    }


def write_control(tmp_path: Path, lines: list[dict]) -> Gold:
    (tmp_path / "gold").mkdir(parents=True)
    (tmp_path / "gold" / "control.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
    return load_gold(tmp_path)


def counts(report) -> tuple[int, int, int]:
    return report.scores["tp"], report.scores["fp"], report.scores["fn"]


@pytest.mark.parametrize(
    ("since", "found"),
    [("2024-12-05", True), ("2024-12-06", True), ("2024-12-04", True), ("2024-12-07", False), ("2024-12-03", False)],
)
def test_since_within_tolerance(tmp_path, since, found):
    gold = write_control(tmp_path, [gold_line()])
    report = score_control([change(since)], gold, period=(date(2024, 11, 27), date(2024, 12, 8)))
    assert counts(report) == ((1, 0, 0) if found else (0, 1, 1))


def test_larger_tolerance_widens_the_window(tmp_path):
    gold = write_control(tmp_path, [gold_line(tolerance_days=3)])
    assert counts(score_control([change("2024-12-08")], gold)) == (1, 0, 0)


@pytest.mark.parametrize(
    ("since", "found"),
    [("2024-12-01", True), ("2024-11-29", True), ("2024-12-04", True), ("2024-11-28", False), ("2024-12-05", False)],
)
def test_gold_range_is_widened_by_the_tolerance(tmp_path, since, found):
    gold = write_control(tmp_path, [gold_line(since={"earliest": "2024-11-30", "latest": "2024-12-03"})])
    report = score_control([change(since)], gold, period=(date(2024, 11, 1), date(2024, 12, 31)))
    assert report.scores["tp"] == int(found)


@pytest.mark.parametrize(
    ("controller", "found"), [("HTS", True), ("hayat tahrir al-sham", True), ("Syrian Arab Army", False)]
)
def test_controller_must_be_an_acceptable_name(tmp_path, controller, found):
    gold = write_control(tmp_path, [gold_line()])
    assert score_control([change(controller=controller)], gold).scores["tp"] == int(found)


def test_place_within_25_km_and_5_km_for_facilities(tmp_path):
    city = write_control(tmp_path / "city", [gold_line()])
    assert score_control([change(lat=LAT + 0.2)], city).scores["tp"] == 1
    assert score_control([change(lat=LAT + 0.25)], city).scores["tp"] == 0
    airport = write_control(tmp_path / "airport", [gold_line(kind="airport")])
    assert score_control([change(lat=LAT + 0.04, kind="airport")], airport).scores["tp"] == 1
    assert score_control([change(lat=LAT + 0.06, kind="airport")], airport).scores["tp"] == 0


def test_city_and_its_airport_are_matched_one_to_one_nearest_first(tmp_path):
    # A city and its airport 3.3 km apart: each system change goes to the gold line at its own spot.
    gold = write_control(tmp_path, [gold_line(), gold_line(lat=LAT + 0.03, kind="airport")])
    airport, city = change(lat=LAT + 0.03, kind="airport"), change(lat=LAT)
    report = score_control([airport, city], gold)
    assert counts(report) == (2, 0, 0)
    assert {(f["place"], f["system"]["place"]) for f in report.found} == {
        ("Here", city["place"]["name"]),
        ("Here", airport["place"]["name"]),
    }
    # Only the city changed hands: the airport line is missed, not wrongly credited.
    only_city = score_control([city], gold)
    assert counts(only_city) == (1, 0, 1)
    assert only_city.misses[0]["line"] == 2


def test_nearest_first_does_not_starve_another_gold_line(tmp_path):
    # G1 at the origin, G2 33 km north; S1 13 km from G1 and 20 km from G2; S2 only near G1.
    gold = write_control(tmp_path, [gold_line(), gold_line(lat=LAT + 0.3)])
    report = score_control([change(lat=LAT + 0.12), change(lat=LAT - 0.15)], gold)
    assert counts(report) == (2, 0, 0)


def test_unmatched_change_counts_false_only_inside_the_period(tmp_path):
    gold = write_control(tmp_path, [gold_line()])
    elsewhere = 33.0
    inside, before = change("2024-12-02", lat=elsewhere), change("2023-06-01", lat=elsewhere)
    report = score_control([change(), inside, before], gold, period=(date(2024, 11, 27), date(2024, 12, 8)))
    assert counts(report) == (1, 1, 0)
    assert report.outside_period == 1
    assert [f["since"] for f in report.false_changes] == ["2024-12-02"]


def test_default_period_spans_gold_since_dates_with_tolerance(tmp_path):
    gold = write_control(
        tmp_path, [gold_line("2024-11-30"), gold_line({"earliest": "2024-12-05", "latest": "2024-12-08"})]
    )
    assert default_period(gold) == (date(2024, 11, 29), date(2024, 12, 9))
    far = 33.0
    report = score_control([change("2024-11-28", lat=far), change("2024-12-09", lat=far)], gold)
    assert report.scores["fp"] == 1 and report.outside_period == 1


def test_change_without_since_is_a_standing_state_not_a_change(tmp_path):
    gold = write_control(tmp_path, [gold_line()])
    report = score_control([change(None, lat=33.0)], gold)
    assert report.scores["fp"] == 0 and report.undated == 1


def test_period_from_dates_and_reversed_period(tmp_path):
    assert period_from_dates([date(2024, 12, 3), date(2024, 11, 27)]) == (date(2024, 11, 27), date(2024, 12, 3))
    assert period_from_dates([]) is None
    gold = write_control(tmp_path, [gold_line()])
    with pytest.raises(ConfigError):
        score_control([], gold, period=(date(2024, 12, 8), date(2024, 11, 27)))


def test_control_report_as_json_and_table(tmp_path):
    gold = write_control(tmp_path, [gold_line(note="taken on Thursday"), gold_line(lat=33.0)])
    report = score_control([change(), change("2024-12-06", lat=32.0, controller="SDF")], gold)
    data = json.loads(json.dumps(report.as_dict()))
    assert (data["tp"], data["fp"], data["fn"]) == (1, 1, 1)
    assert data["precision"] == 0.5 and data["recall"] == 0.5
    table = report.render_table()
    assert "Misses: 1" in table and "False changes: 1" in table and "SDF" in table
