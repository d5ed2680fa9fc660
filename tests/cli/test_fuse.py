"""Fusion at ingest: the picture is current when `ingest` returns, and `sitroom fuse --rebuild` (everything fused
from nothing) gives the picture of all reports fused at once, whatever order they arrived in."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sitroom.cli import main
from sitroom.store import Store
from sitroom.store.picture import PictureTables

REPO = Path(__file__).resolve().parents[2]
DOCS = sorted((REPO / "corpus" / "styles-o" / "docs").glob("*.json"))[:8]


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def fused_up_to_date(db: str) -> bool:
    store = Store.open(db)
    tables = PictureTables(store)
    try:
        return int(tables.meta("fused_claim_pk", "0")) == tables.latest_claim_pk() > 0
    finally:
        store.close()


def picture(db: str) -> tuple[list, list]:
    events = json.loads(run("--db", db, "events", "--format", "json"))
    control = json.loads(run("--db", db, "control", "--format", "json"))
    return (
        sorted((e["id"], e["status"], e["sources"], tuple(sorted(e["claims"]))) for e in events),
        sorted((c["place"]["name"], c["controller"]["id"], c["since"]) for c in control),
    )


def test_ingest_leaves_the_picture_fused_and_no_fuse_leaves_it_to_later(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    run("--db", db, "ingest", *map(str, DOCS[:2]))
    assert fused_up_to_date(db)
    run("--db", db, "ingest", "--no-fuse", *map(str, DOCS[2:4]))
    assert not fused_up_to_date(db)
    assert run("--db", db, "fuse").startswith("picture updated:")
    assert fused_up_to_date(db)


def test_a_rebuild_gives_the_picture_of_all_reports_fused_at_once_whatever_their_order_of_arrival(
    tmp_path: Path,
) -> None:
    # Report by report, newest first, each ingest fusing incrementally; then a rebuild. (The incremental picture
    # itself can differ from the all-at-once one when reports arrive out of order - greedy clustering and ids
    # taken from an event's first claim - which is what `fuse --rebuild` is for; issue 15 keeps that open.)
    db = str(tmp_path / "b.db")
    for doc in reversed(DOCS):
        run("--db", db, "ingest", str(doc))
    assert run("--db", db, "fuse", "--rebuild").startswith("picture rebuilt:")
    at_once = str(tmp_path / "c.db")
    run("--db", at_once, "ingest", *map(str, DOCS))
    assert picture(db) == picture(at_once)
    assert picture(db)[0] and picture(db)[1]
