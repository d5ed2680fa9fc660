"""`sitroom eval` on the shared dev corpus, end to end (ingest -> extract -> store -> fuse -> score): the
control-change floor of issue 4 and the claims floor, as a user's run would produce them."""

from __future__ import annotations

from pathlib import Path

from sitroom.evaluate import check_floors
from sitroom.evaluate.runner import evaluate_corpus

FLOORS = {
    "claims": {"overall": {"f1": 0.9}, "must_not": {"hits": {"max": 0}}},
    "control": {"f1": 0.9},
}


def test_dev_corpus_through_the_whole_pipeline(dev_corpus: Path, tmp_path: Path) -> None:
    result = evaluate_corpus(dev_corpus, db=str(tmp_path / "eval.db"))
    assert result.documents == 15
    report = result.as_dict()
    assert check_floors(report, FLOORS) == []
