"""Archives as input: a CSV export of articles and a web archive (WARC), each streamed, each bad entry named."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from sitroom.ingest import read_path
from sitroom.model import Document, Rejection

HTML = (b"<html><head><title>Hama falls</title></head><body><article><h1>Hama falls</h1><p>Rebels captured the city "
        b"of Hama on Thursday after days of fighting, residents said.</p></article></body></html>")  # fmt: skip


def test_a_csv_export_is_read_row_by_row_and_a_bad_row_is_named_by_its_line(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "title", "date", "url", "outlet", "text"])
        w.writerow(["c1", "Rebels take Saraqib", "2024-12-01", "https://ex.org/c1", "Wire", "Rebels took Saraqib."])
        w.writerow(["c2", "empty", "2024-12-01", "", "Wire", ""])
        w.writerow(["c3", "A long one", "2024-12-02", "", "Wire", "word " * 40_000])  # past the csv module's default
    items = list(read_path(path))
    docs = [i for i in items if isinstance(i, Document)]
    assert [(d.id, d.outlet, d.published_at.date().isoformat()) for d in docs] == [  # type: ignore[union-attr]
        ("c1", "Wire", "2024-12-01"), ("c3", "Wire", "2024-12-02")
    ]  # fmt: skip
    (bad,) = [i for i in items if isinstance(i, Rejection)]
    assert bad.path == f"{path}:3" and "empty 'text'" in bad.reason


def test_a_csv_without_a_text_column_is_refused_with_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "urls.csv"
    path.write_text("url,date\nhttps://ex.org/a,2024-12-01\n", encoding="utf-8")
    (only,) = list(read_path(path))
    assert isinstance(only, Rejection) and "needs a 'text' column" in only.reason and "url, date" in only.reason


def test_a_web_archive_gives_its_pages_dated_by_capture_when_they_give_no_date(tmp_path: Path) -> None:
    warcio = pytest.importorskip("warcio", reason="the scale extra (warcio) is not installed")
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as out:
        w = WARCWriter(out, gzip=True)
        page = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record("https://news.example.org/hama", "response", payload=io.BytesIO(HTML),
                       http_headers=page, warc_headers_dict={"WARC-Date": "2024-12-06T10:00:00Z"}))  # fmt: skip
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record("https://news.example.org/a.png", "response",
                       payload=io.BytesIO(b"\x89PNG"), http_headers=image))  # fmt: skip
    assert warcio is not None
    (doc,) = list(read_path(path))  # the image is no report
    assert isinstance(doc, Document)
    assert (doc.id, doc.url, doc.title) == ("https://news.example.org/hama",) * 2 + ("Hama falls",)
    assert doc.published_at is not None and doc.published_at.isoformat() == "2024-12-06T10:00:00+00:00"
    assert any("dated by its capture" in w for w in doc.warnings)
    assert not any(w.startswith("no publication date found") for w in doc.warnings)


def test_something_that_is_no_web_archive_is_named(tmp_path: Path) -> None:
    pytest.importorskip("warcio", reason="the scale extra (warcio) is not installed")
    path = tmp_path / "broken.warc"
    path.write_bytes(b"this is not a WARC file\n" * 10)
    items = list(read_path(path))
    assert items and all(isinstance(i, Rejection) for i in items)
    assert str(path) in items[0].path
