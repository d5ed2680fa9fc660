"""Backfill: an archive read and extracted on a Dask cluster, stored by this process (DESIGN.md, "Scale").

    summary = backfill(store, ["archive/"], workers=2)                  # a local cluster
    summary = backfill(store, ["archive/"], scheduler="tcp://host:8786")  # an existing one

This process reads the inputs (everything `ingest` reads) and skips what the store already holds, so a
backfill killed and started again resumes where it stopped, without duplicates and without extracting again.
Documents go to the workers in batches; each worker loads the extractor once and returns the claims; this
process writes each document with its claims in one transaction, as `ingest` does (SQLite has one writer; a
PostgreSQL store takes them the same way). At most a few batches per worker are in flight, so memory stays
flat whatever the archive's size. Fusion runs once, when the picture is first asked for.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sitroom.errors import SitroomError
from sitroom.ingest._base import document_problem
from sitroom.model import Claim, Document, Rejection
from sitroom.pipeline import IngestSummary, record_rejection, store_document, where_of
from sitroom.store import Store

log = logging.getLogger(__name__)

BATCH = 16  # documents per task: large enough to hide the scheduler's overhead, small enough to balance
IN_FLIGHT_PER_WORKER = 3

_EXTRACTORS: dict[str, Any] = {}


def extract_batch(extractor_name: str, docs: Sequence[Document]) -> list[tuple[list[Claim], str | None]]:
    """On a worker: each document's claims, or the reason it could not be read. The extractor is loaded once
    per worker process and kept."""
    from sitroom.pipeline import _extract, load_extractor

    extractor = _EXTRACTORS.get(extractor_name)
    if extractor is None:
        extractor = _EXTRACTORS[extractor_name] = load_extractor(extractor_name)
    out: list[tuple[list[Claim], str | None]] = []
    for doc in docs:
        try:
            out.append((_extract(extractor, doc), None))
        except Exception as exc:  # one document the extractor cannot finish is that document's rejection
            out.append(([], f"not extracted: {type(exc).__name__}: {exc}"[:300]))
    return out


@dataclass
class Cluster:
    client: Any
    dashboard: str | None
    workers: int

    def close(self) -> None:
        cluster = getattr(self.client, "cluster", None)
        self.client.close()
        if cluster is not None:
            cluster.close()


def connect(workers: int | None = None, scheduler: str | None = None) -> Cluster:
    """A Dask client: to the scheduler at `scheduler`, or to a local cluster of `workers` processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise SitroomError("backfill needs Dask: pip install 'sitroom[scale]'") from exc
    for name in ("distributed", "dask"):  # the cluster's chatter stays out of a user's terminal
        logging.getLogger(name).setLevel(logging.WARNING)
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=workers or 2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=40
        )
        client = Client(cluster)
    n = len(client.scheduler_info().get("workers", {})) or (workers or 1)
    return Cluster(client, client.dashboard_link if client.dashboard_link else None, n)


def _batches(
    store: Store, items: Iterable[Document | Rejection], summary: IngestSummary
) -> Iterator[list[Document] | Rejection]:
    """The inputs in batches of new documents; rejections (and what the store holds already) on the way."""
    batch: list[Document] = []
    seen: set[str] = set()
    for item in items:
        if isinstance(item, Rejection):
            yield item
            continue
        summary.read += 1
        if problem := document_problem(item):
            yield Rejection(where_of(item), problem)
            continue
        if item.content_hash in seen or store.has_content(item.content_hash):
            summary.duplicate += 1  # stored by an earlier run (a resumed backfill), or twice in this archive
            continue
        seen.add(item.content_hash)
        batch.append(item)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def backfill(
    store: Store,
    paths: Iterable[str],
    *,
    extractor: str = "rules.v1",
    workers: int | None = None,
    scheduler: str | None = None,
    cluster: Cluster | None = None,
    progress: Callable[[IngestSummary], None] | None = None,
    on_cluster: Callable[[Cluster], None] | None = None,
    stats: Any = None,
) -> IngestSummary:
    """Read `paths`, extract on the cluster, store here; returns what `ingest` would say of the same run."""
    from distributed import as_completed

    from sitroom.ingest import read_path

    summary = IngestSummary()
    own = cluster is None
    cluster = cluster or connect(workers, scheduler)
    if on_cluster is not None:
        on_cluster(cluster)
    limit = max(2, cluster.workers * IN_FLIGHT_PER_WORKER)

    def store_results(docs: list[Document], results: list[tuple[list[Claim], str | None]]) -> None:
        for doc, (claims, problem) in zip(docs, results, strict=True):
            # stored and counted as `ingest` stores and counts it; what a worker could not read is its rejection
            failed = (
                Rejection(where_of(doc), problem)
                if problem is not None
                else store_document(store, doc, claims, summary)
            )
            if failed is not None:
                record_rejection(store, summary, failed)
        if progress is not None:
            progress(summary)

    def collect(done: Any) -> None:
        docs = batches.pop(done)
        try:
            results = done.result()
        except Exception as exc:  # a worker lost (killed, out of memory): its batch is named, the run goes on
            results = [([], f"not extracted: worker failed: {type(exc).__name__}: {exc}"[:300])] * len(docs)
        store_results(docs, results)

    batches: dict[Any, list[Document]] = {}
    try:
        pending = as_completed()
        for item in _batches(store, read_path(list(paths), stats=stats), summary):
            if isinstance(item, Rejection):
                record_rejection(store, summary, item)
                continue
            future = cluster.client.submit(extract_batch, extractor, item, pure=False)
            batches[future] = item
            pending.add(future)
            while pending.count() >= limit:  # back-pressure: memory flat in the archive's size
                collect(next(pending))
        for done in pending:
            collect(done)
    finally:
        if own:
            cluster.close()
    return summary
