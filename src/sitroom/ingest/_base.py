"""What every reader shares: size limits, loading and decoding bytes, the content hash, dates, and the
finishing touches that make a Document (hash, outlet, source kind, language, non-news spans).

Readers raise `Rejected(reason, path=...)` when a whole file cannot be read, and yield `Rejection`s for
single entries (a JSONL line, a feed item, a Telegram message) so the rest of the file is still read.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sitroom.errors import Rejected
from sitroom.model import Document, Span
from sitroom.time import PUBLISHED_YEARS, parse_published

from ._text import guess_language, host_of, infer_source_kind, non_news_spans

MiB = 2**20


@dataclass(frozen=True, slots=True)
class Limits:
    """Size limits. A news report is tens of kilobytes; these leave room for bloated HTML while stopping a
    stray database dump or video from being read into memory as one "article".

    max_document_bytes: a one-document file (article, HTML page, single JSON document), and each entry of a
        multi-document file (a JSONL line, a JSON list item, a feed item's text, a Telegram message's text).
    max_container_bytes: a multi-document file that has to be parsed whole (a JSON list, a Telegram export,
        an RSS/Atom feed). JSON Lines files are streamed line by line and have no file-size limit.
    """

    max_document_bytes: int = 10 * MiB
    max_container_bytes: int = 128 * MiB


DEFAULT_LIMITS = Limits()


def content_hash(text: str, url: str | None) -> str:
    """sha256 hex of the normalised text (NFC, whitespace runs collapsed to one space, stripped), a newline,
    and the url (empty when there is none). Re-ingesting the same report, re-wrapped or re-saved, is a no-op."""
    norm = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(f"{norm}\n{url or ''}".encode()).hexdigest()


def size_text(n: int) -> str:
    if n >= MiB:
        return f"{n / MiB:.1f} MiB"
    if n >= 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n} bytes"


# Magic numbers of binary formats people drop into an input folder by mistake, so the message can say
# what the file is rather than only that it is not text.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.odt document)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def check_not_binary(data: bytes, path: Path) -> None:
    """Reject bytes that are not text at all (NUL bytes outside UTF-16/32 with a BOM)."""
    enc = bom_encoding(data)
    if enc in ("utf-16", "utf-32"):
        return
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise Rejected(f"binary file ({what}), not a text document", path=str(path))
    nul = data.find(b"\x00")
    if nul >= 0:
        raise Rejected(f"binary file (NUL byte at offset {nul}), not a text document", path=str(path))


def load_bytes(path: Path, max_bytes: int, *, what: str = "one-document file") -> bytes:
    """The file's bytes, after checking it exists, is not empty and is not above `max_bytes`."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise Rejected(f"cannot read file ({exc.strerror or exc})", path=str(path)) from exc
    if size == 0:
        raise Rejected("empty file", path=str(path))
    if size > max_bytes:
        raise Rejected(
            f"file is {size_text(size)}, above the {size_text(max_bytes)} limit for a {what}; "
            "split it or check that it is really a report",
            path=str(path),
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Rejected(f"cannot read file ({exc.strerror or exc})", path=str(path)) from exc
    if not data.strip():
        raise Rejected("empty file (only whitespace)", path=str(path))
    return data


def utf8_error_reason(data: bytes, exc: UnicodeDecodeError, *, base_offset: int = 0) -> str:
    bad = data[exc.start : exc.start + 1]
    return (
        f"not UTF-8 text (invalid byte 0x{bad.hex().upper()} at offset {base_offset + exc.start}); "
        "re-save the file as UTF-8"
    )


def decode_text(data: bytes, path: Path) -> str:
    """Decode a text file that does not declare its encoding: UTF-8 (or UTF-16/32 with a BOM), else reject.

    Guessing a legacy code page (cp1256 Arabic, latin-1) silently turns a report into mojibake that the
    extractor would then read as text; a clear rejection that says how to fix the file is better.
    """
    check_not_binary(data, path)
    enc = bom_encoding(data) or "utf-8"
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as exc:
        raise Rejected(utf8_error_reason(data, exc), path=str(path)) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- dates ------------------------------------------------------------------------------------------

NO_DATE = "no publication date found; its knowledge time falls back to the ingestion time"


def published(value: object) -> tuple[datetime | None, str, tuple[str, ...]]:
    """(published_at, precision, warnings) from a raw date value; never raises."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "day", (NO_DATE,)
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A number is a Unix timestamp (seconds), as some exporters write it.
        try:
            when = datetime.fromtimestamp(float(value), tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None, "day", (f"publication date {value!r} is not a valid Unix timestamp; {_FALLBACK}",)
        low, high = PUBLISHED_YEARS
        if not low <= when.year < high:
            return None, "day", (f"publication timestamp {value!r} is in year {when.year}; {_FALLBACK}",)
        return when, "time", ()
    if not isinstance(value, str):
        return None, "day", (f"publication date is a {type(value).__name__}, not a string; {_FALLBACK}",)
    try:
        when, precision = parse_published(value.strip())
    except ValueError as exc:
        return None, "day", (f"publication date not understood ({exc}); {_FALLBACK}",)
    return when, precision, ()


_FALLBACK = "its knowledge time falls back to the ingestion time"


# --- finishing a document ---------------------------------------------------------------------------


_LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*$")


def language_code(tag: object) -> str | None:
    """ "en-GB" -> "en"; None for anything that is not a language tag."""
    if not isinstance(tag, str) or not _LANG_TAG.match(tag.strip()):
        return None
    return tag.strip().split("-")[0].split("_")[0].lower()


def finish(
    *,
    id: str,
    text: str,
    path: Path,
    fmt: str,
    title: str = "",
    url: str | None = None,
    outlet: str | None = None,
    published_at: datetime | None = None,
    precision: str = "day",
    language: str | None = None,
    source_kind: str | None = None,
    default_kind: str = "news",
    non_news: tuple[Span, ...] | None = None,
    warnings: tuple[str, ...] = (),
) -> Document:
    """Build the Document, filling what can be inferred: outlet from the URL host, source kind from the
    outlet/host, language from the script, non-news spans from the paragraphs (unless the reader found
    them itself), and the content hash.

    Characters no database can store are cleaned where that loses nothing a reader meant: NUL characters
    are dropped and lone surrogates (half of a broken UTF-16 pair) become U+FFFD, each with a warning.
    A document's *id* is never rewritten (it must stay the input's own); `document_problem` rejects a bad one.
    """
    text, cleaned = clean_text(text)
    title, cleaned_title = clean_text(title)
    if cleaned or cleaned_title:
        warnings = (*warnings, "text held NUL characters or broken UTF-16 halves; they were removed")
    outlet = clean_text(outlet)[0] if outlet else outlet
    url = clean_text(url)[0] if url else url
    outlet = outlet or host_of(url)
    kind = source_kind or infer_source_kind(outlet, url) or default_kind
    # A reader's own spans index the text as read; after cleaning they are found again.
    spans = non_news if non_news is not None and not cleaned else non_news_spans(text)
    return Document(
        id=id,
        text=text,
        title=title,
        url=url,
        outlet=outlet,
        published_at=published_at,
        published_precision=precision,
        language=language or guess_language(text),
        source_kind=kind,
        non_news=spans,
        path=str(path),
        format=fmt,
        content_hash=content_hash(text, url),
        warnings=warnings,
    )


def too_large(text: str, limits: Limits) -> str | None:
    """The reason an entry's text is over the per-document limit, or None."""
    n = len(text.encode("utf-8", errors="surrogatepass"))
    if n > limits.max_document_bytes:
        return f"text is {size_text(n)}, above the {size_text(limits.max_document_bytes)} limit for one document"
    return None


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
MAX_ID_CHARS = 512  # the store's column; an id is the input's own and is never cut


def clean_text(value: str) -> tuple[str, bool]:
    """(value without NULs and with lone surrogates replaced by U+FFFD, whether anything changed)."""
    if not _UNSTORABLE.search(value):
        return value, False
    return _UNSTORABLE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", value), True


def document_problem(doc: Document) -> str | None:
    """Why a document cannot be stored as it is, or None. Checked before extraction, so the reason is
    specific (not a database error) and nothing is half-written."""
    if not doc.id or not doc.id.strip():
        return "the document has an empty id"
    if len(doc.id) > MAX_ID_CHARS:
        return f"the document id is {len(doc.id)} characters long, above the limit of {MAX_ID_CHARS}"
    if _UNSTORABLE.search(doc.id) or any(unicodedata.category(ch) == "Cc" for ch in doc.id):
        return "the document id holds control characters or broken UTF-16 halves"
    return None
