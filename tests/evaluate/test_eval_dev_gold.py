"""The dev gold scored against itself: gold lines turned into system-shaped dicts must score perfectly,
and every must-not line must catch the claim it forbids."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.gold_as_claims import as_system, control_as_changes, must_not_as_claims

from sitroom.evaluate import ATTRIBUTES, Gold, load_gold, score_claims, score_control

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
DEV = SHARED / "corpus" / "dev"


@pytest.fixture(scope="module")
def dev_gold() -> Gold:
    if not (DEV / "gold").is_dir():
        pytest.skip(f"../shared not found: no dev gold at {DEV / 'gold'}")
    return load_gold(DEV)


def test_dev_gold_scored_against_itself_is_perfect(dev_gold):
    report = score_claims([as_system(i, g) for i, g in enumerate(dev_gold.claims)], dev_gold)
    overall = report.overall
    assert overall["gold"] > 0
    assert (overall["precision"], overall["recall"], overall["f1"]) == (1.0, 1.0, 1.0)
    for name in ATTRIBUTES:
        acc = report.attributes[name]
        assert acc["correct"] == acc["scored"], (name, report.attribute_errors)
    assert report.attributes["stance"]["scored"] == overall["gold"]
    assert report.must_not_hits == []
    assert report.optional_found == sum(g.optional and g.type in dev_gold.scored_types for g in dev_gold.claims)


def test_dev_control_gold_scored_against_itself_is_perfect(dev_gold):
    changes = control_as_changes(dev_gold)
    report = score_control(changes, dev_gold)
    assert report.scores["gold"] > 0
    assert (report.scores["precision"], report.scores["recall"], report.scores["f1"]) == (1.0, 1.0, 1.0)


def test_every_dev_must_not_line_catches_the_claim_it_forbids(dev_gold):
    forbidden = must_not_as_claims(dev_gold)
    report = score_claims(forbidden, dev_gold)
    assert {h["line"] for h in report.must_not_hits} == {m.line for m in dev_gold.must_not}
