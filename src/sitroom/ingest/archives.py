"""Archives researchers start from: CSV exports of articles and web archives (WARC, as crawlers and the
Wayback Machine write them). Both are streamed - one row, one record at a time - so an archive of any size is read
in flat memory.

CSV: a header row names the columns, as a JSON document's fields are named (`text` is required; `id`, `title`,
`date`, `url`, `outlet` and their usual synonyms are read when present). A row that is no document is rejected
by its line, and the rest goes on.

WARC (`.warc`, `.warc.gz`; `pip install 'sitroom[scale]'` for warcio): each archived response of HTML, a feed or
JSON is read as `ingest URL` would have read it then; a page that gives no publication date of its own is dated
by its capture (WARC-Date), with a warning.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Iterator
from pathlib import Path

from sitroom.errors import Rejected
from sitroom.model import Document, Rejection
from sitroom.time import parse_published

from ._base import Limits, cannot_open

READABLE_TYPES = ("text/html", "application/xhtml+xml", "application/rss+xml", "application/atom+xml",
                  "application/xml", "text/xml", "application/json", "text/plain")  # fmt: skip


def read_csv(path: Path, limits: Limits) -> Iterator[Document | Rejection]:
    from .jsondoc import NotADocument, document_from_object

    try:
        fh = path.open("r", encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise Rejected(cannot_open(path, exc), path=str(path)) from exc
    csv.field_size_limit(max(csv.field_size_limit(), limits.max_document_bytes))
    with fh:
        try:
            sample = fh.read(8192)
        except UnicodeDecodeError as exc:
            raise Rejected(f"not UTF-8 text: {exc.reason} at byte {exc.start}", path=str(path)) from exc
        fh.seek(0)
        try:
            dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel
        rows = csv.DictReader(fh, dialect=dialect)
        fields = [f.strip().lower() for f in rows.fieldnames or []]
        if "text" not in fields and "body" not in fields and "content" not in fields:
            raise Rejected(f"a CSV of documents needs a 'text' column (columns: {', '.join(fields[:8]) or 'none'})")
        try:
            for row in rows:
                line = rows.line_num
                obj = {(k or "").strip().lower(): v for k, v in row.items() if k is not None and v is not None}
                obj = {k: v for k, v in obj.items() if v != "" or k in ("text", "body", "content")}
                try:
                    yield document_from_object(obj, path, "csv", None, limits)
                except (NotADocument, Rejected) as exc:
                    yield Rejection(f"{path}:{line}", str(exc) if isinstance(exc, NotADocument) else exc.reason)
        except (csv.Error, UnicodeDecodeError) as exc:
            yield Rejection(f"{path}:{rows.line_num}", f"not readable as CSV from here on: {exc}")


def read_warc(path: Path, limits: Limits) -> Iterator[Document | Rejection]:
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError as exc:
        raise Rejected("reading WARC archives needs warcio: pip install 'sitroom[scale]'", path=str(path)) from exc
    from .url import from_body

    try:
        fh = path.open("rb")
    except OSError as exc:
        raise Rejected(cannot_open(path, exc), path=str(path)) from exc
    with fh:
        records = 0
        try:
            for record in ArchiveIterator(fh):
                if record.rec_headers.get_header("WARC-Type") is None:
                    continue  # not a WARC record: text the reader tried to parse as one
                records += 1
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                where = f"{path}#{url}"
                status = record.http_headers.get_statuscode()
                ctype = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
                if status != "200" or (ctype and ctype not in READABLE_TYPES):
                    continue  # images, scripts, redirects: no report in them
                body = record.content_stream().read(limits.max_document_bytes + 1)
                if len(body) > limits.max_document_bytes:
                    yield Rejection(where, "archived response above the size limit for one document")
                    continue
                captured = _captured(record.rec_headers.get_header("WARC-Date"))
                for item in from_body(url, ctype, body, where):
                    yield _dated(item, captured) if isinstance(item, Document) else item
        except ArchiveLoadFailed as exc:
            yield Rejection(str(path), f"not a readable WARC archive from here on: {exc}")
            return
        if records == 0:
            yield Rejection(str(path), "no WARC record in it: not a web archive")


def _captured(value: str | None) -> tuple[object, str] | None:
    if not value:
        return None
    try:
        return parse_published(value)
    except ValueError:
        return None


def _dated(doc: Document, captured: tuple[object, str] | None) -> Document:
    """A page with no date of its own is known from its capture: that is when the archive saw it."""
    if doc.published_at is not None or captured is None:
        return doc
    when, precision = captured
    return dataclasses.replace(
        doc,
        published_at=when,  # type: ignore[arg-type]
        published_precision=precision,
        warnings=(
            *(w for w in doc.warnings if not w.startswith("no publication date")),
            "no publication date in the page: dated by its capture (WARC-Date)",
        ),
    )
