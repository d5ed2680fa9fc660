"""`sitroom demo` (what `make demo` runs): the shipped corpus through the whole pipeline into a summary."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sitroom.cli import main


def test_demo_ingests_the_shipped_corpus_and_prints_the_picture(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = CliRunner().invoke(main, ["demo", "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "0 rejected" in out
    for section in ("Claims by type", "Control changes", "Travel advisories in force", "Figures"):
        assert section in out, section
    changes = out.split("Control changes", 1)[1].split("\n\n", 1)[0]
    for city in ("Aleppo", "Damascus"):
        assert city in changes, city
    # A second run starts afresh rather than piling duplicates onto the old store.
    again = CliRunner().invoke(main, ["demo", "--db", str(db)], catch_exceptions=False)
    assert again.stdout.splitlines()[0] == out.splitlines()[0]
