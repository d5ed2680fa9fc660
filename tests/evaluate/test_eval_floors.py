"""check_floors: the regression gate over a report dict."""

from __future__ import annotations

from sitroom.evaluate import check_floors

REPORT = {
    "claims": {
        "overall": {"precision": 0.8, "recall": 0.9, "f1": 0.847},
        "attributes": {"stance": {"accuracy": 0.95}, "quantity": {"accuracy": None}},
        "must_not": {"lines": 13, "hits": [{"doc": "d1"}]},
    },
    "control": {"f1": 0.92},
}


def test_floors_that_hold_give_no_violations():
    floors = {
        "claims": {"overall": {"recall": 0.9}, "attributes": {"stance": {"accuracy": 0.9}}},
        "control": {"f1": {"min": 0.9, "max": 1.0}},
    }
    assert check_floors(REPORT, floors) == []


def test_each_drop_below_a_floor_is_reported():
    floors = {"claims": {"overall": {"f1": 0.85, "precision": 0.8}}, "control": {"f1": 0.95}}
    assert check_floors(REPORT, floors) == [
        "claims.overall.f1: 0.847 is below the floor 0.85",
        "control.f1: 0.92 is below the floor 0.95",
    ]


def test_max_on_a_list_bounds_its_length():
    assert check_floors(REPORT, {"claims": {"must_not": {"hits": {"max": 0}}}}) == [
        "claims.must_not.hits: 1 is above the ceiling 0"
    ]


def test_dotted_paths_and_missing_or_null_values():
    violations = check_floors(
        REPORT,
        {
            "claims.overall.f1": 0.8,
            "claims.attributes.quantity.accuracy": 0.9,
            "control.recall": 0.5,
            "geoparse": {"f1": 0.7},
        },
    )
    assert violations == [
        "claims.attributes.quantity.accuracy: None is not a number (floor min 0.9)",
        "control.recall: not in the report",
        "geoparse: not in the report",
    ]
