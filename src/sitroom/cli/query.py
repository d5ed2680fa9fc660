"""Read commands over the store: `sitroom documents` and `sitroom claims`."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import click

from sitroom.cli.common import db_option, emit, emit_json, format_option, open_store, parse_day, parse_timestamp
from sitroom.geo.select import place_selector
from sitroom.model import EVENT_TYPES, EXPLAIN_NOTES
from sitroom.serialize import claim_to_dict, document_to_dict
from sitroom.store import ClaimQuery


def time_filters(func):  # type: ignore[no-untyped-def]
    """--at/--since/--until/--known-at/--place/--type, shared by every query command."""
    options = [
        click.option(
            "--at", "at", metavar="DATE", help="The picture on that day: dated up to it and known by its end."
        ),
        click.option("--since", metavar="DATE", help="Event date on or after (a date range overlapping counts)."),
        click.option("--until", metavar="DATE", help="Event date on or before."),
        click.option(
            "--known-at", "known_at", metavar="TS", help="Only what was published by then (UTC unless offset)."
        ),
        click.option(
            "--place",
            metavar="P",
            help="A place: any spelling (as written, GeoNames or alternate name), a GeoNames id or a country code.",
        ),
        click.option("--type", "types", multiple=True, type=click.Choice(EVENT_TYPES), help="Event type (repeatable)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def build_query(
    at: str | None,
    since: str | None,
    until: str | None,
    known_at: str | None,
    place: str | None,
    types: tuple[str, ...],
) -> ClaimQuery:
    at_day = parse_day(at, "--at")
    until_day = parse_day(until, "--until")
    if at_day is not None:
        until_day = min(until_day, at_day) if until_day else at_day
    return ClaimQuery(
        since=parse_day(since, "--since"),
        until=until_day,
        known_at=parse_timestamp(known_at, "--known-at"),
        place=place,
        place_keys=tuple(sorted(place_selector(place).keys)) if place else (),
        types=tuple(types),
    )


CLAIM_COLUMNS = ["id", "document_id", "type", "stance", "actor", "place", "date", "attributed_to", "evidence"]
# --explain keeps who, where, when and who says so, and adds how each was read
EXPLAIN_COLUMNS = ["id", "type", "stance", "actor", "place", "date", "attributed_to", "rule", "cues", "how",
                   "confidence", "evidence"]  # fmt: skip


def _claim_row(d: dict[str, Any], explain: bool) -> dict[str, Any]:
    row = dict(d)
    if row["date"] is None and (row["date_earliest"] or row["date_latest"]):
        row["date"] = f"{row['date_earliest'] or '…'}..{row['date_latest'] or '…'}"
    row["attributed_to"] = d["attributed_to"] or {"name": "(outlet)"}
    row["evidence"] = d["evidence"]["text"]
    if explain:
        cues = d.get("cues") or []
        row["cues"] = [c for c in cues if not c.startswith(EXPLAIN_NOTES)]
        row["how"] = [c for c in cues if c.startswith(EXPLAIN_NOTES)]
    return row


@click.command()
@time_filters
@click.option("--explain", is_flag=True, help="Show each claim's rule, matched cues and evidence sentence.")
@click.option("--document", "document_id", metavar="ID", help="Only claims from this document.")
@click.option("--language", metavar="CODE", help="Only claims from reports in this language (ar, ru, en).")
@format_option("table", "json", "csv")
@db_option
@click.pass_context
def claims(
    ctx: click.Context, fmt: str, explain: bool, document_id: str | None, language: str | None, **filters: Any
) -> None:
    """Claims: who claims what happened where and when, with stance, attribution and evidence (in the report's
    own language; places and actors by sitroom's English names)."""
    query = build_query(**filters)
    if document_id:
        query = replace(query, document_id=document_id)
    if language:
        query = replace(query, language=language.lower())
    with open_store(ctx) as store:
        found = store.claims(query)
    dicts = [claim_to_dict(c) for c in found]
    if explain:
        # The JSON contract is unchanged; --explain adds the matched cues next to the rule.
        for d, c in zip(dicts, found, strict=True):
            d["cues"] = list(c.cues)
    if fmt == "json":
        emit_json(dicts)
        return
    if explain:
        rows = [_claim_row(d, True) for d in dicts]
        emit(rows, fmt, EXPLAIN_COLUMNS, title="Claims (explained)")
    else:
        emit([_claim_row(d, False) for d in dicts], fmt, CLAIM_COLUMNS, title="Claims")


@click.command()
@click.option("--known-at", "known_at", metavar="TS", help="Only documents published by then.")
@click.option("--since", metavar="DATE", help="Published on or after.")
@click.option("--until", metavar="DATE", help="Published on or before.")
@format_option("table", "json", "csv")
@db_option
@click.pass_context
def documents(ctx: click.Context, fmt: str, known_at: str | None, since: str | None, until: str | None) -> None:
    """Documents in the store (current revisions), oldest first."""
    since_day, until_day = parse_day(since, "--since"), parse_day(until, "--until")
    with open_store(ctx) as store:
        stored = store.documents(known_at=parse_timestamp(known_at, "--known-at"))
    rows = []
    for s in stored:
        day = s.known_at.date()
        if (since_day and day < since_day) or (until_day and day > until_day):
            continue
        rows.append(document_to_dict(s.document, s.ingested_at))
    emit(rows, fmt, ["id", "date", "outlet", "title", "url"], title="Documents")
