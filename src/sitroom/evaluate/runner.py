"""`sitroom eval CORPUS_DIR`: ingest a corpus into a store, then score its claims (and control) against gold."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitroom.errors import ConfigError
from sitroom.evaluate.claims import ClaimsReport, score_claims
from sitroom.evaluate.control import ControlReport, period_from_dates, score_control
from sitroom.evaluate.gold import load_gold
from sitroom.serialize import claim_to_dict
from sitroom.store import ClaimQuery, Store


@dataclass
class CorpusResult:
    corpus: str
    documents: int
    claims: ClaimsReport
    control: ControlReport | None
    ingest_line: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "corpus": self.corpus,
            "documents": self.documents,
            "claims": self.claims.as_dict(),
            "control": self.control.as_dict() if self.control else None,
        }

    def render_table(self) -> str:
        head = f"corpus {self.corpus}: {self.documents} documents"
        if self.ingest_line:
            head += f" (ingest: {self.ingest_line})"
        parts = [head, "", "== Claims", self.claims.render_table()]
        if self.control is not None:
            parts += ["", "== Control changes", self.control.render_table()]
        return "\n".join(parts)


def evaluate_corpus(corpus: Path, db: str, extractor: str = "rules.v1", ingest: bool = True) -> CorpusResult:
    gold = load_gold(corpus)
    sources = [p for p in (corpus / "docs", corpus / "raw") if p.is_dir()]
    if ingest and not sources:
        raise ConfigError(f"{corpus}: no docs/ or raw/ folder with documents to ingest")
    with Store.open(db) as store:
        ingest_line = None
        if ingest:
            from sitroom.pipeline import ingest_paths, load_extractor

            ingest_line = ingest_paths(store, sources, load_extractor(extractor)).line()
        stored = store.documents()
        texts = {s.document.id: s.document.text for s in stored}
        claim_dicts = [claim_to_dict(c) for c in store.iter_claims(ClaimQuery(extractor=extractor))]
        claims_report = score_claims(claim_dicts, gold, documents=texts)
        control_report = None
        changes = control_changes(store)
        if gold.control:
            period = period_from_dates(s.known_at.date() for s in stored)
            control_report = score_control(changes, gold, period=period)
    return CorpusResult(str(corpus), len(stored), claims_report, control_report, ingest_line)


def control_changes(store: Store) -> list[dict[str, Any]]:
    """Every reported change of control the store's claims imply, as control dicts."""
    from sitroom.state import Picture

    return Picture(store).control_changes()
