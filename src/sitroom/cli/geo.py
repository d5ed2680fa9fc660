"""`sitroom geoparse PATH...` and `sitroom eval geoparse FILE.xml`: thin commands over sitroom.geo."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from sitroom.errors import SitroomError
from sitroom.model import PlaceMention


def _files(paths: tuple[str, ...]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in {".txt", ".md"}))
        else:
            out.append(p)
    return out


def mention_json(m: PlaceMention, explain: bool = False) -> dict[str, Any]:
    """One mention in the shape of DESIGN.md's `sitroom geoparse` output."""
    p = m.place
    d: dict[str, Any] = {
        "text": m.text,
        "start": m.start,
        "end": m.end,
        "name": p.name if p else None,
        "geonameid": p.geonameid if p else None,
        "lat": p.lat if p else None,
        "lon": p.lon if p else None,
        "country": p.country if p else None,
        "kind": p.kind if p else None,
        "zone": m.zone,
    }
    if explain:
        d["rule"] = m.rule
        d["score"] = m.score
        if p is not None and p.id:
            d["id"] = p.id
    return d


@click.command("geoparse")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json", show_default=True)
@click.option("--explain", is_flag=True, help="Show why each mention resolved as it did (rule and score).")
@click.option(
    "--places",
    "places",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="A places file (TSV/CSV: id, name, kind, country, lat, lon, aliases, note) to add. Repeatable.",
)
def geoparse(paths: tuple[str, ...], fmt: str, explain: bool, places: tuple[str, ...]) -> None:
    """Find and resolve the places named in plain-text files.

    Offsets index each file's text as read (UTF-8). Zones: the `# Title` line is "title", an image
    caption line "caption", related-article/credit/footer lines "boilerplate", the rest "body".
    """
    from sitroom.geo import Gazetteer, Geoparser, detect_zones

    try:
        gp = Geoparser(Gazetteer.load([Path(p) for p in places])) if places else Geoparser.default()
    except SitroomError as exc:
        raise click.ClickException(str(exc)) from exc
    results: list[dict[str, Any]] = []
    for path in _files(paths):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise click.ClickException(f"{path}: cannot read: {exc.strerror}") from exc
        mentions = gp.parse(text, zones=detect_zones(text))
        results.append({"file": str(path), "places": [mention_json(m, explain) for m in mentions]})
    if fmt == "json":
        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
        return
    for r in results:
        click.echo(r["file"])
        for d in r["places"]:
            where = f"{d['lat']:.4f},{d['lon']:.4f}" if d["lat"] is not None else "-"
            line = (
                f"  {d['start']:>6}-{d['end']:<6} {d['zone']:<11} {d['text']!s:<28} -> "
                f"{d['name'] or '(unresolved)'} [{d['kind'] or '-'}, {d['country'] or '-'}] {where}"
            )
            if explain:
                line += f"  {d['rule']} ({d['score']})"
            click.echo(line)


@click.command("eval_geoparse")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--demonyms", is_flag=True, help="Count 'Syrian', 'Russians'... as mentions of their country.")
def eval_geoparse(file: str, fmt: str, demonyms: bool) -> None:
    """Score the geoparser on an LGL/GeoWebNews-style XML file (accuracy@161 km, errors, P/R).

    Accuracy is over the gold toponyms (with coordinates) that the parser recognised, as in the
    published figures; `end_to_end_accuracy_161km` counts every gold toponym."""
    from sitroom.geo.evaluate import evaluate_geoparse

    try:
        score = evaluate_geoparse(Path(file), demonyms=demonyms)
    except SitroomError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps(score.as_dict(), indent=2))
    else:
        click.echo(score.render_table())


@click.group("gazetteer")
def gazetteer() -> None:
    """The places sitroom knows: what is loaded, and GeoNames dumps to add (villages, crossings, bases)."""


@gazetteer.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--country",
    "countries",
    metavar="CC[,CC]",
    help="Only these countries (ISO alpha-2, comma-separated); required for allCountries.",
)
def gazetteer_import(files: tuple[str, ...], countries: str | None) -> None:
    """Import GeoNames dumps as GeoNames publishes them: a country file (SY.txt or SY.zip), allCountries
    (with --country), alternateNamesV2 and admin1CodesASCII, in any order. Download them once from
    https://download.geonames.org/export/dump/ (CC BY 4.0).

    After an import, the villages, divisions, airports, crossings and bases of those countries resolve
    like cities, under their GeoNames ids and every alternate name. Importing is idempotent (the same file
    twice changes nothing) and incremental (each file adds to what is there). A bad file is reported with
    its name and the reason; the other files are still imported."""
    from sitroom.geo import Gazetteer
    from sitroom.geo.imports import GeoNamesImport

    wanted = {c.strip().upper() for c in countries.split(",") if c.strip()} if countries else None
    if wanted and any(len(c) != 2 or not c.isalpha() for c in wanted):
        raise click.BadParameter("country codes are ISO 3166-1 alpha-2, e.g. SY,LB", param_hint="--country")
    imp = GeoNamesImport()
    known: set[int] = set()
    failed = 0
    # Places and divisions first, so that alternate names find the places they name.
    order = sorted(files, key=lambda f: "alternatename" in Path(f).name.lower())
    for f in order:
        path = Path(f)
        if "alternatename" in path.name.lower() and not known:
            known = Gazetteer.default().geonameids()
        try:
            result = imp.import_file(path, wanted, known_ids=known)
        except SitroomError as exc:
            click.echo(f"error: {exc}", err=True)
            failed += 1
            continue
        click.echo(result.describe())
    click.echo(f"imported into {imp.root}; the index is rebuilt on next use (about 20 s)", err=True)
    if failed:
        raise SystemExit(1)


@gazetteer.command("info")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def gazetteer_info(fmt: str) -> None:
    """What the gazetteer holds: shipped places by kind, and what was imported, by country."""
    from sitroom.geo import Gazetteer
    from sitroom.geo.imports import GeoNamesImport

    imp = GeoNamesImport()
    gaz = Gazetteer.load()  # read afresh: an import made since this process began counts
    info: dict[str, Any] = {
        "places": len(gaz),
        "by_kind": dict(sorted(gaz.counts().items())),
        "imported_from": str(imp.root),
        "imported": dict(sorted(imp.summary().items())),
        "alternate_names_imported": (imp.root / "names.tsv").exists(),
        "admin1_codes_imported": (imp.root / "admin1.tsv").exists(),
    }
    if fmt == "json":
        click.echo(json.dumps(info, indent=2))
        return
    click.echo(f"{info['places']:,} places")
    for kind, n in info["by_kind"].items():
        click.echo(f"  {kind:<16} {n:>9,}")
    if info["imported"]:
        click.echo(f"imported from GeoNames dumps ({imp.root}):")
        for cc, n in info["imported"].items():
            click.echo(f"  {cc}  {n:,} places")
    else:
        click.echo("nothing imported (sitroom gazetteer import SY.zip adds a country's villages)")
    if info["alternate_names_imported"]:
        click.echo("  alternate names imported")


@click.group("routes")
def routes() -> None:
    """The road graph behind `sitroom route`: list it, or import a region's main roads from OpenStreetMap."""


@routes.command("import")
@click.argument("extract", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--highway",
    default="motorway,trunk,primary",
    show_default=True,
    help="The OSM highway classes to take, comma-separated.",
)
def routes_import(extract: str, highway: str) -> None:
    """Import the main roads of an OpenStreetMap extract (.osm.pbf, e.g. from download.geofabrik.de; ODbL).

    Ways of the chosen classes are joined by their ref (else their name); the towns, cities and border
    crossings of the gazetteer along each road become its points, so `sitroom route` can use it. Import the
    country's GeoNames file first (`sitroom gazetteer import`) to have its villages and crossings too.
    The roads go to a file in the user data folder; importing the same extract again replaces them."""
    from sitroom.geo import Gazetteer
    from sitroom.geo.osm import roads_from_extract, write_roads

    classes = [c.strip() for c in highway.split(",") if c.strip()]
    try:
        found = roads_from_extract(Path(extract), Gazetteer.load(), classes)
    except SitroomError as exc:
        raise click.ClickException(str(exc)) from exc
    if not found:
        raise click.ClickException(f"{extract}: no {', '.join(classes)} road passes two known places")
    target = write_roads(found, Path(extract))
    for r in found:
        click.echo(f"{r.name}: {len(r.points)} points ({r.points[0][0]} - {r.points[-1][0]})")
    click.echo(f"{len(found)} roads written to {target}", err=True)


@routes.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def routes_list(fmt: str) -> None:
    """The roads the route planner knows: sitroom's own and those imported."""
    from sitroom.geo import Gazetteer
    from sitroom.geo.roads import RoadGraph

    try:
        graph = RoadGraph.load(Gazetteer.default())
    except SitroomError as exc:
        raise click.ClickException(str(exc)) from exc
    rows: list[dict[str, Any]] = [
        {"id": r.id, "name": r.name, "points": [p.name for p in r.points], "km": round(sum(s.km for s in r.segments))}
        for r in graph.roads.values()
    ]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['name']} ({row['id']}, {row['km']} km): {' - '.join(row['points'])}")
