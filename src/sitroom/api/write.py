"""`POST /documents`: submit reports to the store, read by the same readers as `sitroom ingest`.

The body is either a file upload (``multipart/form-data``, field ``file``, repeatable; the file name's extension
picks the reader as it does on disk) or a JSON document (``{"id","title","date","url","outlet","text"}``) or a
list of them. Each is saved to a temporary folder and read with `sitroom.ingest.read_path`, then extracted and
stored by `sitroom.pipeline.ingest_documents` - the door a report comes in by does not change how it is read.

A batch is not all-or-nothing, as `sitroom ingest` is not: each document is stored (in its own transaction)
or rejected with its reason, and the rest goes on. The answer reports each item, in the order of the upload
(for a JSON list, ``items[i]`` answers the list's i-th element)::

    {"summary": {"read", "new", "duplicate", "revision", "rejected", "claims"},
     "documents": [ids stored or already stored],
     "rejections": [{"path", "reason"}], "warnings": [{"document", "warning"}],
     "items": [{"path", "id"|null, "status": "new"|"revision"|"duplicate"|"rejected",
                "reason"|null, "warnings": [...]}]}

201 when at least one document is stored or already was; 422 (``rejected``, the rejections as detail) when
none is. A body over 16 MiB (`MAX_UPLOAD_BYTES`) is a 413 ``payload_too_large``: at once when its Content-Length
says so, and for a chunked upload as soon as the bytes read pass the limit (the rest is never read).

Writing needs a bearer token from configuration (``SITROOM_API_TOKEN`` or `create_app(token=...)`). With no
token configured the write endpoints are disabled (403), so a server started without one is read-only.
"""

from __future__ import annotations

import hmac
import logging
import re
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from starlette.types import Message, Receive

from sitroom.api.errors import ApiError
from sitroom.model import Document, Rejection

if TYPE_CHECKING:
    from sitroom.pipeline import IngestSummary

log = logging.getLogger(__name__)

router = APIRouter()

MAX_UPLOAD_BYTES = 16 * 2**20  # a report is tens of KiB; a Telegram export or feed can be a few MiB

DOCUMENT_IN_SCHEMA = {
    "type": "object",
    "required": ["text"],
    "properties": {
        "id": {"type": "string"},
        "title": {"type": "string"},
        "date": {"type": "string", "description": "publication date or timestamp"},
        "url": {"type": "string"},
        "outlet": {"type": "string"},
        "text": {"type": "string"},
    },
}

_UPLOAD_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        DOCUMENT_IN_SCHEMA,
                        {"type": "array", "items": DOCUMENT_IN_SCHEMA},
                    ]
                }
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "array", "items": {"type": "string", "format": "binary"}}},
                    "required": ["file"],
                }
            },
        },
    }
}


def check_token(request: Request) -> None:
    expected: str | None = request.app.state.token
    if expected is None:
        raise ApiError(
            403,
            "write_disabled",
            "writing is disabled on this server: no API token is configured "
            "(set SITROOM_API_TOKEN or pass token= to create_app)",
        )
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise ApiError(401, "unauthorized", "a bearer token is required: send 'Authorization: Bearer <token>'")
    # Constant-time comparison, so response timing does not leak how much of a guess was right.
    if not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise ApiError(401, "unauthorized", "the bearer token is not valid for this server")


@router.post(
    "/documents",
    tags=["documents"],
    summary="Submit reports (file upload or JSON documents); needs the bearer token",
    status_code=201,
    openapi_extra=_UPLOAD_SCHEMA,
)
async def post_documents(request: Request) -> JSONResponse:
    check_token(request)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES:
        raise _too_large()
    # A chunked upload declares no length: its body is read through a counter that stops at the limit, so
    # a 200 MiB upload costs 16 MiB of reading, not 200 MiB of memory before the refusal.
    request = Request(request.scope, _CappedReceive(request.receive, MAX_UPLOAD_BYTES))
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    files: list[tuple[str, bytes]] = []
    if content_type == "multipart/form-data":
        form = await request.form()  # file parts are spooled to disk past 1 MiB by the parser
        for value in form.getlist("file"):
            if isinstance(value, str):
                raise ApiError(422, "invalid_parameter", "file: expected an uploaded file, got a text field")
            files.append((value.filename or "upload.txt", await value.read()))
        if not files:
            raise ApiError(422, "invalid_parameter", "file: no file in the upload (multipart field 'file')")
    elif content_type in ("application/json", "application/x-ndjson", "application/jsonl"):
        body = await request.body()
        if not body.strip():
            raise ApiError(422, "invalid_parameter", "the JSON body is empty")
        files.append(("upload.jsonl" if content_type != "application/json" else "upload.json", body))
    else:
        raise ApiError(
            415,
            "unsupported_media_type",
            f"send multipart/form-data (field 'file') or application/json, not {content_type or 'no content type'}",
        )
    result = await run_in_threadpool(_ingest, request.app.state.store, files, request.app.state.extractor)
    request.app.state.versions.expire()  # what this server wrote shows at once
    if not result["documents"]:
        reasons = result["rejections"]
        first = reasons[0]["reason"] if reasons else "no document found"
        raise ApiError(422, "rejected", f"nothing in the upload could be stored as a document: {first}", reasons)
    return JSONResponse(result, status_code=201)


def _too_large() -> ApiError:
    return ApiError(413, "payload_too_large", f"the upload is larger than {MAX_UPLOAD_BYTES // 2**20} MiB")


class _CappedReceive:
    """An ASGI receive that counts the body's bytes as they arrive and refuses the request (413) as soon as
    they pass `limit`, whatever the request declared (or did not declare) as its length."""

    def __init__(self, receive: Receive, limit: int) -> None:
        self.receive = receive
        self.limit = limit
        self.received = 0

    async def __call__(self) -> Message:
        message = await self.receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit:
                raise _too_large()
        return message


def safe_name(name: str) -> str:
    """A file name that cannot escape the temporary folder, keeping the extension that picks the reader."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).lstrip(".")
    return base[:120] or "upload.txt"


def _ingest(store: Any, files: list[tuple[str, bytes]], extractor: str | object) -> dict[str, Any]:
    try:
        from sitroom.ingest import read_path
    except ImportError as exc:
        raise ApiError(503, "unavailable", "the readers (sitroom.ingest) are not available", str(exc)) from None
    from sitroom.pipeline import load_extractor

    if isinstance(extractor, str):
        try:
            extractor = load_extractor(extractor)  # built once per process by the extract package
        except ImportError as exc:
            raise ApiError(503, "unavailable", f"the claims extractor {extractor} is not available", str(exc)) from None

    report = _Report()
    with tempfile.TemporaryDirectory(prefix="sitroom-upload-") as tmp:
        for i, (name, data) in enumerate(files):
            folder = Path(tmp) / str(i)  # one folder per file: two uploads with one name do not collide
            folder.mkdir()
            path = folder / safe_name(name)
            path.write_bytes(data)
            for item in _read_upload(read_path, name, path):
                report.add(name, item, _store_one(store, item, extractor))
    return report.body()


def _read_upload(read_path: Any, name: str, path: Path) -> Iterator[Document | Rejection]:
    """The upload's documents and rejected entries, in its order, named by the upload, not the temporary file
    (``upload.json#2`` for the second element of a JSON list)."""
    for item in read_path([path]):
        if isinstance(item, Rejection):
            yield Rejection(item.path.replace(str(path), name), item.reason.replace(str(path), name))
        else:
            yield replace(item, path=f"upload:{name}")


def _store_one(store: Any, item: Document | Rejection, extractor: object) -> IngestSummary:
    """Ingest one item as `sitroom ingest` does; returns its IngestSummary. The pipeline turns a failure on one
    document into its rejection already; anything that still escapes (recording the rejection itself failing)
    is reported for this item too, so the items after it are stored and the answer is never a 500 after a
    partial write."""
    from sitroom.pipeline import IngestSummary, ingest_documents

    try:
        return ingest_documents(store, [item], extractor)
    except Exception:
        where = item.path if isinstance(item, Rejection) else f"{item.path}#{_printable(item.id)[:80]}"
        log.exception("%s: not stored", where)
        failed = IngestSummary(read=int(isinstance(item, Document)), rejected=1)
        failed.rejections.append(Rejection(where, "not stored: internal error (the server log has the details)"))
        return failed


class _Report:
    """The answer to an upload: totals as `sitroom ingest` prints them, and one entry per item."""

    COUNTS = ("read", "new", "duplicate", "revision", "rejected", "claims")

    def __init__(self) -> None:
        self.totals = dict.fromkeys(self.COUNTS, 0)
        self.documents: list[str] = []
        self.rejections: list[dict[str, str]] = []
        self.warnings: list[dict[str, str]] = []
        self.items: list[dict[str, Any]] = []

    def add(self, upload: str, item: Document | Rejection, one: IngestSummary) -> None:
        """Count `one` (the IngestSummary of `item` alone) and report the item: where it came from (the
        upload's name; ``name#N`` or ``name:LINE`` for an entry the reader could not read), its id when it
        was read, what became of it and why."""
        for key in self.COUNTS:
            self.totals[key] += getattr(one, key)
        rejections = [{"path": _printable(r.path), "reason": _printable(r.reason)} for r in one.rejections]
        self.rejections += rejections
        self.warnings += [{"document": _printable(who), "warning": _printable(w)} for who, w in one.warnings]
        status = next((s for s in ("new", "revision", "duplicate") if getattr(one, s)), "rejected")
        if isinstance(item, Document):
            if status != "rejected":
                self.documents.append(item.id)
            where, ident = upload, _printable(item.id)
        else:
            where, ident = _printable(item.path), None
        self.items.append(
            {
                "path": where,
                "id": ident,
                "status": status,
                "reason": rejections[0]["reason"] if rejections else None,
                "warnings": [_printable(w) for _, w in one.warnings],
            }
        )

    def body(self) -> dict[str, Any]:
        return {
            "summary": self.totals,
            "documents": self.documents,
            "rejections": self.rejections,
            "warnings": self.warnings,
            "items": self.items,
        }


def _printable(text: str) -> str:
    """Text that can go into the JSON answer: an unpaired surrogate (which a JSON body can carry in an id) is
    written as its escape instead of failing the whole answer."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
