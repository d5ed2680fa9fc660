from __future__ import annotations

from sitroom.geo import detect_zones

ARTICLE = """# Rebels Near Hama

December 01, 2024

A checkpoint outside Hama, Syria. **Jane Doe / Agency**

Rebels moved south from Aleppo on Sunday.

**Related article:** [Talks in Ankara](#)

*Reuters contributed reporting.*

Original url:

<https://example.org/2024/12/01/rebels-near-hama>
"""


def _zone_of(text: str, needle: str, zones: list[tuple[int, int, str]]) -> str:
    pos = text.index(needle)
    return next((k for s, e, k in zones if s <= pos < e), "body")


def test_article_zones_title_caption_related_credit_footer() -> None:
    zones = detect_zones(ARTICLE)
    assert _zone_of(ARTICLE, "Rebels Near", zones) == "title"
    assert _zone_of(ARTICLE, "A checkpoint", zones) == "caption"
    assert _zone_of(ARTICLE, "Rebels moved", zones) == "body"
    assert _zone_of(ARTICLE, "Talks in Ankara", zones) == "boilerplate"
    assert _zone_of(ARTICLE, "Reuters contributed", zones) == "boilerplate"
    assert _zone_of(ARTICLE, "example.org", zones) == "boilerplate"


def test_plain_text_without_markup_is_all_body() -> None:
    assert detect_zones("Rebels entered Homs.\n\nThe army withdrew.\n") == []
