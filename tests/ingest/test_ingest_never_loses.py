"""One odd document never stops a batch: it becomes its own rejection, every other document is stored, and a
re-run of the same batch neither crashes nor duplicates anything. On both backends (PostgreSQL refuses NULs
that SQLite would take, so each backend catches different mistakes)."""

from __future__ import annotations

import json
from pathlib import Path

from sitroom.extract.base import Extractor
from sitroom.model import Document
from sitroom.pipeline import ingest_paths, load_extractor
from sitroom.store import Store

GOOD_TEXT = "Rebels captured the town of Saraqib on Friday, a war monitor said."


def _doc(id_: str, *, date: str = "2024-12-06", text: str = GOOD_TEXT, title: str = "t") -> dict[str, str]:
    return {
        "id": id_,
        "title": title,
        "date": date,
        "url": f"https://example.org/{len(id_)}/{abs(hash(id_))}",
        "text": text,
    }


def _batch(tmp_path: Path) -> Path:
    """A JSONL batch with good documents around every kind of document that once stopped a batch."""
    rows = [
        _doc("good-1"),
        _doc("year-one", date="0001-01-01"),
        _doc("far-future", date="9999-12-31T23:59:59-05:00"),
        _doc("bad-\udfff-id"),
        _doc("nul-text", text="Rebels entered\x00 Hama on Thursday."),
        _doc("nul-title", title="Hama\x00"),
        _doc("x" * 600),
        _doc("surrogate-text", text="Rebels entered Homs \ud800 on Saturday."),
        _doc("good-2", text="Government forces withdrew from Hama on Thursday, the army said."),
    ]
    f = tmp_path / "batch.jsonl"
    # json.dumps writes lone surrogates and NULs as \\u escapes, exactly as a hostile or broken exporter would.
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return f


def test_bad_documents_are_rejected_by_name_and_the_batch_goes_on(store: Store, tmp_path: Path) -> None:
    batch = _batch(tmp_path)
    summary = ingest_paths(store, [batch], load_extractor())

    stored = {d.document.id for d in store.documents()}
    assert {"good-1", "good-2", "year-one", "far-future", "nul-text", "nul-title", "surrogate-text"} <= stored
    assert not any("udfff" in i or i.startswith("xxx") for i in stored)
    reasons = {path: reason for path, reason, _ in store.rejections()}
    assert len(reasons) == 2 == summary.rejected
    assert any("600 characters long" in r for r in reasons.values())
    assert any("control characters or broken UTF-16" in r for r in reasons.values())
    assert all(p.startswith(str(batch)) for p in reasons)

    # Cleaned, with a warning; an impossible publication date becomes "undated", not a crash.
    nul = store.document("nul-text")
    assert nul is not None and "\x00" not in nul.document.text and "entered Hama" in nul.document.text
    year_one = store.document("year-one")
    assert year_one is not None and year_one.document.published_at is None
    assert any("outside 1900" in w for w in year_one.document.warnings)
    assert store.claims()  # the good documents were read, not just stored

    # The same batch again: no crash, nothing new, the same two rejections recorded again.
    again = ingest_paths(store, [batch], load_extractor())
    assert again.new == 0 and again.rejected == 2
    assert {d.document.id for d in store.documents()} == stored


class _Exploding(Extractor):
    """An extractor with a bug that only one document triggers."""

    name = "exploding.v1"

    def __init__(self) -> None:
        self.inner = load_extractor()

    def extract(self, doc: Document):  # type: ignore[no-untyped-def]
        if "Homs" in doc.text:
            raise ZeroDivisionError("a rule divided by zero")
        return self.inner.extract(doc)


def test_an_extractor_crash_rejects_that_document_only(store: Store, tmp_path: Path) -> None:
    for i, place in enumerate(["Hama", "Homs", "Daraa"]):
        (tmp_path / f"r{i}.json").write_text(json.dumps(_doc(f"r{i}", text=f"Rebels captured {place} on Friday.")))
    summary = ingest_paths(store, [tmp_path], _Exploding())
    assert summary.new == 2 and summary.rejected == 1
    ((path, reason, _),) = store.rejections()
    assert path.endswith("r1.json") and "ZeroDivisionError" in reason
    assert {d.document.id for d in store.documents()} == {"r0", "r2"}


def test_a_document_over_the_time_budget_is_rejected_and_the_batch_goes_on(store: Store, tmp_path: Path) -> None:
    from sitroom.extract.rules import RulesExtractor

    long_text = " ".join(f"Rebels captured the village number {i} near Hama on Friday." for i in range(400))
    (tmp_path / "a-long.json").write_text(json.dumps(_doc("a-long", text=long_text)))
    (tmp_path / "b-short.json").write_text(json.dumps(_doc("b-short")))
    # a budget no document meets: the clock is looked at every 16 sentences, so the long one is stopped and the
    # short one (one sentence) is read
    summary = ingest_paths(store, [tmp_path], RulesExtractor(time_budget=1e-9))
    assert summary.new == 1 and summary.rejected == 1
    ((path, reason, _),) = store.rejections()
    assert path.endswith("a-long.json") and "longer than" in reason
    assert {d.document.id for d in store.documents()} == {"b-short"}
