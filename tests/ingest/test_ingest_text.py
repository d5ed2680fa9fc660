"""The shared text helpers: which paragraphs are not news, HTML fragments to text, cheap guesses."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sitroom.ingest import read_file
from sitroom.ingest._text import classify_paragraph, guess_language, html_to_text, infer_source_kind


@pytest.mark.parametrize(
    ("paragraph", "kind"),
    [
        ("Related article: Convoy stranded at the border", "related"),
        ("Read more: Ceasefire talks stall in Geneva (https://example.org/x)", "related"),
        ("See also: Who controls what in the north", "related"),
        ("Photo: Men carry supplies across a damaged bridge. (Example Daily/Staff)", "caption"),
        ("A destroyed checkpoint on the main road. Photo: AFP", "caption"),
        ("Fighters gather in the square. (AP Photo/Jane Roe)", "caption"),
        ("Reporting by Sam Roe in Beirut; Editing by Kim Doe", "credit"),
        ("Additional reporting by Lee Moe", "credit"),
        ("Reuters and AFP contributed to this report.", "credit"),
        ("Example Wire contributed reporting.", "credit"),
        ("© 2024 Example Daily", "credit"),
        ("By Jane Roe and Sam Doe", "byline"),
        # news that merely uses the same words must stay news
        ("By nightfall the rebels had reached the outskirts.", None),
        ("The ministry said the photo: a fabrication, was circulated by rebels.", None),
        ("Officials contributed little to the debate, reporters said.", None),
        ("Related fighting was reported near the airport on Friday.", None),
        ("The army said it had retaken the town. " * 10, None),
    ],
)
def test_paragraph_classification(paragraph: str, kind: str | None) -> None:
    assert classify_paragraph(paragraph) == kind


def test_json_document_text_is_kept_verbatim_and_its_non_news_paragraphs_marked(tmp_path: Path) -> None:
    text = (
        "Photo: A queue at the crossing. (Staff)\n\nThe crossing closed at noon, officials said.\n\n"
        "Read more: Airlines suspend flights"
    )
    f = tmp_path / "d.json"
    f.write_text(json.dumps({"id": "d", "date": "2024-12-06", "text": text}))
    (doc,) = read_file(f)
    assert doc.text == text
    assert [(s.kind, doc.text[s.start : s.end]) for s in doc.non_news] == [
        ("caption", "Photo: A queue at the crossing. (Staff)"),
        ("related", "Read more: Airlines suspend flights"),
    ]


def test_html_fragment_becomes_paragraphs_without_tags_or_scripts() -> None:
    text, spans = html_to_text(
        "<div><p>One &amp; two.</p><script>var x=1;</script><p>Three<br>four</p>"
        "<figure><img src=a.jpg><figcaption>A caption</figcaption></figure></div>"
    )
    assert text == "One & two.\n\nThree\nfour\n\nA caption"
    assert [(s.kind, text[s.start : s.end]) for s in spans] == [("caption", "A caption")]


def test_plain_fragment_keeps_its_paragraphs() -> None:
    assert html_to_text("First para.\n\nSecond   para.")[0] == "First para.\n\nSecond para."


@pytest.mark.parametrize(
    ("outlet", "url", "kind"),
    [
        ("Embassy of Examplestan in Damascus", None, "official"),
        ("Ministry of Foreign Affairs", None, "official"),
        (None, "https://travel.state.gov/x", "official"),
        ("UN OCHA", None, "un"),
        (None, "https://reliefweb.int/report/1", "un"),
        ("Syrian Observatory for Human Rights", None, "monitor"),
        ("Levant Wire", "https://levantwire.example.com/a", None),
        ("Sunday Times", None, None),
    ],
)
def test_source_kind_is_inferred_from_outlet_or_host(outlet: str | None, url: str | None, kind: str | None) -> None:
    assert infer_source_kind(outlet, url) == kind


def test_language_guess_follows_the_script() -> None:
    assert guess_language("Повстанцы вошли в город Хама") == "ru"
    assert guess_language("سيطرت الفصائل على حماة") == "ar"
    assert guess_language("Rebels entered Hama") == "en"


@pytest.mark.parametrize(
    ("line", "expected", "precision"),
    [
        ("December 6, 2024", datetime(2024, 12, 6, tzinfo=UTC), "day"),
        ("Published: 6 December 2024", datetime(2024, 12, 6, tzinfo=UTC), "day"),
        ("Dec 6, 2024 at 2:35 PM", datetime(2024, 12, 6, tzinfo=UTC), "day"),  # unmarked local time dropped
        ("2024-12-06T14:35:00+03:00", datetime(2024, 12, 6, 11, 35, tzinfo=UTC), "time"),
    ],
)
def test_article_date_line_variants(tmp_path: Path, line: str, expected: datetime, precision: str) -> None:
    f = tmp_path / "a.txt"
    f.write_text(f"# Headline\n\n{line}\n\nThe body of the report.\n")
    (doc,) = read_file(f)
    assert (doc.published_at, doc.published_precision) == (expected, precision)
    assert doc.text == "The body of the report."
