"""Telegram Desktop exports: found by content, one document per text message."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sitroom.ingest import Limits, read_file, read_path
from sitroom.model import Document, Rejection

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


def export(messages: list[dict[str, object]], **chat: object) -> dict[str, object]:
    return {"name": "Front Notes", "type": "public_channel", "id": 777, **chat, "messages": messages}


def msg(i: int, text: object, **extra: object) -> dict[str, object]:
    return {"id": i, "type": "message", "date": "2024-12-06T10:00:00", "text": text, **extra}


def test_export_messages_become_documents_with_channel_and_message_ids() -> None:
    docs = list(read_file(FIXTURES / "result.json"))
    assert [d.id for d in docs] == ["1234567890/41", "1234567890/42"]  # service and photo-only skipped
    assert all(d.format == "telegram" and d.outlet == "Consular Notices Channel" for d in docs)
    assert all(d.source_kind == "social" for d in docs)
    assert docs[0].url is None  # no username in the export: no t.me link
    # date_unixtime (true UTC) wins over the naive local "date"
    assert docs[0].published_at == datetime.fromtimestamp(1733480100, tz=UTC)
    assert docs[0].published_precision == "time"
    # text as a list of strings and entity objects is joined
    assert docs[1].text == "Hotline for nationals: +963 11 000 0000. Updates on our website."
    assert docs[1].published_at == datetime(2024, 12, 6, 12, 40, tzinfo=UTC)  # naive = UTC


def test_export_is_recognised_by_content_not_by_name(tmp_path: Path) -> None:
    f = tmp_path / "channel-dump.json"
    f.write_text(json.dumps(export([msg(5, "Rebels entered the town at dawn.")], username="@frontnotes")))
    (doc,) = read_path([f])
    assert isinstance(doc, Document)
    assert doc.id == "frontnotes/5"
    assert doc.url == "https://t.me/frontnotes/5"


def test_whole_account_export_reads_every_chat(tmp_path: Path) -> None:
    f = tmp_path / "result.json"
    chats = [export([msg(1, "First chat news.")]), export([msg(9, "Second chat news.")], id=888, name="Other")]
    f.write_text(json.dumps({"about": "export", "chats": {"about": "", "list": chats}}))
    assert [d.id for d in read_file(f)] == ["777/1", "888/9"]


def test_embassy_channel_is_official(tmp_path: Path) -> None:
    f = tmp_path / "result.json"
    f.write_text(
        json.dumps(export([msg(3, "Citizens are urged to leave.")], name="Embassy of Examplestan in Damascus"))
    )
    (doc,) = read_file(f)
    assert doc.source_kind == "official"


def test_oversized_message_is_rejected_alone_and_the_rest_read(tmp_path: Path) -> None:
    f = tmp_path / "result.json"
    f.write_text(json.dumps(export([msg(1, "short one"), msg(2, "y" * 3000), msg(3, "short three")])))
    items = list(read_path([f], limits=Limits(max_document_bytes=1000)))
    assert [i.id for i in items if isinstance(i, Document)] == ["777/1", "777/3"]
    (r,) = [i for i in items if isinstance(i, Rejection)]
    assert r.path == f"{f}#message-2" and "above the" in r.reason


def test_message_without_date_is_kept_with_a_warning(tmp_path: Path) -> None:
    f = tmp_path / "result.json"
    f.write_text(json.dumps(export([{"id": 4, "type": "message", "text": "Undated note."}])))
    (doc,) = read_file(f)
    assert doc.published_at is None
    assert any("no publication date" in w for w in doc.warnings)


def test_message_text_in_arabic_is_marked_arabic(tmp_path: Path) -> None:
    f = tmp_path / "result.json"
    f.write_text(json.dumps(export([msg(6, "سيطرت الفصائل على مدينة حماة")]), ensure_ascii=False))
    (doc,) = read_file(f)
    assert doc.language == "ar"
