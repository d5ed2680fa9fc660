"""`sitroom serve`: the REST API and the web page over the store, with uvicorn.

One process answers from one core: the cached answers are cheap, but turning rows into JSON, fusing and
compressing are Python holding the interpreter's lock. So `serve` runs several worker processes (uvicorn's
supervisor shares the listening socket among them and restarts one that dies), one per core by default, up
to `MAX_DEFAULT_WORKERS`. Before the workers start, the store is migrated and its stored picture brought up
to date once, here, so that they do not all fuse the same claims at once on their first request.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable

import click

from sitroom.cli.common import db_option

# Each worker keeps its own response cache (up to 64 MiB) and up to 15 store connections: beyond a few
# workers a machine gives more to memory and to PostgreSQL's connection limit than it gets back in latency.
MAX_DEFAULT_WORKERS = 4
APP_FACTORY = "sitroom.api:create_app"  # each worker builds its app from SITROOM_DB and SITROOM_API_TOKEN


def default_workers() -> int:
    """One worker per core this process may run on, at most MAX_DEFAULT_WORKERS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_DEFAULT_WORKERS))


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option(
    "--token",
    envvar="SITROOM_API_TOKEN",
    metavar="TOKEN",
    help="Bearer token for POST /documents (env SITROOM_API_TOKEN); without one the server is read-only.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    metavar="N",
    help=f"Server processes (default: one per CPU core, at most {MAX_DEFAULT_WORKERS}).",
)
@db_option
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, token: str | None, workers: int | None) -> None:
    """Serve the web page (map, timeline, claims and sources) and the REST API (/docs) over the store."""
    import uvicorn

    from sitroom.errors import SitroomError

    db = (ctx.obj or {}).get("db")
    workers = workers or default_workers()
    try:
        if workers == 1:
            prepare_store(db)
        else:
            # Migrated here, so that a store that cannot be opened is a clear error, not N workers dying; fused
            # in a process of its own, so that the supervisor does not keep the first fusion's memory.
            check_store(db)
            _in_a_child(prepare_store, db)
    except SitroomError as exc:
        raise click.ClickException(str(exc)) from exc
    plural = "s" if workers > 1 else ""
    click.echo(
        f"sitroom: serving http://{host}:{port}/ (API docs at /docs) with {workers} worker{plural}; Ctrl-C stops",
        err=True,
    )
    if workers == 1:
        from sitroom.api import create_app

        app = create_app(db, token=token or "")
        uvicorn.run(app, host=host, port=port, log_level="info")
        return
    # The workers are new interpreters (spawned, not forked): they find the store and the token in the
    # environment, as documented for both; an empty token there means read-only, as here.
    if db is not None:
        os.environ["SITROOM_DB"] = db
    os.environ["SITROOM_API_TOKEN"] = token or ""
    uvicorn.run(APP_FACTORY, factory=True, workers=workers, host=host, port=port, log_level="info")


def check_store(db: str | None) -> None:
    from sitroom.store import Store

    Store.open(db).close()


def _in_a_child(fn: Callable[[str | None], None], db: str | None) -> None:
    child = multiprocessing.get_context("spawn").Process(target=fn, args=(db,), name="sitroom-prepare")
    child.start()
    child.join()
    if child.exitcode != 0:
        raise click.ClickException(f"bringing the stored picture up to date failed (exit code {child.exitcode})")


def prepare_store(db: str | None) -> None:
    """Migrate the store and bring its stored picture up to date, once, before any worker opens it."""
    from sitroom.store import Store

    with Store.open(db) as store:
        try:
            from sitroom.state import Picture
        except ImportError:  # the API answers 503 for the picture in such an install; nothing to prepare
            return
        Picture(store).refresh()
