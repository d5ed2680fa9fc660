"""`sitroom demo`: the demo corpus into a fresh store, then the situation summary."""

from __future__ import annotations

from pathlib import Path

import click

from sitroom.cli.common import open_store
from sitroom.pipeline import ingest_paths, load_extractor


@click.command()
@click.option(
    "--db", "db", default="demo.db", show_default=True, metavar="PATH", help="SQLite file for the demo store."
)
@click.option("--keep", is_flag=True, help="Keep an existing demo store instead of starting afresh.")
@click.pass_context
def demo(ctx: click.Context, db: str, keep: bool) -> None:
    """Ingest the demo corpus (Syria, 27 Nov - 8 Dec 2024) into a fresh store and print the summary."""
    from sitroom.demo import demo_files
    from sitroom.report.summary import situation_summary

    if "://" in db:
        raise click.BadParameter("the demo builds a fresh SQLite file; give a path", param_hint="--db")
    if not keep:
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
    ctx.ensure_object(dict)["db"] = db
    with open_store(ctx) as store:
        summary = ingest_paths(store, demo_files(), load_extractor("rules.v1"))
        for rejection in summary.rejections:
            click.echo(f"rejected: {rejection.path}: {rejection.reason}", err=True)
        click.echo(f"Demo corpus: {summary.line()} -> {db}\n")
        click.echo(situation_summary(store))
