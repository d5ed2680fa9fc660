"""RSS and Atom feeds (`.xml`, `.rss`, `.atom`, or any file that opens with <rss>/<feed>/<rdf:RDF>), read
with feedparser from the file's bytes (never from the network). Each entry is a Document:

- id: the entry's guid/id, else its link, else a hash of its text;
- title, url (link), date (published, else updated), outlet = the feed's title (else its host),
  language = the feed's declared language;
- text: the longest content block, else the summary, with HTML turned into paragraphs of plain text;
  an entry with neither is stored with its title as text and a warning.

Encoding: the XML prolog's declaration (and a BOM) is honoured by feedparser; undeclared bytes that are
not UTF-8 are rejected. An XML file that is not a feed is rejected. A feed that breaks off (truncated,
malformed) yields the entries read before the break and one Rejection saying so, so the loss is on record.
"""

from __future__ import annotations

import re
import time
import xml.sax
from calendar import timegm
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from sitroom.errors import Rejected
from sitroom.model import Document, Rejection

from ._base import (
    Limits,
    bom_encoding,
    check_not_binary,
    content_hash,
    entry_failure,
    finish,
    language_code,
    load_bytes,
    published,
    text_encoding,
    too_large,
    unreadable,
    utf8_error_reason,
)
from ._text import host_of, html_to_text

NAME = "feed"

_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""", re.IGNORECASE)
_XML_DECLARED = re.compile(rb"^\s*<\?xml[^>]*\?>")
_ROOT = re.compile(rb"<([A-Za-z_][\w:.-]*)")
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF|RDF)\b")


def sniff(head: bytes) -> bool:
    """Whether a file of unknown extension looks like a feed (for the registry)."""
    return _FEED_ROOT.search(_strip_prolog(head)) is not None


def read(path: Path, limits: Limits) -> Iterator[Document | Rejection]:
    import feedparser  # imported on use: only feeds need it

    data = load_bytes(path, limits.max_container_bytes, what="feed")
    check_not_binary(data, path)
    enc = text_encoding(data)
    if enc is not None and enc.startswith(("utf-16", "utf-32")):
        # UTF-16/32 (with a BOM, or without one, which feedparser cannot tell from the prolog alone) is handed
        # over as UTF-8, without the XML declaration that would name the encoding it no longer has.
        data = _XML_DECLARED.sub(b"", data.decode(enc, errors="replace").encode("utf-8"), count=1)
    elif not bom_encoding(data) and not _XML_ENCODING.match(data):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Rejected(
                utf8_error_reason(data, exc).replace("re-save", "declare its encoding in the XML prolog or re-save"),
                path=str(path),
            ) from exc

    parsed = feedparser.parse(_CHAR_REF.sub(_valid_char_ref, data))
    entries = parsed.get("entries") or []
    broken = parsed.get("bozo_exception") if isinstance(parsed.get("bozo_exception"), xml.sax.SAXException) else None
    if not parsed.get("version") and not entries:
        root = _ROOT.search(_strip_prolog(data[:4096]))
        what = f"root element <{root.group(1).decode('ascii', 'replace')}>" if root else "no XML root element"
        if broken is not None:
            raise Rejected(f"not an RSS/Atom feed (not well-formed XML: {broken})", path=str(path))
        raise Rejected(f"not an RSS/Atom feed ({what})", path=str(path))
    if not entries:
        if broken is not None:
            raise Rejected(f"feed is not well-formed XML ({broken}) and no entry could be read", path=str(path))
        raise Rejected("feed has no entries", path=str(path))

    info = parsed.get("feed", {})
    outlet = _clean(info.get("title")) or host_of(info.get("link"))
    language = language_code(info.get("language"))
    n_read = 0
    for n, entry in enumerate(entries, start=1):
        try:
            item = _entry(entry, n, path, outlet, language, limits)
        except Exception as exc:  # a bug on one entry must not cost the feed's other entries
            item = entry_failure(f"{path}#{n}", NAME, exc)
        last = n == len(entries)
        if broken is not None and last:
            # The entry the feed breaks off in: keep what it has, flagged; if it has nothing, the file's
            # rejection below covers it.
            if isinstance(item, Rejection):
                break
            item = replace(
                item, warnings=(*item.warnings, "the feed breaks off in or after this entry; its text may be cut short")
            )
        if isinstance(item, Document):
            n_read += 1
        yield item
    if broken is not None:
        yield Rejection(
            str(path),
            f"feed is truncated or not well-formed XML ({broken}); the {n_read} entries before the break were read",
        )


def _entry(
    entry: Any, n: int, path: Path, outlet: str | None, language: str | None, limits: Limits
) -> Document | Rejection:
    title = _clean(entry.get("title")) or ""
    link = _clean(entry.get("link"))
    if link and not link.lower().startswith(("http://", "https://")):
        link = None  # an RSS guid feedparser took for a permalink ("a1b2"), not a URL
    body = _longest_content(entry) or entry.get("summary") or ""
    text, spans = html_to_text(body)
    warnings: list[str] = []
    if not text:
        if not title:
            return Rejection(f"{path}#{n}", "feed entry has no title, content or summary")
        text, spans = title, ()
        warnings.append("feed entry has no content or summary; its title is its text")
    if reason := too_large(text, limits) or unreadable(text):
        return Rejection(f"{path}#{n}", reason)
    ident = _clean(entry.get("id")) or link or content_hash(text, link)[:16]

    raw_date = entry.get("published") or entry.get("updated") or entry.get("created")
    published_at, precision, date_warnings = published(raw_date)
    if published_at is None and raw_date:
        # feedparser reads more date formats than sitroom.time; use its UTC reading when ours fails.
        # As a Unix time, so the same range check applies (feedparser reads a year 1 or 3000 too).
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        if isinstance(parsed, time.struct_time):
            try:
                unix: int | None = timegm(parsed)
            except (ValueError, OverflowError):  # "0001-01-01T00:00:00+14:00" is year 0 to feedparser
                unix = None
            if unix is not None and (feed_reading := published(unix))[0] is not None:
                published_at, precision, date_warnings = feed_reading
    return finish(
        id=ident,
        text=text,
        path=path,
        fmt=NAME,
        title=title,
        url=link,
        outlet=outlet,
        published_at=published_at,
        precision=precision,
        language=language,
        non_news=spans,
        warnings=(*warnings, *date_warnings),
    )


# A numeric character reference. feedparser's fallback parser (for feeds that are not well-formed) turns each
# into chr(N) and fails the whole feed on one that names no character: a surrogate, past U+10FFFF, thousands of
# digits long. Those are replaced by U+FFFD before parsing, so one bad reference costs one character, not the feed.
_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9A-Fa-f]+)|([0-9]+));")


def _valid_char_ref(m: re.Match[bytes]) -> bytes:
    digits = m.group(1) or m.group(2)
    if len(digits) <= 8:
        code = int(digits, 16 if m.group(1) else 10)
        if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
            return m.group(0)
    return b"&#xFFFD;"


def _longest_content(entry: Any) -> str | None:
    blocks = [c.get("value") for c in entry.get("content") or [] if isinstance(c.get("value"), str)]
    return max(blocks, key=len) if blocks else None


def _clean(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def _strip_prolog(data: bytes) -> bytes:
    """Skip a BOM, the XML declaration, comments and processing instructions before the root element."""
    data = data.lstrip(b"\xef\xbb\xbf").lstrip()
    while data.startswith((b"<?", b"<!--", b"<!")):
        end = data.find(b"-->") + 3 if data.startswith(b"<!--") else data.find(b">") + 1
        if end <= 0:
            break
        data = data[end:].lstrip()
    return data
