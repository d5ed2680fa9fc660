"""JSON documents: `.json` (one object, or a list of objects) and `.jsonl` / `.ndjson` (one object a line).

A document object is ``{"id", "title", "date", "url", "outlet", "text"}``; common alternative names are
accepted too (``body``/``content`` for text, ``published``/``published_at`` for date, ``link`` for url,
``source``/``site_name`` for outlet, ``headline`` for title). A `.json` file whose top level holds a
"messages" list (or "chats" → "list") is a Telegram Desktop export and goes to `telegram`.

A file with no document in it (a gold-claims file, a config) is rejected once as "not a document file",
not object by object. In a file that does hold documents, each bad entry is its own Rejection —
``file:LINE`` for JSON Lines, ``file#N`` (1-based) for a JSON list — and the other entries are read.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sitroom.errors import Rejected
from sitroom.model import Document, Rejection

from . import telegram
from ._base import (
    Limits,
    binary_format,
    cannot_open,
    decode_text,
    entry_failure,
    finish,
    language_code,
    load_bytes,
    published,
    size_text,
    text_encoding,
    too_large,
    unreadable,
    utf8_error_reason,
)
from ._base import content_hash as _content_hash
from ._text import html_to_text

NAME = "json"
NAME_LINES = "jsonl"

_TEXT_KEYS = ("text", "body", "content")
_TITLE_KEYS = ("title", "headline")
_DATE_KEYS = ("date", "published", "published_at", "publishedAt", "pubDate", "datetime")
_URL_KEYS = ("url", "link")
_OUTLET_KEYS = ("outlet", "source", "site_name", "publisher")
_HTML_BODY = re.compile(r"<(?:p|div|br|h[1-6]|li|figure|blockquote)\b[^>]*>", re.IGNORECASE)
_KINDS = ("news", "official", "monitor", "un", "social")
_EXPECTED = "sitroom reads document objects with a 'text' field (and id, title, date, url, outlet)"
# How many entries without a document may open a JSON Lines file before the file as a whole is declared
# "not a document file" — enough to get past a few damaged lines, few enough to stop early on a gold file.
_PROBE = 20


class NotADocument(Exception):
    """An object has no text field: it may be a whole file of something else."""


def read(path: Path, limits: Limits) -> Iterator[Document | Rejection]:
    data = load_bytes(path, limits.max_container_bytes, what="JSON file read whole (use .jsonl to stream)")
    text = decode_text(data, path)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        # The decoder reports an unterminated string where the string starts, so that counts as running off
        # the end too.
        truncated = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
        hint = "; the file looks truncated" if truncated else ""
        raise Rejected(
            f"not valid JSON: {_msg(exc)} (line {exc.lineno}, column {exc.colno}){hint}", path=str(path)
        ) from exc
    except (ValueError, RecursionError) as exc:
        raise Rejected(_unparsable(exc), path=str(path)) from exc
    if telegram.is_export(obj):
        yield from telegram.documents(obj, path, limits)
        return
    if isinstance(obj, dict) and _first(obj, _TEXT_KEYS) is None and (wrapped := _wrapped_list(obj)) is not None:
        obj = wrapped  # {"articles": [...]}: an API response or dump holding the documents
    if isinstance(obj, dict):
        if len(data) > limits.max_document_bytes:
            raise Rejected(
                f"file is {size_text(len(data))}, above the {size_text(limits.max_document_bytes)} limit "
                "for one document",
                path=str(path),
            )
        try:
            yield document_from_object(obj, path, NAME, path.stem, limits)
        except NotADocument as exc:
            raise Rejected(_not_a_document_file([obj], str(exc)), path=str(path)) from exc
        return
    if not isinstance(obj, list):
        raise Rejected(f"not a document file (top level is a JSON {_json_type(obj)}); {_EXPECTED}", path=str(path))
    if not obj:
        raise Rejected("empty JSON list: no documents", path=str(path))
    if not any(isinstance(o, dict) and _first(o, _TEXT_KEYS) is not None for o in obj):
        raise Rejected(_not_a_document_file([o for o in obj if isinstance(o, dict)], None), path=str(path))
    for n, item in enumerate(obj, start=1):
        where = f"{path}#{n}"
        if not isinstance(item, dict):
            yield Rejection(where, f"expected a JSON object, got a {_json_type(item)}")
            continue
        try:
            yield document_from_object(item, path, NAME, None, limits)
        except (NotADocument, Rejected) as exc:
            yield Rejection(where, _reason(exc))
        except Exception as exc:  # a bug on one entry must not cost the file's other entries
            yield entry_failure(where, NAME, exc)


def read_lines(path: Path, limits: Limits) -> Iterator[Document | Rejection]:
    """Stream a JSON Lines file line by line; a line over the size limit is rejected without parsing it."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise Rejected(cannot_open(path, exc), path=str(path)) from exc
    with fh:
        enc = text_encoding(fh.read(4096))
        fh.seek(0)
        if enc is not None and enc.startswith(("utf-16", "utf-32")):
            yield from _lines(_as_utf8_lines(fh, enc, path), path, limits)
        else:
            yield from _lines(fh, path, limits)


def _as_utf8_lines(fh: Any, enc: str, path: Path) -> Iterator[bytes]:
    """The lines of a UTF-16/32 file, as UTF-8 bytes, still streamed."""
    done = 0
    try:
        for line in io.TextIOWrapper(fh, encoding=enc, errors="strict", newline=""):
            yield line.encode("utf-8")
            done += 1
    except UnicodeDecodeError as exc:
        raise Rejected(
            f"not valid {enc.upper()} text at line {done + 1} ({exc.reason}); the lines before it were read",
            path=str(path),
        ) from exc


def _lines(fh: Any, path: Path, limits: Limits) -> Iterator[Document | Rejection]:
    offset = 0
    seen_document = False
    probed: list[Rejection] = []  # entry rejections held back until we know the file holds documents
    probe_objects: list[dict[str, Any]] = []
    entries = 0
    binary: str | None = None  # why the file is binary, if its first line says so and no line holds a document
    for lineno, line in enumerate(fh, start=1):
        line_offset = offset
        offset += len(line)
        if lineno == 1:
            what, nul = binary_format(line), line.find(b"\x00", 0, 4096)
            if what is not None or nul >= 0:
                # Not yet the file's rejection: a damaged first line must not cost the good lines after it. A file
                # that is binary throughout holds no document in its first lines, and is rejected for this then.
                binary = f"binary file ({what or f'NUL byte at offset {nul}'}), not a text document"
            line = line.removeprefix(b"\xef\xbb\xbf")
        if not line.strip():
            continue
        entries += 1
        where = f"{path}:{lineno}"
        item = _line_item(line, line_offset, where, path, limits)
        if isinstance(item, Document):
            if not seen_document:
                seen_document = True
                yield from probed
                probed.clear()
            yield item
            continue
        reason, obj = item
        rejection = Rejection(where, reason)
        if seen_document:
            yield rejection
            continue
        probed.append(rejection)
        if obj is not None:
            probe_objects.append(obj)
        if len(probed) >= _PROBE:
            raise Rejected(binary or _no_documents_reason(probed, probe_objects), path=str(path))
    if entries == 0:
        raise Rejected("empty file", path=str(path))
    if not seen_document:
        raise Rejected(binary or _no_documents_reason(probed, probe_objects), path=str(path))


def _line_item(
    line: bytes, line_offset: int, where: str, path: Path, limits: Limits
) -> Document | tuple[str, dict[str, Any] | None]:
    """The document on one line, or (reason, the parsed object if any)."""
    if len(line) > limits.max_document_bytes:
        return (
            f"line is {size_text(len(line))}, above the {size_text(limits.max_document_bytes)} limit for one document",
            None,
        )
    nul = line.find(b"\x00")
    if nul >= 0:
        return f"binary data (NUL byte at offset {line_offset + nul})", None
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return utf8_error_reason(line, exc, base_offset=line_offset), None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"not valid JSON: {_msg(exc)} (column {exc.colno})", None
    except (ValueError, RecursionError) as exc:
        return _unparsable(exc), None
    if not isinstance(obj, dict):
        return f"expected a JSON object, got a {_json_type(obj)}", None
    try:
        return document_from_object(obj, path, NAME_LINES, None, limits)
    except NotADocument as exc:
        return str(exc), obj
    except Rejected as exc:
        return exc.reason, None
    except Exception as exc:  # a bug on one line must not cost the file's other lines
        return entry_failure(where, NAME_LINES, exc).reason, None


def document_from_object(
    obj: dict[str, Any], path: Path, fmt: str, fallback_id: str | None, limits: Limits
) -> Document:
    """A Document from one JSON object. Raises NotADocument when there is no text field, Rejected when
    the object is a document that cannot be read (empty or oversized text, wrong field types)."""
    key = next((k for k in _TEXT_KEYS if k in obj), None)
    if key is None:
        raise NotADocument(f"no 'text' field (fields: {', '.join(list(obj)[:8]) or 'none'})")
    text = obj[key]
    if not isinstance(text, str):
        raise Rejected(f"'{key}' is a {_json_type(text)}, not a string")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise Rejected(f"empty '{key}'")
    if reason := too_large(text, limits):
        raise Rejected(reason)
    notes: tuple[str, ...] = ()
    spans = None
    if _HTML_BODY.search(text):
        # A CMS export whose text field holds the article's HTML: read it as text, not as markup.
        text, spans = html_to_text(text)
        notes = (f"'{key}' held HTML; it was converted to plain text",)
        if not text.strip():
            raise Rejected(f"'{key}' holds HTML with no text in it")
    if reason := unreadable(text):
        raise Rejected(f"'{key}': {reason}")

    url = _string(_first(obj, _URL_KEYS))
    doc_id = obj.get("id", obj.get("guid"))
    if isinstance(doc_id, str | int) and not isinstance(doc_id, bool) and str(doc_id).strip():
        ident = str(doc_id).strip()
    elif fallback_id is not None:
        ident = fallback_id  # a one-document file: its name
    else:
        ident = _content_hash(text, url)[:16]  # DESIGN: "otherwise a hash"

    published_at, precision, warnings = published(_first(obj, _DATE_KEYS))
    kind = obj.get("source_kind")
    return finish(
        id=ident,
        text=text,
        path=path,
        fmt=fmt,
        title=_string(_first(obj, _TITLE_KEYS)) or "",
        url=url,
        outlet=_string(_first(obj, _OUTLET_KEYS)),
        published_at=published_at,
        precision=precision,
        language=language_code(obj.get("language", obj.get("lang"))),
        source_kind=kind if kind in _KINDS else None,
        non_news=spans,
        warnings=(*notes, *warnings),
    )


def _first(obj: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for k in keys:
        if obj.get(k) is not None:
            return obj[k]
    return None


def _string(value: Any) -> str | None:
    if isinstance(value, dict):  # {"source": {"id": ..., "name": "Example Wire"}}
        value = value.get("name")
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


_WRAPPER_KEYS = ("documents", "articles", "items", "data", "results", "entries", "posts")


def _wrapped_list(obj: dict[str, Any]) -> list[Any] | None:
    """The list of documents inside a wrapper object, when exactly one such key holds objects with text."""
    found = [
        obj[k]
        for k in _WRAPPER_KEYS
        if isinstance(obj.get(k), list) and any(isinstance(o, dict) and _first(o, _TEXT_KEYS) for o in obj[k])
    ]
    return found[0] if len(found) == 1 else None


def _json_type(value: Any) -> str:
    return {dict: "object", list: "list", str: "string", bool: "boolean", type(None): "null"}.get(type(value), "number")


def _reason(exc: Exception) -> str:
    return exc.reason if isinstance(exc, Rejected) else str(exc)


def _not_a_document_file(objects: list[dict[str, Any]], detail: str | None) -> str:
    fields: list[str] = []
    for o in objects[:_PROBE]:
        fields += [k for k in o if k not in fields]
    shown = ", ".join(fields[:10]) + (", ..." if len(fields) > 10 else "")
    return f"not a document file (no 'text' field; fields: {shown or 'none'}); {_EXPECTED}"


def _no_documents_reason(probed: list[Rejection], objects: list[dict[str, Any]]) -> str:
    if objects:
        return _not_a_document_file(objects, None)
    first = probed[0]
    line = first.path.rsplit(":", 1)[-1]
    return (
        f"not a JSON Lines document file (no document in its first {len(probed)} entries; line {line}: {first.reason})"
    )


def _unparsable(exc: ValueError | RecursionError) -> str:
    """Valid JSON that Python will not hold: a number of thousands of digits (the interpreter's guard against
    slow int parsing) or lists and objects nested thousands deep."""
    if isinstance(exc, RecursionError):
        return "not readable JSON: lists or objects nested too deeply (thousands inside each other)"
    if "integer string conversion" in str(exc):
        return "not readable JSON: it holds a number of thousands of digits"
    return f"not readable JSON ({exc})"


def _msg(exc: json.JSONDecodeError) -> str:
    """The decoder's message without its dangling "at" ("Unterminated string starting at")."""
    return exc.msg.removesuffix(" at").removesuffix(" starting")
