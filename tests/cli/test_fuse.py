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


def test_report_by_report_in_any_order_the_control_map_is_a_rebuilds_and_a_rebuild_is_all_at_once(
    tmp_path: Path,
) -> None:
    # Report by report, newest first, each ingest fusing incrementally: the same control map as a rebuild. (Its
    # events can still group a late claim otherwise than a rebuild would - fusion is greedy, and only the events
    # the new claims join are fused again in order - which is what `fuse --rebuild` is for.)
    db = str(tmp_path / "b.db")
    for doc in reversed(DOCS):
        run("--db", db, "ingest", str(doc))
    incremental = picture(db)
    assert run("--db", db, "fuse", "--rebuild").startswith("picture rebuilt:")
    assert picture(db)[1] == incremental[1]
    at_once = str(tmp_path / "c.db")
    run("--db", at_once, "ingest", *map(str, DOCS))
    assert picture(db) == picture(at_once)
    assert picture(db)[0] and picture(db)[1]
