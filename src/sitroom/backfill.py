"""Backfill: an archive read and extracted on a Dask cluster, stored by this process (DESIGN.md, "Scale").

    summary = backfill(store, ["archive/"], workers=2)                  # a local cluster
    summary = backfill(store, ["archive/"], scheduler="tcp://host:8786")  # an existing one

This process reads the inputs (everything `ingest` reads) and skips what the store already holds, so a
backfill killed and started again resumes where it stopped, without duplicates and without extracting again.
Addresses (URLs, `.urls` lists, GDELT's event, mentions and GKG files) are fetched by the workers; an address
stored by an earlier run is not fetched again.
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


def fetch_batch(
    extractor_name: str, urls: Sequence[str], allow_hosts: Sequence[str]
) -> list[tuple[Document | Rejection, list[Claim], str | None]]:
    """On a worker: each address fetched (with the limits of `ingest URL`), its documents' claims, or why not."""
    from sitroom.ingest.url import read_url

    items = [item for url in urls for item in read_url(url, allow_hosts=allow_hosts)]
    docs = [item for item in items if isinstance(item, Document)]
    extracted = iter(extract_batch(extractor_name, docs))
    return [(item, *next(extracted)) if isinstance(item, Document) else (item, [], None) for item in items]


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


def _addresses(store: Store, inputs: Sequence[str], summary: IngestSummary) -> Iterator[list[str] | Rejection]:
    """The addresses given and those in lists (`.urls`, GDELT's files), in batches, without those a run before
    has fetched (a page's document id is its address)."""
    from sitroom.ingest.url import is_url
    from sitroom.ingest.urllist import read_url_list

    def each() -> Iterator[str | Rejection]:
        for given in inputs:
            yield from ([given] if is_url(given) else read_url_list(given))

    batch: list[str] = []
    seen: set[str] = set()

    def fresh(urls: list[str]) -> list[str]:
        stored = store.stored_ids(urls)
        summary.duplicate += len(stored)
        summary.read += len(stored)
        return [u for u in urls if u not in stored]

    for item in each():
        if isinstance(item, Rejection):
            yield item
            continue
        if item in seen:
            continue
        seen.add(item)
        batch.append(item)
        if len(batch) >= BATCH:
            if todo := fresh(batch):
                yield todo
            batch = []
    if batch and (todo := fresh(batch)):
        yield todo


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
    allow_hosts: Sequence[str] = (),
) -> IngestSummary:
    """Read `paths`, extract on the cluster, store here; returns what `ingest` would say of the same run.
    Addresses (http(s) URLs, and lists of them: `.urls` files, GDELT's exports) are fetched by the workers."""
    from distributed import as_completed

    from sitroom.ingest import read_path
    from sitroom.ingest.url import is_url
    from sitroom.ingest.urllist import is_url_list

    given = list(paths)
    addresses = [p for p in given if is_url(p) or is_url_list(p)]
    files = [p for p in given if p not in addresses]
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

    def store_fetched(results: list[tuple[Document | Rejection, list[Claim], str | None]]) -> None:
        for item, claims, problem in results:
            if isinstance(item, Rejection):
                record_rejection(store, summary, item)
                continue
            summary.read += 1
            if problem is None and (problem := document_problem(item)) is None:
                if item.content_hash in fetched or store.has_content(item.content_hash):
                    summary.duplicate += 1  # the same article under two addresses
                    continue
                fetched.add(item.content_hash)
            failed = Rejection(where_of(item), problem) if problem else store_document(store, item, claims, summary)
            if failed is not None:
                record_rejection(store, summary, failed)
        if progress is not None:
            progress(summary)

    def collect(done: Any) -> None:
        work = batches.pop(done)
        try:
            results = done.result()
        except Exception as exc:  # a worker lost (killed, out of memory): its batch is named, the run goes on
            reason = f"not extracted: worker failed: {type(exc).__name__}: {exc}"[:300]
            if work and isinstance(work[0], str):
                store_fetched([(Rejection(url, reason), [], None) for url in work])
                return
            results = [([], reason)] * len(work)
        if work and isinstance(work[0], str):
            store_fetched(results)
        else:
            store_results(work, results)

    def submit(item: list[Document] | list[str]) -> None:
        if item and isinstance(item[0], str):
            future = cluster.client.submit(fetch_batch, extractor, item, list(allow_hosts), pure=False)
        else:
            future = cluster.client.submit(extract_batch, extractor, item, pure=False)
        batches[future] = item
        pending.add(future)
        while pending.count() >= limit:  # back-pressure: memory flat in the archive's size
            collect(next(pending))

    batches: dict[Any, list[Any]] = {}
    fetched: set[str] = set()
    try:
        pending = as_completed()
        for item in _batches(store, read_path(files, stats=stats), summary) if files else ():
            if isinstance(item, Rejection):
                record_rejection(store, summary, item)
            else:
                submit(item)
        for work in _addresses(store, addresses, summary):
            if isinstance(work, Rejection):
                record_rejection(store, summary, work)
            else:
                submit(work)
        for done in pending:
            collect(done)
    finally:
        if own:
            cluster.close()
    return summary
