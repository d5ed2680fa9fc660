"""Read endpoints: documents, claims, events, control (JSON and GeoJSON), advisories, transport, figures, sitrep.

Bodies are DESIGN.md's JSON contract shapes (the same dicts the CLI prints with ``--format json``); lists are
paged with `limit`/`offset` and carry the total in ``X-Total-Count`` (see `sitroom.api.params`). The fused
picture (events, control, advisories, transport, figures) comes from `sitroom.state.Picture` and the sitrep from
`sitroom.report.sitrep`. Where the picture cannot give something in this install, the endpoint answers 503 in
the common error shape.

Every read endpoint is answered the same way (`cached_response`): from the response cache when the same
question was asked of the same data (`sitroom.api.cache`), on the event loop with no database work; else the
answer is built in one of a few build threads (`BUILD_THREADS`), so that a crowd of slow questions neither
holds up the quick ones nor queues on the store's connection pool, and is kept for the next asker.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Annotated, Any, TypeVar

import anyio
from fastapi import APIRouter, Query, Request, Response

from sitroom import __version__, ontology
from sitroom.api.cache import CachedBody, ResponseCache, VersionClock
from sitroom.api.errors import ApiError
from sitroom.api.params import FiltersDep, Page, PageDep, actor_matches, parse_day, parse_timestamp
from sitroom.errors import ConfigError
from sitroom.geo.select import place_selector
from sitroom.serialize import actor_to_dict, claim_to_dict, document_to_dict, iso_day
from sitroom.store import ClaimQuery, Store, StoredDocument

router = APIRouter()

JSONList = list[dict[str, Any]]
T = TypeVar("T")

# Answers not in the cache are built by at most this many threads per server process (and answers being
# rebuilt while their previous version is served, by REBUILD_THREADS more). Building is mostly Python holding
# the GIL (rows into claims, fusion, JSON), so more threads only share one core more finely while each holds
# a pooled connection and its rows in memory; a few keep the store's waits overlapped. The store's pool (5
# connections, 10 more on demand) then always has one for the data-version check and for writes.
BUILD_THREADS = 2
REBUILD_THREADS = 1
# How long an asker waits for a rebuild that has a thread before getting the answer built before it.
REBUILD_PATIENCE = 0.25


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


def filter_rows(kind: str, rows: list[dict[str, Any]], *args: Any) -> list[dict[str, Any]]:
    """sitroom.state.filter_rows, imported on use like the picture."""
    from sitroom.errors import QueryError
    from sitroom.state import filter_rows as apply

    try:
        result: list[dict[str, Any]] = apply(kind, rows, *args)
    except QueryError as exc:
        raise ApiError(422, "invalid_parameter", f"type: {exc}") from exc
    return result


def picture(request: Request, method: str, *args: Any, **kwargs: Any) -> Any:
    holder: PictureHolder = request.app.state.pictures
    return holder.call(method, *args, **kwargs)


# --- meta ---------------------------------------------------------------------------------------------------


@router.get("/meta", tags=["meta"], summary="What the store holds and what the server allows")
async def meta(request: Request) -> dict[str, Any]:
    store = store_of(request)

    def read() -> dict[str, Any]:
        # Not cached: the counts include rejections, which do not move the data version.
        first, last = store.publication_range()
        return {
            "version": __version__,
            "counts": store.counts(),
            "first_day": iso_day(first),
            "last_day": iso_day(last),
            "write_enabled": request.app.state.token is not None,
        }

    # Three quick aggregates: in the default threads, not queued behind the builds of big answers.
    return await anyio.to_thread.run_sync(read)


@router.get("/ontology", tags=["meta"], summary="sitroom's event types: meaning, roles, ACLED coding, colour")
async def event_types() -> list[dict[str, Any]]:
    return [k.as_json() for k in ontology.kinds().values()]


@router.get("/actors", tags=["meta"], summary="Known actors: id, name, kind, parent and the map's colour")
async def actor_list(request: Request) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = picture(request, "actor_list")
    return result


# --- documents and claims -----------------------------------------------------------------------------------


LIST_OF = "A JSON list of DESIGN.md {} dicts; X-Total-Count holds the number before paging."


def json_list(what: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": LIST_OF.format(what), "content": {"application/json": {}}}}


@router.get(
    "/documents",
    tags=["documents"],
    summary="Documents (current revisions), oldest first",
    response_class=Response,
    responses=json_list("Document"),
)
async def documents(
    request: Request,
    pg: PageDep,
    known_at: Annotated[str | None, Query(description="Only documents published by then.")] = None,
    since: Annotated[str | None, Query(description="Published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, Query(description="Published on or before (YYYY-MM-DD).")] = None,
    id: Annotated[list[str] | None, Query(description="Only these document ids (repeatable).")] = None,
) -> Response:
    known = parse_timestamp(known_at, "known_at")
    since_day, until_day = parse_day(since, "since"), parse_day(until, "until")
    store = store_of(request)

    def make() -> list[StoredDocument]:
        return [
            s
            for s in store.documents(known_at=known, ids=id or None)
            if not (since_day and s.known_at.date() < since_day) and not (until_day and s.known_at.date() > until_day)
        ]

    return await cached_response(request, make, pg, item=lambda s: document_to_dict(s.document, s.ingested_at))


@router.get(
    "/documents/{document_id:path}",
    tags=["documents"],
    summary="One document with its text",
    response_class=Response,
    responses={200: {"description": "A DESIGN.md Document dict with its text", "content": {"application/json": {}}}},
)
async def document(request: Request, document_id: str) -> Response:
    store = store_of(request)

    def make() -> dict[str, Any]:
        stored = store.document(document_id)
        if stored is None:
            raise ApiError(404, "not_found", f"no document {document_id!r} in the store", {"id": document_id})
        return document_detail(stored)

    return await cached_response(request, make)


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


@router.get(
    "/claims",
    tags=["claims"],
    summary="Claims with stance, attribution and evidence",
    response_class=Response,
    responses=json_list("Claim"),
)
async def claims(
    request: Request,
    f: FiltersDep,
    pg: PageDep,
    document: Annotated[str | None, Query(description="Only claims from this document.")] = None,
    id: Annotated[list[str] | None, Query(description="Only these claim ids (repeatable).")] = None,
    language: Annotated[
        str | None, Query(description="Only claims from reports in this language (ar, ru, en).")
    ] = None,
) -> Response:
    until, known = f.window
    query = ClaimQuery(
        language=language,
        since=f.since,
        until=until,
        known_at=known,
        place=f.place,
        place_keys=tuple(sorted(place_selector(f.place).keys)) if f.place else (),
        types=f.types,
        document_id=document,
        bbox=f.bbox,
    )
    wanted = set(id or ())
    store = store_of(request)

    def make() -> list[Any]:
        found = []
        for claim in store.iter_claims(query):
            if wanted and claim.id not in wanted:
                continue
            if f.actor and not actor_matches(
                f.actor, *map(actor_to_dict, (claim.actor, claim.target, claim.attributed_to))
            ):
                continue
            found.append(claim)
        return found

    # Only the page is turned into dicts: a store's worth of claims may match.
    return await cached_response(request, make, pg, item=claim_to_dict)


# --- the fused picture --------------------------------------------------------------------------------------


def build_limiter(request: Request, rebuild: bool = False) -> anyio.CapacityLimiter:
    """The app's build threads: `BUILD_THREADS` for answers someone is waiting for, `REBUILD_THREADS` for
    rebuilding answers that are served from before meanwhile (so a wave of those after new reports does not
    queue ahead of a new question). Made on first use: a limiter belongs to a running event loop."""
    state = request.app.state
    name = "rebuilds" if rebuild else "builds"
    limiter: anyio.CapacityLimiter | None = getattr(state, name, None)
    if limiter is None:
        limiter = anyio.CapacityLimiter(REBUILD_THREADS if rebuild else BUILD_THREADS)
        setattr(state, name, limiter)
    return limiter


async def cached_response(
    request: Request,
    make: Callable[[], Any],
    pg: Page | None = None,
    media_type: str = "application/json",
    item: Callable[[Any], Any] | None = None,
) -> Response:
    """The answer as bytes, from the response cache when the same question was asked of the same data.

    `make` finds the answer (a list when `pg` pages it, else a JSON-able value or text); `item` turns each
    listed thing on the page into its JSON dict, so that only the page is converted. A hit is answered on the
    event loop with no database work; a miss is built in a build thread, compressed there too, and kept.
    When the data moved since the kept answer was built, it is rebuilt; while that rebuild waits for a thread,
    or (for `max_stale` seconds after the data moved) takes longer than `REBUILD_PATIENCE`, the kept answer is
    served (see `sitroom.api.cache`).
    """
    state = request.app.state
    versions: VersionClock = state.versions
    version = versions.fresh()
    if version is None:
        # Read once for everyone who finds the version stale at the same moment, in the default threads (a
        # build in progress must not hold up the check that lets cached answers be served).
        version = await _build_once(state.inflight, ("data version",), versions.refresh)
    key = (request.url.path, tuple(sorted(request.query_params.multi_items())))

    def build() -> CachedBody:
        found = make()
        if isinstance(found, str):
            body = CachedBody(found.encode(), media_type)
        elif isinstance(found, bytes):
            body = CachedBody(found, media_type)
        elif pg is None:
            body = CachedBody(_dumps(found), media_type)
        else:
            page: Sequence[Any] = found[pg.offset : pg.offset + pg.limit]
            if item is not None:
                page = [item(x) for x in page]
            body = CachedBody(_dumps(page), media_type, (("X-Total-Count", str(len(found))),))
        body.gzipped()  # here, not on the event loop when the first browser asks
        return body

    cache: ResponseCache = state.cache
    answer = cache.get(key)
    if answer is None or answer.version != version:
        previous = answer if answer is not None and not versions.written_since(answer) else None
        running = _build(request, key, version, build, rebuild=previous is not None)
        if previous is None:
            answer = await _answer_of(request, key, version, build, running)
        elif running.waits:
            answer = previous  # the server is busy: do not queue everyone behind the rebuilds
        elif versions.stale_for(previous.version) <= versions.max_stale:
            try:
                answer = await asyncio.wait_for(asyncio.shield(running.future), REBUILD_PATIENCE)
            except (TimeoutError, _Superseded):
                answer = previous
        else:
            answer = await _answer_of(request, key, version, build, running)
    headers = dict(answer.headers)
    headers["Vary"] = "Accept-Encoding"
    if "gzip" in request.headers.get("accept-encoding", ""):
        packed = answer.gzipped()
        if packed is not None:
            headers["Content-Encoding"] = "gzip"
            return Response(packed, media_type=answer.media_type, headers=headers)
    return Response(answer.body, media_type=answer.media_type, headers=headers)


async def _answer_of(
    request: Request, key: Any, version: Any, build: Callable[[], CachedBody], running: _Build
) -> CachedBody:
    try:
        return await asyncio.shield(running.future)
    except _Superseded:  # a queued rebuild it joined was replaced by a build for someone who has to wait too
        return await asyncio.shield(_build(request, key, version, build, rebuild=False).future)


class _Superseded(Exception):
    """A queued rebuild that a newer build of the same answer replaced before it began: it is skipped."""


class _Build:
    """One build of one answer, running or queued for a thread, as a task of its own: an asker who stops
    waiting for it (and gets the previous answer) does not stop it, and its answer is kept when it is done."""

    def __init__(self, future: asyncio.Future[CachedBody], limiter: anyio.CapacityLimiter, rebuild: bool) -> None:
        self.future = future
        self.limiter = limiter
        self.rebuild = rebuild  # in the rebuild threads: someone is being served the previous answer meanwhile
        self.started_at: float | None = None  # set by the thread when it begins reading the store
        self.version: Any = None  # the data version read then: the answer is no older
        self.superseded = False
        self.task: asyncio.Task[None] | None = None

    @property
    def waits(self) -> bool:
        """Still queued for a thread, behind other builds."""
        return self.started_at is None and self.limiter.available_tokens < 1


def _build(request: Request, key: Any, version: Any, build: Callable[[], CachedBody], rebuild: bool) -> _Build:
    """The build of `key` to wait for: the one in progress if it is for the data `version` this request holds
    (or queued: it has not read anything yet) and, for an asker with nothing to be served meanwhile, not
    queued behind the rebuilds; else a new one."""
    state = request.app.state
    versions: VersionClock = state.versions
    inflight: dict[Any, Any] = state.inflight
    loop = asyncio.get_running_loop()
    current = inflight.get(key)
    if (
        isinstance(current, _Build)
        and current.future.get_loop() is loop
        and (current.started_at is None or current.version == version)
        and (rebuild or not current.rebuild or not current.waits)
    ):
        return current
    if isinstance(current, _Build) and current.started_at is None:
        current.superseded = True
    running = _Build(loop.create_future(), build_limiter(request, rebuild), rebuild)

    def job() -> CachedBody:
        if running.superseded:
            raise _Superseded
        began = time.monotonic()
        # Tagged with the version read before the rows are: the answer is no older than that version.
        found = versions.fresh()
        running.version = versions.refresh() if found is None else found
        running.started_at = began
        body = build()
        body.version, body.built_at = running.version, running.started_at
        return body

    async def run() -> None:
        try:
            body = await anyio.to_thread.run_sync(job, limiter=running.limiter)
        except asyncio.CancelledError:  # the server is stopping
            running.future.cancel()
            raise
        except Exception as exc:
            running.future.set_exception(exc)
            running.future.exception()  # retrieved here: an asker who got the previous answer never looks
        else:
            state.cache.put(key, body)
            running.future.set_result(body)
        finally:
            if inflight.get(key) is running:
                del inflight[key]

    inflight[key] = running
    running.task = loop.create_task(run())
    return running


async def _build_once(
    inflight: dict[Any, asyncio.Future[Any]], key: Any, build: Callable[[], T], limiter: Any = None
) -> T:
    """Build the answer once when many ask the same new question together (a page opened by a crowd, the
    data version read by everyone whose copy expired at the same moment): the others wait for the first
    one's answer instead of each doing the work again. The build runs in a thread (of `limiter`, or the
    default ones)."""
    waiting = inflight.get(key)
    if waiting is not None:
        found: T = await asyncio.shield(waiting)
        return found
    future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
    inflight[key] = future
    try:
        body = await anyio.to_thread.run_sync(build, limiter=limiter)
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


@router.get(
    "/events",
    tags=["picture"],
    summary="Events: claims fused into happenings with their status",
    response_class=Response,
    responses=json_list("Event"),
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

    return await cached_response(request, make, pg)


@router.get(
    "/control",
    tags=["picture"],
    summary="Who holds each place on a day (one entry per place)",
    response_class=Response,
    responses=json_list("Control"),
)
async def control(request: Request, f: FiltersDep, pg: PageDep) -> Response:
    def make() -> JSONList:
        found: JSONList = picture(request, "control", at=f.at, known_at=f.known_at, place=f.place)
        found = filter_rows("control", found, f.types, f.since, f.until)
        if f.actor:
            found = [c for c in found if actor_matches(f.actor, c.get("controller"))]
        if f.bbox:
            found = [c for c in found if _in_bbox(c.get("place"), f.bbox)]
        return found

    return await cached_response(request, make, pg)


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

    return await cached_response(request, make, media_type="application/geo+json")


@router.get(
    "/route",
    tags=["picture"],
    summary="Can one drive from one place to another on a day: open, at risk or cut, with the deciding segments",
)
async def route(
    request: Request,
    origin: Annotated[str, Query(alias="from", description="Where the journey starts (any spelling or id).")],
    destination: Annotated[str, Query(alias="to", description="Where it ends.")],
    at: Annotated[str | None, Query(description="The day (YYYY-MM-DD); default today, UTC.")] = None,
    known_at: Annotated[str | None, Query(description="As it could be known then (ISO timestamp).")] = None,
) -> Response:
    day = parse_day(at, "at") or datetime.now(UTC).date()
    known = parse_timestamp(known_at, "known_at")

    def make() -> dict[str, Any]:
        try:
            answer: dict[str, Any] = picture(request, "route", origin, destination, day, known)
        except ConfigError as exc:
            raise ApiError(422, "invalid_parameter", str(exc).replace("--", ""), {}) from exc
        return answer

    return await cached_response(request, make)


@router.get("/provinces", tags=["picture"], summary="Control summarised per province (first-level division) on a day")
async def provinces(
    request: Request,
    at: Annotated[str | None, Query(description="The day (YYYY-MM-DD); default today, UTC.")] = None,
    known_at: Annotated[str | None, Query(description="As it could be known then (ISO timestamp).")] = None,
) -> Response:
    day = parse_day(at, "at") or datetime.now(UTC).date()
    known = parse_timestamp(known_at, "known_at")

    def make() -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = picture(request, "provinces", day, known)
        return rows

    return await cached_response(request, make)


@router.get(
    "/roads.geojson",
    tags=["picture"],
    summary="Road segments on a day as GeoJSON lines, each with its status (open, at_risk, cut) and reasons",
    response_class=Response,
    responses={200: {"content": {"application/geo+json": {}}}},
)
async def roads_geojson(
    request: Request,
    at: Annotated[str | None, Query(description="The day (YYYY-MM-DD); default today, UTC.")] = None,
    known_at: Annotated[str | None, Query(description="As it could be known then (ISO timestamp).")] = None,
) -> Response:
    day = parse_day(at, "at") or datetime.now(UTC).date()
    known = parse_timestamp(known_at, "known_at")

    def make() -> dict[str, Any]:
        collection: dict[str, Any] = picture(request, "roads_geojson", day, known)
        return collection

    return await cached_response(request, make, media_type="application/geo+json")


@router.get(
    "/advisories",
    tags=["picture"],
    summary="Travel advisories in force on a day",
    response_class=Response,
    responses=json_list("Advisory"),
)
async def advisories(request: Request, f: FiltersDep, pg: PageDep) -> Response:
    def make() -> JSONList:
        found: JSONList = picture(request, "advisories", at=f.at, known_at=f.known_at)
        found = filter_rows("advisories", found, f.types, f.since, f.until)
        if f.actor:
            found = [a for a in found if actor_matches(f.actor, a.get("issuer"))]
        if f.place:
            found = [a for a in found if _place_matches(f.place, a.get("area"))]
        return found

    return await cached_response(request, make, pg)


@router.get(
    "/transport",
    tags=["picture"],
    summary="Airports, crossings and roads: status on a day",
    response_class=Response,
    responses=json_list("Transport"),
)
async def transport(request: Request, f: FiltersDep, pg: PageDep) -> Response:
    def make() -> JSONList:
        found: JSONList = picture(request, "transport", at=f.at, known_at=f.known_at)
        found = filter_rows("transport", found, f.types, f.since, f.until)
        if f.place:
            found = [t for t in found if _place_matches(f.place, t.get("facility"))]
        if f.bbox:
            found = [t for t in found if _in_bbox(t.get("facility"), f.bbox)]
        return found

    return await cached_response(request, make, pg)


@router.get(
    "/figures",
    tags=["picture"],
    summary="Figures: displaced, killed, injured, refugees, evacuated",
    response_class=Response,
    responses=json_list("Figure"),
)
async def figures(request: Request, f: FiltersDep, pg: PageDep) -> Response:
    def make() -> JSONList:
        found: JSONList = picture(request, "figures", known_at=f.known_at, since=f.since, until=f.until, at=f.at)
        found = filter_rows("figures", found, f.types)
        if f.place:
            found = [x for x in found if _place_matches(f.place, x.get("area"))]
        return found

    return await cached_response(request, make, pg)


@router.get(
    "/sitrep",
    tags=["picture"],
    summary="The situation report for a day, as Markdown, HTML or a printable PDF (with the pdf extra)",
    response_class=Response,
    responses={200: {"content": {"text/markdown": {}, "text/html": {}, "application/pdf": {}}}},
)
async def sitrep(
    request: Request,
    at: Annotated[str | None, Query(description="The day (default: the last publication day).")] = None,
    known_at: Annotated[str | None, Query(description="Only what was published by then.")] = None,
    format: Annotated[str, Query(pattern="^(md|html|pdf)$", description="md, html or pdf")] = "md",
    place: Annotated[str | None, Query(description="Only what is at this place (any spelling, id or country).")] = None,
) -> Response:
    day = parse_day(at, "at")
    known = parse_timestamp(known_at, "known_at")
    store = store_of(request)
    holder: PictureHolder = request.app.state.pictures

    def make() -> str | bytes:
        from sitroom.report.sitrep import PdfUnavailable, sitrep_pdf
        from sitroom.report.sitrep import sitrep as render_sitrep

        when = day or store.publication_range()[1] or date.today()
        # Under the picture's lock: the report reads (and may refresh) the stored picture too.
        if format == "pdf":
            try:
                pdf: bytes = holder.locked(lambda: sitrep_pdf(store, when, known_at=known, place=place or None))
            except PdfUnavailable as exc:
                raise ApiError(501, "unavailable", str(exc)) from None
            return pdf
        return holder.locked(lambda: render_sitrep(store, when, known_at=known, fmt=format, place=place or None))

    media = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}.get(format, "text/markdown; charset=utf-8")
    return await cached_response(request, make, media_type=media)


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
    """`place` as the user typed it, on a serialised Place: any spelling, GeoNames id, country (geo.select)."""
    return place_selector(needle).matches(place)
