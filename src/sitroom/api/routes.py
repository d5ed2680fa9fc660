"""Read endpoints: documents, claims, events, control (JSON and GeoJSON), advisories, transport, figures, sitrep.

Bodies are DESIGN.md's JSON contract shapes (the same dicts the CLI prints with ``--format json``); lists are
paged with `limit`/`offset` and carry the total in ``X-Total-Count`` (see `sitroom.api.params`). The fused
picture (events, control, advisories, transport, figures) comes from `sitroom.state.Picture` and the sitrep from
`sitroom.report.sitrep`; their answers are cached by request and data version (`sitroom.api.cache`). Where the
picture cannot give something in this install, the endpoint answers 503 in the common error shape.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from sitroom import __version__
from sitroom.api.cache import CachedBody, ResponseCache, VersionClock
from sitroom.api.errors import ApiError
from sitroom.api.params import FiltersDep, Page, PageDep, actor_matches, parse_day, parse_timestamp
from sitroom.serialize import claim_to_dict, document_to_dict, iso_day
from sitroom.store import ClaimQuery, Store, StoredDocument

router = APIRouter()

JSONList = list[dict[str, Any]]


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


class PictureHolder:
    """One `sitroom.state.Picture` per app, made on first use.

    Picture keeps the fused picture in the store and refreshes it from new claims, and caches replays
    (`known_at`) keyed by the store's data version, so one long-lived Picture follows new reports. The lock
    serialises calls: a refresh writes the stored picture, and concurrent first requests for a replay moment
    should fuse once, not once each.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.lock = threading.Lock()
        self.picture: Any = None

    def locked(self, fn: Callable[[], Any]) -> Any:
        with self.lock:
            return fn()

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        try:
            from sitroom.state import Picture
        except ImportError as exc:
            raise ApiError(
                503, "unavailable", "the fused picture (sitroom.state) is not available in this install", str(exc)
            ) from None
        with self.lock:
            if self.picture is None:
                self.picture = Picture(self.store)
            query = getattr(self.picture, method, None)
            if query is None:
                raise ApiError(503, "unavailable", f"the picture cannot give {method} in this install yet")
            return query(*args, **kwargs)


def picture(request: Request, method: str, *args: Any, **kwargs: Any) -> Any:
    holder: PictureHolder = request.app.state.pictures
    return holder.call(method, *args, **kwargs)


# --- meta ---------------------------------------------------------------------------------------------------


@router.get("/meta", tags=["meta"], summary="What the store holds and what the server allows")
def meta(request: Request) -> dict[str, Any]:
    store = store_of(request)
    first, last = publication_range(store)
    return {
        "version": __version__,
        "counts": store.counts(),
        "first_day": iso_day(first),
        "last_day": iso_day(last),
        "write_enabled": request.app.state.token is not None,
    }


def publication_range(store: Store) -> tuple[date | None, date | None]:
    """The first and last publication days in the store: the page's time slider spans them."""
    from sitroom.store.schema import documents as documents_t

    # One aggregate query rather than reading every document: the store may hold an archive.
    q = sa.select(sa.func.min(documents_t.c.known_at), sa.func.max(documents_t.c.known_at)).where(
        documents_t.c.current.is_(True)
    )
    with store.engine.connect() as conn:
        lo, hi = conn.execute(q).one()
    return _day(lo), _day(hi)


def _day(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite hands aggregates back as text
        return date.fromisoformat(value[:10])
    return value.date() if hasattr(value, "date") else value  # type: ignore[no-any-return]


# --- documents and claims -----------------------------------------------------------------------------------


@router.get("/documents", tags=["documents"], summary="Documents (current revisions), oldest first")
def documents(
    request: Request,
    response: Response,
    pg: PageDep,
    known_at: Annotated[str | None, Query(description="Only documents published by then.")] = None,
    since: Annotated[str | None, Query(description="Published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, Query(description="Published on or before (YYYY-MM-DD).")] = None,
    id: Annotated[list[str] | None, Query(description="Only these document ids (repeatable).")] = None,
) -> JSONList:
    known = parse_timestamp(known_at, "known_at")
    since_day, until_day = parse_day(since, "since"), parse_day(until, "until")
    stored = store_of(request).documents(known_at=known, ids=id or None)
    rows = [
        document_to_dict(s.document, s.ingested_at)
        for s in stored
        if not (since_day and s.known_at.date() < since_day) and not (until_day and s.known_at.date() > until_day)
    ]
    return pg.apply(rows, response)


@router.get("/documents/{document_id:path}", tags=["documents"], summary="One document with its text")
def document(request: Request, document_id: str) -> dict[str, Any]:
    stored = store_of(request).document(document_id)
    if stored is None:
        raise ApiError(404, "not_found", f"no document {document_id!r} in the store", {"id": document_id})
    return document_detail(stored)


def document_detail(stored: StoredDocument) -> dict[str, Any]:
    """The contract's Document dict plus what a reader of the report needs: its text, the spans that are not
    news, the reader's warnings and the revision."""
    doc = stored.document
    out = document_to_dict(doc, stored.ingested_at)
    out.update(
        {
            "text": doc.text,
            "non_news": [{"start": s.start, "end": s.end, "kind": s.kind} for s in doc.non_news],
            "warnings": list(doc.warnings),
            "revision": stored.revision,
            "source_kind": doc.source_kind,
        }
    )
    return out


@router.get("/claims", tags=["claims"], summary="Claims with stance, attribution and evidence")
def claims(
    request: Request,
    response: Response,
    f: FiltersDep,
    pg: PageDep,
    document: Annotated[str | None, Query(description="Only claims from this document.")] = None,
    id: Annotated[list[str] | None, Query(description="Only these claim ids (repeatable).")] = None,
) -> JSONList:
    until, known = f.window
    query = ClaimQuery(
        since=f.since, until=until, known_at=known, place=f.place, types=f.types, document_id=document, bbox=f.bbox
    )
    wanted = set(id or ())
    rows = []
    for claim in store_of(request).iter_claims(query):
        if wanted and claim.id not in wanted:
            continue
        d = claim_to_dict(claim)
        if f.actor and not actor_matches(f.actor, d["actor"], d["target"], d["attributed_to"]):
            continue
        rows.append(d)
    return pg.apply(rows, response)


# --- the fused picture --------------------------------------------------------------------------------------


async def picture_response(
    request: Request, make: Callable[[], Any], pg: Page | None = None, media_type: str = "application/json"
) -> Response:
    """The answer as bytes, from the response cache when the same question was asked of the same data.

    A hit is answered on the event loop with no database work; a miss (fusion, queries) runs in the
    thread pool, so slow questions do not hold up quick ones.
    """
    versions: VersionClock = request.app.state.versions
    version = versions.fresh()
    if version is None:
        version = await run_in_threadpool(versions.refresh)
    key = (request.url.path, tuple(sorted(request.query_params.multi_items())), version)

    def build() -> CachedBody:
        found = make()
        if isinstance(found, str):
            return CachedBody(found.encode(), media_type)
        if pg is None:
            return CachedBody(_dumps(found), media_type)
        page = found[pg.offset : pg.offset + pg.limit]
        return CachedBody(_dumps(page), media_type, (("X-Total-Count", str(len(found))),))

    cache: ResponseCache = request.app.state.cache
    hit = cache.get(key)
    if hit is None:
        hit = await _build_once(request.app.state.inflight, key, build)
        cache.put(key, hit)
    headers = dict(hit.headers)
    headers["Vary"] = "Accept-Encoding"
    if "gzip" in request.headers.get("accept-encoding", ""):
        packed = hit.gzipped()
        if packed is not None:
            headers["Content-Encoding"] = "gzip"
            return Response(packed, media_type=hit.media_type, headers=headers)
    return Response(hit.body, media_type=hit.media_type, headers=headers)


async def _build_once(
    inflight: dict[Any, asyncio.Future[CachedBody]], key: Any, build: Callable[[], CachedBody]
) -> CachedBody:
    """Build the answer once when many ask the same new question together (a page opened by a crowd, the
    first drag of a slider): the others wait for the first one's answer instead of each fusing again."""
    waiting = inflight.get(key)
    if waiting is not None:
        return await asyncio.shield(waiting)
    future: asyncio.Future[CachedBody] = asyncio.get_running_loop().create_future()
    inflight[key] = future
    try:
        body = await run_in_threadpool(build)
    except BaseException as exc:
        future.set_exception(exc)
        future.exception()  # retrieved here, so an unwatched failure is not logged twice
        raise
    finally:
        inflight.pop(key, None)
    future.set_result(body)
    return body


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":")).encode()


LIST_OF = "A JSON list of DESIGN.md {} dicts; X-Total-Count holds the number before paging."


@router.get(
    "/events",
    tags=["picture"],
    summary="Events: claims fused into happenings with their status",
    response_class=Response,
    responses={200: {"description": LIST_OF.format("Event"), "content": {"application/json": {}}}},
)
async def events(request: Request, f: FiltersDep, pg: PageDep) -> Response:
    def make() -> JSONList:
        found: JSONList = picture(
            request,
            "events",
            since=f.since,
            until=f.until,
            known_at=f.known_at,
            place=f.place,
            types=f.types,
            bbox=f.bbox,
            at=f.at,
        )
        if f.actor:
            found = [e for e in found if actor_matches(f.actor, e.get("actor"), e.get("target"))]
        return found

    return await picture_response(request, make, pg)


@router.get(
    "/control",
    tags=["picture"],
    summary="Who holds each place on a day (one entry per place)",
    response_class=Response,
    responses={200: {"description": LIST_OF.format("Control"), "content": {"application/json": {}}}},
)
async def control(request: Request, f: FiltersDep, pg: PageDep) -> Response:
    def make() -> JSONList:
        found: JSONList = picture(request, "control", at=f.at, known_at=f.known_at, place=f.place)
        if f.actor:
            found = [c for c in found if actor_matches(f.actor, c.get("controller"))]
        if f.bbox:
            found = [c for c in found if _in_bbox(c.get("place"), f.bbox)]
        return found

    return await picture_response(request, make, pg)


@router.get(
    "/control.geojson",
    tags=["picture"],
    summary="Control on a day as a GeoJSON FeatureCollection of points",
    response_class=Response,
    responses={200: {"content": {"application/geo+json": {}}}},
)
async def control_geojson(request: Request, f: FiltersDep) -> Response:
    def make() -> dict[str, Any]:
        collection: dict[str, Any] = picture(request, "control_geojson", at=f.at, known_at=f.known_at)
        if f.bbox or f.actor or f.place:
            collection = dict(collection)
            collection["features"] = [
                feat
                for feat in collection.get("features", [])
                if (not f.bbox or _point_in_bbox(feat, f.bbox))
                and (not f.actor or actor_matches(f.actor, feat.get("properties", {}).get("controller")))
                and (not f.place or _place_matches(f.place, feat.get("properties", {}).get("place")))
            ]
        return collection

    return await picture_response(request, make, media_type="application/geo+json")


@router.get(
    "/advisories",
    tags=["picture"],
    summary="Travel advisories in force on a day",
    response_class=Response,
    responses={200: {"description": LIST_OF.format("Advisory"), "content": {"application/json": {}}}},
)
async def advisories(request: Request, f: FiltersDep, pg: PageDep) -> Response:
    def make() -> JSONList:
        found: JSONList = picture(request, "advisories", at=f.at, known_at=f.known_at)
        if f.actor:
            found = [a for a in found if actor_matches(f.actor, a.get("issuer"))]
        if f.place:
            found = [a for a in found if _place_matches(f.place, a.get("area"))]
        return found

    return await picture_response(request, make, pg)


@router.get(
    "/transport",
    tags=["picture"],
    summary="Airports, crossings and roads: status on a day",
    response_class=Response,
    responses={200: {"description": LIST_OF.format("Transport"), "content": {"application/json": {}}}},
)
async def transport(request: Request, f: FiltersDep, pg: PageDep) -> Response:
    def make() -> JSONList:
        found: JSONList = picture(request, "transport", at=f.at, known_at=f.known_at)
        if f.place:
            found = [t for t in found if _place_matches(f.place, t.get("facility"))]
        if f.bbox:
            found = [t for t in found if _in_bbox(t.get("facility"), f.bbox)]
        return found

    return await picture_response(request, make, pg)


@router.get(
    "/figures",
    tags=["picture"],
    summary="Figures: displaced, killed, injured, refugees, evacuated",
    response_class=Response,
    responses={200: {"description": LIST_OF.format("Figure"), "content": {"application/json": {}}}},
)
async def figures(request: Request, f: FiltersDep, pg: PageDep) -> Response:
    def make() -> JSONList:
        found: JSONList = picture(request, "figures", known_at=f.known_at, since=f.since, until=f.until, at=f.at)
        if f.place:
            found = [x for x in found if _place_matches(f.place, x.get("area"))]
        return found

    return await picture_response(request, make, pg)


@router.get(
    "/sitrep",
    tags=["picture"],
    summary="The situation report for a day, as Markdown or HTML",
    response_class=Response,
    responses={200: {"content": {"text/markdown": {}, "text/html": {}}}},
)
async def sitrep(
    request: Request,
    at: Annotated[str | None, Query(description="The day (default: the last publication day).")] = None,
    known_at: Annotated[str | None, Query(description="Only what was published by then.")] = None,
    format: Annotated[str, Query(pattern="^(md|html)$", description="md or html")] = "md",
) -> Response:
    day = parse_day(at, "at")
    known = parse_timestamp(known_at, "known_at")
    store = store_of(request)
    holder: PictureHolder = request.app.state.pictures

    def make() -> str:
        from sitroom.report.sitrep import sitrep as render_sitrep

        when = day or publication_range(store)[1] or date.today()
        # Under the picture's lock: the report reads (and may refresh) the stored picture too.
        return holder.locked(lambda: render_sitrep(store, when, known_at=known, fmt=format))

    media = "text/html; charset=utf-8" if format == "html" else "text/markdown; charset=utf-8"
    return await picture_response(request, make, media_type=media)


# --- helpers ------------------------------------------------------------------------------------------------


def _in_bbox(place: dict[str, Any] | None, bbox: tuple[float, float, float, float]) -> bool:
    if not place or place.get("lat") is None or place.get("lon") is None:
        return False
    min_lon, min_lat, max_lon, max_lat = bbox
    return bool(min_lon <= place["lon"] <= max_lon and min_lat <= place["lat"] <= max_lat)


def _point_in_bbox(feature: dict[str, Any], bbox: tuple[float, float, float, float]) -> bool:
    coords = (feature.get("geometry") or {}).get("coordinates") or []
    if len(coords) < 2:
        return False
    return _in_bbox({"lon": coords[0], "lat": coords[1]}, bbox)


def _place_matches(needle: str, place: dict[str, Any] | None) -> bool:
    """The store's place filter, on a serialised Place: name as resolved or written, GeoNames id, country."""
    if not place:
        return False
    wanted = needle.strip().lower()
    if wanted.isdigit():
        return str(place.get("geonameid")) == wanted
    return any(str(place.get(k) or "").lower() == wanted for k in ("name", "text", "country"))
