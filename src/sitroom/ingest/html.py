"""HTML pages (`.html`, `.htm`, `.xhtml`): the main text through trafilatura, one document per page.

Encoding: a BOM wins, then the page's own declaration (``<meta charset>``, ``http-equiv`` content type, XML
prolog) — so a cp1256 Arabic page that says so is read correctly — else UTF-8; undeclared bytes that are not
UTF-8 are rejected rather than guessed. Metadata: title, canonical url, site name (outlet) and date from
trafilatura; a precise timestamp (``article:published_time`` and the like) is preferred when the page has
one, since trafilatura keeps only the day. Figure captions found in the page are marked as non-news spans.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sitroom.errors import Rejected
from sitroom.model import Document, Rejection

from ._base import (
    Limits,
    check_not_binary,
    finish,
    language_code,
    load_bytes,
    published,
    text_encoding,
    unreadable,
)
from ._text import classify_paragraph, join_paragraphs

NAME = "html"

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""", re.IGNORECASE)
_XML_PROLOG = re.compile(r"^\s*<\?xml[^>]*\?>")
# Where pages put a publication timestamp with its time of day, most specific first.
_TIME_XPATHS = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@property='og:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//meta[@name='pubdate']/@content",
    "//meta[@name='publish-date']/@content",
    "//meta[@name='date']/@content",
    "//time[@itemprop='datePublished']/@datetime",
    "//article//time/@datetime",
)


def read(path: Path, limits: Limits) -> Iterator[Document | Rejection]:
    data = load_bytes(path, limits.max_document_bytes)
    check_not_binary(data, path)
    html, warnings = decode_html(data, path)
    yield parse_html(html, path, warnings)


def decode_html(data: bytes, path: Path) -> tuple[str, tuple[str, ...]]:
    """Decode by BOM, then declared charset, then UTF-8; reject undeclared non-UTF-8 bytes."""
    enc = text_encoding(data)
    if enc:
        return data.decode(enc, errors="replace"), ()
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    declared = m.group(1).decode("ascii", "replace").lower() if m else None
    if declared:
        # WHATWG: a page labelled latin-1 / ascii is decoded as windows-1252.
        if declared in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
            declared = "cp1252"
        try:
            # WHATWG again: a page that says UTF-16 but has no BOM and no UTF-16 bytes is read as UTF-8.
            if codecs.lookup(declared).name.startswith(("utf-16", "utf-32")):
                declared = "utf-8"
        except LookupError:
            declared = None
    if not declared:
        return _as_utf8(data, path, "no charset declared")
    try:
        return data.decode(declared), ()
    except LookupError:
        # A codec Python has that is no text encoding ("base64", "rot13", "zlib"): no page is written in it.
        return _as_utf8(data, path, f"the page declares {declared}, which is not a text encoding")
    except UnicodeError:  # UnicodeDecodeError, or a codec such as idna failing in its own way
        pass
    try:
        return data.decode("utf-8"), (f"page declares {declared} but is UTF-8; read as UTF-8",)
    except UnicodeDecodeError:
        pass
    try:
        return data.decode(declared, errors="replace"), (f"bytes invalid in the declared {declared} were replaced",)
    except UnicodeError:
        return _as_utf8(data, path, f"the page's declared {declared} cannot decode it")


def _as_utf8(data: bytes, path: Path, problem: str) -> tuple[str, tuple[str, ...]]:
    """The page read as UTF-8 (with a warning saying why, unless it simply declares nothing), or rejected."""
    try:
        return data.decode("utf-8"), () if problem == "no charset declared" else (f"{problem}; read as UTF-8",)
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex().upper()
        raise Rejected(
            f"not UTF-8 text and {problem} (invalid byte 0x{bad} at offset {exc.start}); "
            "add <meta charset=...> or re-save the file as UTF-8",
            path=str(path),
        ) from exc


def parse_html(html: str, path: Path, warnings: tuple[str, ...] = ()) -> Document:
    # trafilatura is imported here: it is slow to import and only HTML needs it.
    import trafilatura
    from lxml import html as lxml_html

    # lxml refuses a str that still carries an XML encoding declaration; the bytes are decoded already.
    html = _XML_PROLOG.sub("", html, count=1)
    try:
        tree = lxml_html.document_fromstring(html)
    except (ValueError, lxml_html.etree.ParserError) as exc:
        raise Rejected(f"not a readable HTML page ({exc})", path=str(path)) from exc
    # The tree is handed over as is: trafilatura cleans (mutates) it, so look at it first.
    lang = language_code(tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang"))
    stamp = _timestamp(tree)
    captions = {_norm(c.text_content()) for c in tree.iter("figcaption")} - {""}

    result = trafilatura.bare_extraction(
        tree, with_metadata=True, include_comments=False, include_tables=True, favor_recall=True
    )
    meta: dict[str, Any] = {}
    if result is not None:
        meta = result if isinstance(result, dict) else result.as_dict()
    body = meta.get("text") or ""
    if not body.strip():
        raise Rejected("no readable text found in the HTML page", path=str(path))

    title = (meta.get("title") or "").strip()
    lines = [line.strip() for line in body.split("\n")]
    if lines and title and _norm(lines[0]) == _norm(title):
        lines = lines[1:]  # the headline repeated as the first line of the body
    parts: list[tuple[str, str | None]] = []
    for line in lines:
        if not line:
            continue
        kind = "caption" if _norm(line) in captions else classify_paragraph(line)
        parts.append((line, kind))
    text, spans = join_paragraphs(parts)
    if not text:
        raise Rejected("no readable text found in the HTML page (only its headline)", path=str(path))
    if reason := unreadable(text):
        raise Rejected(f"{reason} (the HTML page's main text)", path=str(path))

    day = meta.get("date")
    published_at, precision, date_warnings = published(stamp or day)
    if stamp and published_at is None and day:
        published_at, precision, date_warnings = published(day)
    return finish(
        id=path.stem,
        text=text,
        path=path,
        fmt=NAME,
        title=title,
        url=(meta.get("url") or "").strip() or None,
        outlet=(meta.get("sitename") or "").strip() or None,
        published_at=published_at,
        precision=precision,
        language=lang,
        non_news=spans,
        warnings=(*warnings, *date_warnings),
    )


def _timestamp(tree: object) -> str | None:
    for xp in _TIME_XPATHS:
        for value in tree.xpath(xp):  # type: ignore[attr-defined]
            value = str(value).strip()
            if value and ("T" in value or ":" in value):
                return value
    return None


def _norm(s: str) -> str:
    return " ".join(s.split()).casefold()
