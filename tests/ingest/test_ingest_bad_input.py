"""Bad input, for every reader: each unreadable file is one Rejection naming it, and the batch goes on."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sitroom.errors import Rejected
from sitroom.ingest import IngestStats, read_file, read_path
from sitroom.model import Document, Rejection

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
MiB = 2**20

# One reader per suffix, each with a valid small document to build bad variants from.
GOOD = {
    ".txt": "# Title\n\nDecember 6, 2024\n\nThe airport stayed open on Friday.\n",
    ".md": "# Title\n\nDecember 6, 2024\n\nThe airport stayed open on Friday.\n",
    ".json": json.dumps({"id": "a", "date": "2024-12-06", "text": "The airport stayed open on Friday."}),
    ".jsonl": json.dumps({"id": "a", "date": "2024-12-06", "text": "The airport stayed open on Friday."}) + "\n",
    ".html": "<html><body><p>The airport stayed open on Friday, officials said.</p></body></html>",
    ".xml": '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>W</title><item><guid>a</guid>'
    "<description>The airport stayed open on Friday.</description></item></channel></rss>",
}
SUFFIXES = sorted(GOOD)


def one_rejection(path: Path) -> Rejection:
    items = list(read_path([path]))
    assert len(items) == 1, items
    (r,) = items
    assert isinstance(r, Rejection), r
    assert r.path == str(path)
    return r


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_good_variant_is_read(tmp_path: Path, suffix: str) -> None:
    f = tmp_path / f"good{suffix}"
    f.write_text(GOOD[suffix])
    (doc,) = read_path([f])
    assert isinstance(doc, Document) and "airport stayed open" in doc.text


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_empty_file_is_rejected(tmp_path: Path, suffix: str) -> None:
    f = tmp_path / f"empty{suffix}"
    f.write_bytes(b"")
    assert one_rejection(f).reason == "empty file"
    g = tmp_path / f"blank{suffix}"
    g.write_text("  \n\n \n")
    assert one_rejection(g).reason.startswith("empty file")


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_binary_file_is_rejected(tmp_path: Path, suffix: str) -> None:
    f = tmp_path / f"blob{suffix}"
    f.write_bytes(b"\x00\x01\x02\x03garbage\x00" * 50)
    assert "binary file" in one_rejection(f).reason
    pdf = tmp_path / f"report{suffix}"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    assert one_rejection(pdf).reason == "binary file (a PDF file), not a text document"


@pytest.mark.parametrize("suffix", [".txt", ".md", ".json", ".jsonl"])
@pytest.mark.parametrize("codec", ["cp1256", "latin-1"])
def test_undeclared_legacy_encoding_is_rejected_with_the_byte_and_the_fix(
    tmp_path: Path, suffix: str, codec: str
) -> None:
    word = "حلب" if codec == "cp1256" else "Alep, région"
    text = GOOD[suffix].replace("airport", word)
    f = tmp_path / f"legacy{suffix}"
    f.write_bytes(text.encode(codec))
    r = one_rejection(f) if suffix != ".jsonl" else None
    if r is None:  # a JSONL file names the line
        (r,) = read_path([f])
        assert isinstance(r, Rejection)
        assert r.path in (str(f), f"{f}:1")
    assert "not UTF-8 text (invalid byte 0x" in r.reason
    assert "re-save the file as UTF-8" in r.reason


def test_utf8_with_bom_and_utf16_with_bom_are_read(tmp_path: Path) -> None:
    a = tmp_path / "bom8.txt"
    a.write_bytes("\ufeff".encode() + GOOD[".txt"].encode())
    b = tmp_path / "bom16.json"
    b.write_bytes(GOOD[".json"].encode("utf-16"))
    docs = list(read_path([a, b]))
    assert all(isinstance(d, Document) and "airport stayed open" in d.text for d in docs)
    assert docs[0].title == "Title"


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
def test_twenty_megabyte_single_document_file_is_rejected_by_size(tmp_path: Path, suffix: str) -> None:
    f = tmp_path / f"huge{suffix}"
    with f.open("wb") as fh:
        fh.write(GOOD[suffix].encode())
        fh.write(b"more words " * (20 * MiB // 11))
    r = one_rejection(f)
    assert r.reason.startswith("file is 20.0 MiB, above the 10.0 MiB limit")


def test_twenty_megabyte_single_json_document_is_rejected_by_size(tmp_path: Path) -> None:
    f = tmp_path / "huge.json"
    f.write_text(json.dumps({"id": "h", "text": "word " * (4 * MiB)}))
    assert "above the 10.0 MiB limit" in one_rejection(f).reason


def test_twenty_megabyte_line_in_jsonl_is_rejected_alone(tmp_path: Path) -> None:
    f = tmp_path / "stream.jsonl"
    with f.open("w") as fh:
        fh.write(json.dumps({"id": "a", "text": "first"}) + "\n")
        fh.write(json.dumps({"id": "b", "text": "word " * (4 * MiB)}) + "\n")
        fh.write(json.dumps({"id": "c", "text": "third"}) + "\n")
    items = list(read_path([f]))
    assert [i.id for i in items if isinstance(i, Document)] == ["a", "c"]
    (r,) = [i for i in items if isinstance(i, Rejection)]
    assert r.path == f"{f}:2" and "above the 10.0 MiB limit" in r.reason


def test_twenty_megabyte_entry_in_a_feed_is_rejected_alone(tmp_path: Path) -> None:
    f = tmp_path / "big.xml"
    entry = "<item><guid>{}</guid><title>T</title><description>{}</description></item>"
    with f.open("w") as fh:
        fh.write('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>W</title>')
        fh.write(entry.format("small", "Small entry."))
        fh.write(entry.format("big", "word " * (4 * MiB)))
        fh.write("</channel></rss>")
    items = list(read_path([f]))
    assert [i.id for i in items if isinstance(i, Document)] == ["small"]
    (r,) = [i for i in items if isinstance(i, Rejection)]
    assert r.path == f"{f}#2" and "above the 10.0 MiB limit" in r.reason


def test_document_without_date_is_stored_with_a_warning_in_every_format(tmp_path: Path) -> None:
    files = {
        "a.txt": "Body with no header at all.",
        "b.json": json.dumps({"id": "b", "text": "No date here."}),
        "c.jsonl": json.dumps({"id": "c", "text": "No date here."}),
        "d.html": "<html><body><p>No date anywhere on this page.</p></body></html>",
        "e.xml": GOOD[".xml"],
    }
    for name, content in files.items():
        (tmp_path / name).write_text(content)
    docs = list(read_path([tmp_path]))
    assert len(docs) == len(files)
    for d in docs:
        assert isinstance(d, Document) and d.published_at is None
        assert any(w.startswith("no publication date") for w in d.warnings), d


def test_mixed_folder_reads_good_files_and_gives_one_rejection_per_bad_file(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    shutil.copytree(FIXTURES, folder)
    bad = {
        "empty.txt": b"",
        "cut.json": b'{"id": "x", "text": "cut off here',
        "binary.md": b"\x00\x10\x20" * 100,
        "arabic.txt": "# عنوان\n\nحلب".encode("cp1256"),
        "latin.json": json.dumps({"text": "région"}, ensure_ascii=False).encode("latin-1"),
        "notes.xml": b"<?xml version='1.0'?><notes><n>hi</n></notes>",
        "settings.json": json.dumps({"threshold": 3}).encode(),
    }
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)  # no reader: skipped, counted
    (folder / "README.md").write_text("# About this folder\n\nDrop reports here.\n")  # skipped, counted
    (folder / ".hidden.txt").write_text("# Hidden\n\nNot to be read.\n")
    (folder / ".git").mkdir()
    (folder / ".git" / "x.json").write_text(json.dumps({"text": "inside a hidden folder"}))

    stats = IngestStats()
    items = list(read_path([folder], stats=stats))
    docs = [i for i in items if isinstance(i, Document)]
    rejections = [i for i in items if isinstance(i, Rejection)]

    good_docs = list(read_path([FIXTURES]))
    assert sorted(d.id for d in docs) == sorted(d.id for d in good_docs if isinstance(d, Document))
    assert sorted(r.path for r in rejections) == sorted(str(folder / n) for n in bad)
    assert all(r.reason for r in rejections)
    assert stats.skipped == [str(folder / "README.md"), str(folder / "photo.jpg")]
    assert stats.documents == len(docs) and stats.rejections == len(rejections)
    assert not any("hidden" in (d.path or "") or ".git" in (d.path or "") for d in docs)


def test_folder_is_walked_in_sorted_order(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "sub/c.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(f"Text of {name}.")
    assert [d.id for d in read_path([tmp_path]) if isinstance(d, Document)] == ["a", "b", "c"]


def test_named_file_of_unsupported_type_is_rejected(tmp_path: Path) -> None:
    f = tmp_path / "table.xlsx"
    f.write_text("a,b\n1,2\n")
    r = one_rejection(f)
    assert r.reason.startswith("unsupported file type .xlsx; sitroom reads .txt, ")


def test_missing_path_is_rejected_and_the_batch_goes_on(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    items = list(read_path([missing, FIXTURES / "plain-note.txt"]))
    assert items[0] == Rejection(str(missing), "no such file or directory")
    assert isinstance(items[1], Document)


def test_read_path_accepts_a_single_path_not_only_a_list() -> None:
    (doc,) = read_path(FIXTURES / "plain-note.txt")
    assert isinstance(doc, Document) and doc.id == "plain-note"


def test_read_file_raises_rejected_naming_the_file(tmp_path: Path) -> None:
    f = tmp_path / "empty.md"
    f.write_bytes(b"")
    with pytest.raises(Rejected) as err:
        list(read_file(f))
    assert err.value.path == str(f) and err.value.reason == "empty file"
    sheet = tmp_path / "x.xlsx"
    sheet.write_text("a,b\n")
    with pytest.raises(Rejected, match=r"unsupported file type \.xlsx"):
        list(read_file(sheet))


def test_read_file_hands_entry_rejections_to_the_callback(tmp_path: Path) -> None:
    f = tmp_path / "mix.jsonl"
    f.write_text(json.dumps({"id": "a", "text": "good"}) + "\n{bad\n")
    seen: list[Rejection] = []
    docs = list(read_file(f, on_rejection=seen.append))
    assert [d.id for d in docs] == ["a"]
    assert [r.path for r in seen] == [f"{f}:2"]
