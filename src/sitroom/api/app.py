"""The app factory: the REST API, its OpenAPI schema (/openapi.json, /docs) and the web page (/).

`create_app(db, token)` opens the store once; the read endpoints answer from a cache of finished responses
on the event loop and build what is not there in a few threads, each with its own connection from the
store's pool (SQLite in WAL mode lets them read while a batch writes; see `sitroom.api.routes`). One app is
one process: `sitroom serve` runs several (`--workers`), each with its own app over the same store. The page and its assets are served from `sitroom/web/static`; vendor files (Leaflet, the world
atlas) are copied there by the build step, and when they are missing the page still loads, without its map,
and the log says how to build them.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sitroom import __version__
from sitroom.api import routes, subscriptions, write
from sitroom.api.cache import DEFAULT_MAX_BYTES, DEFAULT_MAX_STALE, ResponseCache, VersionClock
from sitroom.api.errors import install_error_handlers
from sitroom.store import Store
from sitroom.web import STATIC_DIR, vendor_missing

log = logging.getLogger(__name__)

TOKEN_ENV = "SITROOM_API_TOKEN"

# The page runs only its own scripts and talks only to this server: a report that smuggles markup into the
# page could not run it even if it were inserted as HTML (it never is; this is the second lock on the door).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)

DESCRIPTION = """sitroom's situation picture over HTTP: documents, claims, events, control, advisories, transport,
figures and situation reports, with the CLI's filters (`at`, `since`, `until`, `known_at`, `place`, `type`,
`actor`, `bbox`).

Lists are paged with `limit` (default 100, at most 10000) and `offset`; the number of matching items is in the
`X-Total-Count` header. Every error has one shape: `{"error": {"code", "message", "detail"}}`.
`POST /documents` needs `Authorization: Bearer <token>`; with no token configured it answers 403."""


def create_app(
    db: str | None = None,
    token: str | None = None,
    store: Store | None = None,
    cache_size: int = 512,
    freshness: float = 1.0,
    extractor: str | object = "rules.v1",
    max_stale: float = DEFAULT_MAX_STALE,
    cache_bytes: int = DEFAULT_MAX_BYTES,
) -> FastAPI:
    """The API and page over the store `db` (a SQLite path or postgresql://...; default as the CLI's).

    `token` enables the write endpoints; when None, the SITROOM_API_TOKEN environment variable is used, and
    when neither is set (or it is empty) writing is disabled. `store` lets a caller share an open store.
    `cache_size` and `cache_bytes` bound the cache of answers (a size of 0 switches it off) and `freshness` is
    how many seconds an answer may lag a report written by another process; an answer slow to rebuild after
    new reports may be served as it was for up to `max_stale` seconds meanwhile, 0 to always wait for it
    (see `sitroom.api.cache`). `extractor` is what
    `POST /documents` extracts claims with: a registered name (loaded on the first upload) or an extractor.
    """
    app = FastAPI(
        title="sitroom",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,  # served below from the vendor files: FastAPI's own page loads Swagger UI from a CDN
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.store = store if store is not None else Store.open(db)
    app.state.pictures = routes.PictureHolder(app.state.store)
    app.state.cache = ResponseCache(cache_size, cache_bytes)
    app.state.inflight = {}
    app.state.versions = VersionClock(app.state.store.data_version, ttl=freshness, max_stale=max_stale)
    configured = token if token is not None else os.environ.get(TOKEN_ENV)
    app.state.token = configured or None
    app.state.extractor = extractor
    install_error_handlers(app)
    app.include_router(routes.router)
    app.include_router(write.router)
    app.include_router(subscriptions.router)
    _mount_page(app)

    app.add_middleware(SecurityHeaders)
    return app


class SecurityHeaders:
    """Adds nosniff and the page's Content-Security-Policy to every response (Swagger UI at /docs, served from
    this server's vendor files, starts itself with an inline script and is left without the policy). A plain ASGI middleware: Starlette's BaseHTTPMiddleware costs a task and a
    stream per request, which shows under load."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with_csp = not scope.get("path", "").startswith("/docs")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                if with_csp:
                    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _mount_page(app: FastAPI) -> None:
    missing = vendor_missing()
    if missing:
        log.warning(
            "web page assets missing (%s): the page loads without its map; run `npm ci && python -m sitroom.web.build`",
            ", ".join(missing),
        )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    index = Path(STATIC_DIR) / "index.html"

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(index, media_type="text/html; charset=utf-8")

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        """Swagger UI from this server's vendor files (no CDN): the API's docs open offline."""
        if any(name.startswith("swagger-ui/") for name in vendor_missing()):
            return Response(
                "The API docs need the web assets: run `npm ci && python -m sitroom.web.build`. "
                "The schema itself is at /openapi.json.\n",
                media_type="text/plain; charset=utf-8",
                status_code=503,
            )
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="sitroom API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
        )

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)  # no icon; saves the browser a logged 404

    @app.get("/assets", include_in_schema=False)
    def assets() -> JSONResponse:
        return JSONResponse({"vendor": not vendor_missing(), "missing": vendor_missing()})
