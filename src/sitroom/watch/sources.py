"""Sources `sitroom watch` follows. Each `poll(state)` runs in a worker thread, never touches the store, and
returns the new documents with the state to save once they are stored (so a stop half-way through a batch
re-reads it next time instead of losing it; re-reading stored content is a no-op).

- FolderSource: new or changed files in a folder (polling; a file is taken once its size and mtime have
  held still between two polls, so a file being copied in is not read half-written);
- FeedSource: an RSS/Atom feed by URL, with ETag/Last-Modified (a 304 costs nothing);
- PageSource: a web page by URL (trafilatura via the HTML reader); the URL is the document's id, so a changed
  page is a new revision;
  both fetch through sitroom.ingest.fetch: streamed and cut off above `max_bytes` (default: the reader's limit,
  128 MiB for a feed, 10 MiB for a page), within `timeout` seconds in all (default 60), and never from loopback,
  private, link-local or metadata addresses (checked after DNS and on every redirect) unless the host is in
  `allow_hosts`;
- TelegramExportSource: a Telegram Desktop export (result.json), re-read when it changes, new message ids only;
- TelegramLiveSource: live channels through a small client protocol (`TelegramClient`); `TelethonClient`
  implements it with Telethon, imported only when configured (extra `sitroom[telegram]`).
A source that fails raises SourceError (or any error): the scheduler logs it and backs off.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from sitroom.errors import SitroomError
from sitroom.ingest import DEFAULT_LIMITS
from sitroom.ingest.url import as_page, read_bytes, read_file_items
from sitroom.model import Document, Rejection

log = logging.getLogger(__name__)

SEEN_LIMIT = 5000  # feed item ids remembered per feed: far more than any feed lists at once
_PARTIAL_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", ".swp", "~")


class SourceError(SitroomError):
    """A source could not be read this time (down, slow, garbage): the scheduler backs off."""


@dataclass
class Poll:
    items: list[Document | Rejection]
    state: dict[str, Any]


class Source(Protocol):
    name: str
    interval: float

    def poll(self, state: dict[str, Any]) -> Poll: ...


# --- folders --------------------------------------------------------------------------------------


class FolderSource:
    def __init__(self, path: str | Path, interval: float = 1.0, settle: float = 2.0) -> None:
        self.path = Path(path)
        self.name = f"folder:{self.path.resolve()}"
        self.interval = interval
        self.settle = settle  # a file unchanged for this long is taken without waiting for a second look
        self._last_seen: dict[str, tuple[int, int]] = {}

    def _files(self) -> Iterable[tuple[str, os.stat_result]]:
        stack = [self.path]
        while stack:
            d = stack.pop()
            try:
                entries = list(os.scandir(d))
            except OSError as exc:
                raise SourceError(f"cannot list {d}: {exc}") from exc
            for e in entries:
                if e.name.startswith(".") or e.name.endswith(_PARTIAL_SUFFIXES):
                    continue
                try:
                    if e.is_dir(follow_symlinks=False):
                        stack.append(Path(e.path))
                    elif e.is_file():
                        yield e.path, e.stat()
                except OSError:
                    continue  # vanished between listing and stat: it will be seen (or not) next time

    def poll(self, state: dict[str, Any]) -> Poll:
        done: dict[str, list[int]] = dict(state.get("files", {}))
        ready: list[tuple[float, str, tuple[int, int]]] = []
        now = time.time()
        seen_now: dict[str, tuple[int, int]] = {}
        for path, st in self._files():
            sig = (st.st_mtime_ns, st.st_size)
            seen_now[path] = sig
            if done.get(path) == list(sig):
                continue
            stable = self._last_seen.get(path) == sig or now - st.st_mtime >= self.settle
            if stable:
                ready.append((st.st_mtime, path, sig))
        self._last_seen = seen_now
        items: list[Document | Rejection] = []
        for _, path, sig in sorted(ready):  # oldest first: reports arrive in the order they were written
            items.extend(read_file_items(Path(path)))
            done[path] = list(sig)
        return Poll(items, {"files": done})


# --- HTTP -----------------------------------------------------------------------------------------


Fetch = Callable[[str, dict[str, str]], tuple[int, dict[str, str], bytes | bytearray]]

DEFAULT_FETCH_TIMEOUT = 60.0  # seconds for a whole fetch, redirects included; a feed of megabytes on a slow link fits


def http_fetch(
    timeout: float = DEFAULT_FETCH_TIMEOUT,
    *,
    max_bytes: int = DEFAULT_LIMITS.max_container_bytes,
    allow_hosts: Iterable[str] = (),
) -> Fetch:
    """A Fetch over HTTP(S) that streams with a size cap, keeps to a total time limit and refuses internal
    addresses unless allowed by name (see sitroom.ingest.fetch). Failures are SourceErrors naming the URL."""
    from sitroom.ingest.fetch import FetchError, FetchPolicy, fetch_url

    policy = FetchPolicy.make(max_bytes, timeout, allow_hosts)

    def fetch(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes | bytearray]:
        try:
            got = fetch_url(url, headers, policy)
        except FetchError as exc:
            raise SourceError(str(exc)) from exc
        return got.status, got.headers, got.body

    return fetch


def _conditional(state: dict[str, Any]) -> dict[str, str]:
    h = {}
    if state.get("etag"):
        h["If-None-Match"] = state["etag"]
    if state.get("last_modified"):
        h["If-Modified-Since"] = state["last_modified"]
    return h


class FeedSource:
    def __init__(
        self,
        url: str,
        interval: float = 300.0,
        fetch: Fetch | None = None,
        *,
        timeout: float = DEFAULT_FETCH_TIMEOUT,
        max_bytes: int = DEFAULT_LIMITS.max_container_bytes,  # a feed is parsed whole: the reader's own limit
        allow_hosts: Iterable[str] = (),
    ) -> None:
        self.url = url
        self.name = f"feed:{url}"
        self.interval = interval
        self.fetch = fetch or http_fetch(timeout, max_bytes=max_bytes, allow_hosts=allow_hosts)

    def poll(self, state: dict[str, Any]) -> Poll:
        status, headers, body = self.fetch(self.url, _conditional(state))
        if status == 304:
            return Poll([], state)
        if status >= 400:
            raise SourceError(f"{self.url}: HTTP {status}")
        items = read_bytes(body, ".xml")
        docs = [i for i in items if isinstance(i, Document)]
        if not docs and items:
            raise SourceError(f"{self.url}: not a readable feed: {items[0].reason}")  # type: ignore[union-attr]
        seen = list(state.get("seen", []))
        seen_set = set(seen)
        out: list[Document | Rejection] = []
        for item in items:
            if isinstance(item, Rejection):
                out.append(Rejection(self.url, item.reason))
                continue
            if item.id in seen_set:
                continue
            seen.append(item.id)
            seen_set.add(item.id)
            out.append(replace(item, path=self.url))
        new_state: dict[str, Any] = {"seen": seen[-SEEN_LIMIT:]}
        if headers.get("etag"):
            new_state["etag"] = headers["etag"]
        if headers.get("last-modified"):
            new_state["last_modified"] = headers["last-modified"]
        return Poll(out, new_state)


class PageSource:
    def __init__(
        self,
        url: str,
        interval: float = 900.0,
        fetch: Fetch | None = None,
        *,
        timeout: float = DEFAULT_FETCH_TIMEOUT,
        max_bytes: int = DEFAULT_LIMITS.max_document_bytes,  # a page is one document: the reader's own limit
        allow_hosts: Iterable[str] = (),
    ) -> None:
        self.url = url
        self.name = f"page:{url}"
        self.interval = interval
        self.fetch = fetch or http_fetch(timeout, max_bytes=max_bytes, allow_hosts=allow_hosts)

    def poll(self, state: dict[str, Any]) -> Poll:
        status, headers, body = self.fetch(self.url, _conditional(state))
        if status == 304:
            return Poll([], state)
        if status >= 400:
            raise SourceError(f"{self.url}: HTTP {status}")
        items = read_bytes(body, ".html")
        out: list[Document | Rejection] = []
        for item in items:
            if isinstance(item, Rejection):
                raise SourceError(f"{self.url}: {item.reason}")
            out.append(as_page(item, self.url))
        new_state = {
            k: v for k, v in (("etag", headers.get("etag")), ("last_modified", headers.get("last-modified"))) if v
        }
        return Poll(out, new_state)


# --- Telegram -------------------------------------------------------------------------------------


def _message_number(doc_id: str) -> tuple[str, int] | None:
    channel, _, number = doc_id.rpartition("/")
    return (channel, int(number)) if number.isdigit() else None


class TelegramExportSource:
    def __init__(self, path: str | Path, interval: float = 5.0) -> None:
        self.path = Path(path)
        self.name = f"telegram-export:{self.path.resolve()}"
        self.interval = interval

    def poll(self, state: dict[str, Any]) -> Poll:
        try:
            st = self.path.stat()
        except OSError as exc:
            raise SourceError(f"{self.path}: {exc}") from exc
        sig = [st.st_mtime_ns, st.st_size]
        if state.get("sig") == sig:
            return Poll([], state)
        items = read_file_items(self.path)
        if items and all(isinstance(i, Rejection) for i in items):
            # Most likely caught mid-write: try again later rather than record a rejection each time.
            raise SourceError(f"{self.path}: {items[0].reason}")  # type: ignore[union-attr]
        last: dict[str, int] = dict(state.get("last_id", {}))
        out: list[Document | Rejection] = []
        newest = dict(last)
        for item in items:
            if isinstance(item, Rejection):
                out.append(item)
                continue
            num = _message_number(item.id)
            if num is None:
                out.append(item)
                continue
            channel, n = num
            if n <= last.get(channel, 0):
                continue
            newest[channel] = max(newest.get(channel, 0), n)
            out.append(item)
        return Poll(out, {"sig": sig, "last_id": newest})


@dataclass(frozen=True)
class LiveMessage:
    id: int
    date: datetime
    text: str


@dataclass(frozen=True)
class ChannelInfo:
    username: str | None
    title: str
    messages: Sequence[LiveMessage] = field(default_factory=tuple)


class TelegramClient(Protocol):
    """What the live source needs of a Telegram client: a channel's messages after a message id."""

    def messages(self, channel: str, after_id: int, limit: int = 200) -> ChannelInfo: ...


class TelegramLiveSource:
    def __init__(self, client: TelegramClient, channels: Sequence[str], interval: float = 30.0) -> None:
        self.client = client
        self.channels = list(channels)
        self.name = "telegram:" + ",".join(self.channels)
        self.interval = interval

    def poll(self, state: dict[str, Any]) -> Poll:
        from sitroom.ingest._base import finish

        last: dict[str, int] = dict(state.get("last_id", {}))
        out: list[Document | Rejection] = []
        for channel in self.channels:
            info = self.client.messages(channel, last.get(channel, 0))
            key = info.username or channel
            for m in sorted(info.messages, key=lambda m: m.id):
                if m.id <= last.get(channel, 0) or not m.text.strip():
                    continue
                url = f"https://t.me/{info.username}/{m.id}" if info.username else None
                ts = m.date if m.date.tzinfo else m.date.replace(tzinfo=UTC)
                out.append(
                    finish(
                        id=f"{key}/{m.id}",
                        text=m.text,
                        path=Path(f"telegram/{key}"),
                        fmt="telegram",
                        url=url,
                        outlet=info.title,
                        published_at=ts.astimezone(UTC),
                        precision="time",
                        default_kind="social",
                    )
                )
                last[channel] = max(last.get(channel, 0), m.id)
        return Poll(out, {"last_id": last})


class TelethonClient:
    """`TelegramClient` over Telethon (pip install 'sitroom[telegram]'); the user's own API id and hash."""

    def __init__(self, api_id: int, api_hash: str, session: str = "sitroom") -> None:
        try:
            from telethon.sync import TelegramClient as _Telethon  # type: ignore[import-not-found]
        except ImportError as exc:
            from sitroom.errors import ConfigError

            raise ConfigError("live Telegram sources need Telethon: pip install 'sitroom[telegram]'") from exc
        self._client = _Telethon(session, api_id, api_hash)
        self._client.start()

    def messages(self, channel: str, after_id: int, limit: int = 200) -> ChannelInfo:
        entity = self._client.get_entity(channel)
        msgs = [
            LiveMessage(m.id, m.date, m.message or "")
            for m in self._client.iter_messages(entity, min_id=after_id, limit=limit, reverse=True)
        ]
        return ChannelInfo(getattr(entity, "username", None), getattr(entity, "title", channel), tuple(msgs))
