"""A small cache of finished responses for the read endpoints, keyed by the request, each answer tagged with
the store's data version it was built from.

The page asks the same few questions over and over - control and events on each day of the slider, the
claims of a place, their documents - and many people watching one crisis ask the same ones. An answer
depends only on its parameters and on what the store holds, so it is kept as the bytes sent (and their gzip)
and served again while the store's data version stays the same. The cache is bounded both in entries and in
bytes (least recently used go first), so a server's memory stays flat however many questions it is asked.

When the version moves (a new report, a re-extraction), each answer is rebuilt the next time it is asked,
once however many ask. Its askers wait for the rebuild if it is quick; if it is not (a sitrep or a whole
store's claims, on a big store) they get the answer built before in the meantime, for up to
`VersionClock.max_stale` seconds after the data moved (past that, they wait). While the server is busy - no
thread free for the rebuild, as after new reports when every answer is rebuilt at once - the answer built
before is served until its rebuild is done, however long that takes, rather than queuing everyone behind
the rebuilds: the map lags the newest reports by the time the server needs to rebuild what is being asked,
and keeps answering. Writes this server takes itself (`expire()`) are never hidden that way: an answer
built before such a write is not served again.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

GZIP_MIN_BYTES = 1024  # below this, compressing costs more than it saves
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_STALE = 60.0  # seconds an answer may be served after the data moved on, while it is rebuilt


@dataclass(slots=True)
class CachedBody:
    body: bytes
    media_type: str
    headers: tuple[tuple[str, str], ...] = ()
    _gzipped: bytes | None = None
    version: Hashable = None  # the data version read before the answer was built (its data are no older)
    built_at: float = float("-inf")  # when its build began (time.monotonic())

    def gzipped(self) -> bytes | None:
        """The body gzip-compressed, made once and kept: a big GeoJSON answer is sent to many browsers, and
        sending a tenth of the bytes costs the server less than sending them all. None for small bodies."""
        if len(self.body) < GZIP_MIN_BYTES:
            return None
        if self._gzipped is None:
            self._gzipped = gzip.compress(self.body, compresslevel=5, mtime=0)
        return self._gzipped

    @property
    def size(self) -> int:
        return len(self.body) + (len(self._gzipped) if self._gzipped is not None else 0)


class ResponseCache:
    """At most `max_entries` answers and `max_bytes` bytes of them (a body counts with its gzip if that was
    made before it was put here); the least recently used go first. An answer bigger than the whole budget
    is not kept."""

    def __init__(self, max_entries: int = 512, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, CachedBody] = OrderedDict()
        self._sizes: dict[Hashable, int] = {}
        self._lock = threading.Lock()
        self.bytes = 0
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> CachedBody | None:
        if self.max_entries <= 0:
            return None
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: Hashable, body: CachedBody) -> None:
        """Keep `body` for `key`, unless what is kept already was built later (two builds of one question
        may finish out of order)."""
        size = body.size
        if self.max_entries <= 0 or size > self.max_bytes:
            return
        with self._lock:
            kept = self._entries.get(key)
            if kept is not None and kept.built_at > body.built_at:
                return
            self.bytes += size - self._sizes.get(key, 0)
            self._entries[key] = body
            self._sizes[key] = size
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries or self.bytes > self.max_bytes:
                old, _ = self._entries.popitem(last=False)
                self.bytes -= self._sizes.pop(old)


class VersionClock:
    """The store's data version, read at most once per `ttl` seconds, and when it moved.

    Under load the version check would otherwise be two queries per request; with a TTL of one second a new
    report reaches the map within a second, and `expire()` (called after an upload through the API) makes it
    immediate for writes this server takes itself. The clock remembers when it first saw each recent version,
    so that `stale_for` can say how long an answer built from an older one has been out of date.
    """

    def __init__(self, read: Callable[[], Hashable], ttl: float = 1.0, max_stale: float = DEFAULT_MAX_STALE) -> None:
        self.read = read
        self.ttl = ttl
        self.max_stale = max_stale
        self._value: Hashable = None
        self._read_at = float("-inf")
        self.written_at = float("-inf")  # the last write this server took itself
        self._seen: OrderedDict[Hashable, float] = OrderedDict()  # version -> first seen, in order
        self._lock = threading.Lock()  # read on the event loop and in build threads

    def fresh(self) -> Hashable | None:
        """The version if it was read within the TTL, else None (the caller reads it, off the event loop)."""
        if time.monotonic() - self._read_at < self.ttl:
            return self._value
        return None

    def refresh(self) -> Hashable:
        began = time.monotonic()
        value = self.read()
        with self._lock:
            if value not in self._seen:
                self._seen[value] = began
                while len(self._seen) > _VERSIONS_KEPT:
                    self._seen.popitem(last=False)
            self._value, self._read_at = value, began
        return value

    def expire(self) -> None:
        self._read_at = float("-inf")
        self.written_at = time.monotonic()

    def stale_for(self, version: Hashable) -> float:
        """Seconds since the data moved on from `version` (0 while it is the newest seen; infinite when it
        is too old to be remembered)."""
        with self._lock:
            if version not in self._seen:
                return float("inf")
            versions = list(self._seen)
            later = versions.index(version) + 1
            if later == len(versions):
                return 0.0
            moved_at = self._seen[versions[later]]
        return time.monotonic() - moved_at

    def written_since(self, body: CachedBody) -> bool:
        """Whether this server took a write since `body` was built (then it is never served again)."""
        return body.built_at < self.written_at


_VERSIONS_KEPT = 256
