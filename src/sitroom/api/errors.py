"""One JSON error shape for every error the API returns: ``{"error": {"code", "message", "detail"}}``.

`code` is a short machine-readable word (``not_found``, ``invalid_parameter``, ``unauthorized``,
``write_disabled``, ``rejected``, ``unavailable``, ``internal_error`` ...), `message` says what is wrong and
what to do, `detail` carries structured context (the offending parameter, validation errors) or null.
FastAPI's own errors (404 for an unknown path, 405, request validation) are mapped onto the same shape,
so a client needs one error parser.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from sitroom.errors import SitroomError

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error with its HTTP status and its place in the error shape."""

    def __init__(self, status: int, code: str, message: str, detail: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail


def error_body(code: str, message: str, detail: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "detail": detail}}


def error_response(status: int, code: str, message: str, detail: Any = None, headers: Any = None) -> JSONResponse:
    return JSONResponse(error_body(code, message, jsonable_encoder(detail)), status_code=status, headers=headers)


_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_parameter",
    503: "unavailable",
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return error_response(exc.status, exc.code, exc.message, exc.detail, headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _CODES.get(exc.status_code, "http_error")
        if exc.status_code == 404:
            message = f"no such resource: {request.url.path}"
        else:
            message = str(exc.detail) if exc.detail else HTTPStatus(exc.status_code).phrase
        return error_response(exc.status_code, code, message, None, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")} for e in exc.errors()
        ]
        first = problems[0] if problems else {"where": "request", "problem": "invalid"}
        message = f"invalid {first['where']}: {first['problem']}"
        return error_response(422, "invalid_parameter", message, problems)

    @app.exception_handler(SitroomError)
    async def _sitroom_error(_request: Request, exc: SitroomError) -> JSONResponse:
        # The library's own errors are the user's to fix (a bad store, a bad data file): say so plainly.
        return error_response(400, "bad_request", str(exc), {"type": type(exc).__name__})

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error in the API", exc_info=exc)
        return error_response(500, "internal_error", "internal error; the server log has the details", None)
