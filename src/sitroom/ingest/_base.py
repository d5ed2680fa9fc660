"""What every reader shares: size limits, loading and decoding bytes, the content hash, dates, and the
finishing touches that make a Document (hash, outlet, source kind, language, non-news spans).

Readers raise `Rejected(reason, path=...)` when a whole file cannot be read, and yield `Rejection`s for
single entries (a JSONL line, a feed item, a Telegram message) so the rest of the file is still read.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import logging
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sitroom.errors import Rejected
from sitroom.model import Document, Rejection, Span
from sitroom.time import PUBLISHED_YEARS, parse_published

from ._text import guess_language, host_of, infer_source_kind, non_news_spans

log = logging.getLogger("sitroom.ingest")

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
    # surrogatepass: a url or text still holding half of a UTF-16 pair (read from JSON, not yet cleaned) is
    # hashed rather than failing the file; for every other string the bytes, and so the hash, are unchanged.
    return hashlib.sha256(f"{norm}\n{url or ''}".encode("utf-8", "surrogatepass")).hexdigest()


def entry_failure(where: str, reader: str, exc: Exception) -> Rejection:
    """The rejection of one entry of a multi-document file (a JSON list item, a JSONL line, a feed entry, a
    Telegram message) that its reader failed on with an unexpected error: the entry is on record with the error
    and the file's other entries are still read. The fuzz suite (tests/ingest/test_fuzz.py) treats any such
    rejection as a bug to fix in the reader."""
    log.warning("%s: the %s reader failed on this entry", where, reader, exc_info=exc)
    return Rejection(where, f"the {reader} reader failed on this entry ({type(exc).__name__}: {exc})")


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
    """The encoding the file's byte-order mark names, unless the bytes after it say otherwise."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            if bom == codecs.BOM_UTF32_LE and not _is_utf32(data):
                return "utf-16"  # FF FE 00 00 is also UTF-16's BOM before a NUL character
            if name == "utf-16" and _is_utf8_without_nul(data[2:_SNIFF_BYTES]):
                # Two stray bytes before UTF-8 text: UTF-16 of any real text has NUL bytes (every space,
                # digit, newline and Latin letter has one), and is almost never valid UTF-8 as well.
                return None
            return name
    return None


def _is_utf8_without_nul(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _is_utf32(data: bytes) -> bool:
    if len(data) % 4:
        return False
    try:
        data[:4096].decode("utf-32")
    except UnicodeDecodeError:
        return False
    return True


_SNIFF_BYTES = 4096
# Control characters that no text file holds (tab, newlines, vertical tab and form feed are whitespace):
# C0 and DEL, and the C1 range that random bytes decode to.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def utf16_without_bom(data: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when `data` looks like UTF-16 text saved without a byte-order mark, else None.

    UTF-16 text has its NUL bytes on one side of each 2-byte unit: every character below U+0100 (Latin
    letters, and the spaces, digits and punctuation of Arabic or Cyrillic text) has a zero high byte, which is
    the odd byte in little-endian, the even byte in big-endian. Random binary data has NULs on both sides
    or none. A candidate must also decode without error to text with few control characters, so a binary
    format that happens to hold many zero high bytes is still called binary.
    """
    sample = data[:_SNIFF_BYTES]
    sample = sample[: len(sample) // 2 * 2]
    units = len(sample) // 2
    if not units:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for enc, major, minor in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if major >= max(1, units // 20) and minor * 10 <= major:
            try:
                text = codecs.getincrementaldecoder(enc)("strict").decode(sample, final=False)
            except UnicodeDecodeError:
                return None
            # Up to one character in ten may be a control (a damaged line of NULs); binary data read as UTF-16
            # is mostly controls (small integers) or fails to decode.
            if len(_CONTROLS.findall(text)) * 10 <= len(text):
                return enc
            return None
    return None


def text_encoding(data: bytes) -> str | None:
    """The encoding a BOM declares, or that BOM-less UTF-16 shows by its NUL bytes; None for "assume UTF-8"."""
    return bom_encoding(data) or (utf16_without_bom(data) if b"\x00" in data[:_SNIFF_BYTES] else None)


def binary_format(data: bytes) -> str | None:
    """What binary format `data` opens with ("a PDF file"), or None."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    return None


def check_not_binary(data: bytes, path: Path) -> None:
    """Reject bytes that are not text at all (NUL bytes outside UTF-16/32 text)."""
    enc = text_encoding(data)
    if enc is not None and enc.startswith(("utf-16", "utf-32")):
        return
    if what := binary_format(data):
        raise Rejected(f"binary file ({what}), not a text document", path=str(path))
    nul = data.find(b"\x00")
    if nul >= 0:
        raise Rejected(f"binary file (NUL byte at offset {nul}), not a text document", path=str(path))


def cannot_open(path: Path, exc: OSError) -> str:
    """Why `path` cannot be opened, from the system's own answer: a symbolic link loop or a broken link is
    said to be one, not "no such file"."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loop (too many levels of symbolic links); fix or remove the link"
    if exc.errno == errno.ENOENT:
        try:
            target = os.readlink(path)
        except OSError:
            return "no such file or directory"
        return f"broken symbolic link (its target {target} does not exist)"
    if exc.errno == errno.ENOTDIR:
        return "no such file or directory (a part of the path is a file, not a folder)"
    return f"cannot read file ({exc.strerror or exc})"


def load_bytes(path: Path, max_bytes: int, *, what: str = "one-document file") -> bytes:
    """The file's bytes, after checking it exists, is not empty and is not above `max_bytes`."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise Rejected(cannot_open(path, exc), path=str(path)) from exc
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
    """Decode a text file that does not declare its encoding: UTF-8, UTF-16/32 with a BOM, or UTF-16 without one
    (`utf16_without_bom`), else reject.

    Guessing a legacy code page (cp1256 Arabic, latin-1) silently turns a report into mojibake that the
    extractor would then read as text; a clear rejection that says how to fix the file is better.
    """
    check_not_binary(data, path)
    enc = text_encoding(data) or "utf-8"
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as exc:
        if enc.startswith("utf-8"):
            raise Rejected(utf8_error_reason(data, exc), path=str(path)) from exc
        what = enc.upper().replace("-LE", " (little-endian, no BOM)").replace("-BE", " (big-endian, no BOM)")
        raise Rejected(
            f"not valid {what} text ({exc.reason} at offset {exc.start}); re-save the file as UTF-8", path=str(path)
        ) from exc
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


def unreadable(text: str) -> str | None:
    """The reason `text` is no report at all, or None: fewer than two letters in it (a stray byte, a lone
    digit or emoji), or so many control characters that it is binary data which happened to decode.

    Runs over up to 10 MiB per document, so it is regular expressions (C speed), not a loop over characters."""
    letters = 0
    for _ in _LETTER.finditer(text):
        letters += 1
        if letters == 2:
            break
    if letters < 2:
        what = "no letter" if letters == 0 else "a single letter"
        return f"no readable text ({what} in {_count(len(text), 'character')}); not a report"
    controls = len(_CONTROLS.findall(text))
    if controls * 20 > len(text):
        return f"binary data, not text ({_count(controls, 'control character')} in {_count(len(text), 'character')})"
    return None


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


_LETTER = re.compile(r"[^\W\d_]")


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
