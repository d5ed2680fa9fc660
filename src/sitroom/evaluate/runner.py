"""`sitroom eval CORPUS_DIR`: ingest a corpus into a store, then score its claims (and control) against gold."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sitroom.errors import ConfigError
from sitroom.evaluate.claims import ClaimsReport, score_claims
from sitroom.evaluate.control import ControlReport, period_from_dates, score_control
from sitroom.evaluate.gold import load_gold
from sitroom.serialize import claim_to_dict
from sitroom.store import ClaimQuery, Store

FIRST_RUN = "first-run.json"


@dataclass
class CorpusResult:
    corpus: str
    documents: int
    claims: ClaimsReport
    control: ControlReport | None
    ingest_line: str | None = None
    extractor: str = "rules.v1"
    seconds: float | None = None  # ingest time (reading, extraction and storing), when this run ingested
    first_run: dict[str, Any] | None = None  # the set's score at its first run, from its first-run.json
    notes: tuple[str, ...] = ()  # what the extractor counted while reading (an LLM's requests, tokens, drops)
    by_language: dict[str, dict[str, Any]] | None = None  # claims P/R/F1 per report language, in a mixed corpus

    @property
    def articles_per_second(self) -> float | None:
        return self.documents / self.seconds if self.seconds else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "corpus": self.corpus,
            "extractor": self.extractor,
            "documents": self.documents,
            "claims": self.claims.as_dict(),
            "control": self.control.as_dict() if self.control else None,
            "ingest_seconds": round(self.seconds, 3) if self.seconds is not None else None,
            "first_run": self.first_run,
            "notes": list(self.notes),
            "by_language": self.by_language,
        }

    def render_table(self) -> str:
        head = f"corpus {self.corpus}: {self.documents} documents, extractor {self.extractor}"
        if self.ingest_line:
            head += f" (ingest: {self.ingest_line})"
        parts = [head]
        now = f"now: claims F1 {self.claims.overall['f1']:.3f}"
        if self.control is not None:
            now += f", control F1 {self.control.scores['f1']:.3f}"
        parts.append(now)
        if self.first_run:
            parts.append(first_run_line(self.first_run))
        parts += list(self.notes)
        for lang, row in (self.by_language or {}).items():
            parts.append(f"  reports in {lang}: {row['documents']} documents, claims F1 {row['f1']:.3f} "
                         f"(P {row['precision']:.3f}, R {row['recall']:.3f})")  # fmt: skip
        parts += ["", "== Claims", self.claims.render_table()]
        if self.control is not None:
            parts += ["", "== Control changes", self.control.render_table()]
        return "\n".join(parts)


def first_run_line(rec: dict[str, Any]) -> str:
    when = rec.get("when") or rec.get("date")
    out = (
        f"first run ({when + ', ' if when else ''}{rec.get('extractor', 'rules.v1')}): claims F1 {rec['claims_f1']:.2f}"
    )
    if rec.get("control_f1") is not None:
        out += f", control F1 {rec['control_f1']:.2f}"
    return out


def load_first_run(corpus: Path) -> dict[str, Any] | None:
    """A set's score at its first run (`first-run.json`: claims_f1, control_f1, date, extractor), if recorded."""
    path = corpus / FIRST_RUN
    if not path.is_file():
        return None
    try:
        rec = json.loads(path.read_text(encoding="utf-8"))
        float(rec["claims_f1"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: not a first-run record ({exc})") from exc
    return dict(rec)


def evaluate_corpus(corpus: Path, db: str, extractor: str = "rules.v1", ingest: bool = True) -> CorpusResult:
    gold = load_gold(corpus)
    sources = [p for p in (corpus / "docs", corpus / "raw") if p.is_dir()]
    if ingest and not sources:
        raise ConfigError(f"{corpus}: no docs/ or raw/ folder with documents to ingest")
    from sitroom.extract import get_extractor

    reader = get_extractor(extractor)  # an unknown name fails here, before any work
    extractor = reader.name
    seconds = None
    with Store.open(db) as store:
        ingest_line = None
        if ingest:
            from sitroom.pipeline import ingest_paths

            t0 = time.perf_counter()
            ingest_line = ingest_paths(store, sources, reader).line()
            seconds = time.perf_counter() - t0
        stored = store.documents()
        texts = {s.document.id: s.document.text for s in stored}
        claim_dicts = [claim_to_dict(c) for c in store.iter_claims(ClaimQuery(extractor=extractor))]
        claims_report = score_claims(claim_dicts, gold, documents=texts)
        by_language = _by_language(stored, claim_dicts, gold, texts)
        control_report = None
        changes = control_changes(store)
        if gold.control:
            period = period_from_dates(s.known_at.date() for s in stored)
            control_report = score_control(changes, gold, period=period)
    stats = getattr(reader, "stats", None)
    notes = (stats.line(),) if ingest and stats is not None and hasattr(stats, "line") else ()
    return CorpusResult(str(corpus), len(stored), claims_report, control_report, ingest_line, extractor, seconds,
                        load_first_run(corpus), notes, by_language)  # fmt: skip


def _by_language(stored: list[Any], claim_dicts: list[dict[str, Any]], gold: Any, texts: dict[str, str]) -> Any:
    """Claims scored per report language, when the corpus mixes languages (None otherwise)."""
    langs: dict[str, set[str]] = {}
    for s in stored:
        langs.setdefault(s.document.language or "en", set()).add(s.document.id)
    if len(langs) < 2:
        return None
    out = {}
    for lang, ids in sorted(langs.items()):
        sub = replace(gold, claims=tuple(g for g in gold.claims if g.doc in ids),
                       must_not=tuple(m for m in gold.must_not if m.doc in ids))  # fmt: skip
        report = score_claims([c for c in claim_dicts if c["document_id"] in ids], sub,
                              documents={k: v for k, v in texts.items() if k in ids})  # fmt: skip
        out[lang] = {"documents": len(ids), **{k: report.overall[k] for k in ("precision", "recall", "f1")}}
    return out


def render_comparison(results: list[CorpusResult]) -> str:
    """Several extractors on one corpus, side by side: F1 overall and per type, attributes, must-not hits,
    control F1, articles per second."""
    names = [r.extractor for r in results]
    w = max(12, *(len(n) + 2 for n in names))
    head = f"{'':<26}" + "".join(f"{n:>{w}}" for n in names)
    lines = [f"corpus {results[0].corpus}: {results[0].documents} documents", head, "-" * len(head)]

    def row(label: str, values: list[str]) -> None:
        lines.append(f"{label:<26}" + "".join(f"{v:>{w}}" for v in values))

    row("claims F1", [f"{r.claims.overall['f1']:.3f}" for r in results])
    row("  precision", [f"{r.claims.overall['precision']:.3f}" for r in results])
    row("  recall", [f"{r.claims.overall['recall']:.3f}" for r in results])
    row("  system / true claims", [f"{r.claims.overall['system']}/{r.claims.overall['tp']}" for r in results])
    types = sorted({t for r in results for t in r.claims.per_type})
    for t in types:
        row(f"  {t}", [f"{r.claims.per_type[t]['f1']:.3f}" if t in r.claims.per_type else "-" for r in results])
    attrs = sorted({a for r in results for a in r.claims.attributes})
    for a in attrs:
        vals = []
        for r in results:
            v = r.claims.attributes.get(a)
            vals.append(f"{v['accuracy']:.3f}" if v and v.get("accuracy") is not None else "-")
        row(f"{a} right", vals)
    row("must-not hits", [str(len(r.claims.must_not_hits)) for r in results])
    row("control F1", [f"{r.control.scores['f1']:.3f}" if r.control else "-" for r in results])
    row("articles/s (ingest)", [f"{r.articles_per_second:.1f}" if r.articles_per_second else "-" for r in results])
    if results[0].first_run:
        lines.append(first_run_line(results[0].first_run))
    lines += [n for r in results for n in r.notes]
    return "\n".join(lines) + "\n"


def control_changes(store: Store) -> list[dict[str, Any]]:
    """Every reported change of control the store's claims imply, as control dicts."""
    from sitroom.state import Picture

    return Picture(store).control_changes()
