"""What the commands share: the --db option in both places, opening the store, output formats."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import click

from sitroom.errors import SitroomError
from sitroom.store import Store
from sitroom.time import parse_duration, parse_query_day, parse_query_time

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def _set_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        ctx.ensure_object(dict)["db"] = value
    return value


def db_option(func: F) -> F:
    """`--db` after the command's name, overriding the global one placed before it."""
    return click.option(
        "--db",
        "_db",
        metavar="URL",
        expose_value=False,
        callback=_set_db,
        is_eager=True,
        help="Store: a SQLite path (default ./sitroom.db) or postgresql://... (env SITROOM_DB).",
    )(func)


@contextmanager
def open_store(ctx: click.Context) -> Iterator[Store]:
    db = (ctx.obj or {}).get("db")  # one dict shared by the group and its commands
    try:
        store = Store.open(db)
    except SitroomError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        yield store
    finally:
        store.close()


def _option(value: str | None, name: str, parse: Callable[[str], T]) -> T | None:
    """An option's value read by `parse`; a bad one is a usage error naming the option and why."""
    if value is None:
        return None
    try:
        return parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=name) from None


def duration_option(value: str | None, name: str) -> timedelta | None:
    """A duration option ("6h", "2d")."""
    return _option(value, name, parse_duration)


def parse_day(value: str | None, name: str) -> date | None:
    """A day option (YYYY-MM-DD, years 1900-2199)."""
    return _option(value, name, parse_query_day)


def parse_timestamp(value: str | None, name: str) -> datetime | None:
    """A moment option: a UTC timestamp unless it carries an offset; a bare date is 00:00 UTC that day (the
    end of that day is not implied), the same convention as a date-only publication. Years 1900-2199."""
    return _option(value, name, parse_query_time)


def format_option(*choices: str, default: str = "table") -> Callable[[F], F]:
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=default, show_default=True, help="Output format."
    )


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _flat(value: Any) -> Any:
    """A cell for CSV/table: nested {id,name} objects by name, places by name, lists joined."""
    if value is None:
        return ""
    if isinstance(value, dict):
        for key in ("name", "text", "id"):
            if key in value:
                return value[key]
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return ";".join(str(_flat(v)) for v in value)
    return value


def _shown(value: Any) -> Any:
    """A table cell: as `_flat`, with GeoNames' name beside the English one shown ("Hama (Hamah)")."""
    if isinstance(value, dict) and value.get("geonames_name"):
        return f"{value.get('name')} ({value['geonames_name']})"
    return _flat(value)


def emit_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_flat(row.get(c)) for c in columns])
    click.echo(buf.getvalue(), nl=False)


def emit_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], title: str | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False, expand=False)
    for c in columns:
        table.add_column(c, overflow="fold")
    for row in rows:
        table.add_row(*(str(_shown(row.get(c))) for c in columns))
    Console(file=sys.stdout, width=None if sys.stdout.isatty() else 200).print(table)


def emit(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str], title: str | None = None) -> None:
    if fmt == "json":
        emit_json(list(rows))
    elif fmt == "csv":
        emit_csv(rows, columns)
    else:
        emit_table(rows, columns, title)
