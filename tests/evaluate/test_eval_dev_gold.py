"""The dev gold scored against itself: gold lines turned into system-shaped dicts must score perfectly,
and every must-not line must catch the claim it forbids."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sitroom.evaluate import ATTRIBUTES, Gold, GoldClaim, load_gold, score_claims, score_control
from sitroom.model import Place

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
DEV = SHARED / "corpus" / "dev"


@pytest.fixture(scope="module")
def dev_gold() -> Gold:
    if not (DEV / "gold").is_dir():
        pytest.skip(f"../shared not found: no dev gold at {DEV / 'gold'}")
    return load_gold(DEV)


def place_dict(p: Place | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "name": p.name,
        "text": p.name,
        "geonameid": None,
        "lat": p.lat,
        "lon": p.lon,
        "country": p.country,
        "kind": p.kind,
    }


def as_system(i: int, g: GoldClaim) -> dict[str, Any]:
    day = g.when.exact if g.when else None
    # Use the last acceptable name: matching must not depend on the system picking the first spelling.
    return {
        "id": f"gold-{i}",
        "document_id": g.doc,
        "type": g.type,
        "stance": g.stance,
        "actor": {"id": g.actor[-1], "name": g.actor[-1]} if g.actor else None,
        "target": None,
        "attributed_to": {"id": g.source[-1], "name": g.source[-1]} if g.source else None,
        "place": place_dict(g.place),
        "date": str(day) if day else None,
        "date_earliest": str(g.when.earliest) if g.when and g.when.earliest else None,
        "date_latest": str(g.when.latest) if g.when and g.when.latest else None,
        "quantity": g.quantity,
        "metric": None,
        "advice": g.advice,
        "audience": None,
        "means": None,
        "status": g.status,
        "evidence": {"text": g.note, "start": 0, "end": len(g.note)},
        "extractor": "gold",
        "rule": "gold",
        "confidence": 1.0,
    }


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
    changes = [
        {
            "place": place_dict(g.place),
            "controller": {"id": g.controller[-1], "name": g.controller[-1]},
            "since": str(g.since.exact or g.since.earliest),
            "until": None,
        }
        for g in dev_gold.control
    ]
    report = score_control(changes, dev_gold)
    assert report.scores["gold"] > 0
    assert (report.scores["precision"], report.scores["recall"], report.scores["f1"]) == (1.0, 1.0, 1.0)


def test_every_dev_must_not_line_catches_the_claim_it_forbids(dev_gold):
    forbidden = [
        {
            "id": f"bad-{i}",
            "document_id": m.doc,
            "type": m.type,
            "stance": m.stance or "asserted",
            "place": place_dict(m.place),
            "evidence": {"text": m.note, "start": 0, "end": 1},
        }
        for i, m in enumerate(dev_gold.must_not)
    ]
    report = score_claims(forbidden, dev_gold)
    assert {h["line"] for h in report.must_not_hits} == {m.line for m in dev_gold.must_not}
