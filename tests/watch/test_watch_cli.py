"""`sitroom watch` as a process: SIGTERM while ingesting finishes the document in hand and exits; the store
stays consistent and a restart picks up the rest without repeating anything."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from sitroom.store import Store
from sitroom.store.schema import claims as claims_t
from sitroom.store.schema import documents as documents_t

TOWNS = ["Saraqib", "Maarat al-Numan", "Khan Shaykhun", "Rastan", "Talbiseh", "Hama", "Homs", "Idlib", "Tadmur"]
N_DOCS = 40


def _counts(db: Path) -> tuple[int, dict[str, int]]:
    store = Store.open(str(db), migrate=False)  # the watch migrates it; reading must not race that
    try:
        with store.engine.connect() as conn:
            if not sa.inspect(conn).has_table("claims"):
                return 0, {}
            docs = conn.execute(sa.select(sa.func.count()).select_from(documents_t)).scalar_one()
            per_doc = conn.execute(
                sa.select(documents_t.c.id, sa.func.count(claims_t.c.pk))
                .select_from(documents_t.outerjoin(claims_t, claims_t.c.document_pk == documents_t.c.pk))
                .group_by(documents_t.c.id)
            ).all()
    finally:
        store.close()
    return docs, {i: n for i, n in per_doc}


def _watch(cfg: Path, db: Path, *extra: str) -> subprocess.Popen[str]:
    code = "import sys; from sitroom.cli.watch import watch; watch(sys.argv[1:])"
    return subprocess.Popen(
        [sys.executable, "-c", code, "--config", str(cfg), "--db", str(db), *extra],
        cwd=cfg.parent,  # the file sink's relative path lands in the test's folder, not the checkout
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_sigterm_while_ingesting_leaves_a_consistent_store(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(N_DOCS):
        town = TOWNS[i % len(TOWNS)]
        text = (
            f"Opposition fighters captured {town} on Thursday after a night of clashes, a war monitor said. "
            f"The defence ministry denied that its troops had withdrawn from {town}."
        )
        doc = {
            "id": f"r{i:03d}",
            "title": f"Report {i}",
            "date": "2024-12-05",
            "outlet": f"Outlet {i % 7}",
            "text": text,
            "url": f"https://example.org/r{i:03d}",  # the same wording from another outlet is another report
        }
        (inbox / f"r{i:03d}.json").write_text(json.dumps(doc))
    (tmp_path / "watch.yaml").write_text(
        "sinks:\n  journal: {type: file, path: alerts.jsonl}\n"
        "subscriptions:\n  subscriptions:\n    - {id: all-contradictions, sinks: [journal], when: {contradiction: {}}}\n"
        "sources:\n  - {folder: inbox, interval: 0.1}\n"
    )
    db = tmp_path / "w.db"
    proc = _watch(tmp_path / "watch.yaml", db)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and (not db.exists() or _counts(db)[0] < 3):
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "SIGTERM" in err and "stopped" in err
    stopped_at, per_doc = _counts(db)
    assert 3 <= stopped_at < N_DOCS, "the stop came after the batch: make the batch longer"
    # Every stored document has all its claims: one transaction each, none cut in half.
    assert set(per_doc.values()) == {max(per_doc.values())} and max(per_doc.values()) > 0

    # A restart reads the rest; nothing is stored or alerted twice.
    proc = _watch(tmp_path / "watch.yaml", db)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and _counts(db)[0] < N_DOCS:
            time.sleep(0.1)
        time.sleep(0.3)  # give a wrongly repeated batch the chance to show up
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    total, per_doc = _counts(db)
    assert total == N_DOCS and set(per_doc.values()) == {max(per_doc.values())}
    journal = [json.loads(x) for x in (tmp_path / "alerts.jsonl").read_text().splitlines()]
    assert journal  # the run alerted, so the check below has something to check
    keys = [(a["subscription"], a["key"], a["status"]) for a in journal]
    assert len(keys) == len(set(keys))
