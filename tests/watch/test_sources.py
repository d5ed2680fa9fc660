"""Sources and the scheduler: new items only, conditional fetches, backoff, state that survives a restart."""

from __future__ import annotations

import json
import os
import random
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from sitroom.errors import DataFileError
from sitroom.model import Document, Rejection
from sitroom.store import Store
from sitroom.store import alerts as persist
from sitroom.watch import (
    ChannelInfo,
    DocumentProcessor,
    FeedSource,
    FolderSource,
    LiveMessage,
    PageSource,
    Poll,
    SourceError,
    TelegramExportSource,
    TelegramLiveSource,
    Watcher,
    load_config,
)

LOOPBACK = ["127.0.0.1"]  # the test servers run there; watch refuses it unless allowed by name

RSS_ITEM = "<item><guid>{id}</guid><title>{title}</title><link>https://example.org/{id}</link><pubDate>Fri, 06 Dec 2024 08:00:00 +0000</pubDate><description>{text}</description></item>"


def rss(*items: tuple[str, str]) -> str:
    body = "".join(RSS_ITEM.format(id=i, title=f"Item {i}", text=t) for i, t in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title>{body}</channel></rss>'


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    root = tmp_path / "www"
    root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _bump(path: Path, seconds: int) -> None:
    t = time.time() + seconds  # the server compares If-Modified-Since by whole seconds
    os.utime(path, (t, t))


def test_feed_reads_new_items_and_asks_conditionally(served: tuple[Path, str]) -> None:
    root, base = served
    (root / "f.xml").write_text(rss(("a1", "Shelling hit the town on Friday.")))
    src = FeedSource(f"{base}/f.xml", interval=1, allow_hosts=LOOPBACK)
    first = src.poll({})
    assert [d.id for d in first.items] == ["a1"]  # type: ignore[union-attr]
    assert first.state["last_modified"] and first.state["seen"] == ["a1"]
    again = src.poll(first.state)
    assert again.items == [] and again.state == first.state  # 304: nothing read, nothing lost
    (root / "f.xml").write_text(rss(("a1", "Shelling hit the town on Friday."), ("a2", "The crossing closed.")))
    _bump(root / "f.xml", 5)
    third = src.poll(first.state)
    assert [d.id for d in third.items] == ["a2"]  # type: ignore[union-attr]


def test_feed_errors_and_garbage_are_source_errors(served: tuple[Path, str]) -> None:
    root, base = served
    with pytest.raises(SourceError, match="404"):
        FeedSource(f"{base}/missing.xml", allow_hosts=LOOPBACK).poll({})
    (root / "junk.xml").write_bytes(b"\x00\x01garbage\xff" * 50)
    with pytest.raises(SourceError):
        FeedSource(f"{base}/junk.xml", allow_hosts=LOOPBACK).poll({})
    with pytest.raises(SourceError):
        FeedSource("http://127.0.0.1:9/down.xml", allow_hosts=LOOPBACK).poll({})


def test_a_page_is_one_document_under_its_url_and_a_change_is_a_revision(served: tuple[Path, str]) -> None:
    root, base = served
    html = "<html><head><title>Crossings</title></head><body><article><p>{}</p></article></body></html>"
    (root / "p.html").write_text(html.format("The northern crossing reopened on Friday morning after two days."))
    src = PageSource(f"{base}/p.html", allow_hosts=LOOPBACK)
    first = src.poll({})
    (doc,) = first.items
    assert isinstance(doc, Document) and doc.id == f"{base}/p.html"
    (root / "p.html").write_text(html.format("The northern crossing closed again on Saturday after heavy shelling."))
    _bump(root / "p.html", 5)
    (changed,) = src.poll(first.state).items
    assert isinstance(changed, Document) and changed.id == doc.id and changed.content_hash != doc.content_hash


def test_folder_waits_for_a_file_to_hold_still_and_reads_it_once(tmp_path: Path) -> None:
    src = FolderSource(tmp_path, interval=0.1, settle=60)
    (tmp_path / "r1.txt.part").write_text("being copied")
    (tmp_path / ".hidden.json").write_text("{}")
    note = tmp_path / "r1.json"
    note.write_text(json.dumps({"id": "r1", "title": "T", "date": "2024-12-06", "text": "Clashes were reported."}))
    first = src.poll({})
    assert first.items == []  # seen once: it may still be growing
    second = src.poll(first.state)
    assert [d.id for d in second.items] == ["r1"]  # type: ignore[union-attr]
    assert src.poll(second.state).items == []
    # a restart (a new source object) with the saved state does not read it again
    assert FolderSource(tmp_path, settle=0).poll(second.state).items == []


def test_folder_reports_an_unreadable_file_as_a_rejection(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{not json")
    items = FolderSource(tmp_path, settle=0).poll({}).items
    assert len(items) == 1 and isinstance(items[0], Rejection) and items[0].path.endswith("bad.json")


def _export(messages: list[tuple[int, str]]) -> dict[str, Any]:
    return {
        "name": "Front Watch",
        "type": "public_channel",
        "id": 42,
        "messages": [{"id": i, "type": "message", "date": "2024-12-06T09:00:00", "text": t} for i, t in messages],
    }


def test_telegram_export_yields_new_message_ids_only(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_text(json.dumps(_export([(1, "Shelling near the bridge."), (2, "Roads are closed.")])))
    src = TelegramExportSource(path)
    first = src.poll({})
    assert [d.id for d in first.items] == ["42/1", "42/2"]  # type: ignore[union-attr]
    assert src.poll(first.state).items == []  # unchanged file: not even re-read
    # message 2 edited, message 3 new: only 3 comes through
    path.write_text(
        json.dumps(_export([(1, "Shelling near the bridge."), (2, "Roads closed (edited)."), (3, "Calm.")]))
    )
    _bump(path, 5)
    assert [d.id for d in src.poll(first.state).items] == ["42/3"]  # type: ignore[union-attr]


class FakeTelegram:
    def __init__(self) -> None:
        self.posted: list[LiveMessage] = []
        self.asked: list[tuple[str, int]] = []

    def messages(self, channel: str, after_id: int, limit: int = 200) -> ChannelInfo:
        self.asked.append((channel, after_id))
        return ChannelInfo("frontwatch", "Front Watch", tuple(m for m in self.posted if m.id > after_id)[:limit])


def test_live_telegram_through_a_client_protocol_without_telethon() -> None:
    client = FakeTelegram()
    t0 = datetime(2024, 12, 6, 9, tzinfo=UTC)
    client.posted = [LiveMessage(10, t0, "Fighting in the north."), LiveMessage(11, t0, "  ")]
    src = TelegramLiveSource(client, ["frontwatch"])
    first = src.poll({})
    (doc,) = first.items
    assert isinstance(doc, Document) and doc.id == "frontwatch/10" and doc.url == "https://t.me/frontwatch/10"
    assert doc.published_at == t0 and doc.outlet == "Front Watch"
    client.posted.append(LiveMessage(12, t0, "The airport closed."))
    assert [d.id for d in src.poll(first.state).items] == ["frontwatch/12"]  # type: ignore[union-attr]
    assert client.asked[-1] == ("frontwatch", 10)
    assert "telethon" not in sys.modules


class _Flaky:
    def __init__(self, name: str, fail: bool, items: list[Document | Rejection] | None = None) -> None:
        self.name, self.interval, self.fail, self.items, self.calls = name, 0.01, fail, items or [], 0

    def poll(self, state: dict[str, Any]) -> Poll:
        self.calls += 1
        if self.fail:
            raise SourceError(f"{self.name} is down")
        out, self.items = self.items, []
        return Poll(out, {"calls": self.calls})


def test_a_failing_source_backs_off_while_the_others_go_on(kit: ModuleType, store: Store) -> None:
    down = _Flaky("down", fail=True)
    up = _Flaky("up", fail=False, items=[kit.SCENARIO_DOCS[0]])
    proc = DocumentProcessor(store, None)
    watcher = Watcher(store, [down, up], proc, rng=random.Random(1))
    watcher.run(duration=0.6)
    assert proc.stored == 1 and up.calls > 5
    assert 1 <= down.calls <= 3  # exponential backoff: not hammered every 10 ms
    assert persist.load_state(store, "up")["calls"] >= up.calls - 1  # a poll may still be in flight at the end


def test_backoff_grows_exponentially_with_jitter_and_a_cap(store: Store) -> None:
    src = _Flaky("x", fail=True)
    src.interval = 10
    watcher = Watcher(store, [src], DocumentProcessor(store, None), rng=random.Random(7))
    track = watcher.tracks[0]
    delays = []
    for n in range(1, 12):
        track.failures = n
        delays.append(watcher.backoff(track))
    assert all(10 * 2**n / 2 <= d <= 10 * 2**n for n, d in zip(range(1, 5), delays, strict=False))
    assert max(delays) <= 600


def test_a_stop_between_documents_leaves_the_batch_to_be_read_again(kit: ModuleType, store: Store) -> None:
    src = _Flaky("batch", fail=False, items=list(kit.SCENARIO_DOCS[:3]))
    proc = DocumentProcessor(store, None)
    watcher = Watcher(store, [src], proc)
    original = proc.handle

    def handle_then_stop(item: Document | Rejection) -> list[dict[str, Any]]:
        out = original(item)
        watcher.stop()  # as SIGTERM would, while the first document is being stored
        return out

    proc.handle = handle_then_stop  # type: ignore[method-assign]
    watcher.run(duration=2)
    assert store.counts()["documents"] == 1  # the one being stored was finished, nothing after it
    assert persist.load_state(store, "batch") == {}  # the batch's state is not saved: it is read again


def test_config_errors_name_the_line(tmp_path: Path) -> None:
    cfg = tmp_path / "watch.yaml"
    cfg.write_text("sources:\n  - folder: inbox\n  - feed: ftp://example.org/x\n")
    (tmp_path / "inbox").mkdir()
    with pytest.raises(DataFileError, match="needs an http") as info:
        load_config(cfg, resolve=lambda n: None, actors={})
    assert info.value.line == 3
    cfg.write_text("sources:\n  - telegram: {channels: [x]}\n")
    with pytest.raises(DataFileError, match="api_id and api_hash"):
        load_config(cfg, resolve=lambda n: None, actors={})
    cfg.write_text("sources:\n  - folder: nowhere\n    interval: -1\n")
    with pytest.raises(DataFileError) as info:
        load_config(cfg, resolve=lambda n: None, actors={})
    assert info.value.line == 3
