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
Service messages (joins, pins), messages with only media and messages with no readable text (a lone emoji)
are skipped. A message that cannot be read — over the size limit, not an object, without an id, its text
neither a string nor a list — is rejected by itself as ``file#message-ID`` (``file#messages[N]`` when it has
no usable id, N counted from 0; ``file#chats.list[C].messages[N]`` in a whole-account export). An export that
gives no document and no such rejection at all (no messages, only service or media messages, chats that are
not chats) is rejected as a whole, with what it held, so that no file is silently read as nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitroom.errors import Rejected
from sitroom.model import Document, Rejection

from ._base import Limits, entry_failure, finish, published, too_large, unreadable

NAME = "telegram"

# "date_unixtime" is a string of digits; anything else (another kind of digit, thousands of them) is not one.
_UNIX_TIME = re.compile(r"[0-9]{1,12}")


def is_export(obj: object) -> bool:
    if not isinstance(obj, dict):
        return False
    if isinstance(obj.get("messages"), list):
        return True
    chats = obj.get("chats")
    return isinstance(chats, dict) and isinstance(chats.get("list"), list)


def documents(export: dict[str, Any], path: Path, limits: Limits) -> Iterator[Document | Rejection]:
    seen: Counter[str] = Counter()  # what was skipped, for the rejection of an export that gives nothing
    given = 0
    if isinstance(export.get("messages"), list):
        chats: list[tuple[str, Any]] = [("", export)]
    else:
        chats = [(f"chats.list[{c}].", chat) for c, chat in enumerate(export["chats"]["list"])]
    for where, chat in chats:
        if isinstance(chat, dict) and isinstance(chat.get("messages"), list):
            for item in _chat(chat, where, path, limits, seen):
                given += 1
                yield item
        else:
            seen["chat entries that are not chat objects with a message list"] += 1
    if not given:
        raise Rejected(f"Telegram export with no message to read ({_held(seen)})", path=str(path))


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


def _chat(
    chat: dict[str, Any], where: str, path: Path, limits: Limits, seen: Counter[str]
) -> Iterator[Document | Rejection]:
    username = chat.get("username")
    username = username.strip().lstrip("@") if isinstance(username, str) and username.strip() else None
    chat_id = chat.get("id")
    chat_id = str(chat_id).strip() if isinstance(chat_id, str | int) and not isinstance(chat_id, bool) else ""
    channel = _Channel(username or chat_id or path.parent.name or path.stem, username, chat.get("name"))
    if not chat["messages"]:
        seen["empty message lists"] += 1
    for n, msg in enumerate(chat["messages"]):
        entry = f"{path}#{where}messages[{n}]"
        try:
            item = _message(msg, entry, channel, path, limits, seen)
        except Exception as exc:  # a bug on one message must not cost the export's other messages
            item = entry_failure(entry, NAME, exc)
        if item is not None:
            yield item


@dataclass(frozen=True, slots=True)
class _Channel:
    id: str
    username: str | None
    name: object


def _message(
    msg: object, entry: str, channel: _Channel, path: Path, limits: Limits, seen: Counter[str]
) -> Document | Rejection | None:
    """The message's Document, its Rejection, or None when it is skipped (and counted in `seen`)."""
    if not isinstance(msg, dict):
        return Rejection(entry, f"expected a message object, got {_a(_json_type(msg))}")
    kind = msg.get("type", "message")
    if not isinstance(kind, str):
        return Rejection(entry, f"the message's 'type' is {_a(_json_type(kind))}, not a string")
    if kind != "message":
        seen["service messages"] += 1
        return None
    raw = msg.get("text")
    if raw is not None and not isinstance(raw, str | list):
        return Rejection(entry, f"the message's 'text' is {_a(_json_type(raw))}, not a string or a list")
    text = message_text(raw) or message_text(msg.get("text_entities"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        seen["messages without text (media only)"] += 1
        return None
    if unreadable(text):
        seen["messages with no readable text (a lone emoji or sign)"] += 1
        return None
    msg_id = _message_id(msg.get("id"))
    if msg_id is None:
        return Rejection(entry, f"the message has {_no_id(msg.get('id'))}; a message needs a number as its 'id'")
    if reason := too_large(text, limits):
        return Rejection(f"{path}#message-{msg_id}", reason)
    unix = msg.get("date_unixtime")
    if isinstance(unix, str) and _UNIX_TIME.fullmatch(unix.strip()):
        published_at, precision, warnings = published(int(unix))
    else:
        published_at, precision, warnings = published(msg.get("date"))
    username = channel.username
    return finish(
        id=f"{channel.id}/{msg_id}",
        text=text,
        path=path,
        fmt=NAME,
        url=f"https://t.me/{username}/{msg_id}" if username else None,
        outlet=(channel.name if isinstance(channel.name, str) else None) or username,
        published_at=published_at,
        precision=precision,
        default_kind="social",
        warnings=warnings,
    )


def _message_id(value: object) -> str | int | None:
    """The message's id (a number; a string is taken as written), or None when it has no usable one."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    if isinstance(value, str):
        return value.strip() or None
    return value


def _no_id(value: object) -> str:
    if value is None or isinstance(value, str):
        return "no id"
    return f"an id that is {_a(_json_type(value))}"


def _held(seen: Counter[str]) -> str:
    if not seen:
        return "no messages in it"
    return ", ".join(f"{what}: {n}" for what, n in seen.items())


def _a(kind: str) -> str:
    return f"an {kind}" if kind == "object" else f"a {kind}"


def _json_type(value: Any) -> str:
    return {dict: "object", list: "list", str: "string", bool: "boolean", type(None): "null"}.get(type(value), "number")
