"""`sitroom backfill` on a real local Dask cluster: the same store as `ingest`, rejections named, and a run
stopped part-way resumed without duplicates or extracting again."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitroom.pipeline import ingest_paths, load_extractor
from sitroom.store import Store

pytest.importorskip("distributed", reason="the scale extra (Dask distributed) is not installed")

from sitroom.backfill import Cluster, backfill, connect

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "corpus" / "styles-o" / "docs"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    c = connect(workers=1)
    yield c
    c.close()


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    (root / "b").mkdir(parents=True)
    for i, f in enumerate(sorted(DOCS.glob("*.json"))[:8]):
        shutil.copy(f, root / ("b" if i % 2 else "") / f.name)
    (root / "broken.json").write_text('{"id": "x", "text": "cut', encoding="utf-8")
    return root


def _claims(store: Store) -> list[tuple[str, str]]:
    return sorted((c.document_id, c.id) for c in store.claims())


def test_backfill_stores_what_ingest_stores_and_names_what_it_cannot_read(
    cluster: Cluster, archive: Path, tmp_path: Path
) -> None:
    by_ingest = Store.open(str(tmp_path / "ingest.db"))
    ingest_paths(by_ingest, [archive], load_extractor("rules.v1"))
    by_dask = Store.open(str(tmp_path / "dask.db"))
    summary = backfill(by_dask, [str(archive)], cluster=cluster)
    assert (summary.read, summary.new, summary.rejected) == (8, 8, 1)
    assert summary.claims == len(_claims(by_dask)) > 0
    assert _claims(by_dask) == _claims(by_ingest)  # the same claims, ids included
    assert [r[0] for r in by_dask.rejections()] == [str(archive / "broken.json")]


def test_a_backfill_stopped_part_way_resumes_without_duplicates(
    cluster: Cluster, archive: Path, tmp_path: Path
) -> None:
    store = Store.open(str(tmp_path / "resume.db"))
    first = backfill(store, [str(archive / "b")], cluster=cluster)  # the run that was stopped: half the archive
    assert first.new == 4
    again = backfill(store, [str(archive)], cluster=cluster)
    assert (again.new, again.duplicate) == (4, 4)  # what was stored is skipped before extraction
    assert store.counts()["documents"] == 8
    assert len(_claims(store)) == len(set(_claims(store)))
    # and a third run finds nothing to do
    assert backfill(store, [str(archive)], cluster=cluster).new == 0


def test_the_command_reports_like_ingest(archive: Path, tmp_path: Path) -> None:
    from sitroom.cli import main

    db = str(tmp_path / "cli.db")
    result = CliRunner().invoke(main, ["--db", db, "backfill", str(archive), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "8 read, 8 new, 0 duplicate, 1 rejected" in result.stdout
    assert "rejected: " in result.stderr and "broken.json" in result.stderr
    assert "Dask worker" in result.stderr
    bad = CliRunner().invoke(main, ["--db", db, "backfill", str(archive), "--workers", "1", "--scheduler", "tcp://x:1"])
    assert bad.exit_code == 2 and "give one" in bad.output
    assert json.loads(json.dumps(Store.open(db).counts()))["documents"] == 8
