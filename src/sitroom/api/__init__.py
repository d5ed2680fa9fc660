"""sitroom's REST API (FastAPI): `create_app(db, token)` returns the ASGI app that also serves the web page."""

from sitroom.api.app import create_app

__all__ = ["create_app"]
