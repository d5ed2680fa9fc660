"""Telegram Desktop exports (`result.json`), recognised by content, not by name: a top-level "messages"
list (one chat or channel exported), or "chats" → "list" (a whole-account export, each chat read in turn).

Each message of type "message" with text is a Document:
- id ``CHANNEL/MESSAGE_ID`` — CHANNEL is the export's username when it has one, else its numeric id;
- text: a message's "text" is a string or a list of strings and entity objects ``{"type", "text"}``
  (links, bold, hashtags...), joined; "text_entities" is the fallback;
- date: "date_unixtime" when present (true UTC), else "date" — Telegram Desktop writes it without an offset,
  in the exporting machine's local time; it is read as UTC, as DESIGN says, with no way to do better;
- outlet: the channel's name; source kind "social" unless the name says official/UN/monitor
  (an embassy's channel: "official");
- url ``https://t.me/<username>/<id>`` when a username is known.
Service messages (joins, pins) and messages with only media are skipped. A message over the size limit
is rejected by itself as ``file#message-ID``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sitroom.model import Document, Rejection

from ._base import Limits, finish, published, too_large

NAME = "telegram"


def is_export(obj: object) -> bool:
    if not isinstance(obj, dict):
        return False
    if isinstance(obj.get("messages"), list):
        return True
    chats = obj.get("chats")
    return isinstance(chats, dict) and isinstance(chats.get("list"), list)


def documents(export: dict[str, Any], path: Path, limits: Limits) -> Iterator[Document | Rejection]:
    if isinstance(export.get("messages"), list):
        yield from _chat(export, path, limits)
        return
    for chat in export["chats"]["list"]:
        if isinstance(chat, dict) and isinstance(chat.get("messages"), list):
            yield from _chat(chat, path, limits)


def message_text(value: object) -> str:
    """Join a message's text: a string, or a list of strings and entity objects with a "text"."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts: list[str] = []
        for part in value:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
        return "".join(parts)
    return ""


def _chat(chat: dict[str, Any], path: Path, limits: Limits) -> Iterator[Document | Rejection]:
    username = chat.get("username")
    username = username.strip().lstrip("@") if isinstance(username, str) and username.strip() else None
    channel = username or str(chat.get("id", "")).strip() or path.parent.name or path.stem
    name = chat.get("name") if isinstance(chat.get("name"), str) else None
    for msg in chat["messages"]:
        if not isinstance(msg, dict) or msg.get("type", "message") != "message":
            continue
        text = message_text(msg.get("text")) or message_text(msg.get("text_entities"))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            continue
        msg_id = msg.get("id")
        if reason := too_large(text, limits):
            yield Rejection(f"{path}#message-{msg_id}", reason)
            continue
        unix = msg.get("date_unixtime")
        if isinstance(unix, str) and unix.strip().isdigit():
            published_at, precision, warnings = published(int(unix))
        else:
            published_at, precision, warnings = published(msg.get("date"))
        yield finish(
            id=f"{channel}/{msg_id}",
            text=text,
            path=path,
            fmt=NAME,
            url=f"https://t.me/{username}/{msg_id}" if username and msg_id is not None else None,
            outlet=name or username,
            published_at=published_at,
            precision=precision,
            default_kind="social",
            warnings=warnings,
        )
