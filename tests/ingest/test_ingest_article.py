"""The plain-text/markdown article reader: header fields lifted out, markup unwrapped, non-news spans marked."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from sitroom.ingest import content_hash, read_file, read_path
from sitroom.model import Document, Rejection

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
REPO = Path(__file__).resolve().parents[2]
SEED = REPO.parent / "shared" / "corpus" / "dev" / "raw" / "moscowtimes-2024-12-06-russians-urged-to-leave.txt"


def only(path: Path) -> Document:
    docs = list(read_file(path))
    assert len(docs) == 1
    return docs[0]


def spans_by_kind(doc: Document) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for s in doc.non_news:
        out.setdefault(s.kind, []).append(doc.text[s.start : s.end])
    return out


def test_article_header_fields_are_lifted_out_of_the_text() -> None:
    doc = only(FIXTURES / "article-hama-bridge.md")
    assert doc.id == "article-hama-bridge"
    assert doc.title == "Bridge Near Rastan Hit as Rebels Push South"
    assert doc.published_at == datetime(2024, 12, 5, tzinfo=UTC)
    assert doc.published_precision == "day"
    assert doc.url == "https://news.example.com/2024/12/05/bridge-rastan"
    assert doc.outlet == "news.example.com"
    assert doc.format == "article"
    assert doc.path == str(FIXTURES / "article-hama-bridge.md")
    assert doc.warnings == ()
    for gone in ("Bridge Near Rastan Hit", "Thursday, December 05, 2024", "Original url", "https://news.example.com"):
        assert gone not in doc.text


def test_article_markup_is_unwrapped_but_brackets_that_are_not_links_stay(tmp_path: Path) -> None:
    doc = only(FIXTURES / "article-hama-bridge.md")
    assert "at Rastan on Thursday, a local council official told reporters" in doc.text
    assert "targeted militant positions" in doc.text
    assert "*" not in doc.text and "](" not in doc.text

    f = tmp_path / "brackets.txt"
    f.write_text(
        "# T\n\nMay 2, 2024\n\nIt urged citizens of the SAR [Syrian Arab Republic] to leave, __officials__ said.\n"
    )
    doc = only(f)
    assert doc.text == "It urged citizens of the SAR [Syrian Arab Republic] to leave, officials said."


def test_article_caption_related_line_and_credit_are_marked_not_news() -> None:
    doc = only(FIXTURES / "article-hama-bridge.md")
    kinds = spans_by_kind(doc)
    assert kinds["caption"] == ["Smoke rises over the river crossing north of Homs. Jane Roe / Reuters"]
    assert kinds["related"] == ["Related article: Aid convoys wait at the northern crossings"]
    assert kinds["credit"] == ["Reporting by Sam Doe; Editing by Kim Poe"]
    assert doc.text.startswith("Smoke rises over")  # captions stay in the text; only marked
    news = [doc.text[a:b] for a, b in _complement(doc)]
    assert any("Aircraft struck the bridge" in n for n in news)


def _complement(doc: Document) -> list[tuple[int, int]]:
    out, pos = [], 0
    for s in sorted(doc.non_news, key=lambda s: s.start):
        if s.start > pos:
            out.append((pos, s.start))
        pos = s.end
    out.append((pos, len(doc.text)))
    return out


def test_body_paragraph_ending_in_bold_emphasis_is_not_a_caption(tmp_path: Path) -> None:
    f = tmp_path / "bold.md"
    f.write_text(
        "# Title\n\nJune 3, 2024\n\nThe first paragraph of news.\n\n"
        "The minister said the border would stay **closed until further notice**\n"
    )
    doc = only(f)
    assert doc.non_news == ()


def test_plain_text_without_header_is_read_whole_with_a_no_date_warning() -> None:
    doc = only(FIXTURES / "plain-note.txt")
    assert doc.id == "plain-note"
    assert doc.title == ""
    assert doc.published_at is None
    assert doc.text.startswith("Residents of the eastern districts")
    assert doc.text.endswith("still open.")
    assert any(w.startswith("no publication date") for w in doc.warnings)


def test_article_with_title_but_no_date_line_is_stored_with_a_warning(tmp_path: Path) -> None:
    f = tmp_path / "undated.md"
    f.write_text("# Curfew in the old city\n\nA curfew was declared after dark in the old city.\n")
    doc = only(f)
    assert doc.title == "Curfew in the old city"
    assert doc.text == "A curfew was declared after dark in the old city."
    assert doc.published_at is None
    assert any("no publication date" in w for w in doc.warnings)


def test_front_matter_supplies_fields(tmp_path: Path) -> None:
    f = tmp_path / "fm.md"
    f.write_text(
        "---\ntitle: Ferry service halted\ndate: 2024-12-07T08:30:00Z\nurl: https://port.example.org/a\n"
        "outlet: Port Gazette\n---\n\nThe ferry to Latakia did not sail on Saturday.\n"
    )
    doc = only(f)
    assert (doc.title, doc.outlet, doc.url) == ("Ferry service halted", "Port Gazette", "https://port.example.org/a")
    assert doc.published_at == datetime(2024, 12, 7, 8, 30, tzinfo=UTC)
    assert doc.published_precision == "time"
    assert doc.text == "The ferry to Latakia did not sail on Saturday."


def test_footer_url_on_the_same_line_and_windows_line_endings(tmp_path: Path) -> None:
    f = tmp_path / "crlf.txt"
    f.write_bytes(
        b"# Headline\r\n\r\n7 December 2024\r\n\r\nBody text here.\r\n\r\nOriginal url: https://a.example.com/x\r\n"
    )
    doc = only(f)
    assert doc.url == "https://a.example.com/x"
    assert doc.text == "Body text here."
    assert doc.published_at == datetime(2024, 12, 7, tzinfo=UTC)


def test_a_line_reading_source_inside_the_body_is_not_taken_as_the_footer(tmp_path: Path) -> None:
    f = tmp_path / "src.txt"
    f.write_text("# H\n\nMay 1, 2024\n\nSource:\n\nA source close to the talks said no deal was near.\n")
    doc = only(f)
    assert doc.url is None
    assert "A source close to the talks" in doc.text


def test_content_hash_ignores_whitespace_and_unicode_form_but_not_url() -> None:
    a = content_hash("Caf\u00e9  in\nHoms ", "https://x.example/1")
    b = content_hash(" Cafe\u0301 in Homs", "https://x.example/1")
    assert a == b
    assert a != content_hash("Caf\u00e9 in Homs", "https://x.example/2")
    assert a != content_hash("Caf\u00e9 in Hama", "https://x.example/1")
    assert len(a) == 64 and int(a, 16) >= 0


def test_reingesting_a_rewrapped_article_gives_the_same_content_hash(tmp_path: Path) -> None:
    one = tmp_path / "one.txt"
    two = tmp_path / "two.txt"
    one.write_text("# T\n\nMay 1, 2024\n\nA long line of news text.\n")
    two.write_text("# T\n\nMay 1, 2024\n\nA long line\nof news text.\n")
    assert only(one).content_hash == only(two).content_hash


# --- the seed --------------------------------------------------------------------------------------


@pytest.fixture
def seed() -> Document:
    if not SEED.exists():
        pytest.skip(f"../shared not found: {SEED}")
    return only(SEED)


def test_seed_fields(seed: Document) -> None:
    assert seed.id == "moscowtimes-2024-12-06-russians-urged-to-leave"
    assert seed.title == "Russians in Syria Urged to Leave Country"
    assert seed.published_at == datetime(2024, 12, 6, tzinfo=UTC)
    assert seed.url is not None and seed.url.startswith("https://www.themoscowtimes.com/2024/12/06/")
    assert seed.outlet == "themoscowtimes.com"
    assert seed.warnings == ()
    assert "[said](#)" not in seed.text and " said Friday." in seed.text
    assert "Original url" not in seed.text


def test_seed_non_news_spans_cover_caption_related_line_and_agency_credit(seed: Document) -> None:
    kinds = spans_by_kind(seed)
    assert set(kinds) == {"caption", "related", "credit"}
    (caption,) = kinds["caption"]
    assert caption.startswith("A poster shows") and caption.endswith("AP / TASS")
    (related,) = kinds["related"]
    assert related.startswith("Related article:") and "Close Contact" in related
    assert kinds["credit"] == ["AFP contributed reporting."]
    # every other paragraph is news: the spans do not swallow reporting
    assert sum(s.end - s.start for s in seed.non_news) < len(seed.text) // 5


def test_seed_read_through_read_path_yields_one_document_and_no_rejection(seed: Document) -> None:
    items = list(read_path([SEED.parent]))
    assert [type(i) for i in items] == [Document]
    assert not any(isinstance(i, Rejection) for i in items)


def test_header_written_without_blank_lines_is_still_split(tmp_path: Path) -> None:
    f = tmp_path / "tight.md"
    f.write_text("# Crossing reopens\nDecember 9, 2024\nThe crossing reopened on Monday.\nTrucks queued.\n")
    doc = only(f)
    assert doc.title == "Crossing reopens"
    assert doc.published_at == datetime(2024, 12, 9, tzinfo=UTC)
    assert doc.text == "The crossing reopened on Monday.\nTrucks queued."


def test_headline_without_hash_before_a_date_line_is_the_title(tmp_path: Path) -> None:
    f = tmp_path / "copied.txt"
    f.write_text("Crossing Reopens After Three Days\n\n9 December 2024\n\nThe crossing reopened on Monday.\n")
    doc = only(f)
    assert doc.title == "Crossing Reopens After Three Days"
    assert doc.published_at == datetime(2024, 12, 9, tzinfo=UTC)
    assert doc.text == "The crossing reopened on Monday."


def test_first_sentence_is_not_taken_for_a_headline_without_a_date_after_it(tmp_path: Path) -> None:
    f = tmp_path / "plain.txt"
    f.write_text("Rebels took the town on Thursday\n\nResidents fled west.\n")
    doc = only(f)
    assert doc.title == ""
    assert doc.text == "Rebels took the town on Thursday\n\nResidents fled west."
