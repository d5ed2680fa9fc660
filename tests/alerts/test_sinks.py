"""Sinks against real local servers: a webhook on loopback (signature checked), SMTP via aiosmtpd, files, CAP."""

from __future__ import annotations

import email
import json
import socket
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar

import pytest
from tests.conftest import serving

from sitroom.alerts import SIGNATURE_HEADER, SinkError, to_cap, verify_signature
from sitroom.alerts.sinks import EmailSink, FileSink, WebhookSink

SECRET = "s3cret-for-tests"
CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"


def an_alert(**over: Any) -> dict[str, Any]:
    alert = {
        "id": "alert-0123456789abcdef",
        "subscription": "fighting-near-homs",
        "description": "",
        "kind": "event",
        "key": "event:ev-1",
        "status": "corroborated",
        "previous_status": None,
        "headline": "Armed clash by Hayat Tahrir al-Sham at Rastan (corroborated, 2 sources)",
        "why": "armed clash; 22 km from Homs (within 30 km)",
        "item": {
            "id": "ev-1",
            "type": "armed_clash",
            "status": "corroborated",
            "place": {"name": "Rastan", "lat": 34.9265, "lon": 36.7324, "country": "SY", "kind": "town"},
        },
        "evidence": [
            {
                "claim": "c7",
                "document": "d5",
                "url": "https://example.org/d5",
                "outlet": "Levant Wire",
                "text": "Fighting at Rastan.",
            }
        ],
        "sent": "2024-12-06T08:00:01.250000+00:00",
    }
    alert.update(over)
    return alert


class _Hook(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []
    fail_first = 0

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if type(self).fail_first > 0:
            type(self).fail_first -= 1
            self.send_response(503)
            self.end_headers()
            return
        type(self).received.append(({k: v for k, v in self.headers.items()}, body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hook() -> Iterator[tuple[str, type[_Hook]]]:
    handler = type("Hook", (_Hook,), {"received": [], "fail_first": 0})
    with serving(handler) as base:
        yield f"{base}/hook", handler


def test_webhook_posts_a_signed_json_alert(hook: tuple[str, type[_Hook]]) -> None:
    url, handler = hook
    WebhookSink(url, SECRET).send(an_alert())
    ((headers, body),) = handler.received
    assert verify_signature(body, SECRET, headers[SIGNATURE_HEADER])
    assert not verify_signature(body + b" ", SECRET, headers[SIGNATURE_HEADER])
    assert json.loads(body)["why"].startswith("armed clash")
    assert headers["Content-Type"] == "application/json"


def test_webhook_retries_a_server_error_then_delivers(hook: tuple[str, type[_Hook]]) -> None:
    url, handler = hook
    handler.fail_first = 2
    WebhookSink(url, SECRET, retries=3, backoff=0.01).send(an_alert())
    assert len(handler.received) == 1


def test_webhook_gives_up_after_its_retries() -> None:
    with pytest.raises(SinkError, match="webhook"):
        WebhookSink("http://127.0.0.1:9/nothing-listens", retries=1, backoff=0.01, timeout=0.5).send(an_alert())


def test_webhook_can_send_cap(hook: tuple[str, type[_Hook]]) -> None:
    url, handler = hook
    WebhookSink(url, SECRET, fmt="cap").send(an_alert())
    ((headers, body),) = handler.received
    assert headers["Content-Type"] == "application/cap+xml"
    assert ET.fromstring(body).tag == CAP + "alert"


def test_cap_message_has_the_required_elements_in_order() -> None:
    root = ET.fromstring(to_cap(an_alert()))
    top = [el.tag.removeprefix(CAP) for el in root]
    assert top[:6] == ["identifier", "sender", "sent", "status", "msgType", "scope"]
    assert root.findtext(CAP + "sent") == "2024-12-06T08:00:01-00:00"  # CAP: no fractions, UTC as -00:00
    assert root.findtext(CAP + "status") == "Actual" and root.findtext(CAP + "msgType") == "Alert"
    info = root.find(CAP + "info")
    assert info is not None
    for tag in ("category", "event", "urgency", "severity", "certainty", "headline", "description", "web"):
        assert info.findtext(CAP + tag), tag
    assert info.findtext(CAP + "certainty") == "Likely"  # corroborated
    assert "22 km from Homs" in (info.findtext(CAP + "description") or "")
    area = info.find(CAP + "area")
    assert area is not None and area.findtext(CAP + "areaDesc") == "Rastan"
    lat_lon, radius = (area.findtext(CAP + "circle") or "").split(" ")
    assert [round(float(x), 2) for x in lat_lon.split(",")] == [34.93, 36.73] and float(radius) > 0


def test_an_update_is_a_cap_update() -> None:
    root = ET.fromstring(to_cap(an_alert(previous_status="reported")))
    assert root.findtext(CAP + "msgType") == "Update"


def test_file_sink_appends_json_lines_and_writes_cap_files(tmp_path: Path) -> None:
    FileSink(tmp_path / "a.jsonl").send(an_alert())
    FileSink(tmp_path / "a.jsonl").send(an_alert(id="alert-2"))
    assert [json.loads(x)["id"] for x in (tmp_path / "a.jsonl").read_text().splitlines()] == [
        "alert-0123456789abcdef",
        "alert-2",
    ]
    FileSink(tmp_path / "cap", fmt="cap").send(an_alert())
    (xml_file,) = (tmp_path / "cap").iterdir()
    assert xml_file.name == "alert-0123456789abcdef.xml"
    assert ET.parse(xml_file).getroot().findtext(CAP + "identifier") == "alert-0123456789abcdef"


def test_email_goes_through_a_local_smtp_server() -> None:
    from aiosmtpd.controller import Controller

    got: list[bytes] = []

    class Handler:
        async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
            got.append(envelope.content)
            return "250 OK"

    with socket.socket() as probe:  # a free port on loopback for the SMTP server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        EmailSink("127.0.0.1", "sitroom@example.org", ["desk@example.org"], port=port).send(an_alert())
    finally:
        controller.stop()
    (raw,) = got
    msg = email.message_from_bytes(raw)
    assert msg["Subject"].startswith("[sitroom] Armed clash")
    text = next(p for p in msg.walk() if p.get_content_type() == "text/plain").get_payload(decode=True).decode()
    assert "Why: armed clash; 22 km from Homs" in text and "https://example.org/d5" in text
    attachment = next(p for p in msg.walk() if p.get_content_type() == "application/json")
    assert json.loads(attachment.get_payload(decode=True))["id"] == "alert-0123456789abcdef"


def test_email_to_a_dead_server_is_a_sink_error() -> None:
    with pytest.raises(SinkError, match="email"):
        EmailSink("127.0.0.1", "a@b", ["c@d"], port=9, timeout=1).send(an_alert())


def test_a_webhook_asked_to_sign_with_an_unset_secret_refuses_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    from sitroom.alerts.sinks import build_sink
    from sitroom.errors import ConfigError

    monkeypatch.delenv("SITROOM_TEST_HOOK_SECRET", raising=False)
    cfg = {"type": "webhook", "url": "http://127.0.0.1:9/hook", "secret_env": "SITROOM_TEST_HOOK_SECRET"}
    with pytest.raises(ConfigError, match="SITROOM_TEST_HOOK_SECRET"):
        build_sink("chat", cfg)
    monkeypatch.setenv("SITROOM_TEST_HOOK_SECRET", "s3cret")
    assert isinstance(build_sink("chat", cfg), WebhookSink)


class _BotApi(BaseHTTPRequestHandler):
    """A local stand-in for Telegram's Bot API: sendMessage answers as Telegram does."""

    received: ClassVar[list[tuple[str, dict[str, Any]]]] = []
    answers: ClassVar[list[tuple[int, dict[str, Any]]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append((self.path, body))
        status, answer = type(self).answers.pop(0) if type(self).answers else (200, {"ok": True, "result": {}})
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def bot_api() -> Iterator[tuple[str, type[_BotApi]]]:
    handler = type("BotApi", (_BotApi,), {"received": [], "answers": []})
    with serving(handler) as base:
        yield base, handler


def test_telegram_posts_a_short_bulletin_item_to_the_channel(bot_api: tuple[str, type[_BotApi]]) -> None:
    from sitroom.alerts.sinks import build_sink

    url, api = bot_api
    sink = build_sink("channel", {"type": "telegram", "token": "123:ABC", "chat_id": "@cell_alerts", "api_url": url})
    sink.send(an_alert())
    ((path, body),) = api.received
    assert path == "/bot123:ABC/sendMessage"
    assert body["chat_id"] == "@cell_alerts" and body["disable_web_page_preview"] is True
    assert body["text"].splitlines() == [
        "sitroom: Armed clash by Hayat Tahrir al-Sham at Rastan (corroborated, 2 sources)",
        "why: armed clash; 22 km from Homs (within 30 km)",
        "[1] Levant Wire https://example.org/d5",
    ]


def test_telegram_waits_when_asked_and_names_a_refusal_without_the_token(bot_api: tuple[str, type[_BotApi]]) -> None:
    from sitroom.alerts.sinks import TelegramSink

    url, api = bot_api
    api.answers = [(429, {"ok": False, "description": "Too Many Requests", "parameters": {"retry_after": 0}})]
    TelegramSink("123:ABC", "-100200", url, backoff=0.01).send(an_alert())
    assert len(api.received) == 2  # waited as asked, then delivered
    api.answers = [(400, {"ok": False, "description": "Bad Request: chat not found"})]
    with pytest.raises(SinkError, match="chat not found") as err:
        TelegramSink("123:ABC", "-100200", url, backoff=0.01).send(an_alert())
    assert "123:ABC" not in str(err.value)
    assert len(api.received) == 3  # a refusal is final: not retried


def test_a_telegram_sink_without_a_token_refuses_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    from sitroom.alerts.sinks import build_sink
    from sitroom.errors import ConfigError

    monkeypatch.delenv("SITROOM_BOT_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="token"):
        build_sink("channel", {"type": "telegram", "chat_id": "@x", "token_env": "SITROOM_BOT_TOKEN"})


def test_file_sink_can_write_bulletin_text(tmp_path: Path) -> None:
    out = tmp_path / "bulletin.txt"
    FileSink(out, "text").send(an_alert())
    FileSink(out, "text").send(an_alert(headline="Control of Hama passed to HTS since 2024-12-05"))
    text = out.read_text()
    assert text.count("sitroom: ") == 2 and "[1] Levant Wire https://example.org/d5" in text
    assert "\n\nsitroom: Control of Hama" in text  # one blank line between items
