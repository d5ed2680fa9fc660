"""The commands as a user runs them: ingest, documents, claims, rejections, with --db before or after."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitroom.cli import main

ARTICLE = """# Militia shells river crossing

December 03, 2024

Shelling hit the old bridge at Jisr al-Shughur overnight, residents said.

Original url:

<https://example.net/bridge-shelling>
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "bridge.txt").write_text(ARTICLE, encoding="utf-8")
    doc = {
        "id": "wire-7",
        "title": "Convoy leaves the coast",
        "date": "2024-12-04",
        "url": "https://example.net/wire-7",
        "outlet": "Example Wire",
        "text": "A convoy of trucks left Latakia for the north on Wednesday, officials said.",
    }
    (root / "sub" / "wire-7.json").write_text(json.dumps(doc), encoding="utf-8")
    (root / "sub" / "broken.json").write_text('{"id": "x", "text": "cut sh', encoding="utf-8")
    return root


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_ingest_stores_good_files_names_bad_ones_and_summarises(corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    code, out, err = run("--db", db, "ingest", "--extractor", "none", str(corpus))
    assert code == 0
    assert "2 read, 2 new, 0 duplicate, 1 rejected" in out
    assert "broken.json" in err and "rejected" in err
    code, out, _ = run("documents", "--db", db, "--format", "json")  # --db after the command works too
    docs = {d["id"]: d for d in json.loads(out)}
    assert set(docs) == {"bridge", "wire-7"}
    assert docs["bridge"]["url"] == "https://example.net/bridge-shelling"
    assert docs["bridge"]["date"] == "2024-12-03"
    assert docs["wire-7"]["outlet"] == "Example Wire"
    code, out, _ = run("--db", db, "rejections", "--format", "json")
    (rej,) = json.loads(out)
    assert rej["path"].endswith("broken.json") and rej["reason"]


def test_reingest_is_a_no_op_and_a_later_bad_file_changes_nothing(corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    run("--db", db, "ingest", "--extractor", "none", str(corpus))
    before = run("--db", db, "documents", "--format", "json")[1]
    code, out, _ = run("--db", db, "ingest", "--extractor", "none", str(corpus))
    assert "0 new, 2 duplicate" in out
    bad = tmp_path / "zeros.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    code, out, err = run("--db", db, "ingest", "--extractor", "none", str(bad))
    assert code == 1  # nothing could be read
    assert "zeros.txt" in err
    assert run("--db", db, "documents", "--format", "json")[1] == before


def test_documents_csv_and_known_at(corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    run("--db", db, "ingest", "--extractor", "none", str(corpus))
    _, out, _ = run("--db", db, "documents", "--format", "csv")
    assert out.splitlines()[0] == "id,date,outlet,title,url"
    _, out, _ = run("--db", db, "documents", "--known-at", "2024-12-03T12:00", "--format", "json")
    assert [d["id"] for d in json.loads(out)] == ["bridge"]


def test_bad_dates_in_options_are_reported_clearly(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "s.db"), "claims", "--since", "yesterday"])
    assert result.exit_code == 2
    assert "is not a date" in result.stderr


def test_db_from_environment(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(tmp_path / "env.db")
    monkeypatch.setenv("SITROOM_DB", db)
    run("ingest", "--extractor", "none", str(corpus))
    assert Path(db).exists()


def test_claims_explain_keeps_who_where_when_and_says_how_place_and_date_were_read(tmp_path: Path) -> None:
    article = tmp_path / "saraqib.txt"
    article.write_text(
        "# Rebels take Saraqib\n\nDecember 06, 2024\n\n"
        "Rebels captured the town of Saraqib on Thursday, the monitor said. The town fell after heavy fighting.\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "x.db")
    assert run("--db", db, "ingest", str(article))[0] == 0
    code, out, _ = run("--db", db, "claims", "--explain", "--format", "csv", "--type", "territory_captured")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {"actor", "place", "date", "attributed_to", "rule", "cues", "how"} <= set(rows[0])
    first = rows[0]
    assert (first["place"], first["date"]) == ("Saraqib", "2024-12-05")
    assert "date: 'Thursday' in the clause" in first["how"]
    assert "place: 'Saraqib' in the sentence" in first["how"]
    assert "date:" not in first["cues"]  # the matched words and the notes on them are apart
    # "the town" is read back to Saraqib, and the note says so
    assert any("'The town' in the sentence, resolved to Saraqib" in r["how"] for r in rows[1:])
