"""The held-out corpus (tests/heldout): its gold is internally consistent, and `sitroom eval` on it stays above
the floors pinned in tests/heldout/floors.json.

The corpus was written by a hand that did not read the extractor's rules, so its figures measure how the
extractor generalises; the floors are a regression gate set a little below the figures measured, not targets.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.gold_as_claims import as_system, control_as_changes, must_not_as_claims

from sitroom.evaluate import Gold, check_floors, load_gold, score_claims, score_control
from sitroom.evaluate.runner import CorpusResult, evaluate_corpus

HERE = Path(__file__).resolve().parent
HELDOUT = HERE / "heldout"
# every held-out set, each written by a hand that never saw the extractor; their gold is checked for consistency
# (without scoring sitroom: tests/heldout's floors are the one regression gate)
SETS = sorted(p.name for p in HERE.glob("heldout*") if (p / "gold" / "claims.jsonl").is_file())


@pytest.fixture(scope="module", params=SETS)
def gold(request: pytest.FixtureRequest) -> Gold:
    return load_gold(HERE / request.param)


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> CorpusResult:
    db = tmp_path_factory.mktemp("heldout") / "heldout.db"
    return evaluate_corpus(HELDOUT, db=str(db))


def document_ids(folder: Path) -> set[str]:
    ids = {json.loads(p.read_text(encoding="utf-8"))["id"] for p in (folder / "docs").glob("*.json")}
    return ids | {p.stem for p in (folder / "raw").glob("*.txt")}


def test_every_gold_line_names_a_document_of_the_corpus_and_every_document_has_gold(gold):
    docs = document_ids(Path(gold.claims_path or "").parent.parent)
    assert len(docs) >= 10  # the language sets hold 10 reports, the English ones 14
    referenced = {g.doc for g in gold.claims} | {m.doc for m in gold.must_not}
    assert referenced - docs == set()
    assert docs - {g.doc for g in gold.claims} == set()
    assert {c.doc for c in gold.control if c.doc} <= docs
    assert gold.warnings == ()


def test_the_gold_scored_against_itself_is_perfect(gold):
    # Catches gold that cannot be matched: two required lines one system claim would have to serve, an actor
    # list that excludes itself, or a must-not line (which matches anything within 25 km: a forbidden Homs
    # capture also forbids one at Talbiseh) that a claim the gold itself expects would trip.
    report = score_claims([as_system(i, g) for i, g in enumerate(gold.claims)], gold)
    assert (report.overall["precision"], report.overall["recall"], report.overall["f1"]) == (1.0, 1.0, 1.0)
    for name, acc in report.attributes.items():
        assert acc["correct"] == acc["scored"], name
    assert report.must_not_hits == []


def test_every_must_not_line_catches_the_claim_it_forbids(gold):
    forbidden = must_not_as_claims(gold)
    report = score_claims(forbidden, gold)
    assert {h["line"] for h in report.must_not_hits} == {m.line for m in gold.must_not}


def test_the_control_gold_scored_against_itself_is_perfect(gold):
    changes = control_as_changes(gold)
    report = score_control(changes, gold)
    assert (report.scores["precision"], report.scores["recall"], report.scores["f1"]) == (1.0, 1.0, 1.0)


def test_sitroom_eval_reads_every_heldout_document(result):
    assert result.documents == 14


def test_sitroom_eval_on_the_heldout_corpus_stays_above_the_pinned_floors(result):
    floors = json.loads((HELDOUT / "floors.json").read_text(encoding="utf-8"))
    assert check_floors(result.as_dict(), floors) == []
