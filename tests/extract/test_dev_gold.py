"""The extractor against the dev gold (../shared): the seed read perfectly, and floors for the whole set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitroom.evaluate import load_gold, score_claims
from sitroom.serialize import claim_to_dict

SEED = "moscowtimes-2024-12-06-russians-urged-to-leave"
FLOORS = Path(__file__).with_name("floors.json")


@pytest.fixture(scope="module")
def dev_report(dev_dir, extractor):
    from sitroom.ingest import read_path

    docs = [d for d in read_path([dev_dir / "raw", dev_dir / "docs"]) if hasattr(d, "text")]
    claims = [claim_to_dict(c) for d in docs for c in extractor.extract(d)]
    return score_claims(claims, load_gold(dev_dir), documents={d.id: d.text for d in docs}).as_dict()


def test_seed_is_read_perfectly(dev_report):
    misses = [m for m in dev_report["misses"] if m["doc"] == SEED]
    wrong = [e for e in dev_report["attribute_errors"] if e["doc"] == SEED]
    forbidden = [h for h in dev_report["must_not"]["hits"] if h["doc"] == SEED]
    false = [f for f in dev_report["false_claims"] if f["doc"] == SEED]
    assert misses == [] and wrong == [] and forbidden == [] and false == []


def test_dev_figures_stay_above_their_floors(dev_report):
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    overall = dev_report["overall"]
    attrs = dev_report["attributes"]
    assert overall["f1"] >= floors["f1"]
    assert overall["precision"] >= floors["precision"]
    assert overall["recall"] >= floors["recall"]
    for name in ("source", "stance", "date"):
        assert attrs[name]["accuracy"] >= floors[name], name
    assert len(dev_report["must_not"]["hits"]) <= floors["must_not_hits"]
