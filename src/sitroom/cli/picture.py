"""The picture: `sitroom events|control|advisories|transport|figures`, `sitroom export`, `sitroom sitrep`."""

from __future__ import annotations

from typing import Any

import click

from sitroom.cli.common import db_option, emit, emit_json, format_option, open_store, parse_day, parse_timestamp
from sitroom.cli.query import time_filters


def _picture(store):  # type: ignore[no-untyped-def]
    from sitroom.state import Picture

    return Picture(store)


def _geojson(rows: list[dict[str, Any]], place_key: str) -> dict[str, Any]:
    features = []
    for row in rows:
        place = row.get(place_key)
        if not place or place.get("lat") is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
                "properties": row,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _out(rows: list[dict[str, Any]], fmt: str, columns: list[str], title: str, place_key: str) -> None:
    if fmt == "geojson":
        emit_json(_geojson(rows, place_key))
    else:
        emit(rows, fmt, columns, title=title)


FORMATS = ("table", "json", "csv", "geojson")


@click.command()
@time_filters
@format_option(*FORMATS)
@db_option
@click.pass_context
def events(
    ctx: click.Context,
    fmt: str,
    at: str | None,
    since: str | None,
    until: str | None,
    known_at: str | None,
    place: str | None,
    types: tuple[str, ...],
) -> None:
    """Events: claims fused into one entry per happening, with status and independent sources."""
    with open_store(ctx) as store:
        rows = _picture(store).events(
            since=parse_day(since, "--since"),
            until=parse_day(until, "--until"),
            known_at=parse_timestamp(known_at, "--known-at"),
            place=place,
            types=types,
            at=parse_day(at, "--at"),
        )
    cols = ["id", "type", "date", "date_earliest", "date_latest", "actor", "place", "status", "sources", "confidence"]
    _out(rows, fmt, cols, "Events", "place")


@click.command()
@time_filters
@format_option(*FORMATS)
@db_option
@click.pass_context
def control(
    ctx: click.Context,
    fmt: str,
    at: str | None,
    since: str | None,
    until: str | None,
    known_at: str | None,
    place: str | None,
    types: tuple[str, ...],
) -> None:
    """Who holds which place: the span in force on --at (every span, as a timeline, without it)."""
    with open_store(ctx) as store:
        rows = _picture(store).control(parse_day(at, "--at"), parse_timestamp(known_at, "--known-at"), place)
    since_d, until_d = parse_day(since, "--since"), parse_day(until, "--until")
    if since_d or until_d:
        rows = [
            r
            for r in rows
            if r["since"]
            and (not since_d or r["since"] >= since_d.isoformat())
            and (not until_d or r["since"] <= until_d.isoformat())
        ]
    cols = ["place", "controller", "since", "until", "confidence", "last_confirmed", "evidence"]
    _out(rows, fmt, cols, "Control", "place")


@click.command()
@time_filters
@format_option(*FORMATS)
@db_option
@click.pass_context
def advisories(
    ctx: click.Context,
    fmt: str,
    at: str | None,
    since: str | None,
    until: str | None,
    known_at: str | None,
    place: str | None,
    types: tuple[str, ...],
) -> None:
    """Travel advisories in force (with --at) or all, latest of an issuer for an area and audience first."""
    with open_store(ctx) as store:
        rows = _picture(store).advisories(parse_day(at, "--at"), parse_timestamp(known_at, "--known-at"))
    if place:
        rows = [
            r
            for r in rows
            if r["area"] and place.lower() in {str(r["area"]["name"]).lower(), str(r["area"]["country"]).lower()}
        ]
    cols = ["issuer", "area", "audience", "levels", "means", "issued", "superseded_by"]
    _out(rows, fmt, cols, "Advisories", "area")


@click.command()
@time_filters
@format_option(*FORMATS)
@db_option
@click.pass_context
def transport(
    ctx: click.Context,
    fmt: str,
    at: str | None,
    since: str | None,
    until: str | None,
    known_at: str | None,
    place: str | None,
    types: tuple[str, ...],
) -> None:
    """Airports, border crossings and roads: status, since when, last confirmed."""
    with open_store(ctx) as store:
        rows = _picture(store).transport(parse_day(at, "--at"), parse_timestamp(known_at, "--known-at"))
    if place:
        rows = [r for r in rows if r["facility"] and place.lower() == str(r["facility"]["name"]).lower()]
    _out(rows, fmt, ["facility", "status", "since", "last_confirmed", "evidence"], "Transport", "facility")


@click.command()
@time_filters
@format_option(*FORMATS)
@db_option
@click.pass_context
def figures(
    ctx: click.Context,
    fmt: str,
    at: str | None,
    since: str | None,
    until: str | None,
    known_at: str | None,
    place: str | None,
    types: tuple[str, ...],
) -> None:
    """Figures (displaced, killed, injured, refugees, evacuated) as reported, projections flagged."""
    with open_store(ctx) as store:
        rows = _picture(store).figures(
            parse_timestamp(known_at, "--known-at"),
            parse_day(since, "--since"),
            parse_day(until, "--until"),
            at=parse_day(at, "--at"),
        )
    if place:
        rows = [
            r
            for r in rows
            if r["area"] and place.lower() in {str(r["area"]["name"]).lower(), str(r["area"]["country"]).lower()}
        ]
    _out(rows, fmt, ["metric", "value", "as_of", "area", "source", "projection"], "Figures", "area")


@click.command()
@click.option("--at", "at", metavar="DATE", required=True, help="The day to report on.")
@click.option("--known-at", "known_at", metavar="TS", help="As it could be known then (default: the end of --at).")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True)
@db_option
@click.pass_context
def sitrep(ctx: click.Context, at: str, known_at: str | None, fmt: str) -> None:
    """A situation report for a day, every line linked to its sources."""
    from sitroom.report.sitrep import sitrep as render

    day = parse_day(at, "--at")
    if day is None:
        raise click.BadParameter("a day is needed", param_hint="--at")
    with open_store(ctx) as store:
        click.echo(render(store, day, parse_timestamp(known_at, "--known-at"), fmt))


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["acled-csv", "geojson", "json"]), default="acled-csv", show_default=True
)
@click.option("--since", metavar="DATE", help="Events dated on or after.")
@click.option("--until", metavar="DATE", help="Events dated on or before.")
@click.option("--known-at", "known_at", metavar="TS", help="Only what was published by then.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to a file instead of stdout."
)
@db_option
@click.pass_context
def export(
    ctx: click.Context, fmt: str, since: str | None, until: str | None, known_at: str | None, output: str | None
) -> None:
    """Export fused events: ACLED-compatible CSV (ACLED's columns and types), GeoJSON or JSON."""
    from sitroom.report.export import export_events

    with open_store(ctx) as store:
        text = export_events(
            store,
            fmt,
            parse_day(since, "--since"),
            parse_day(until, "--until"),
            parse_timestamp(known_at, "--known-at"),
        )
    if output:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    else:
        click.echo(text, nl=False)
