"""HTML pages (trafilatura) and RSS/Atom feeds (feedparser): metadata, text, encodings, broken input."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from sitroom.errors import Rejected
from sitroom.ingest import Limits, read_file, read_path
from sitroom.model import Document, Rejection

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"

PARA = (
    "<p>Government troops withdrew from positions north of the city overnight, residents said, and long lines "
    "of cars formed on the road west as families tried to reach relatives on the coast before dark.</p>"
)


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>Page title</title></head><body><article>{body}</article></body></html>"


# --- HTML ------------------------------------------------------------------------------------------


def test_html_page_gives_main_text_and_metadata() -> None:
    (doc,) = read_file(FIXTURES / "page-homs.html")
    assert doc.id == "page-homs"
    assert doc.format == "html"
    assert doc.title == "Fighting reaches the edge of Homs"
    assert doc.url == "https://orontes.example.net/2024/12/06/homs-edge"
    assert doc.outlet == "Orontes Post"
    assert doc.published_at == datetime(2024, 12, 6, 11, 20, tzinfo=UTC)  # +03:00 -> UTC, time kept
    assert doc.published_precision == "time"
    assert doc.language == "en"
    assert doc.text.startswith("Opposition fighters reached the northern outskirts of Homs")
    assert "<" not in doc.text and "World" not in doc.text.split("\n")[0]
    assert "All rights reserved" not in doc.text
    related = [doc.text[s.start : s.end] for s in doc.non_news if s.kind == "related"]
    assert related == ["Related: Tartus port quiet as naval vessels leave"]


def test_html_declared_cp1256_is_decoded(tmp_path: Path) -> None:
    arabic = "<p>" + "دخلت فصائل المعارضة مدينة حمص صباح الجمعة بحسب سكان محليين. " * 4 + "</p>"
    f = tmp_path / "ar.html"
    f.write_bytes(
        page(arabic * 2, '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">').encode("cp1256")
    )
    (doc,) = read_file(f)
    assert "مدينة حمص" in doc.text
    assert doc.language == "ar"


def test_html_undeclared_latin1_is_rejected_with_the_offending_byte(tmp_path: Path) -> None:
    f = tmp_path / "latin.html"
    f.write_bytes(page(PARA.replace("residents", "r\u00e9sidents") * 3).encode("latin-1"))
    with pytest.raises(Rejected) as err:
        list(read_file(f))
    assert "not UTF-8" in err.value.reason and "0xE9" in err.value.reason and "charset" in err.value.reason


def test_html_without_text_is_rejected(tmp_path: Path) -> None:
    f = tmp_path / "blank.html"
    f.write_text("<html><head><title>Nothing</title></head><body><script>var a = 1;</script></body></html>")
    (r,) = read_path([f])
    assert isinstance(r, Rejection) and r.path == str(f) and "no readable text" in r.reason


def test_html_without_date_is_stored_with_a_warning(tmp_path: Path) -> None:
    f = tmp_path / "undated.html"
    f.write_text(page(PARA * 3))
    (doc,) = read_file(f)
    assert doc.published_at is None
    assert any("no publication date" in w for w in doc.warnings)


# --- feeds -----------------------------------------------------------------------------------------


def rss(items: str, prolog: str = '<?xml version="1.0" encoding="utf-8"?>') -> str:
    return f'{prolog}<rss version="2.0"><channel><title>Wire</title><link>https://wire.example.org/</link>{items}</channel></rss>'


def item(guid: str, text: str, title: str = "A headline") -> str:
    return f"<item><guid>{guid}</guid><title>{title}</title><pubDate>Sat, 07 Dec 2024 10:00:00 GMT</pubDate><description>{text}</description></item>"


def test_rss_entries_become_documents() -> None:
    docs = list(read_file(FIXTURES / "feed-levant.xml"))
    assert [d.id for d in docs] == ["levant-desk-1001", "https://levant-desk.example.org/news/power-cuts"]
    first = docs[0]
    assert first.format == "feed"
    assert first.title == "Jordan shuts its main crossing with Syria"
    assert first.url == "https://levant-desk.example.org/news/jaber-closed"
    assert first.outlet == "Levant Desk"
    assert first.language == "en"
    assert first.published_at == datetime(2024, 12, 6, 7, 15, tzinfo=UTC)
    assert (
        first.text
        == "Jordan closed the Jaber crossing to traffic bound for Syria on Friday.\n\nReturning Jordanians were still allowed in."
    )


def test_atom_entry_html_content_is_stripped_and_figcaption_marked() -> None:
    (doc,) = read_file(FIXTURES / "atom-monitor.atom")
    assert doc.id == "tag:monitor.example.org,2024:entry-77"
    assert doc.published_at == datetime(2024, 12, 7, 5, 30, tzinfo=UTC)
    assert "<" not in doc.text
    assert [(s.kind, doc.text[s.start : s.end]) for s in doc.non_news] == [
        ("caption", "A damaged road sign near the front")
    ]
    assert doc.source_kind == "monitor"


def test_xml_that_is_not_a_feed_is_rejected(tmp_path: Path) -> None:
    f = tmp_path / "places.xml"
    f.write_text('<?xml version="1.0"?><gazetteer><place name="Homs"/></gazetteer>')
    (r,) = read_path([f])
    assert isinstance(r, Rejection) and r.path == str(f)
    assert r.reason == "not an RSS/Atom feed (root element <gazetteer>)"


def test_truncated_feed_keeps_entries_before_the_break_and_records_the_break(tmp_path: Path) -> None:
    f = tmp_path / "cut.rss"
    full = rss(item("a", "First entry text.") + item("b", "Second entry text."))
    f.write_text(full[: full.index("<item><guid>b") + 40])
    items = list(read_path([f]))
    docs = [i for i in items if isinstance(i, Document)]
    rejections = [i for i in items if isinstance(i, Rejection)]
    assert "a" in [d.id for d in docs]
    (r,) = rejections
    assert r.path == str(f) and "truncated or not well-formed" in r.reason


def test_feed_declared_cp1256_is_decoded(tmp_path: Path) -> None:
    f = tmp_path / "ar.xml"
    f.write_bytes(
        rss(item("g", "سيطرت الفصائل على حماة"), '<?xml version="1.0" encoding="windows-1256"?>').encode("cp1256")
    )
    (doc,) = read_file(f)
    assert doc.text == "سيطرت الفصائل على حماة"


def test_feed_undeclared_non_utf8_is_rejected(tmp_path: Path) -> None:
    f = tmp_path / "latin.xml"
    f.write_bytes(rss(item("g", "Caf\u00e9 closed"), '<?xml version="1.0"?>').encode("latin-1"))
    (r,) = read_path([f])
    assert isinstance(r, Rejection) and "not UTF-8" in r.reason and "0xE9" in r.reason


def test_feed_entry_over_the_limit_is_rejected_alone(tmp_path: Path) -> None:
    f = tmp_path / "big.xml"
    f.write_text(rss(item("small", "Small text.") + item("big", "word " * 2000)))
    items = list(read_path([f], limits=Limits(max_document_bytes=4000)))
    assert [i.id for i in items if isinstance(i, Document)] == ["small"]
    (r,) = [i for i in items if isinstance(i, Rejection)]
    assert r.path == f"{f}#2" and "above the" in r.reason


def test_headline_only_entry_is_kept_with_its_title_as_text(tmp_path: Path) -> None:
    f = tmp_path / "heads.xml"
    f.write_text(rss("<item><guid>h1</guid><title>Airport closed to all flights</title></item>"))
    (doc,) = read_file(f)
    assert doc.text == "Airport closed to all flights"
    assert any("title is its text" in w for w in doc.warnings)
    assert any("no publication date" in w for w in doc.warnings)


def test_feed_with_another_extension_is_recognised_by_content(tmp_path: Path) -> None:
    f = tmp_path / "feed.php"
    f.write_text(rss(item("x1", "Sniffed entry.")))
    (doc,) = read_path([tmp_path])
    assert isinstance(doc, Document) and doc.id == "x1"
