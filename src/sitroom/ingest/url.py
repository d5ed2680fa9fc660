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
    suffix = _suffix(url, got.headers.get("content-type", ""), got.body)
    from sitroom.ingest import read_file

    out: list[Document | Rejection] = []
    with tempfile.TemporaryDirectory(prefix="sitroom-url-") as tmp:
        path = Path(tmp) / f"fetched{suffix}"
        path.write_bytes(got.body)
        try:
            docs = list(read_file(path, on_rejection=lambda r: out.append(Rejection(url, r.reason))))
        except Rejected as exc:
            return [Rejection(url, exc.reason)]
    for doc in docs:
        link = doc.url or url
        if doc.id == path.stem:
            # a page (or a plain text) is known by the address it was read from, as the watch knows it
            out.append(dataclasses.replace(doc, id=url, url=link, path=url, content_hash=content_hash(doc.text, link)))
        else:
            out.append(dataclasses.replace(doc, url=link, path=url))  # a feed's items keep their own ids and links
    return out
