"""Ingest: read input files into Documents, or say clearly why a file (or an entry in it) cannot be read.

    read_path(paths)   files and folders -> Documents and Rejections, for a batch (never raises for bad input)
    read_file(path)    one file -> its Documents; raises Rejected when the file cannot be read
    content_hash(text, url)

Formats (one reader module each, registered in `registry.READERS`): plain-text/markdown articles (`article`),
JSON and JSON Lines documents (`jsondoc`), Telegram Desktop exports (`telegram`, by content), HTML pages
(`html`, via trafilatura), RSS/Atom feeds (`feed`, via feedparser).

Walking folders: entries are visited in sorted order; hidden files and folders (".name") are skipped; a file
whose type no reader handles, and a README/LICENSE/CHANGELOG, is skipped and counted in
`IngestStats.skipped` — a folder of reports often holds images, PDFs and notes nobody meant as input. A file
*named* on the command line is different: if it cannot be read, or its type is not supported, that is one
Rejection naming it. A file of unknown extension that looks like a feed or an HTML page is read as one.

Size limits (`Limits`): 10 MiB for a one-document file and for each entry of a multi-document file;
128 MiB for a JSON list, Telegram export or feed, which are parsed whole; JSON Lines is streamed, no limit.

Encodings: UTF-8; UTF-16 or UTF-32 with a byte-order mark; UTF-16 without one, told by where its NUL bytes
fall (`_base.utf16_without_bom`); an HTML page or feed may declare its own. Anything else is rejected with the
offending byte, not guessed.

Bad input never stops a batch: each unreadable file gives exactly one Rejection (path, reason), each
unreadable entry of a multi-document file gives one Rejection naming ``file:LINE`` (JSONL) or ``file#N``
(JSON list, feed) or ``file#message-ID`` / ``file#messages[N]`` (Telegram), and the rest is read. A file or
entry with no readable text (fewer than two letters, or mostly control characters) is rejected, not stored;
a path that cannot be opened says why (missing, a symbolic link loop, a broken link). Property-based fuzzing
(tests/ingest/test_fuzz.py) holds the readers to this.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sitroom.errors import Rejected
from sitroom.model import Document, Rejection

from ._base import DEFAULT_LIMITS, Limits, cannot_open, content_hash
from .registry import READERS, Reader, reader_by_content, reader_for_suffix, supported_suffixes

__all__ = [
    "DEFAULT_LIMITS",
    "READERS",
    "IngestStats",
    "Limits",
    "content_hash",
    "read_file",
    "read_path",
]

log = logging.getLogger(__name__)

_SNIFF_BYTES = 4096
# A folder of reports often carries a README or LICENSE describing it; walking the folder skips those (a file
# named explicitly is still read).
_NOT_REPORTS = re.compile(r"^(?:readme|license|licence|changelog|contributing|notice|copying|authors)(?:\.|$)", re.I)


@dataclass
class IngestStats:
    """What a read_path run saw, for a summary line. Filled in as the iterator is consumed."""

    files: int = 0
    documents: int = 0
    rejections: int = 0
    skipped: list[str] = field(default_factory=list)  # files in walked folders that no reader handles


def read_path(
    paths: Iterable[str | Path] | str | Path,
    *,
    limits: Limits = DEFAULT_LIMITS,
    stats: IngestStats | None = None,
) -> Iterator[Document | Rejection]:
    """Documents and Rejections from files and folders (folders walked in sorted order, hidden entries
    skipped). Never raises for bad input: every problem is a Rejection naming the file."""
    if isinstance(paths, str | Path):
        paths = [paths]
    stats = stats if stats is not None else IngestStats()
    for given in paths:
        path = Path(given)
        problem = _cannot_stat(path)
        if problem is not None:
            stats.files += 1
            stats.rejections += 1
            yield Rejection(str(path), problem)
        elif path.is_dir():
            for file in _walk(path):
                reader = None if _NOT_REPORTS.match(file.name) else _reader_for(file, explicit=False)
                if reader is None:
                    stats.skipped.append(str(file))
                    log.debug("%s: skipped, no reader for this file type", file)
                    continue
                yield from _counted(_read(reader, file, limits), stats)
        else:
            yield from _counted(_read_named(path, limits), stats)


def count_inputs(paths: Iterable[str | Path]) -> int:
    """How many files read_path will open for `paths` (a progress bar's total): walked folders count the
    files a reader takes, a named path counts one."""
    n = 0
    for given in paths:
        path = Path(given)
        if _cannot_stat(path) is None and path.is_dir():
            n += sum(
                1
                for file in _walk(path)
                if not _NOT_REPORTS.match(file.name) and _reader_for(file, explicit=False) is not None
            )
        else:
            n += 1
    return n


def read_file(
    path: str | Path,
    *,
    limits: Limits = DEFAULT_LIMITS,
    on_rejection: Callable[[Rejection], None] | None = None,
) -> Iterator[Document]:
    """The documents of one file. Raises Rejected(reason, path=...) when the file cannot be read at all
    (as the iterator is consumed: it is a generator).

    Entries of a multi-document file that cannot be read (a bad JSONL line, an oversized feed item) are
    passed to `on_rejection`, or logged as warnings when it is not given; use read_path to get them inline.
    """
    path = Path(path)
    if (problem := _cannot_stat(path)) is not None:
        raise Rejected(problem, path=str(path))
    if not path.is_file():
        raise Rejected("not a regular file", path=str(path))
    reader = _reader_for(path, explicit=True)
    if reader is None:
        raise Rejected(_unsupported(path), path=str(path))
    for item in reader.read(path, limits):
        if isinstance(item, Rejection):
            if on_rejection is not None:
                on_rejection(item)
            else:
                log.warning("%s: %s", item.path, item.reason)
        else:
            yield item


# --- internals --------------------------------------------------------------------------------------


def _cannot_stat(path: Path) -> str | None:
    """Why `path` cannot be looked at (missing, a link loop, a broken link, no permission), or None."""
    try:
        path.stat()
    except OSError as exc:
        return cannot_open(path, exc)
    except ValueError:  # a NUL character in the path, which no file name can hold
        return "not a valid path (it holds a NUL character)"
    return None


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def _reader_for(path: Path, *, explicit: bool) -> Reader | None:
    reader = reader_for_suffix(path)
    if reader is not None:
        return reader
    try:
        with path.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except OSError as exc:
        log.debug("%s: cannot sniff (%s)", path, exc)
        return None
    return reader_by_content(head)


def _unsupported(path: Path) -> str:
    kind = f"unsupported file type {path.suffix}" if path.suffix else "unsupported file type (no extension)"
    return f"{kind}; sitroom reads {', '.join(supported_suffixes())} files"


def _read_named(path: Path, limits: Limits) -> Iterator[Document | Rejection]:
    if not path.is_file():
        yield Rejection(str(path), "not a regular file")
        return
    reader = _reader_for(path, explicit=True)
    if reader is None:
        yield Rejection(str(path), _unsupported(path))
        return
    yield from _read(reader, path, limits)


def _read(reader: Reader, path: Path, limits: Limits) -> Iterator[Document | Rejection]:
    try:
        yield from reader.read(path, limits)
    except Rejected as exc:
        yield Rejection(exc.path or str(path), exc.reason)
    except Exception as exc:
        # A parser (ours or trafilatura's, feedparser's, lxml's) failing on one odd file must not stop the
        # batch (DESIGN, "Bad input"): the file is recorded with the error and the run goes on.
        log.warning("%s: %s reader failed", path, reader.name, exc_info=True)
        yield Rejection(str(path), f"the {reader.name} reader failed on this file ({type(exc).__name__}: {exc})")


def _counted(items: Iterator[Document | Rejection], stats: IngestStats) -> Iterator[Document | Rejection]:
    stats.files += 1
    for item in items:
        if isinstance(item, Rejection):
            stats.rejections += 1
        else:
            stats.documents += 1
        yield item
