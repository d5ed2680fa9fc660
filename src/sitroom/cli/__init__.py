"""The `sitroom` command: thin commands over the library (one module per group of commands)."""

from __future__ import annotations

import logging

import click

from sitroom import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="URL",
    envvar="SITROOM_DB",
    help="Store: a SQLite path (default ./sitroom.db) or postgresql://... (env SITROOM_DB).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log what the stages do.")
@click.version_option(__version__, prog_name="sitroom")
@click.pass_context
def main(ctx: click.Context, db: str | None, verbose: bool) -> None:
    """sitroom: a sourced, geolocated, time-resolved picture of a crisis, built offline from reports."""
    ctx.ensure_object(dict)
    if db is not None:
        ctx.obj["db"] = db
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s")
    from sitroom.geo.gazetteer import on_notice

    on_notice(_notice)


def _notice(message: str) -> None:
    click.echo(message + " ...", err=True)


def _register() -> None:
    from sitroom.cli.demo import demo
    from sitroom.cli.evaluate import eval_command
    from sitroom.cli.geo import gazetteer, geoparse, routes
    from sitroom.cli.ingest import backfill, fuse, ingest, rejections
    from sitroom.cli.picture import (
        advisories,
        bulletin,
        control,
        events,
        export,
        figures,
        provinces,
        route,
        sitrep,
        transport,
    )
    from sitroom.cli.query import claims, documents
    from sitroom.cli.serve import serve
    from sitroom.cli.watch import alerts, watch

    for command in (
        ingest,
        backfill,
        fuse,
        rejections,
        documents,
        claims,
        events,
        control,
        provinces,
        advisories,
        transport,
        route,
        figures,
        sitrep,
        bulletin,
        export,
        eval_command,
        demo,
        serve,
        watch,
        alerts,
        geoparse,
        gazetteer,
        routes,
    ):
        main.add_command(command)


_register()
