"""JSON and JSON Lines documents: fields, ids, per-entry rejections, and files that are not documents."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sitroom.errors import Rejected
from sitroom.ingest import Limits, read_file, read_path
from sitroom.model import Document, Rejection

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def doc_obj(i: int, **extra: object) -> dict[str, object]:
    obj: dict[str, object] = {
        "id": f"d{i}",
        "title": f"Title {i}",
        "date": "2024-12-0" + str(1 + i % 9),
        "url": f"https://news.example.org/{i}",
        "outlet": "Example News",
        "text": f"Report number {i} about shelling near Idlib.",
    }
    obj.update(extra)
    return obj


def split(items: list[Document | Rejection]) -> tuple[list[Document], list[Rejection]]:
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, Rejection)]


def test_single_json_document_keeps_its_fields(tmp_path: Path) -> None:
    f = tmp_path / "one.json"
    f.write_text(json.dumps(doc_obj(1, date="2024-12-06T07:05:00+03:00")))
    (doc,) = read_file(f)
    assert (doc.id, doc.title, doc.url, doc.outlet) == ("d1", "Title 1", "https://news.example.org/1", "Example News")
    assert doc.published_at == datetime(2024, 12, 6, 4, 5, tzinfo=UTC)
    assert doc.published_precision == "time"
    assert doc.format == "json"
    assert doc.text == "Report number 1 about shelling near Idlib."


def test_json_without_id_takes_the_file_name_and_list_items_without_id_a_hash(tmp_path: Path) -> None:
    one = tmp_path / "report-7.json"
    one.write_text(json.dumps({"text": "Shops reopened in the market on Monday.", "date": "2024-12-09"}))
    (doc,) = read_file(one)
    assert doc.id == "report-7"

    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"text": "First item text."}, {"text": "Second item text."}]))
    a, b = read_file(many)
    assert a.id != b.id
    assert a.id == a.content_hash[:16]


def test_json_list_reads_good_items_and_rejects_bad_ones_by_position(tmp_path: Path) -> None:
    f = tmp_path / "list.json"
    f.write_text(json.dumps([doc_obj(1), {"title": "no text"}, "a string", doc_obj(4, text="   "), doc_obj(5)]))
    docs, rejections = split(list(read_path([f])))
    assert [d.id for d in docs] == ["d1", "d5"]
    assert [r.path for r in rejections] == [f"{f}#2", f"{f}#3", f"{f}#4"]
    assert "no 'text' field" in rejections[0].reason
    assert "expected a JSON object" in rejections[1].reason
    assert "empty 'text'" in rejections[2].reason


def test_common_alternative_field_names_are_accepted(tmp_path: Path) -> None:
    f = tmp_path / "alt.json"
    f.write_text(
        json.dumps(
            {
                "guid": "x-9",
                "headline": "Crossing shut",
                "published": "Fri, 06 Dec 2024 09:00:00 GMT",
                "link": "https://www.border.example.com/a",
                "body": "The crossing was shut.",
                "language": "en-GB",
            }
        )
    )
    (doc,) = read_file(f)
    assert (doc.id, doc.title, doc.url, doc.text) == (
        "x-9",
        "Crossing shut",
        "https://www.border.example.com/a",
        "The crossing was shut.",
    )
    assert doc.outlet == "border.example.com"
    assert doc.language == "en"
    assert doc.published_at == datetime(2024, 12, 6, 9, tzinfo=UTC)


def test_unparseable_date_is_a_warning_not_a_rejection(tmp_path: Path) -> None:
    f = tmp_path / "baddate.json"
    f.write_text(json.dumps(doc_obj(1, date="sometime last week")))
    (doc,) = read_file(f)
    assert doc.published_at is None
    assert any("publication date not understood" in w for w in doc.warnings)


def test_jsonl_bad_line_is_rejected_by_file_and_line_and_the_rest_is_read(tmp_path: Path) -> None:
    f = tmp_path / "feed.jsonl"
    lines = [json.dumps(doc_obj(1)), "", '{"id": "broken", "text": "cut off', json.dumps(doc_obj(4)), "[1, 2]"]
    f.write_text("\n".join(lines) + "\n")
    docs, rejections = split(list(read_path([f])))
    assert [d.id for d in docs] == ["d1", "d4"]
    assert [d.format for d in docs] == ["jsonl", "jsonl"]
    assert [r.path for r in rejections] == [f"{f}:3", f"{f}:5"]
    assert "not valid JSON" in rejections[0].reason
    assert "expected a JSON object" in rejections[1].reason


def test_jsonl_bad_lines_before_the_first_document_are_still_reported(tmp_path: Path) -> None:
    f = tmp_path / "late.jsonl"
    f.write_text("not json\n" + json.dumps(doc_obj(2)) + "\n")
    docs, rejections = split(list(read_path([f])))
    assert [d.id for d in docs] == ["d2"]
    assert [r.path for r in rejections] == [f"{f}:1"]


def test_jsonl_line_with_non_utf8_bytes_is_rejected_alone(tmp_path: Path) -> None:
    f = tmp_path / "enc.jsonl"
    bad = (
        json.dumps(doc_obj(2, text="حلب"), ensure_ascii=False)
        .encode("utf-8")
        .replace("حلب".encode(), "حلب".encode("cp1256"))
    )
    f.write_bytes(json.dumps(doc_obj(1)).encode() + b"\n" + bad + b"\n")
    docs, rejections = split(list(read_path([f])))
    assert [d.id for d in docs] == ["d1"]
    (r,) = rejections
    assert r.path == f"{f}:2"
    assert "not UTF-8" in r.reason and "re-save the file as UTF-8" in r.reason


def test_a_file_of_objects_without_text_is_reported_once_as_not_a_document_file(tmp_path: Path) -> None:
    f = tmp_path / "claims.jsonl"
    f.write_text("\n".join(json.dumps({"doc": "d1", "type": "armed_clash", "n": i}) for i in range(50)) + "\n")
    items = list(read_path([f]))
    assert items == [Rejection(str(f), items[0].reason)]  # exactly one, naming the file
    assert items[0].reason.startswith("not a document file (no 'text' field")
    assert "doc, type, n" in items[0].reason

    g = tmp_path / "config.json"
    g.write_text(json.dumps({"name": "settings", "threshold": 3}))
    (r,) = read_path([g])
    assert isinstance(r, Rejection) and r.path == str(g) and r.reason.startswith("not a document file")


def test_gold_claims_file_is_one_rejection() -> None:
    gold = SHARED / "corpus" / "dev" / "gold" / "claims.jsonl"
    if not gold.exists():
        pytest.skip(f"../shared not found: {gold}")
    items = list(read_path([gold]))
    assert len(items) == 1 and isinstance(items[0], Rejection)
    assert items[0].path == str(gold) and "not a document file" in items[0].reason


def test_truncated_json_is_rejected_with_the_position(tmp_path: Path) -> None:
    f = tmp_path / "cut.json"
    f.write_text(json.dumps([doc_obj(1), doc_obj(2)])[:-40])
    with pytest.raises(Rejected) as err:
        list(read_file(f))
    assert err.value.path == str(f)
    assert "not valid JSON" in err.value.reason and "truncated" in err.value.reason


def test_oversized_jsonl_line_is_rejected_alone(tmp_path: Path) -> None:
    f = tmp_path / "big.jsonl"
    big = doc_obj(2, text="x" * 5000)
    f.write_text("\n".join(json.dumps(o) for o in (doc_obj(1), big, doc_obj(3))) + "\n")
    docs, rejections = split(list(read_path([f], limits=Limits(max_document_bytes=2000))))
    assert [d.id for d in docs] == ["d1", "d3"]
    (r,) = rejections
    assert r.path == f"{f}:2" and "above the" in r.reason and "limit for one document" in r.reason


def test_fixture_jsonl_reads_two_documents() -> None:
    docs = list(read_file(FIXTURES / "wire.jsonl"))
    assert [d.id for d in docs] == ["wire-1", "wire-2"]
    assert docs[1].published_precision == "time"


def test_dev_corpus_reads_fifteen_documents_with_their_ids_and_no_rejection() -> None:
    dev = SHARED / "corpus" / "dev"
    if not dev.exists():
        pytest.skip(f"../shared not found: {dev}")
    items = list(read_path([dev / "raw", dev / "docs"]))
    docs, rejections = split(items)
    assert rejections == []
    assert len(docs) == 15
    expected = {p.stem for p in (dev / "raw").glob("*.txt")}
    expected |= {json.loads(p.read_text())["id"] for p in (dev / "docs").glob("*.json")}
    assert {d.id for d in docs} == expected
    assert all(d.published_at is not None and d.content_hash for d in docs)
    assert len({d.content_hash for d in docs}) == 15


def test_documents_wrapped_in_an_api_response_object_are_read(tmp_path: Path) -> None:
    f = tmp_path / "api.json"
    articles = [
        {
            "source": {"id": None, "name": "Example Wire"},
            "title": "Port closed",
            "url": "https://w.example.com/p",
            "publishedAt": "2024-12-08T06:00:00Z",
            "content": "The port of Tartus closed to shipping.",
        },
    ]
    f.write_text(json.dumps({"status": "ok", "totalResults": 1, "articles": articles}))
    (doc,) = read_file(f)
    assert (doc.outlet, doc.title, doc.text) == (
        "Example Wire",
        "Port closed",
        "The port of Tartus closed to shipping.",
    )
    assert doc.published_at == datetime(2024, 12, 8, 6, tzinfo=UTC)


def test_html_in_a_text_field_is_converted_to_plain_text(tmp_path: Path) -> None:
    f = tmp_path / "cms.json"
    body = "<p>Rebels entered <b>Homs</b> at dawn.</p><p>Residents &amp; officials confirmed it.</p>"
    f.write_text(json.dumps({"id": "c1", "date": "2024-12-08", "text": body}))
    (doc,) = read_file(f)
    assert doc.text == "Rebels entered Homs at dawn.\n\nResidents & officials confirmed it."
    assert any("held HTML" in w for w in doc.warnings)


def test_angle_brackets_in_plain_text_are_not_taken_for_html(tmp_path: Path) -> None:
    f = tmp_path / "plain.json"
    text = "Casualties were <10 according to the monitor, and the road (M5) reopened."
    f.write_text(json.dumps({"id": "c2", "date": "2024-12-08", "text": text}))
    (doc,) = read_file(f)
    assert doc.text == text and doc.warnings == ()
