"""Query parameters shared by the read endpoints, parsed once with errors in the API's error shape.

The filters are the CLI's (DESIGN.md, "Commands"): `at` (the picture on that day: dated up to it and known
by its end), `since`/`until` (the event date range overlaps), `known_at` (only what was published by then;
UTC unless the timestamp carries an offset; a bare date means 00:00 UTC that day), `place` (a name as written
or resolved, a GeoNames id or a country code), `type` (repeatable), `actor` (an actor id or name) and `bbox`
(``min_lon,min_lat,max_lon,max_lat``). Days and moments are read strictly (nothing after the date but a time)
and must fall in the years 1900-2199 (`sitroom.time.QUERY_YEARS`); any bad parameter is a 422
``invalid_parameter`` naming it.

Pagination: list endpoints take `limit` (default 100, at most 10000) and `offset`, and return the JSON list
the CLI's ``--format json`` prints, with the number of matching items before paging in the ``X-Total-Count``
header. A list stays a list, so a client of the CLI's JSON reads the API's the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Response

from sitroom.api.errors import ApiError
from sitroom.model import EVENT_TYPES
from sitroom.time import parse_query_day, parse_query_time

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000

T = TypeVar("T")


def parse_day(value: str | None, name: str) -> date | None:
    """A day parameter (YYYY-MM-DD, years 1900-2199); a bad one is a 422 naming the parameter and why."""
    if value is None or value == "":
        return None
    try:
        return parse_query_day(value)
    except ValueError as exc:
        raise _bad_date(name, exc) from None


def parse_timestamp(value: str | None, name: str) -> datetime | None:
    """A moment parameter (ISO timestamp, UTC unless it carries an offset; years 1900-2199 before and after
    moving it to UTC); a bad one is a 422 naming the parameter and why."""
    if value is None or value == "":
        return None
    try:
        return parse_query_time(value)
    except ValueError as exc:
        raise _bad_date(name, exc) from None


def _bad_date(name: str, exc: ValueError) -> ApiError:
    # 422 and `invalid_parameter`, as for every other bad parameter (a malformed date included), so a client
    # handles one status for "fix your query"; never a 500 from date arithmetic further in.
    return ApiError(422, "invalid_parameter", f"{name}: {exc}", {"parameter": name})


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None or value == "":
        return None
    parts = value.split(",")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if len(numbers) != 4:
        raise ApiError(
            422, "invalid_parameter", f"bbox: {value!r} is not min_lon,min_lat,max_lon,max_lat", {"parameter": "bbox"}
        )
    min_lon, min_lat, max_lon, max_lat = numbers
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ApiError(
            422,
            "invalid_parameter",
            f"bbox: {value!r} is not a box (min before max, longitudes within ±180, latitudes within ±90)",
            {"parameter": "bbox"},
        )
    return min_lon, min_lat, max_lon, max_lat


@dataclass(frozen=True, slots=True)
class Filters:
    at: date | None
    since: date | None
    until: date | None
    known_at: datetime | None
    place: str | None
    types: tuple[str, ...]
    actor: str | None
    bbox: tuple[float, float, float, float] | None

    @property
    def window(self) -> tuple[date | None, datetime | None]:
        """(until, known_at) once `at` is applied the CLI's way: `at` is the day asked about (dated up to
        it); what was known when is `known_at`'s business alone."""
        until = min(self.until, self.at) if self.until and self.at else (self.at or self.until)
        return until, self.known_at


async def filters(
    at: Annotated[str | None, Query(description="The picture on that day (YYYY-MM-DD).")] = None,
    since: Annotated[str | None, Query(description="Event date on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, Query(description="Event date on or before (YYYY-MM-DD).")] = None,
    known_at: Annotated[
        str | None, Query(description="Only what was published by then (ISO timestamp, UTC unless offset).")
    ] = None,
    place: Annotated[
        str | None,
        Query(
            description="A place: any spelling (as written, GeoNames or alternate name), GeoNames id or country code."
        ),
    ] = None,
    type: Annotated[list[str] | None, Query(description="Event type (repeatable).")] = None,
    actor: Annotated[str | None, Query(description="Actor id or name (actor, target or speaker).")] = None,
    bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat")] = None,
) -> Filters:
    types = tuple(type or ())
    unknown = [t for t in types if t not in EVENT_TYPES]
    if unknown:
        raise ApiError(
            422,
            "invalid_parameter",
            f"type: unknown event type {unknown[0]!r}",
            {"parameter": "type", "allowed": list(EVENT_TYPES)},
        )
    return Filters(
        at=parse_day(at, "at"),
        since=parse_day(since, "since"),
        until=parse_day(until, "until"),
        known_at=parse_timestamp(known_at, "known_at"),
        place=place or None,
        types=types,
        actor=actor or None,
        bbox=parse_bbox(bbox),
    )


@dataclass(frozen=True, slots=True)
class Page:
    limit: int
    offset: int

    def apply(self, items: Sequence[T], response: Response) -> list[T]:
        response.headers["X-Total-Count"] = str(len(items))
        return list(items[self.offset : self.offset + self.limit])


async def page(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, description="Items to skip.")] = 0,
) -> Page:
    return Page(limit, offset)


FiltersDep = Annotated[Filters, Depends(filters)]
PageDep = Annotated[Page, Depends(page)]


def actor_matches(needle: str, *actors: dict[str, Any] | None) -> bool:
    """Whether any of the {id, name} actor objects is the one asked for (by id, or name ignoring case)."""
    wanted = needle.strip().lower()
    return any(
        a is not None and (a.get("id", "").lower() == wanted or a.get("name", "").lower() == wanted) for a in actors
    )
