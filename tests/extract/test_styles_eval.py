"""The extractor on corpus/styles (reports in other hands' styles: boards, live blogs, statements in the first
person, passives, denials), end to end through `sitroom eval`: figures must stay above styles_floors.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitroom.evaluate import check_floors
from sitroom.evaluate.runner import evaluate_corpus

REPO = Path(__file__).resolve().parents[2]
STYLES = REPO / "corpus" / "styles"
FLOORS = Path(__file__).with_name("styles_floors.json")


def test_styles_corpus_stays_above_its_floors(tmp_path: Path) -> None:
    if not (STYLES / "gold" / "claims.jsonl").is_file():
        pytest.skip(f"corpus/styles not found: {STYLES}")
    result = evaluate_corpus(STYLES, db=str(tmp_path / "styles.db"))
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    assert check_floors(result.as_dict(), floors) == []
