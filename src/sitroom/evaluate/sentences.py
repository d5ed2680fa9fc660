"""`sitroom eval scorer [FILE]`: the sentence scorer against labelled sentences by another hand.

FILE holds JSON Lines in the seed format (text, type, acled); by default `tests/scorer-heldout/sentences.jsonl`
of a source checkout. Printed: event-type accuracy and macro F1 (types plus "none"), F1 per type, and the
weighted F1 of the ACLED sub-event over the sentences the file codes with one (ACLED's own measure of a
sub-event classifier)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitroom.evaluate.matching import prf

NONE = "none"


@dataclass(frozen=True)
class SentenceReport:
    file: str
    sentences: int
    type_accuracy: float
    type_macro_f1: float
    per_type: dict[str, dict[str, Any]]
    acled_sentences: int
    acled_weighted_f1: float
    confusions: list[tuple[str, str, int]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sentences": self.sentences,
            "type_accuracy": round(self.type_accuracy, 4),
            "type_macro_f1": round(self.type_macro_f1, 4),
            "per_type": self.per_type,
            "acled_sentences": self.acled_sentences,
            "acled_weighted_f1": round(self.acled_weighted_f1, 4),
            "confusions": [list(c) for c in self.confusions],
        }

    def render_table(self) -> str:
        lines = [
            f"sentences {self.file}: {self.sentences}",
            f"event type: accuracy {self.type_accuracy:.3f}, macro F1 {self.type_macro_f1:.3f}",
            f"ACLED sub-event ({self.acled_sentences} coded sentences): weighted F1 {self.acled_weighted_f1:.3f}",
            "",
            f"{'type':<22}{'n':>5}{'P':>8}{'R':>8}{'F1':>8}",
        ]
        for t, row in self.per_type.items():
            lines.append(f"{t:<22}{row['n']:>5}{row['precision']:>8.3f}{row['recall']:>8.3f}{row['f1']:>8.3f}")
        if self.confusions:
            lines += ["", "most frequent confusions (gold -> read):"]
            lines += [f"  {g} -> {p}: {n}" for g, p, n in self.confusions]
        return "\n".join(lines) + "\n"


def _per_label(gold: Sequence[str], pred: Sequence[str]) -> dict[str, dict[str, Any]]:
    out = {}
    for label in sorted(set(gold)):
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p != label)
        out[label] = {"n": gold.count(label), **prf(tp, fp, fn)}
    return out


def score_sentences(path: Path, scorer: Any = None) -> SentenceReport:
    from sitroom.extract.scorer import default_scorer, load_examples

    examples = load_examples([path])
    scorer = scorer or default_scorer()
    got = scorer.score([e.text for e in examples])
    gold = [e.type for e in examples]
    pred = [s.type for s in got]
    per_type = _per_label(gold, pred)
    coded = [(e.acled, s.acled or NONE) for e, s in zip(examples, got, strict=True) if e.acled]
    ga, pa = [g for g, _ in coded], [p for _, p in coded]
    per_acled = _per_label(ga, pa) if coded else {}
    weighted = sum(r["f1"] * r["n"] for r in per_acled.values()) / len(ga) if ga else 0.0
    confusions = Counter((g, p) for g, p in zip(gold, pred, strict=True) if g != p).most_common(8)
    return SentenceReport(
        file=str(path),
        sentences=len(examples),
        type_accuracy=sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold) if gold else 0.0,
        type_macro_f1=sum(r["f1"] for r in per_type.values()) / len(per_type) if per_type else 0.0,
        per_type=per_type,
        acled_sentences=len(ga),
        acled_weighted_f1=weighted,
        confusions=[(g, p, n) for (g, p), n in confusions],
    )
