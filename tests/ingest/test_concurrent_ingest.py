"""Several writers at once: three `sitroom ingest` processes on one store, new or existing, on both backends,
with overlapping inputs. All exit cleanly and the store holds every document exactly once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import PG_URL, pg_schema

from sitroom.store import Store

N_DOCS = 30


def _reports(root: Path) -> tuple[Path, Path]:
    a, b = root / "a", root / "b"
    a.mkdir()
    b.mkdir()
    for i in range(N_DOCS):
        doc = {
            "id": f"d{i}",
            "title": f"Report {i}",
            "date": f"2024-12-0{i % 8 + 1}",
            "text": f"Rebels captured the town of Saraqib on Friday, a war monitor said in report {i}.",
        }
        ((a if i % 2 else b) / f"d{i}.json").write_text(json.dumps(doc))
    return a, b


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store URL that no process has opened yet (so the first ones race to create the schema)."""
    if request.param == "sqlite":
        yield str(tmp_path / "race.db")
        return
    for schema in pg_schema():
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"


def _ingest_at_once(db: str, *batches: list[Path]) -> list[subprocess.CompletedProcess[str]]:
    env = {**os.environ, "SITROOM_DB": db}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "sitroom", "ingest", *map(str, batch)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for batch in batches
    ]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    return results


@pytest.mark.slow
@pytest.mark.parametrize("existing", [False, True], ids=["new-store", "existing-store"])
def test_three_ingests_at_once_lose_nothing(db_url: str, tmp_path: Path, existing: bool) -> None:
    a, b = _reports(tmp_path)
    if existing:
        Store.open(db_url).close()
    results = _ingest_at_once(db_url, [a, b], [b, a], [a])
    for r in results:
        assert r.returncode == 0, r.stderr
        assert "Error" not in r.stdout + r.stderr, r.stdout + r.stderr
    with Store.open(db_url) as store:
        ids = [d.document.id for d in store.documents()]
        assert sorted(ids) == sorted(f"d{i}" for i in range(N_DOCS))
        assert store.counts()["claims"] >= N_DOCS
        assert store.rejections() == []
