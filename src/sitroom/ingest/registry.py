"""The readers, in one place: adding a format is one line in READERS.

A reader is ``read(path, limits) -> Iterator[Document | Rejection]``: it yields documents (and a Rejection
for each entry it cannot read) and raises `Rejected` when the whole file cannot be read. Files are
dispatched by extension; a file whose extension no reader claims is offered to the readers' ``sniff``
functions (its first 4 KiB), so a feed saved as ``.php`` or an HTML page with no extension is still read.
Telegram Desktop exports are `.json` files recognised by content inside the JSON reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sitroom.model import Document, Rejection

from . import archives, article, feed, html, jsondoc
from ._base import Limits

ReadFn = Callable[[Path, Limits], Iterator[Document | Rejection]]

_HTML_HEAD = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class Reader:
    name: str
    suffixes: tuple[str, ...]
    read: ReadFn
    sniff: Callable[[bytes], bool] | None = None


READERS: tuple[Reader, ...] = (
    Reader("article", (".txt", ".md", ".markdown", ".text"), article.read),
    Reader("json", (".json",), jsondoc.read),  # also Telegram Desktop exports (result.json), by content
    Reader("jsonl", (".jsonl", ".ndjson"), jsondoc.read_lines),
    Reader("html", (".html", ".htm", ".xhtml"), html.read, lambda head: bool(_HTML_HEAD.match(head))),
    Reader("feed", (".xml", ".rss", ".atom"), feed.read, feed.sniff),
    Reader("csv", (".csv", ".tsv"), archives.read_csv),  # an export of articles, one row each
    Reader("warc", (".warc", ".warc.gz"), archives.read_warc),  # web archives (sitroom[scale] for warcio)
)

_BY_SUFFIX: dict[str, Reader] = {s: r for r in READERS for s in r.suffixes}


def reader_for_suffix(path: Path) -> Reader | None:
    name = path.name.lower()
    if name.endswith(".warc.gz"):
        return _BY_SUFFIX[".warc.gz"]
    return _BY_SUFFIX.get(path.suffix.lower())


def reader_by_content(head: bytes) -> Reader | None:
    for reader in READERS:
        if reader.sniff is not None and reader.sniff(head):
            return reader
    return None


def supported_suffixes() -> tuple[str, ...]:
    return tuple(_BY_SUFFIX)
