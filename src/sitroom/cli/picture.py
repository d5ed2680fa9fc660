"""The picture: `sitroom events|control|advisories|transport|figures`, `sitroom export`, `sitroom sitrep`."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import click

from sitroom.cli.common import (
    db_option,
    duration_option,
    emit,
    emit_json,
    format_option,
    open_store,
    parse_day,
    parse_timestamp,
)
from sitroom.cli.query import time_filters
from sitroom.geo.select import place_selector

if TYPE_CHECKING:
    from sitroom.state import Picture
    from sitroom.store import Store


def filter_rows(kind: str, rows: list[dict[str, Any]], *args: Any) -> list[dict[str, Any]]:
    from sitroom.errors import QueryError
    from sitroom.state import filter_rows as apply  # imported on use, as the picture itself

    try:
        return apply(kind, rows, *args)
    except QueryError as exc:
        raise click.UsageError(f"--type: {exc}") from exc


def _picture(store: Store) -> Picture:
    from sitroom.state import Picture  # imported on use: `sitroom --help` need not load fusion

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


@dataclass(frozen=True)
class Filters:
    """The query options every picture command takes, parsed once."""

    at: date | None
    since: date | None
    until: date | None
    known_at: datetime | None
    place: str | None
    types: tuple[str, ...]

    @classmethod
    def parse(cls, options: dict[str, Any]) -> Filters:
        return cls(
            at=parse_day(options["at"], "--at"),
            since=parse_day(options["since"], "--since"),
            until=parse_day(options["until"], "--until"),
            known_at=parse_timestamp(options["known_at"], "--known-at"),
            place=options["place"],
            types=tuple(options["types"]),
        )

    def at_place(self, rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
        """Rows whose place (under `key`) is the one asked for: any spelling, GeoNames id or country code."""
        if not self.place:
            return rows
        selector = place_selector(self.place)
        return [r for r in rows if selector.matches(r[key])]


def picture_command(func: Callable[..., None]) -> click.Command:
    """A picture command: the shared filters, formats and --db, and the parsed Filters handed in."""

    @functools.wraps(func)
    def run(ctx: click.Context, fmt: str, **options: Any) -> None:
        with open_store(ctx) as store:
            func(_picture(store), Filters.parse(options), fmt)

    return click.command(name=func.__name__)(time_filters(format_option(*FORMATS)(db_option(click.pass_context(run)))))


@picture_command
def events(picture: Picture, f: Filters, fmt: str) -> None:
    """Events: claims fused into one entry per happening, with status and independent sources."""
    rows = picture.events(since=f.since, until=f.until, known_at=f.known_at, place=f.place, types=f.types, at=f.at)
    cols = ["id", "type", "date", "date_earliest", "date_latest", "actor", "place", "status", "sources", "confidence"]
    cols.append("note")  # why fusion doubts it (an implausible capture)
    _out(rows, fmt, cols, "Events", "place")


def _freshness_cell(row: dict[str, Any]) -> str:
    if row.get("stale") is None:
        return "baseline (no report)"
    hours = row["hours_since_confirmed"]
    ago = f"{hours:g} h" if hours < 72 else f"{hours / 24:.0f} days"
    n = row["sources"]
    if row["stale"]:
        return f"STALE: not confirmed for {ago} ({n} source{'s' if n != 1 else ''})"
    return f"{n} source{'s' if n != 1 else ''}, last {ago} ago"


@click.command()
@time_filters
@click.option(
    "--stale-after",
    "stale_after",
    metavar="DURATION",
    default="48h",
    show_default=True,
    help="Flag a place as stale when no report has confirmed who holds it for this long (90m, 6h, 2d).",
)
@format_option(*FORMATS)
@db_option
@click.pass_context
def control(ctx: click.Context, fmt: str, stale_after: str, **options: Any) -> None:
    """Who holds which place: the span in force on --at (every span, as a timeline, without it), with how
    many sources confirm it and whether it is stale, judged at the end of --at's day or at the newest report."""
    f = Filters.parse(options)
    after = duration_option(stale_after, "--stale-after")
    with open_store(ctx) as store:
        picture = _picture(store)
        rows = picture.control(f.at, f.known_at, f.place, stale_after=after) if after else []
    rows = filter_rows("control", rows, f.types, f.since, f.until)
    if fmt in ("table", "csv"):
        for r in rows:
            r["freshness"] = _freshness_cell(r)
    cols = ["place", "controller", "since", "until", "confidence", "freshness", "last_confirmed", "evidence"]
    _out(rows, fmt, cols, "Control", "place")


@picture_command
def advisories(picture: Picture, f: Filters, fmt: str) -> None:
    """Travel advisories in force (with --at) or all, latest of an issuer for an area and audience first."""
    rows = f.at_place(picture.advisories(f.at, f.known_at), "area")
    rows = filter_rows("advisories", rows, f.types, f.since, f.until)
    cols = ["issuer", "area", "audience", "levels", "means", "issued", "superseded_by"]
    _out(rows, fmt, cols, "Advisories", "area")


@picture_command
def transport(picture: Picture, f: Filters, fmt: str) -> None:
    """Airports, border crossings and roads: status, since when, last confirmed."""
    rows = f.at_place(picture.transport(f.at, f.known_at), "facility")
    rows = filter_rows("transport", rows, f.types, f.since, f.until)
    _out(rows, fmt, ["facility", "status", "since", "last_confirmed", "evidence"], "Transport", "facility")


@picture_command
def figures(picture: Picture, f: Filters, fmt: str) -> None:
    """Figures (displaced, killed, injured, refugees, evacuated) as reported, projections flagged."""
    rows = f.at_place(picture.figures(f.known_at, f.since, f.until, at=f.at), "area")
    rows = filter_rows("figures", rows, f.types)  # --since/--until: already by the figure's date
    _out(rows, fmt, ["metric", "value", "as_of", "area", "source", "projection"], "Figures", "area")


def _to_terminal() -> bool:
    return sys.stdout.isatty()


@click.command()
@click.option("--at", "at", metavar="DATE", required=True, help="The day to report on.")
@click.option("--known-at", "known_at", metavar="TS", help="As it could be known then (default: the end of --at).")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "pdf"]), default="md", show_default=True)
@click.option("--place", metavar="P", help="Only what is at this place: any spelling, a GeoNames id or a country code.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to a file instead of stdout."
)
@db_option
@click.pass_context
def sitrep(ctx: click.Context, at: str, known_at: str | None, fmt: str, place: str | None, output: str | None) -> None:
    """A situation report for a day, every line linked to its sources. HTML and PDF carry a control map drawn
    by sitroom (no tiles); PDF (the printable brief: page numbers, links printed) needs the `pdf` extra."""
    from sitroom.report.sitrep import PdfUnavailable, sitrep_pdf
    from sitroom.report.sitrep import sitrep as render

    day = parse_day(at, "--at")
    if day is None:
        raise click.BadParameter("a day is needed", param_hint="--at")
    if fmt == "pdf" and output is None and _to_terminal():
        raise click.UsageError("a PDF is not for the terminal: give -o FILE.pdf (or redirect the output)")
    with open_store(ctx) as store:
        moment = parse_timestamp(known_at, "--known-at")
        if fmt == "pdf":
            try:
                data = sitrep_pdf(store, day, moment, place)
            except PdfUnavailable as exc:
                raise click.ClickException(str(exc)) from exc
        else:
            data = (render(store, day, moment, fmt, place) + "\n").encode("utf-8")
    if output:
        with open(output, "wb") as fh:
            fh.write(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


@click.command()
@click.option(
    "--since",
    "window",
    metavar="DURATION",
    default="6h",
    show_default=True,
    help="How far back the changes go (90m, 6h, 2d), to --known-at or the newest report in the store.",
)
@click.option("--known-at", "known_at", metavar="TS", help="End the window here (default: the newest report).")
@click.option("--place", metavar="P", help="Only changes at this place: any spelling, a GeoNames id or a country code.")
@click.option(
    "--max-chars",
    "max_chars",
    type=click.IntRange(min=80),
    help="Fit the text in this many characters (e.g. 1000 for a few SMS), leaving out the least important lines.",
)
@db_option
@click.pass_context
def bulletin(ctx: click.Context, window: str, known_at: str | None, place: str | None, max_chars: int | None) -> None:
    """What changed in the last hours, as plain text for SMS, Signal or a Telegram channel: control changes,
    advisories, exits closing, events contested or corroborated; one line each with its confidence and
    source references, and a footer mapping the references to their links."""
    from sitroom.report.bulletin import bulletin as build

    since = duration_option(window, "--since")
    assert since is not None
    with open_store(ctx) as store:
        click.echo(build(store, since, parse_timestamp(known_at, "--known-at"), place, max_chars), nl=False)


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["acled-csv", "geojson", "json"]), default="acled-csv", show_default=True
)
@click.option("--since", metavar="DATE", help="Events dated on or after.")
@click.option("--until", metavar="DATE", help="Events dated on or before.")
@click.option("--known-at", "known_at", metavar="TS", help="Only what was published by then.")
@click.option("--place", metavar="P", help="Only events at this place: any spelling, a GeoNames id or a country code.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to a file instead of stdout."
)
@db_option
@click.pass_context
def export(
    ctx: click.Context,
    fmt: str,
    since: str | None,
    until: str | None,
    known_at: str | None,
    place: str | None,
    output: str | None,
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
            place,
        )
    if output:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    else:
        click.echo(text, nl=False)


@click.command()
@click.option("--from", "origin", metavar="PLACE", required=True, help="Where the journey starts (any spelling or id).")
@click.option("--to", "destination", metavar="PLACE", required=True, help="Where it ends.")
@click.option("--at", "at", metavar="DATE", help="The day to answer for (default: today, UTC).")
@click.option("--known-at", "known_at", metavar="TS", help="As it could be known then (default: the end of --at).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@db_option
@click.pass_context
def route(ctx: click.Context, origin: str, destination: str, at: str | None, known_at: str | None, fmt: str) -> None:
    """Can one drive from one place to another: open, at risk or cut, the best open path, and the road
    segments that decide it, each with the claims and events behind it.

    A segment is cut when a report closes it (a road closed between two of its towns closes that stretch;
    a closed crossing closes the roads ending at it); at risk when a report calls it disrupted, when its ends
    are held by different sides or changed hands in the last 3 days, or when fighting was reported within
    10 km in those days. Roads are data: src/sitroom/geo/data/roads.toml."""
    from sitroom.errors import SitroomError

    day = parse_day(at, "--at") or datetime.now().astimezone().date()
    with open_store(ctx) as store:
        try:
            answer = _picture(store).route(origin, destination, day, parse_timestamp(known_at, "--known-at"))
        except SitroomError as exc:
            raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        emit_json(answer)
        return
    status = answer["status"].replace("_", " ").upper()
    head = f"{answer['from']['name']} -> {answer['to']['name']} on {answer['at']}: {status}"
    if answer["via"]:
        head += f" ({answer['km']:.0f} km via {', '.join(answer['via'])})"
    elif answer["status"] == "unknown":
        head += " (no known road reaches one of these places)"
    click.echo(head)
    if not answer["deciding"]:
        if answer["via"]:
            click.echo("  every segment of this path is open on what is known")
        return
    click.echo("segments that decide it:")
    for seg in answer["deciding"]:
        click.echo(
            f"  {seg['road']['name']}, {seg['from']['name']} - {seg['to']['name']}: {seg['status'].replace('_', ' ')}"
        )
        for r in seg["reasons"]:
            refs = ", ".join([*r["claims"][:3], *r["events"][:2]])
            click.echo(f"    {r['date'] or '-'}  {r['text']}" + (f"  [{refs}]" if refs else ""))


@click.command()
@click.option("--at", "at", metavar="DATE", help="The day (default: today, UTC).")
@click.option("--known-at", "known_at", metavar="TS", help="As it could be known then.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@db_option
@click.pass_context
def provinces(ctx: click.Context, at: str | None, known_at: str | None, fmt: str) -> None:
    """Control summarised per province (first-level division): how many of the places tracked in each
    province every side holds on --at, and which they are."""
    day = parse_day(at, "--at") or datetime.now().astimezone().date()
    with open_store(ctx) as store:
        rows = _picture(store).provinces(day, parse_timestamp(known_at, "--known-at"))
    if fmt == "json":
        emit_json(rows)
        return
    flat = [
        {
            "province": r["province"]["name"],
            "country": r["province"]["country"],
            "places": r["places"],
            "held": "; ".join(f"{h['controller']['name']} {len(h['places'])}" for h in r["held"]),
        }
        for r in rows
    ]
    emit(flat, fmt, ["province", "country", "places", "held"], title=f"Control by province on {day.isoformat()}")
