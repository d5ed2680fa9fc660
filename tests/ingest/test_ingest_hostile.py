"""Hostile input the issue-12 review and the fuzz suite (test_fuzz.py) found, each pinned by the smallest case:
every file gives a document or a rejection naming it and saying why, and one bad entry never costs the others."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from sitroom.errors import Rejected
from sitroom.ingest import read_file, read_path
from sitroom.model import Document, Rejection

REPORT = "Rebels captured the town of Saraqib on Friday, a war monitor said."


def only(items: list[Document | Rejection], kind: type) -> list[Any]:
    return [i for i in items if isinstance(i, kind)]


# --- UTF-16 without a byte-order mark is text, not binary --------------------------------------------------

UTF16_FILES = {
    ".txt": f"# Saraqib\n\nDecember 6, 2024\n\n{REPORT}\n",
    ".json": json.dumps({"id": "u16", "text": REPORT}),
    ".jsonl": json.dumps({"id": "u16", "text": REPORT})
    + "\n"
    + json.dumps({"id": "u16-b", "text": "Аэропорт закрыт."}),
    ".html": f"<html><body><article><p>{REPORT}</p><p>Government forces withdrew overnight.</p></article></body></html>",
    ".xml": f'<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel><title>W</title><item><guid>u16</guid>'
    f"<description>{REPORT}</description></item></channel></rss>",
}


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("suffix", sorted(UTF16_FILES))
def test_utf16_without_a_bom_is_read_as_text(tmp_path: Path, suffix: str, encoding: str) -> None:
    f = tmp_path / f"u16{suffix}"
    f.write_bytes(UTF16_FILES[suffix].encode(encoding))
    items = list(read_path([f]))
    docs = only(items, Document)
    assert docs and not only(items, Rejection), items
    assert "Saraqib on Friday" in docs[0].text


def test_utf16_with_a_bom_is_read_line_by_line_in_json_lines(tmp_path: Path) -> None:
    f = tmp_path / "bom16.jsonl"
    f.write_bytes(UTF16_FILES[".jsonl"].encode("utf-16"))
    assert [d.id for d in read_path([f])] == ["u16", "u16-b"]


def test_arabic_utf16_without_a_bom_is_read(tmp_path: Path) -> None:
    f = tmp_path / "ar.txt"
    f.write_bytes("سيطرت فصائل المعارضة على مدينة حماة يوم الخميس، وفق المرصد.\n".encode("utf-16-le"))
    (doc,) = read_path([f])
    assert isinstance(doc, Document) and doc.language == "ar"


def test_utf16_without_a_bom_holding_a_line_of_nul_characters_keeps_its_good_lines(tmp_path: Path) -> None:
    f = tmp_path / "docs.jsonl"
    lines = ['{"text": ""}', '{"text": ""}', "\x00" * 5, json.dumps({"id": "good", "text": REPORT})]
    f.write_bytes("\n".join(lines).encode("utf-16-le"))
    items = list(read_path([f]))
    assert [d.id for d in only(items, Document)] == ["good"]
    assert [r.path for r in only(items, Rejection)] == [f"{f}:1", f"{f}:2", f"{f}:3"]


@pytest.mark.parametrize(
    "data",
    [b"\x01\x00\x02\x00" * 64, bytes(range(256)) * 4, b"A\x00\x00\x00B\x00\x00\x00" * 32],
    ids=["control-units", "all-bytes", "utf32-like"],
)
def test_binary_with_nul_bytes_is_still_binary(tmp_path: Path, data: bytes) -> None:
    f = tmp_path / "blob.txt"
    f.write_bytes(data)
    (r,) = read_path([f])
    assert isinstance(r, Rejection) and r.reason.startswith("binary file"), r


# --- a symbolic link loop or a broken link is named as such, not "no such file" ----------------------------


def test_a_symlink_loop_is_rejected_as_a_loop(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    os.symlink(loop, loop)
    (r,) = read_path([loop])
    assert isinstance(r, Rejection) and r.path == str(loop)
    assert r.reason.startswith("symbolic link loop")
    with pytest.raises(Rejected, match="symbolic link loop"):
        list(read_file(loop))


def test_a_symlink_loop_inside_a_folder_is_rejected_as_a_loop_and_the_rest_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "good.txt").write_text(REPORT)
    items = list(read_path([tmp_path]))
    assert [d.id for d in only(items, Document)] == ["good"]
    assert [(Path(r.path).name, r.reason.split(" (")[0]) for r in only(items, Rejection)] == [
        ("a.txt", "symbolic link loop"),
        ("b.txt", "symbolic link loop"),
    ]


def test_a_broken_symlink_names_its_missing_target(tmp_path: Path) -> None:
    link = tmp_path / "report.txt"
    link.symlink_to(tmp_path / "gone.txt")
    (r,) = read_path([link])
    assert (
        isinstance(r, Rejection)
        and r.reason == f"broken symbolic link (its target {tmp_path / 'gone.txt'} does not exist)"
    )


def test_a_path_through_a_file_and_a_path_with_a_nul_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_text(REPORT)
    items = list(read_path([tmp_path / "f.txt" / "x.txt", f"{tmp_path}/bad\x00name.txt", tmp_path / "f.txt"]))
    assert [type(i).__name__ for i in items] == ["Rejection", "Rejection", "Document"]
    assert "a part of the path is a file" in items[0].reason  # type: ignore[union-attr]
    assert "NUL" in items[1].reason  # type: ignore[union-attr]


# --- a file with no readable text is no document -------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_every_one_byte_file_is_rejected_with_a_reason(tmp_path: Path, suffix: str) -> None:
    stored = []
    for byte in range(256):
        f = tmp_path / f"b{byte:02x}{suffix}"
        f.write_bytes(bytes([byte]))
        (item,) = read_path([f])
        if isinstance(item, Document):
            stored.append(byte)
        else:
            assert item.path == str(f) and item.reason
    assert stored == []


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x05\x13", "no readable text (no letter in 2 characters); not a report"),
        (b"\x01\x02ab\x03", "binary data, not text (3 control characters in 5 characters)"),
        (b"12 34 !!", "no readable text (no letter in 8 characters); not a report"),
    ],
)
def test_tiny_binary_or_letterless_text_is_rejected(tmp_path: Path, data: bytes, reason: str) -> None:
    f = tmp_path / "tiny.txt"
    f.write_bytes(data)
    (r,) = read_path([f])
    assert isinstance(r, Rejection) and r.reason == reason


def test_a_headline_alone_is_still_kept(tmp_path: Path) -> None:
    f = tmp_path / "headline.md"
    f.write_text("# Rebels enter Hama\n")
    (doc,) = read_path([f])
    assert isinstance(doc, Document) and doc.title == "Rebels enter Hama"
    assert "no article text after the header" in doc.warnings


def test_json_entries_without_readable_text_are_rejected_alone(tmp_path: Path) -> None:
    f = tmp_path / "list.json"
    f.write_text(json.dumps([{"id": "a", "text": "\u0007"}, {"id": "b", "text": REPORT}, {"id": "c", "text": "42"}]))
    items = list(read_path([f]))
    assert [d.id for d in only(items, Document)] == ["b"]
    assert [(r.path, r.reason) for r in only(items, Rejection)] == [
        (f"{f}#1", "'text': no readable text (no letter in 1 character); not a report"),
        (f"{f}#3", "'text': no readable text (no letter in 2 characters); not a report"),
    ]


def test_a_feed_entry_without_readable_text_is_rejected_alone(tmp_path: Path) -> None:
    f = tmp_path / "feed.xml"
    f.write_text(
        '<rss version="2.0"><channel><title>W</title><item><guid>a</guid><title>!!</title></item>'
        f"<item><guid>b</guid><description>{REPORT}</description></item></channel></rss>"
    )
    items = list(read_path([f]))
    assert [d.id for d in only(items, Document)] == ["b"]
    assert [(r.path, r.reason.split(" (")[0]) for r in only(items, Rejection)] == [(f"{f}#1", "no readable text")]


# --- every malformed Telegram export gives a rejection naming the file and the reason ------------------------


def message(i: Any = 1, text: Any = REPORT, **extra: Any) -> dict[str, Any]:
    return {"id": i, "type": "message", "date": "2024-12-06T10:00:00", "text": text, **extra}


@pytest.mark.parametrize(
    ("export", "where", "reason"),
    [
        ({"messages": []}, "", "Telegram export with no message to read (empty message lists: 1)"),
        ({"chats": {"list": []}}, "", "Telegram export with no message to read (no messages in it)"),
        (
            {"chats": {"list": [1, {"name": "x"}]}},
            "",
            "Telegram export with no message to read (chat entries that are not chat objects with a message list: 2)",
        ),
        (
            {
                "messages": [
                    {"id": 1, "type": "service", "action": "pin_message"},
                    {"id": 2, "photo": "p.jpg", "text": ""},
                ]
            },
            "",
            "Telegram export with no message to read (service messages: 1, messages without text (media only): 1)",
        ),
        ({"messages": [7]}, "#messages[0]", "expected a message object, got a number"),
        ({"messages": [message(text=5)]}, "#messages[0]", "the message's 'text' is a number, not a string or a list"),
        ({"messages": [message(type=["message"])]}, "#messages[0]", "the message's 'type' is a list, not a string"),
        (
            {"messages": [message(i=None)]},
            "#messages[0]",
            "the message has no id; a message needs a number as its 'id'",
        ),
        (
            {"chats": {"list": [{"id": 5, "messages": [message(i={"n": 1})]}]}},
            "#chats.list[0].messages[0]",
            "the message has an id that is an object; a message needs a number as its 'id'",
        ),
    ],
)
def test_a_malformed_telegram_export_is_rejected_with_the_file_and_the_reason(
    tmp_path: Path, export: dict[str, Any], where: str, reason: str
) -> None:
    f = tmp_path / "result.json"
    f.write_text(json.dumps(export))
    items = list(read_path([f]))
    assert items == [Rejection(f"{f}{where}", reason)]


def test_a_malformed_message_costs_only_itself(tmp_path: Path) -> None:
    f = tmp_path / "result.json"
    msgs = [
        7,
        message(1, text={"x": 1}),
        message(2),
        message(None),
        message(3, date_unixtime="²"),
        message(4, text="👍"),
    ]
    f.write_text(json.dumps({"id": 99, "messages": msgs}))
    items = list(read_path([f]))
    assert [d.id for d in only(items, Document)] == ["99/2", "99/3"]
    assert [r.path.rsplit("#", 1)[1] for r in only(items, Rejection)] == ["messages[0]", "messages[1]", "messages[3]"]


@pytest.mark.parametrize("unix", ["²", "٣", "9" * 5000, "-5", "1e9"])
def test_a_date_unixtime_that_is_no_number_falls_back_to_the_date(tmp_path: Path, unix: str) -> None:
    f = tmp_path / "result.json"
    f.write_text(json.dumps({"id": 99, "messages": [message(1, date_unixtime=unix)]}))
    (doc,) = read_path([f])
    assert isinstance(doc, Document) and doc.published_at is not None and doc.published_at.day == 6


# --- crashes the fuzz suite found ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            b'{"id": "n", "text": "Rebels took Hama.", "date": ' + b"9" * 5000 + b"}",
            "it holds a number of thousands of digits",
        ),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
    ids=["5000-digit-number", "nested-100000-deep"],
)
def test_json_python_cannot_hold_is_rejected_with_a_reason(tmp_path: Path, data: bytes, reason: str) -> None:
    f = tmp_path / "doc.json"
    f.write_bytes(data)
    (r,) = read_path([f])
    assert isinstance(r, Rejection) and reason in r.reason and "reader failed" not in r.reason


def test_a_json_line_python_cannot_hold_costs_only_its_line(tmp_path: Path) -> None:
    f = tmp_path / "docs.jsonl"
    f.write_bytes(b'{"text": ' + b"1" * 5000 + b"}\n" + json.dumps({"id": "b", "text": REPORT}).encode() + b"\n")
    items = list(read_path([f]))
    assert [d.id for d in only(items, Document)] == ["b"]
    assert only(items, Rejection)[0].path == f"{f}:1"


def test_a_lone_surrogate_in_the_url_of_a_document_without_id_costs_nothing(tmp_path: Path) -> None:
    f = tmp_path / "list.json"
    f.write_text(json.dumps([{"text": REPORT, "url": "\ud800"}, {"id": "b", "text": "Hama fell on Thursday."}]))
    items = list(read_path([f]))
    assert len(only(items, Document)) == 2, items


@pytest.mark.parametrize("first", [b"\x00\x00", b"%PDF", b"\x1f\x8b"])
def test_a_first_line_of_binary_does_not_cost_the_good_lines_of_a_json_lines_file(tmp_path: Path, first: bytes) -> None:
    f = tmp_path / "docs.jsonl"
    f.write_bytes(first + b"\n" + json.dumps({"id": "b", "text": REPORT}).encode() + b"\n")
    items = list(read_path([f]))
    assert [d.id for d in only(items, Document)] == ["b"]
    assert [r.path for r in only(items, Rejection)] == [f"{f}:1"]
    g = tmp_path / "blob.jsonl"  # a file that is binary throughout is still rejected as one
    g.write_bytes(b"\x00\x01\x02garbage\n" * 3)
    (r,) = read_path([g])
    assert isinstance(r, Rejection) and r.path == str(g) and r.reason.startswith("binary file (NUL byte at offset 0)")


@pytest.mark.parametrize("charset", ["base64", "rot13", "zlib", "idna", "utf-16"])
def test_an_html_page_declaring_a_codec_that_is_no_text_encoding_is_read_as_utf8(tmp_path: Path, charset: str) -> None:
    f = tmp_path / "page.html"
    f.write_text(f'<html><head><meta charset="{charset}"></head><body><p>{REPORT}</p></body></html>', encoding="utf-8")
    (doc,) = read_path([f])
    assert isinstance(doc, Document) and "Saraqib" in doc.text, doc


@pytest.mark.parametrize("ref", ["&#xD800;", "&#1114112;", "&#99999999999999999999;"])
def test_a_character_reference_to_no_character_costs_one_character_not_the_feed(tmp_path: Path, ref: str) -> None:
    f = tmp_path / "feed.xml"
    f.write_text(
        f'<rss version="2.0"><channel><title>W</title><item><guid>a</guid><description>Hama {ref} fell.</description>'
        f"</item><item><guid>b</guid><description>{REPORT}</description></item></channel></rss>"
    )
    items = list(read_path([f]))
    assert [d.id for d in only(items, Document)] == ["a", "b"], items
    assert "\ufffd" in only(items, Document)[0].text


@pytest.mark.parametrize(
    "date",
    [
        "Sat, 01 Jan 1000 00:00:00 GMT",
        "Sun, 01 Jan 2500 00:00:00 GMT",
        "2500-01-01T00:00:00Z",
        "0001-01-01T00:00:00+14:00",  # year 0 to feedparser, which failed the entry
    ],
)
def test_a_feed_date_outside_the_years_kept_leaves_the_entry_undated(tmp_path: Path, date: str) -> None:
    f = tmp_path / "feed.xml"
    f.write_text(
        f'<rss version="2.0"><channel><title>W</title><item><guid>a</guid><pubDate>{date}</pubDate>'
        f"<description>{REPORT}</description></item></channel></rss>"
    )
    (doc,) = read_path([f])
    assert isinstance(doc, Document) and doc.published_at is None
    assert any(w.startswith("publication date not understood") for w in doc.warnings), doc.warnings


@pytest.mark.parametrize("bom", [b"\xff\xfe", b"\xfe\xff"])
def test_a_stray_utf16_bom_before_utf8_text_is_not_believed(tmp_path: Path, bom: bytes) -> None:
    """Read as UTF-16, the UTF-8 text after the two bytes was CJK gibberish, stored as a document (or, in JSON
    Lines, the whole file was lost); it is UTF-8 with two bad bytes, and is said to be."""
    txt = tmp_path / "stray.txt"
    txt.write_bytes(bom + REPORT.encode() + b"\n")
    (r,) = read_path([txt])
    assert isinstance(r, Rejection) and r.reason.startswith(f"not UTF-8 text (invalid byte 0x{bom[:1].hex().upper()}")
    lines = tmp_path / "stray.jsonl"
    lines.write_bytes(
        bom
        + json.dumps({"id": "a", "text": REPORT}).encode()
        + b"\n"
        + json.dumps({"id": "b", "text": REPORT + " (b)"}).encode()
        + b"\n"
    )
    items = list(read_path([lines]))
    assert [d.id for d in only(items, Document)] == ["b"]
    assert [r.path for r in only(items, Rejection)] == [f"{lines}:1"]


def test_utf16_opening_with_a_nul_character_is_not_taken_for_utf32(tmp_path: Path) -> None:
    """FF FE 00 00 opens UTF-32 (little-endian) and also UTF-16 text whose first character is U+0000."""
    f = tmp_path / "docs.jsonl"
    f.write_bytes(("\x00\n" + json.dumps({"id": "b", "text": REPORT}) + "\n").encode("utf-16"))
    items = list(read_path([f]))
    assert [d.id for d in only(items, Document)] == ["b"]
    assert [r.path for r in only(items, Rejection)] == [f"{f}:1"]


def test_an_unexpected_error_on_one_entry_is_that_entrys_rejection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The safety net under every multi-document reader: a bug on one entry (here a planted one) is recorded with
    the entry's place and the error, and the file's other entries are read."""
    from sitroom.ingest import _base

    real = _base.finish

    def finish(**kw: Any) -> Document:
        if "planted" in kw["text"]:
            raise KeyError("planted bug")
        return real(**kw)

    for module in ("jsondoc", "telegram", "feed"):
        monkeypatch.setattr(f"sitroom.ingest.{module}.finish", finish)
    bad, good = "A planted bug here.", REPORT
    files = {
        "list.json": json.dumps([{"id": "a", "text": bad}, {"id": "b", "text": good}]),
        "lines.jsonl": json.dumps({"id": "a", "text": bad}) + "\n" + json.dumps({"id": "b", "text": good}),
        "result.json": json.dumps({"id": 9, "messages": [message(1, text=bad), message(2, text=good)]}),
        "feed.xml": f'<rss version="2.0"><channel><title>W</title><item><guid>a</guid><description>{bad}</description>'
        f"</item><item><guid>b</guid><description>{good}</description></item></channel></rss>",
    }
    for name, text in files.items():
        f = tmp_path / name
        f.write_text(text)
        items = list(read_path([f]))
        assert len(only(items, Document)) == 1, (name, items)
        (r,) = only(items, Rejection)
        assert r.path.startswith(f"{f}") and r.path != str(f)
        assert "reader failed on this entry (KeyError: 'planted bug')" in r.reason
