"""A small cache of finished responses for the map's data queries, keyed by the request and the store's data
version.

The page asks the same few questions over and over - control and events on each day of the slider - and
many people watching one crisis ask the same ones. A fused answer depends only on its parameters and on what
the store holds, so it is kept as the bytes sent, until the store's data version moves (a new report, a
re-extraction) or it falls out of the least-recently-used window. A miss costs what it always did.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

GZIP_MIN_BYTES = 1024  # below this, compressing costs more than it saves


@dataclass(slots=True)
class CachedBody:
    body: bytes
    media_type: str
    headers: tuple[tuple[str, str], ...] = ()
    _gzipped: bytes | None = None

    def gzipped(self) -> bytes | None:
        """The body gzip-compressed, made once and kept: a big GeoJSON answer is sent to many browsers, and
        sending a tenth of the bytes costs the server less than sending them all. None for small bodies."""
        if len(self.body) < GZIP_MIN_BYTES:
            return None
        if self._gzipped is None:
            self._gzipped = gzip.compress(self.body, compresslevel=5, mtime=0)
        return self._gzipped


class ResponseCache:
    def __init__(self, max_entries: int = 512) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, CachedBody] = OrderedDict()
        self._lock = threading.Lock()
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
        if self.max_entries <= 0:
            return
        with self._lock:
            self._entries[key] = body
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


class VersionClock:
    """The store's data version, read at most once per `ttl` seconds.

    Under load the version check would otherwise be two queries per request; with a TTL of one second a new
    report reaches the map within a second, and `expire()` (called after an upload through the API) makes it
    immediate for writes this server takes itself.
    """

    def __init__(self, read: Callable[[], Hashable], ttl: float = 1.0) -> None:
        self.read = read
        self.ttl = ttl
        self._value: Hashable = None
        self._read_at = float("-inf")

    def fresh(self) -> Hashable | None:
        """The version if it was read within the TTL, else None (the caller reads it, off the event loop)."""
        if time.monotonic() - self._read_at < self.ttl:
            return self._value
        return None

    def refresh(self) -> Hashable:
        value = self.read()
        self._value, self._read_at = value, time.monotonic()
        return value

    def expire(self) -> None:
        self._read_at = float("-inf")
