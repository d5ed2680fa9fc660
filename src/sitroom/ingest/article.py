"""Plain-text and markdown articles (`.txt`, `.md`): one file, one document.

The layout the seed uses (and that copy-pasted or scraped articles commonly have):

    # Title
    December 06, 2024
    A caption under the lead image. **Photographer / Agency**
    Body paragraphs, with [links](#) and *emphasis*.
    **Related article:** [Another headline](#)
    *AFP contributed reporting.*
    Original url:
    <https://...>

Document.text is the readable text from the caption on: the title, the date line and the url footer are
lifted into fields; markdown markup is unwrapped. Captions, related-article lines and credits stay in the
text and are listed in Document.non_news. A file without this header is read whole as the body. An optional
YAML-style front matter block (``---`` / ``key: value`` / ``---``) supplies title, date, url and outlet.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from sitroom.errors import Rejected
from sitroom.model import Document, Rejection

from ._base import Limits, decode_text, finish, load_bytes, published, unreadable
from ._text import classify_paragraph, join_paragraphs, unwrap_markdown

NAME = "article"

_FOOTER = re.compile(
    r"^\s*(?:\*{0,2})(?:original\s+url|original\s+link|source\s+url|source|url|link)(?:\*{0,2})\s*:\s*(?:\*{0,2})"
    r"\s*(?:<?(?P<url>https?://[^\s>]+)>?)?\s*$",
    re.IGNORECASE,
)
_URL_LINE = re.compile(r"^\s*<?(?P<url>https?://[^\s>]+)>?\s*$")
_TITLE = re.compile(r"^#\s+(?P<title>.+?)\s*#*\s*$")
_DATE_PREFIX = re.compile(r"^(?:published|posted|updated|last updated|date|dateline)\s*(?:on)?\s*:?\s*", re.IGNORECASE)
# A paragraph closing with a bold run: "A poster ... Syria. **Omar Sanadiki / AP / TASS**".
_BOLD_TAIL = re.compile(r"\S.*\*\*(?P<credit>[^*\n]{1,100})\*\*\s*$", re.DOTALL)
_CREDIT_WORDS = re.compile(
    r"/|\b(?:AP|AFP|Reuters|TASS|EPA|Getty|Sputnik|Anadolu|Xinhua|SANA|RIA|Pool|Kremlin|Handout|Photo|"
    r"Wikimedia|Commons|Shutterstock|Press Service|Telegram|Archive|Staff|Courtesy)\b",
    re.IGNORECASE,
)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FM_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*?)\s*$")
# How far into the file the date line may sit (after a subtitle or a byline, say).
_HEADER_PARAGRAPHS = 3


def read(path: Path, limits: Limits) -> Iterator[Document | Rejection]:
    data = load_bytes(path, limits.max_document_bytes)
    text = decode_text(data, path)
    yield parse_article(text, path)


def parse_article(raw: str, path: Path) -> Document:
    meta: dict[str, str] = {}
    m = _FRONT_MATTER.match(raw.lstrip("\ufeff"))
    if m:
        for line in m["body"].split("\n"):
            fm = _FM_LINE.match(line)
            if fm:
                meta[fm["key"].lower()] = fm["value"].strip().strip("\"'")
        raw = raw[m.end() :]

    paras = [p.strip("\n") for p in re.split(r"\n[ \t]*\n", raw)]
    paras = [p for p in paras if p.strip()]

    url, paras = _take_footer(paras)
    url = url or meta.get("url") or meta.get("link") or meta.get("source_url")

    title = meta.get("title", "")
    date_raw: str | None = meta.get("date") or meta.get("published")
    if paras:
        paras = _split_header_lines(paras)
        first = paras[0].strip()
        tm = _TITLE.match(first) if "\n" not in first else None
        if tm:
            title = unwrap_markdown(tm["title"])
            paras = paras[1:]
            if date_raw is None:
                date_raw, paras = _take_date_line(paras)
        elif date_raw is None and _looks_like_date_line(first):
            date_raw, paras = _take_date_line(paras)
        elif not title and date_raw is None and len(paras) > 1 and _looks_like_headline(first):
            # A headline without "#" followed by a date line, as articles copied from a page often are.
            date_raw, rest = _take_date_line(paras[1:2])
            if date_raw is not None:
                title, paras = unwrap_markdown(first), rest + paras[2:]

    published_at, precision, warnings = published(date_raw)

    parts: list[tuple[str, str | None]] = []
    in_header = True  # before the first news paragraph, a bold-credited paragraph is a caption
    for p in paras:
        kind = _caption_kind(p, in_header)
        plain = unwrap_markdown(p)
        if not plain:
            continue
        kind = kind or classify_paragraph(plain)
        if kind is None:
            in_header = False
        parts.append((plain, kind))
    text, spans = join_paragraphs(parts)
    if reason := unreadable(text or title):  # a headline alone is kept (with a warning); junk is not
        raise Rejected(reason, path=str(path))
    if not text:
        warnings = (*warnings, "no article text after the header")
    return finish(
        id=path.stem,
        text=text,
        path=path,
        fmt=NAME,
        title=title,
        url=url,
        outlet=meta.get("outlet") or meta.get("source") or meta.get("site_name"),
        published_at=published_at,
        precision=precision,
        language=meta.get("language") or meta.get("lang"),
        non_news=spans,
        warnings=warnings,
    )


def _take_footer(paras: list[str]) -> tuple[str | None, list[str]]:
    """Find an "Original url:" footer among the last paragraphs; return its url and the paragraphs before it."""
    for i in range(len(paras) - 1, max(-1, len(paras) - 4), -1):
        lines = paras[i].strip().split("\n")
        m = _FOOTER.match(lines[0])
        if not m:
            continue
        url = m["url"]
        rest = lines[1:] + [line for p in paras[i + 1 :] for line in p.strip().split("\n")]
        if url is None and rest:
            um = _URL_LINE.match(rest[0])
            if um is None:
                continue
            url = um["url"]
            rest = rest[1:]
        if any(line.strip() for line in rest):
            continue  # more text after it: not a footer
        return url, paras[:i]
    return None, paras


def _split_header_lines(paras: list[str]) -> list[str]:
    """A header written without blank lines ("# Title\nDecember 6, 2024\nBody...") split into paragraphs."""
    out = list(paras)
    i = 0
    while i < min(_HEADER_PARAGRAPHS, len(out)):
        head, sep, rest = out[i].strip().partition("\n")
        if sep and rest.strip() and (_TITLE.match(head) or (_looks_like_date_line(head) and _date_in(head))):
            out[i : i + 1] = [head, rest]
        i += 1
    return out


def _looks_like_headline(p: str) -> bool:
    line = p.strip()
    return (
        "\n" not in line
        and 0 < len(line) <= 150
        and not line.endswith((".", ":", ";", ","))
        and any(c.isalpha() for c in line)
    )


def _looks_like_date_line(p: str) -> bool:
    line = unwrap_markdown(p).strip()
    return "\n" not in line and len(line) <= 60 and any(c.isdigit() for c in line)


def _take_date_line(paras: list[str]) -> tuple[str | None, list[str]]:
    """The first short paragraph among the header ones that holds a date, removed from the body. A line
    with more after the date ("Dec 6, 2024 at 2:35 PM", "6 December 2024 | 10:15") gives its day."""
    for i, p in enumerate(paras[:_HEADER_PARAGRAPHS]):
        if not _looks_like_date_line(p):
            continue
        line = _DATE_PREFIX.sub("", unwrap_markdown(p).strip()).strip()
        candidate = _date_in(line)
        if candidate is not None:
            return candidate, paras[:i] + paras[i + 1 :]
    return None, paras


def _date_in(line: str) -> str | None:
    if _parses(line):
        return line
    words = line.replace("|", " ").replace(" - ", " ").replace(" at ", " ").split()
    # Only a day is taken from a prefix: the time after it is often local and unmarked ("2:35 PM").
    for k in range(min(len(words), 8), 1, -1):
        prefix = " ".join(words[:k]).rstrip(",;:-")
        if _parses(prefix, day_only=True):
            return prefix
    return None


def _parses(value: str, *, day_only: bool = False) -> bool:
    when, precision, problems = published(value)
    return when is not None and not problems and (precision == "day" or not day_only)


def _caption_kind(p: str, in_header: bool) -> str | None:
    """ "caption" for an image caption ending in a bold credit; in the body only when the credit looks like
    one (an agency name, a slash), so a paragraph that merely ends in bold emphasis stays news."""
    m = _BOLD_TAIL.match(p.strip())
    if not m or p.strip().startswith("**"):
        return None
    if in_header or _CREDIT_WORDS.search(m["credit"]):
        return "caption"
    return None
