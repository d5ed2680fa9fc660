"""Runs the stages in order for a batch: read -> extract -> store (fusion reads what the store holds).

The CLI, the API's write endpoint and `watch` all ingest through `ingest_paths`/`ingest_documents`, so a
document is handled the same way whichever door it came in by.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sitroom.errors import ExtractionTimeout, SitroomError
from sitroom.ingest._base import document_problem
from sitroom.model import Claim, Document, Rejection
from sitroom.store import Store

log = logging.getLogger(__name__)

DEFAULT_EXTRACTOR = "rules.v1"


@dataclass
class IngestSummary:
    read: int = 0
    new: int = 0
    duplicate: int = 0
    revision: int = 0
    rejected: int = 0
    claims: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (document id or path, warning)

    def line(self) -> str:
        parts = [f"{self.read} read", f"{self.new} new", f"{self.duplicate} duplicate"]
        if self.revision:
            parts.append(f"{self.revision} revised")
        parts += [f"{self.rejected} rejected", f"{self.claims} claims"]
        return ", ".join(parts)


def load_extractor(name: str | None = DEFAULT_EXTRACTOR):  # type: ignore[no-untyped-def]
    """The named extractor, or None when extraction is switched off (name None or "none")."""
    if name is None or name == "none":
        return None
    from sitroom.extract import get_extractor

    return get_extractor(name)


def ingest_documents(
    store: Store,
    items: Iterable[Document | Rejection],
    extractor: object | None = None,
    progress: Callable[[IngestSummary], None] | None = None,
) -> IngestSummary:
    """Store each document with its claims; record each rejection and go on."""
    summary = IngestSummary()
    for item in items:
        if isinstance(item, Rejection):
            record_rejection(store, summary, item)
        else:
            summary.read += 1
            rejection = _ingest_one(store, extractor, item, summary)
            if rejection is not None:
                record_rejection(store, summary, rejection)
        if progress is not None:
            progress(summary)
    return summary


def record_rejection(store: Store, summary: IngestSummary, rejection: Rejection) -> None:
    """Count a rejection and keep it in the store's rejections table (`sitroom rejections`)."""
    summary.rejected += 1
    summary.rejections.append(rejection)
    store.add_rejection(rejection.path, rejection.reason)


def _ingest_one(store: Store, extractor: object | None, doc: Document, summary: IngestSummary) -> Rejection | None:
    """Extract and store one document; any failure becomes that document's rejection, so one odd document
    never stops a batch or loses the documents after it (the store writes a document and its claims in one
    transaction, so a failure leaves nothing half-written)."""
    where = where_of(doc)
    if problem := document_problem(doc):
        return Rejection(where, problem)
    try:
        if store.has_content(doc.content_hash):
            summary.duplicate += 1
            return None
        claims = _extract(extractor, doc)
    except Exception as exc:
        return _not_stored(where, exc)
    return store_document(store, doc, claims, summary)


def store_document(store: Store, doc: Document, claims: list[Claim], summary: IngestSummary) -> Rejection | None:
    """Write one document with the claims extracted from it and count it (new, revised or duplicate); a failure
    to store it is that document's rejection (`ingest` extracts here, `backfill` on its workers)."""
    try:
        status = store.add_document(doc, claims)
    except Exception as exc:
        return _not_stored(where_of(doc), exc)
    for warning in doc.warnings:
        summary.warnings.append((doc.path or doc.id, warning))
    setattr(summary, status, getattr(summary, status) + 1)
    if status != "duplicate":
        summary.claims += len(claims)
    return None


def _not_stored(where: str, exc: Exception) -> Rejection:
    """The rejection of a document that could not be extracted or stored (called inside the except block)."""
    if isinstance(exc, SitroomError):
        log.warning("%s: not stored: %s", where, exc)
        return Rejection(where, f"not stored: {exc}")
    # a bug or a database refusal on this document; the batch goes on
    log.warning("%s: not stored", where, exc_info=True)
    return Rejection(where, f"not stored: {type(exc).__name__}: {_short(exc)}")


def where_of(doc: Document) -> str:
    """The rejection's path: the file, and the document inside it when the file holds several."""
    ident = doc.id if document_problem(doc) is None else repr(doc.id[:80])
    if not doc.path:
        return ident
    return doc.path if Path(doc.path).stem == doc.id else f"{doc.path}#{ident}"


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 300 else text[:297] + "..."


def ingest_paths(
    store: Store,
    paths: Iterable[str | Path],
    extractor: object | None = None,
    progress: Callable[[IngestSummary], None] | None = None,
) -> IngestSummary:
    from sitroom.ingest import read_path

    return ingest_documents(store, read_path(paths), extractor, progress)


def _extract(extractor: object | None, doc: Document) -> list:  # type: ignore[type-arg]
    if extractor is None:
        return []
    try:
        return list(extractor.extract(doc))  # type: ignore[attr-defined]
    except ExtractionTimeout:
        raise  # over the time budget: a rejection (issue 12), not a document stored unread
    except SitroomError as exc:
        # One document the extractor cannot handle must not stop the batch: it is stored without claims
        # and can be re-extracted later; the reason goes to the log.
        log.warning("%s: extraction failed: %s", doc.path or doc.id, exc)
        return []
