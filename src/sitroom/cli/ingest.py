"""`sitroom ingest` and `sitroom rejections`."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import click

from sitroom.cli.common import db_option, emit, format_option, open_store
from sitroom.model import Document, Rejection
from sitroom.pipeline import DEFAULT_EXTRACTOR, IngestSummary, ingest_documents, load_extractor


def fuse_after(store: Any, summary: IngestSummary) -> None:
    """Fuse what a batch stored, so that no query pays for it (the picture is current when the command returns).
    A failure here loses nothing - the claims are stored, and the first query fuses them - so it is a warning."""
    if not (summary.new or summary.revision):
        return
    from sitroom.errors import SitroomError
    from sitroom.state import Picture

    t0 = time.monotonic()
    try:
        stats = Picture(store).refresh()
    except (SitroomError, OSError) as exc:
        click.echo(f"warning: the picture was not fused ({exc}); the first query will fuse it", err=True)
        return
    click.echo(
        f"picture fused: {stats.new_claims} claim(s), {stats.events_written} event(s) written, "
        f"{stats.places_recomputed} place(s) recomputed in {time.monotonic() - t0:.1f} s",
        err=True,
    )


class _Progress:
    """A progress bar on a terminal (files done of the total, documents per second, time left), shown only once
    a batch has run for a second; silent in pipes."""

    def __init__(self, total: int, done: Callable[[], int]) -> None:
        self.started = time.monotonic()
        self.total = total
        self.done = done  # files (and URLs) started so far
        self.live: Any = None  # a rich Progress once shown
        self.task: Any = None
        self.enabled = sys.stderr.isatty()

    def __call__(self, summary: IngestSummary) -> None:
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.started
        if self.live is None:
            if elapsed < 1.0:
                return
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.live = Progress(
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("files · {task.fields[rate]} · {task.description}"),
                TimeElapsedColumn(),
                TextColumn("left"),
                TimeRemainingColumn(),
                transient=True,
            )
            self.live.start()
            self.task = self.live.add_task("", total=self.total, rate="")
        rate = f"{summary.read / elapsed:.1f} docs/s" if elapsed > 0 else ""
        self.live.update(self.task, completed=min(self.done(), self.total), description=summary.line(), rate=rate)

    def close(self) -> None:
        if self.live is not None:
            self.live.stop()


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--extractor",
    default=DEFAULT_EXTRACTOR,
    show_default=True,
    help="Extractor to run on new documents ('none' to only store them).",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="HOST",
    help="A host on your own network that a URL may name (internal addresses are refused otherwise).",
)
@click.option("--no-fuse", "no_fuse", is_flag=True, help="Store only; fuse the picture later (`sitroom fuse`).")
@db_option
@click.pass_context
def ingest(
    ctx: click.Context, paths: tuple[str, ...], extractor: str, allow_hosts: tuple[str, ...], no_fuse: bool
) -> None:
    """Read reports (files, folders or URLs) into the store and extract their claims.

    Formats: plain-text articles, .json/.jsonl documents, HTML pages, RSS/Atom files, Telegram Desktop
    exports (result.json), CSV exports of articles, web archives (.warc, .warc.gz). An http(s) URL is fetched once (a page or a feed), with the watch's limits on
    size and time; so is each address of a list (a .urls file, one per line, or GDELT's *.export.CSV,
    *.mentions.CSV and *.gkg.csv files, zipped or not). A file or URL that cannot be read is reported with the reason and recorded
    (see `sitroom rejections`); the rest of the batch goes on.
    """
    from itertools import chain

    from sitroom.ingest import IngestStats, count_inputs, read_path
    from sitroom.ingest.url import is_url, read_url
    from sitroom.ingest.urllist import is_url_list, read_url_list

    lists = [p for p in paths if not is_url(p) and is_url_list(p)]
    urls: list[str | Rejection] = [p for p in paths if is_url(p)]
    for given in lists:
        urls.extend(read_url_list(given))
    files = [p for p in paths if not is_url(p) and p not in lists]
    stats = IngestStats()
    fetched = [0]

    def from_urls() -> Iterator[Document | Rejection]:
        for url in urls:
            fetched[0] += 1
            yield from [url] if isinstance(url, Rejection) else read_url(url, allow_hosts=allow_hosts)

    from sitroom.errors import SitroomError

    try:
        reader = load_extractor(extractor)  # an unknown or broken extractor stops here, before any input is read
    except SitroomError as exc:
        raise click.ClickException(str(exc)) from exc
    items = chain(from_urls(), read_path(files, stats=stats) if files else ())
    progress = _Progress(len(urls) + count_inputs(files), lambda: fetched[0] + stats.files)
    with open_store(ctx) as store:
        try:
            summary = ingest_documents(store, items, reader, progress)
        finally:
            progress.close()
        if not no_fuse:
            fuse_after(store, summary)
    for rejection in summary.rejections:
        click.echo(f"rejected: {rejection.path}: {rejection.reason}", err=True)
    for where, warning in summary.warnings:
        click.echo(f"warning: {where}: {warning}", err=True)
    click.echo(summary.line())
    if summary.read == 0:
        ctx.exit(1)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--workers", type=click.IntRange(min=1), help="Worker processes of the local Dask cluster (default 2).")
@click.option("--scheduler", metavar="ADDRESS", help="Use the Dask cluster at this address (tcp://host:8786).")
@click.option("--extractor", default=DEFAULT_EXTRACTOR, show_default=True, help="Extractor the workers run.")
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="HOST",
    help="A host on your own network that an address may name (internal addresses are refused otherwise).",
)
@click.option("--no-fuse", "no_fuse", is_flag=True, help="Store only; fuse the picture later (`sitroom fuse`).")
@db_option
@click.pass_context
def backfill(
    ctx: click.Context,
    paths: tuple[str, ...],
    workers: int | None,
    scheduler: str | None,
    extractor: str,
    allow_hosts: tuple[str, ...],
    no_fuse: bool,
) -> None:
    """Ingest an archive on a Dask cluster: workers read and extract, this process stores (pip install
    'sitroom[scale]'). Takes everything `ingest` reads, and lists of addresses for the workers to fetch (.urls
    files, GDELT's event, mentions and GKG files); what the store holds already is skipped before any
    extraction or fetch, so a backfill stopped part-way resumes where it stopped, without duplicates."""
    if workers and scheduler:
        raise click.UsageError("--workers starts a local cluster; --scheduler uses an existing one: give one")
    from sitroom.backfill import Cluster
    from sitroom.backfill import backfill as run
    from sitroom.errors import SitroomError
    from sitroom.ingest import IngestStats, count_inputs

    if extractor != "none":
        from sitroom.extract.base import resolve_name

        try:
            extractor = resolve_name(extractor)  # the workers load it by this name
        except SitroomError as exc:
            raise click.ClickException(str(exc)) from exc
    from sitroom.ingest.url import is_url
    from sitroom.ingest.urllist import is_url_list, read_url_list

    stats = IngestStats()
    lists = [p for p in paths if is_url_list(p)]
    addresses = sum(1 for p in paths if is_url(p)) + sum(
        1 for p in lists for u in read_url_list(p) if isinstance(u, str)
    )
    files = [p for p in paths if not is_url(p) and p not in lists]
    seen = [IngestSummary()]
    bar = _Progress(
        count_inputs(files) + addresses, lambda: stats.files + (seen[0].read + seen[0].rejected if addresses else 0)
    )

    def progress(summary: IngestSummary) -> None:
        seen[0] = summary
        bar(summary)

    def announce(cluster: Cluster) -> None:
        where = f", dashboard {cluster.dashboard}" if cluster.dashboard else ""
        click.echo(f"backfill: {cluster.workers} Dask worker(s){where}", err=True)

    with open_store(ctx) as store:
        try:
            summary = run(store, paths, extractor=extractor, workers=workers, scheduler=scheduler,
                          progress=progress, on_cluster=announce, stats=stats, allow_hosts=allow_hosts)  # fmt: skip
        except SitroomError as exc:
            raise click.ClickException(str(exc)) from exc
        finally:
            bar.close()
        if not no_fuse:
            fuse_after(store, summary)  # once, at the end, incrementally: the archive's picture is ready
    for rejection in summary.rejections:
        click.echo(f"rejected: {rejection.path}: {rejection.reason}", err=True)
    click.echo(summary.line())
    if summary.read == 0 and not summary.rejected:
        ctx.exit(1)


@click.command()
@click.option("--rebuild", is_flag=True, help="Fuse every claim again from nothing (after a new gazetteer or lexicon).")
@db_option
@click.pass_context
def fuse(ctx: click.Context, rebuild: bool) -> None:
    """Bring the stored picture (events, control) up to date with the claims. `ingest` and `backfill` do this
    when they finish; run it after `--no-fuse`, or with --rebuild to fuse everything again."""
    from sitroom.state import Picture

    t0 = time.monotonic()
    with open_store(ctx) as store:
        picture = Picture(store)
        stats = picture.rebuild() if rebuild else picture.refresh()
    how = "rebuilt" if stats.full else "up to date" if not stats.new_claims else "updated"
    click.echo(
        f"picture {how}: {stats.new_claims} claim(s) fused, {stats.events_written} event(s) written, "
        f"{stats.places_recomputed} place(s) recomputed in {time.monotonic() - t0:.1f} s"
    )


@click.command()
@format_option("table", "json", "csv")
@db_option
@click.pass_context
def rejections(ctx: click.Context, fmt: str) -> None:
    """Files that could not be read, with the reason and when."""
    with open_store(ctx) as store:
        rows = [{"path": p, "reason": r, "at": at.isoformat()} for p, r, at in store.rejections()]
    emit(rows, fmt, ["path", "reason", "at"], title="Rejections")
