"""The watch loop: polls sources in worker threads, ingests their documents one at a time in the main
thread, and hands each stored document's changes to the alert engine.

Why this shape: a slow or dead source only ties up its own worker (the others keep their schedule), and
all writes happen in one thread, one document per transaction, so a stop request (SIGTERM/SIGINT sets an
event; nothing is interrupted) takes effect between two documents and never leaves half a document.
A failing source is retried with exponential backoff and jitter; its state (files seen, ETags, last
message ids) is saved in the store after its documents are stored, so a restart neither loses nor
re-alerts anything.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sitroom.alerts.delta import PictureDelta
from sitroom.alerts.engine import AlertEngine
from sitroom.errors import SitroomError
from sitroom.model import Claim, Document, Rejection
from sitroom.pipeline import ingest_documents
from sitroom.store import Store
from sitroom.store import alerts as persist
from sitroom.watch.sources import Poll, Source

log = logging.getLogger(__name__)

MAX_BACKOFF = 600.0
# How often the watch asks what time alone can change (silence conditions), in seconds.
TICK_SECONDS = 60.0


class _Capture:
    """Wraps the extractor so the pipeline's own ingest path is used while the delta sees the claims
    before they are stored (the "before" picture must not contain them)."""

    def __init__(self, extractor: object | None, delta: PictureDelta | None) -> None:
        self.inner = extractor
        self.delta = delta
        self.claims: list[Claim] = []
        self.token: object | None = None

    def reset(self) -> None:
        self.claims, self.token = [], None

    def extract(self, doc: Document) -> list[Claim]:
        try:
            claims = list(self.inner.extract(doc)) if self.inner is not None else []  # type: ignore[attr-defined]
        except Exception:  # a long-lived watch outlives an extractor bug on one report: store it without claims
            log.exception("%s: extraction failed; stored without claims (re-extract later)", doc.path or doc.id)
            claims = []
        self.claims = claims
        if self.delta is not None:
            self.token = self.delta.begin(claims)
        return claims


class DocumentProcessor:
    """One item -> stored (with its claims, through sitroom.pipeline) -> changes -> alerts."""

    def __init__(
        self,
        store: Store,
        extractor: object | None,
        delta: PictureDelta | None = None,
        engine: AlertEngine | None = None,
    ) -> None:
        self.store = store
        self.capture = _Capture(extractor, delta if engine is not None else None)
        self.delta = delta
        self.engine = engine
        self.stored = 0
        self.alerts: list[dict[str, Any]] = []

    def handle(self, item: Document | Rejection) -> list[dict[str, Any]]:
        self.capture.reset()
        summary = ingest_documents(self.store, [item], self.capture)
        if isinstance(item, Rejection):
            log.warning("%s: rejected: %s", item.path, item.reason)
            return []
        if not (summary.new or summary.revision):
            return []
        self.stored += 1
        if self.engine is None or self.delta is None:
            return []
        token = self.capture.token
        if token is None:  # extraction failed (logged by the pipeline): the document has no claims
            token = self.delta.begin([])
        changes = self.delta.end(token, self.capture.claims)
        alerts = self.engine.process(changes, self.delta.claims(token)) if changes else []
        self.alerts.extend(alerts)
        return alerts

    def tick(self) -> list[dict[str, Any]]:
        """What time alone can change: an area nothing has been heard from (silence conditions), judged now."""
        if self.engine is None:
            return []
        alerts = self.engine.check_silence(self.engine.clock())
        self.alerts.extend(alerts)
        return alerts


@dataclass
class _Track:
    source: Source
    due: float = 0.0
    failures: int = 0
    future: Future[Poll] | None = None
    state: dict[str, Any] = field(default_factory=dict)


class Watcher:
    def __init__(
        self,
        store: Store,
        sources: Sequence[Source],
        processor: DocumentProcessor,
        *,
        workers: int = 4,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.processor = processor
        self.tracks = [_Track(s, state=persist.load_state(store, s.name)) for s in sources]
        names = [s.name for s in sources]
        if len(set(names)) != len(names):
            from sitroom.errors import ConfigError

            raise ConfigError("the same source is configured twice")
        self.pool = ThreadPoolExecutor(max_workers=max(1, min(workers, len(sources) or 1)), thread_name_prefix="watch")
        self.rng = rng or random.Random()
        self.clock = clock
        self.stop_event = threading.Event()

    def stop(self) -> None:
        self.stop_event.set()

    def backoff(self, track: _Track) -> float:
        """Exponential in the number of failures in a row, capped, with full jitter (so many watchers
        hitting one feed do not retry in step)."""
        base = min(MAX_BACKOFF, max(track.source.interval, 1.0) * 2 ** min(track.failures, 16))
        return self.rng.uniform(base / 2, base)

    def run(self, duration: float | None = None) -> None:
        """Watch until stop() (or a signal handler calling it), or for `duration` seconds."""
        deadline = None if duration is None else self.clock() + duration
        next_tick = self.clock() + TICK_SECONDS
        try:
            while not self.stop_event.is_set():
                now = self.clock()
                if deadline is not None and now >= deadline:
                    break
                if now >= next_tick:
                    next_tick = now + TICK_SECONDS
                    try:
                        self.processor.tick()
                    except SitroomError as exc:
                        log.error("silence check failed: %s", exc)
                for t in self.tracks:
                    if t.future is None and now >= t.due:
                        t.future = self.pool.submit(t.source.poll, dict(t.state))
                for t in self.tracks:
                    if t.future is not None and t.future.done():
                        self._collect(t)
                        if self.stop_event.is_set():
                            break
                waits = [t.due - self.clock() for t in self.tracks if t.future is None]
                pause = min([0.05, *waits]) if any(t.future is not None for t in self.tracks) else min(waits or [0.5])
                if deadline is not None:
                    pause = min(pause, deadline - self.clock())
                self.stop_event.wait(max(0.005, pause))
        finally:
            self.pool.shutdown(wait=False, cancel_futures=True)

    def _collect(self, t: _Track) -> None:
        fut, t.future = t.future, None
        if fut is None:
            return
        try:
            poll = fut.result()
        except Exception as exc:  # any failure of one source is logged and backed off, never fatal
            t.failures += 1
            delay = self.backoff(t)
            log.warning("source %s failed (%s); retrying in %.0f s", t.source.name, exc, delay)
            t.due = self.clock() + delay
            return
        t.failures = 0
        t.due = self.clock() + t.source.interval
        for item in poll.items:
            if self.stop_event.is_set():
                return  # state not saved: the rest of this batch is read again on the next start
            try:
                self.processor.handle(item)
            except SitroomError as exc:
                # The store refused this one (e.g. a database hiccup): log it; the state is not saved, so the
                # batch is read again on the next poll and what was stored is skipped as a duplicate.
                log.error("%s: not stored: %s", getattr(item, "path", None) or getattr(item, "id", "?"), exc)
                t.due = self.clock() + self.backoff(t)
                return
        if poll.state != t.state:  # most polls find nothing new: no write then
            t.state = poll.state
            persist.save_state(self.store, t.source.name, poll.state)
