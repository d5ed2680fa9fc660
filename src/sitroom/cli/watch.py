"""`sitroom watch` (follow sources, alert on changes) and `sitroom alerts` (sent alerts, check a file)."""

from __future__ import annotations

import signal
import sys
from types import FrameType

import click

from sitroom.cli.common import db_option, emit, format_option, open_store
from sitroom.errors import SitroomError


@click.command()
@click.option(
    "--config", "config_path", required=True, type=click.Path(dir_okay=False), help="Watch configuration (YAML)."
)
@click.option("--for", "duration", type=float, default=None, metavar="SECONDS", help="Stop after this many seconds.")
@click.option(
    "--delta",
    type=click.Choice(["local", "snapshot"]),
    default="local",
    show_default=True,
    help="How changes are found: fuse the new claims' neighbourhood (fast) or the whole store (slow, exact).",
)
@click.option(
    "--extractor",
    default=None,
    metavar="NAME",
    help="Extractor to run on new documents, instead of the configuration's (default rules.v1).",
)
@db_option
@click.pass_context
def watch(ctx: click.Context, config_path: str, duration: float | None, delta: str, extractor: str | None) -> None:
    """Follow the sources of a configuration file; ingest what is new; deliver the alerts it triggers.

    Stops cleanly on SIGTERM or Ctrl-C: the document being stored is finished, then the watch exits.

    \b
    The configuration (YAML; see examples/watch.yaml, check it with `sitroom alerts check FILE`):
      sources:                        # one or more of
        - folder: inbox/              #   new files in a folder (interval: seconds)
        - feed: https://.../rss.xml   #   an RSS/Atom feed (interval, timeout, max_bytes)
        - page: https://.../update    #   a page updated in place
        - telegram_export: exports/channel/result.json
        - telegram: {api_id: ..., api_hash_env: ..., session: ..., channels: [...]}
      subscriptions: subscriptions.yaml   # or inline {sinks, subscriptions}
      sinks: {...}                    # optional, shared with the subscriptions
      extractor: rules.v1             # optional
      allow_hosts: [intranet.example] # optional: internal hosts that may be fetched
    """
    from sitroom.alerts import AlertEngine, LocalDelta, SnapshotDelta, build_sinks
    from sitroom.alerts.subscriptions import default_actors, default_resolver
    from sitroom.pipeline import load_extractor
    from sitroom.watch import DocumentProcessor, Watcher, load_config

    with open_store(ctx) as store:
        try:
            actors = default_actors()
            resolver_cache: list = []

            def resolve(name: str):  # type: ignore[no-untyped-def]
                # The gazetteer loads only if a subscription names a place.
                if not resolver_cache:
                    resolver_cache.append(default_resolver())
                return resolver_cache[0](name)

            config = load_config(config_path, resolve, actors)
            sinks = build_sinks(config.subscriptions.sinks, stream=sys.stdout)
            engine = AlertEngine(store, config.subscriptions.subscriptions, sinks, actors, resolve)
            picture_delta = (LocalDelta if delta == "local" else SnapshotDelta)(store, actors)
            processor = DocumentProcessor(store, load_extractor(extractor or config.extractor), picture_delta, engine)
            watcher = Watcher(store, config.sources, processor)
        except SitroomError as exc:
            raise click.ClickException(str(exc)) from exc

        def _stop(signum: int, _frame: FrameType | None) -> None:
            click.echo(f"sitroom watch: {signal.Signals(signum).name}, finishing the current document", err=True)
            watcher.stop()

        previous = {s: signal.signal(s, _stop) for s in (signal.SIGTERM, signal.SIGINT)}
        click.echo(
            f"sitroom watch: {len(config.sources)} source(s), {len(config.subscriptions.subscriptions)} subscription(s)",
            err=True,
        )
        try:
            watcher.run(duration)
        finally:
            for s, h in previous.items():
                signal.signal(s, h)
        click.echo(
            f"sitroom watch: stopped; {processor.stored} document(s) stored, {len(processor.alerts)} alert(s)", err=True
        )


@click.group()
def alerts() -> None:
    """Alerts: those sent, and checking a subscriptions file."""


@alerts.command("list")
@click.option("--subscription", default=None, help="Only this subscription's alerts.")
@format_option("table", "json", "csv")
@db_option
@click.pass_context
def list_alerts(ctx: click.Context, subscription: str | None, fmt: str) -> None:
    """The alerts delivered so far, oldest first."""
    from sitroom.store.alerts import sent_alerts

    with open_store(ctx) as store:
        rows = sent_alerts(store, subscription)
    emit(rows, fmt, ["sent", "subscription", "kind", "status", "headline", "why"], title="alerts")


@alerts.command("check")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def check(path: str) -> None:
    """Validate a subscriptions file or a watch configuration (one with `sources:`); errors name the line."""
    import yaml

    from sitroom.alerts import load_subscriptions
    from sitroom.watch.config import load_config

    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        data = None  # the loaders below say what is wrong, with the line
    try:
        if isinstance(data, dict) and "sources" in data:
            config = load_config(path)
            subs = config.subscriptions
            click.echo(
                f"{path}: watch configuration with {len(config.sources)} source(s), "
                f"{len(subs.subscriptions)} subscription(s), {len(subs.sinks)} sink(s), all valid"
            )
            return
        loaded = load_subscriptions(path)
    except SitroomError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{path}: {len(loaded.subscriptions)} subscription(s), {len(loaded.sinks)} sink(s), all valid")
