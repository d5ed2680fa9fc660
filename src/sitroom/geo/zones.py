"""Which parts of a plain-text article are not news body: title, image captions, boilerplate.

A small detector for the seed's article format (and plain-text news in general), kept inside geo so
that `sitroom geoparse` works on a file without the ingest stage:

- a first non-empty line starting with ``# `` is the title;
- a line ending in a bold credit (``... **Name / Agency**``) or starting with ``Photo:``/``Image:``/
  ``Caption:`` is an image caption;
- ``**Related article:**`` / ``Read more:`` / ``See also:`` lines, a line that is wholly in italics
  (``*AFP contributed reporting.*``), credit lines (``Photo: ...``, ``© ...``) and everything from an
  ``Original url:`` footer on are boilerplate.
"""

from __future__ import annotations

import re

_CAPTION_END = re.compile(r"\*\*[^*\n]{2,120}\*\*\s*$")
_CAPTION_START = re.compile(r"^\s*(?:photo|image|picture|caption)\s*[:|]", re.IGNORECASE)
_RELATED = re.compile(
    r"^\s*(?:\*\*)?\s*(?:related(?: article| articles| story| stories)?|read more|read also|see also|"
    r"more on this|also read)\s*:?",
    re.IGNORECASE,
)
_ITALIC_LINE = re.compile(r"^\s*\*[^*\n].*[^*\n]\*\s*$")
_FOOTER = re.compile(r"^\s*(?:original url|source url|url)\s*:", re.IGNORECASE)
_CREDIT = re.compile(r"^\s*(?:©|\(c\)|copyright\b|credit\s*:)", re.IGNORECASE)


def detect_zones(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) spans of `text` that are not body: kind title, caption or boilerplate."""
    zones: list[tuple[int, int, str]] = []
    pos = 0
    seen_content = False
    footer_from: int | None = None
    for line in text.splitlines(keepends=True):
        start, end = pos, pos + len(line.rstrip("\r\n"))
        pos += len(line)
        body = line.strip()
        if not body:
            continue
        if footer_from is not None:
            continue
        if not seen_content:
            seen_content = True
            if body.startswith("# "):
                zones.append((start, end, "title"))
                continue
        if _FOOTER.match(body):
            footer_from = start
            continue
        if _RELATED.match(body) or _ITALIC_LINE.match(body) or _CREDIT.match(body):
            zones.append((start, end, "boilerplate"))
        elif _CAPTION_END.search(body) or _CAPTION_START.match(body):
            zones.append((start, end, "caption"))
    if footer_from is not None:
        zones.append((footer_from, len(text), "boilerplate"))
    return zones
