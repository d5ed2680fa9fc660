"""`POST /documents`: submit reports to the store, read by the same readers as `sitroom ingest`.

The body is either a file upload (``multipart/form-data``, field ``file``, repeatable; the file name's extension
picks the reader as it does on disk) or a JSON document (``{"id","title","date","url","outlet","text"}``) or a
list of them. Each is saved to a temporary folder and read with `sitroom.ingest.read_file`, then extracted and
stored by `sitroom.pipeline.ingest_documents` - the door a report comes in by does not change how it is read.

Writing needs a bearer token from configuration (``SITROOM_API_TOKEN`` or `create_app(token=...)`). With no
token configured the write endpoints are disabled (403), so a server started without one is read-only.
"""

from __future__ import annotations

import hmac
import re
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from sitroom.api.errors import ApiError
from sitroom.errors import Rejected
from sitroom.model import Document, Rejection

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
        raise ApiError(413, "payload_too_large", f"the upload is larger than {MAX_UPLOAD_BYTES // 2**20} MiB")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    files: list[tuple[str, bytes]] = []
    if content_type == "multipart/form-data":
        form = await request.form()
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
    if sum(len(b) for _, b in files) > MAX_UPLOAD_BYTES:
        raise ApiError(413, "payload_too_large", f"the upload is larger than {MAX_UPLOAD_BYTES // 2**20} MiB")
    result = await run_in_threadpool(_ingest, request.app.state.store, files, request.app.state.extractor)
    request.app.state.versions.expire()  # what this server wrote shows at once
    if result["summary"]["read"] == 0:
        reasons = result["rejections"]
        first = reasons[0]["reason"] if reasons else "no document found"
        raise ApiError(422, "rejected", f"nothing in the upload could be read as a document: {first}", reasons)
    return JSONResponse(result, status_code=201)


def safe_name(name: str) -> str:
    """A file name that cannot escape the temporary folder, keeping the extension that picks the reader."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).lstrip(".")
    return base[:120] or "upload.txt"


def _ingest(store: Any, files: list[tuple[str, bytes]], extractor: str | object) -> dict[str, Any]:
    try:
        from sitroom.ingest import read_file
    except ImportError as exc:
        raise ApiError(503, "unavailable", "the readers (sitroom.ingest) are not available", str(exc)) from None
    from sitroom.pipeline import ingest_documents, load_extractor

    if isinstance(extractor, str):
        try:
            extractor = load_extractor(extractor)  # built once per process by the extract package
        except ImportError as exc:
            raise ApiError(503, "unavailable", f"the claims extractor {extractor} is not available", str(exc)) from None

    with tempfile.TemporaryDirectory(prefix="sitroom-upload-") as tmp:
        paths: list[tuple[str, Path]] = []
        for i, (name, data) in enumerate(files):
            folder = Path(tmp) / str(i)  # one folder per file: two uploads with one name do not collide
            folder.mkdir()
            path = folder / safe_name(name)
            path.write_bytes(data)
            paths.append((name, path))
        items = list(_read_all(read_file, paths))
        ids = [d.id for d in items if isinstance(d, Document)]
        summary = ingest_documents(store, items, extractor)
    return {
        "summary": {
            "read": summary.read,
            "new": summary.new,
            "duplicate": summary.duplicate,
            "revision": summary.revision,
            "rejected": summary.rejected,
            "claims": summary.claims,
        },
        "documents": ids,
        "rejections": [{"path": r.path, "reason": r.reason} for r in summary.rejections],
        "warnings": [{"document": who, "warning": w} for who, w in summary.warnings],
    }


def _read_all(read_file: Any, paths: list[tuple[str, Path]]) -> Iterator[Document | Rejection]:
    for name, path in paths:
        skipped: list[Rejection] = []
        try:
            # Entries of a multi-document file that cannot be read come back through on_rejection.
            for doc in read_file(path, on_rejection=skipped.append):
                yield replace(doc, path=f"upload:{name}")  # name the upload, not the temporary file
        except Rejected as exc:
            skipped.append(Rejection(str(path), exc.reason))
        for r in skipped:
            yield Rejection(name, r.reason.replace(str(path), name))
