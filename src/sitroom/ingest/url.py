"""One URL read once: `sitroom ingest https://...` for a page or a feed someone sent, without a watch.

The fetch is the watch's own (`sitroom.ingest.fetch`): streamed under a size cap and a total time limit, never
to internal addresses unless the host is allowed by name. What comes back is read by the reader its content
type (or, failing that, the URL's ending) names: a feed, an HTML page, JSON documents or plain text. Every
failure is a Rejection naming the URL, so a batch of URLs and files goes on past it.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from sitroom.errors import Rejected
from sitroom.ingest._base import DEFAULT_LIMITS, content_hash
from sitroom.ingest.fetch import FetchError, FetchPolicy, fetch_url
from sitroom.model import Document, Rejection

DEFAULT_TIMEOUT = 60.0

# content type -> the file ending whose reader takes it
_BY_TYPE = (
    (("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml"), ".xml"),
    (("text/html", "application/xhtml+xml"), ".html"),
    (("application/json", "application/x-ndjson", "application/jsonl"), ".json"),
    (("text/plain",), ".txt"),
)
_ENDINGS = (".xml", ".rss", ".atom", ".html", ".htm", ".json", ".jsonl", ".txt")


def is_url(arg: str) -> bool:
    return arg.startswith(("http://", "https://"))


def _suffix(url: str, content_type: str, body: bytes | bytearray) -> str:
    kind = content_type.split(";")[0].strip().lower()
    for types, suffix in _BY_TYPE:
        if kind in types:
            if suffix == ".json" and body.lstrip()[:1] != b"[" and b"\n{" in body:
                return ".jsonl"
            return suffix
    ending = Path(urlsplit(url).path).suffix.lower()
    if ending in _ENDINGS:
        return {".rss": ".xml", ".atom": ".xml", ".htm": ".html"}.get(ending, ending)
    head = bytes(body[:512]).lstrip().lower()
    if head.startswith((b"<?xml", b"<rss", b"<feed")):
        return ".xml"
    return ".html" if head.startswith((b"<!doctype html", b"<html")) else ".txt"


def read_url(
    url: str, *, allow_hosts: Iterable[str] = (), timeout: float = DEFAULT_TIMEOUT
) -> list[Document | Rejection]:
    """The documents at `url`, or a Rejection saying why there are none."""
    policy = FetchPolicy.make(DEFAULT_LIMITS.max_container_bytes, timeout, allow_hosts)
    try:
        got = fetch_url(url, {}, policy)
    except FetchError as exc:
        return [Rejection(url, str(exc))]
    if got.status != 200:
        return [Rejection(url, f"the server answered HTTP {got.status}")]
    if not got.body:
        return [Rejection(url, "the server sent an empty answer")]
    return from_body(url, got.headers.get("content-type", ""), got.body)


def from_body(
    url: str, content_type: str, body: bytes | bytearray, where: str | None = None
) -> list[Document | Rejection]:
    """What a response from `url` holds (a page, a feed, JSON), read as the file its type says; rejections are
    named by `where` (the URL itself by default, "archive.warc#url" for an archived response)."""
    where = where or url
    out: list[Document | Rejection] = []
    for item in read_bytes(body, _suffix(url, content_type, body)):
        if isinstance(item, Rejection):
            out.append(Rejection(where, item.reason))
        elif item.id == FETCHED:
            out.append(as_page(item, url))  # a page (or a plain text) is known by the address it was read from
        else:
            out.append(dataclasses.replace(item, url=item.url or url, path=where))  # a feed's items keep their ids
    return out


# the name bytes read from the network are read under: a single page's document id is this name
FETCHED = "fetched"


def read_file_items(path: Path) -> list[Document | Rejection]:
    """The documents of one file, with the rejections of its entries (or of the whole file) inline."""
    from sitroom.ingest import read_file

    out: list[Document | Rejection] = []
    try:
        out.extend(read_file(path, on_rejection=out.append))
    except Rejected as exc:
        out.append(Rejection(str(path), exc.reason))
    return out


def read_bytes(data: bytes | bytearray, suffix: str) -> list[Document | Rejection]:
    """Bytes fetched from somewhere, read as a file of that suffix would be (rejections inline)."""
    with tempfile.TemporaryDirectory(prefix="sitroom-fetched-") as tmp:
        path = Path(tmp) / f"{FETCHED}{suffix}"
        path.write_bytes(data)
        return read_file_items(path)


def as_page(doc: Document, url: str) -> Document:
    """A page read from `url`: known by that address (its id and path), linked to its own URL if it names one."""
    link = doc.url or url
    return dataclasses.replace(doc, id=url, url=link, path=url, content_hash=content_hash(doc.text, link))
