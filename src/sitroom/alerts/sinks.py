"""Where alerts go: stdout or the log, a file (JSON lines, CAP XML files or bulletin text), a webhook, email,
a Telegram channel (through the Bot API).

    sink = build_sink(name, settings)   # settings as in a subscriptions file's `sinks`
    sink.send(alert)                    # raises SinkError when it cannot deliver

Webhook bodies are signed: header `X-Sitroom-Signature: sha256=<hex HMAC-SHA256 of the body>` with the
sink's `secret` (verify with `verify_signature`). A webhook is retried with exponential backoff on
connection errors, 429 and 5xx; 4xx other than 429 is final.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import smtplib
import sys
import time
from collections.abc import Mapping
from email.message import EmailMessage
from pathlib import Path
from typing import IO, Any, Protocol

from sitroom.alerts.cap import to_cap
from sitroom.errors import ConfigError, SitroomError

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Sitroom-Signature"


class SinkError(SitroomError):
    """An alert could not be delivered to a sink."""


class Sink(Protocol):
    def send(self, alert: dict[str, Any]) -> None: ...


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify_signature(body: bytes, secret: str, header: str | None) -> bool:
    return header is not None and hmac.compare_digest(sign(body, secret), header)


TELEGRAM_LIMIT = 4096  # characters in one Bot API message


def alert_text(alert: dict[str, Any], limit: int = TELEGRAM_LIMIT) -> str:
    """An alert as a short plain-text bulletin item: the headline, why it fired, and up to three reports with
    their links (report text never goes in: a channel post is read at a glance)."""
    refs: list[str] = []
    for ev in alert.get("evidence") or ():
        who = ev.get("outlet") or ev.get("said_by") or ev.get("document")
        if not who:
            continue
        url = ev.get("url") if str(ev.get("url") or "").lower().startswith(("http://", "https://")) else None
        line = f"[{len(refs) + 1}] {who}" + (f" {url}" if url else "")
        if line.split("] ", 1)[1] not in (r.split("] ", 1)[1] for r in refs):
            refs.append(line)
        if len(refs) == 3:
            break
    text = "\n".join([f"sitroom: {alert['headline']}", f"why: {alert['why']}", *refs])
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render(alert: dict[str, Any], fmt: str, sender: str = "sitroom@localhost") -> tuple[bytes, str]:
    if fmt == "cap":
        return to_cap(alert, sender).encode("utf-8"), "application/cap+xml"
    if fmt == "text":
        return (alert_text(alert) + "\n").encode("utf-8"), "text/plain; charset=utf-8"
    return json.dumps(alert, ensure_ascii=False, default=str).encode("utf-8"), "application/json"


class StreamSink:
    """One line per alert: its headline and why it fired (stdout, or any text stream)."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream

    def send(self, alert: dict[str, Any]) -> None:
        stream = self.stream or sys.stdout
        stream.write(f"ALERT [{alert['subscription']}] {alert['headline']} -- {alert['why']}\n")
        stream.flush()


class LogSink:
    def send(self, alert: dict[str, Any]) -> None:
        log.warning("ALERT [%s] %s -- %s", alert["subscription"], alert["headline"], alert["why"])


class FileSink:
    """JSON lines appended to `path`; with format cap, one CAP XML file per alert in the folder `path`."""

    def __init__(self, path: str | Path, fmt: str = "json", sender: str = "sitroom@localhost") -> None:
        self.path = Path(path)
        self.fmt = fmt
        self.sender = sender

    def send(self, alert: dict[str, Any]) -> None:
        body, _ = render(alert, self.fmt, self.sender)
        try:
            if self.fmt == "cap":
                self.path.mkdir(parents=True, exist_ok=True)
                target = self.path / f"{alert['id']}.xml"
                tmp = target.with_suffix(".xml.tmp")
                tmp.write_bytes(body)
                os.replace(tmp, target)  # a reader never sees half a message
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("ab") as fh:
                    fh.write(body + b"\n")
        except OSError as exc:
            raise SinkError(f"cannot write {self.path}: {exc}") from exc


class WebhookSink:
    def __init__(
        self,
        url: str,
        secret: str | None = None,
        fmt: str = "json",
        retries: int = 3,
        timeout: float = 5.0,
        backoff: float = 0.5,
        sender: str = "sitroom@localhost",
    ) -> None:
        import httpx

        self.url = url
        self.secret = secret
        self.fmt = fmt
        self.retries = retries
        self.backoff = backoff
        self.sender = sender
        self.client = httpx.Client(timeout=timeout)

    def send(self, alert: dict[str, Any]) -> None:
        import httpx

        body, ctype = render(alert, self.fmt, self.sender)
        headers = {"Content-Type": ctype, "X-Sitroom-Alert-Id": alert["id"]}
        if self.secret:
            headers[SIGNATURE_HEADER] = sign(body, self.secret)
        last = ""
        for attempt in range(self.retries + 1):
            try:
                r = self.client.post(self.url, content=body, headers=headers)
            except httpx.HTTPError as exc:
                last = f"{type(exc).__name__}: {exc}"
            else:
                if r.status_code < 300:
                    return
                last = f"HTTP {r.status_code}"
                if 400 <= r.status_code < 500 and r.status_code != 429:
                    break
            if attempt < self.retries:
                time.sleep(self.backoff * 2**attempt)
        raise SinkError(f"webhook {self.url}: {last}")


class TelegramSink:
    """Posts each alert as a bulletin item to a Telegram chat or channel through the Bot API (sendMessage).
    Retried like a webhook on connection errors, 429 (waiting as long as Telegram asks, up to a minute) and
    5xx; other refusals (a wrong token, a chat the bot cannot post to) are final and name Telegram's reason."""

    def __init__(
        self,
        token: str,
        chat_id: str,
        api_url: str = "https://api.telegram.org",
        retries: int = 3,
        timeout: float = 10.0,
        backoff: float = 0.5,
    ) -> None:
        import httpx

        self.endpoint = f"{api_url.rstrip('/')}/bot{token}/sendMessage"
        self.api_url = api_url
        self.chat_id = chat_id
        self.retries = retries
        self.backoff = backoff
        self.client = httpx.Client(timeout=timeout)

    def send(self, alert: dict[str, Any]) -> None:
        import httpx

        payload = {"chat_id": self.chat_id, "text": alert_text(alert), "disable_web_page_preview": True}
        last = ""
        for attempt in range(self.retries + 1):
            wait = self.backoff * 2**attempt
            try:
                r = self.client.post(self.endpoint, json=payload)
            except httpx.HTTPError as exc:
                last = type(exc).__name__  # never the URL: it holds the bot's token
            else:
                try:
                    answer = r.json()
                except ValueError:
                    answer = {}
                if r.status_code < 300 and answer.get("ok", True):
                    return
                last = f"HTTP {r.status_code}: {answer.get('description') or 'no reason given'}"
                if r.status_code == 429:
                    wait = min(60.0, float((answer.get("parameters") or {}).get("retry_after", wait)))
                elif 400 <= r.status_code < 500:
                    break
            if attempt < self.retries:
                time.sleep(wait)
        raise SinkError(f"telegram chat {self.chat_id} via {self.api_url}: {last}")


class EmailSink:
    def __init__(
        self,
        host: str,
        sender: str,
        to: list[str],
        port: int = 25,
        starttls: bool = False,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.host, self.port, self.sender, self.to = host, port, sender, to
        self.starttls, self.username, self.password, self.timeout = starttls, username, password, timeout

    def message(self, alert: dict[str, Any]) -> EmailMessage:
        msg = EmailMessage()
        msg["Subject"] = f"[sitroom] {alert['headline']}"[:200]
        msg["From"] = self.sender
        msg["To"] = ", ".join(self.to)
        msg["X-Sitroom-Alert-Id"] = alert["id"]
        lines = [alert["headline"], "", f"Why: {alert['why']}", f"Subscription: {alert['subscription']}", ""]
        lines.append("Evidence:")
        for ev in alert.get("evidence", []):
            src = ev.get("outlet") or ev.get("document") or ""
            said = f" ({ev['said_by']})" if ev.get("said_by") else ""
            lines.append(f"- {src}{said}: {ev.get('text', '')} {ev.get('url') or ''}".rstrip())
        msg.set_content("\n".join(lines))
        msg.add_attachment(
            json.dumps(alert, ensure_ascii=False, indent=2, default=str).encode("utf-8"),
            maintype="application",
            subtype="json",
            filename=f"{alert['id']}.json",
        )
        return msg

    def send(self, alert: dict[str, Any]) -> None:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(self.message(alert))
        except (OSError, smtplib.SMTPException) as exc:
            raise SinkError(f"email via {self.host}:{self.port}: {exc}") from exc


def build_sink(name: str, cfg: Mapping[str, Any], stream: IO[str] | None = None) -> Sink:
    kind = cfg.get("type")
    fmt = str(cfg.get("format", "json"))
    if fmt not in ("json", "cap", "text"):
        raise ConfigError(f"sink {name!r}: format is json, cap or text, not {fmt!r}")
    sender = str(cfg.get("sender", "sitroom@localhost"))
    if kind == "stdout":
        return StreamSink(stream)
    if kind == "log":
        return LogSink()
    if kind == "file":
        return FileSink(cfg["path"], fmt, sender)
    if kind == "webhook":
        secret = cfg.get("secret")
        if secret is None and cfg.get("secret_env"):
            secret = os.environ.get(str(cfg["secret_env"]))
            if not secret:
                # Asked for a signature: sending unsigned would let receivers accept forged alerts.
                raise ConfigError(f"sink {name!r}: secret_env {cfg['secret_env']} is not set in the environment")
        return WebhookSink(
            str(cfg["url"]),
            secret,
            fmt,
            retries=int(cfg.get("retries", 3)),
            timeout=float(cfg.get("timeout", 5.0)),
            backoff=float(cfg.get("backoff", 0.5)),
            sender=sender,
        )
    if kind == "telegram":
        token = cfg.get("token")
        if token is None and cfg.get("token_env"):
            token = os.environ.get(str(cfg["token_env"]))
        if not token:
            raise ConfigError(f"sink {name!r}: a telegram sink needs token or token_env (set in the environment)")
        return TelegramSink(
            str(token),
            str(cfg["chat_id"]),
            str(cfg.get("api_url", "https://api.telegram.org")),
            retries=int(cfg.get("retries", 3)),
            timeout=float(cfg.get("timeout", 10.0)),
            backoff=float(cfg.get("backoff", 0.5)),
        )
    if kind == "email":
        to = cfg["to"] if isinstance(cfg["to"], list) else [cfg["to"]]
        password = cfg.get("password")
        if password is None and cfg.get("password_env"):
            password = os.environ.get(str(cfg["password_env"]))
        return EmailSink(
            str(cfg["host"]),
            str(cfg["from"]),
            [str(t) for t in to],
            port=int(cfg.get("port", 25)),
            starttls=bool(cfg.get("starttls", False)),
            username=cfg.get("username"),
            password=password,
        )
    raise ConfigError(f"sink {name!r}: unknown type {kind!r}")


def build_sinks(cfgs: Mapping[str, Mapping[str, Any]], stream: IO[str] | None = None) -> dict[str, Sink]:
    return {name: build_sink(name, cfg, stream) for name, cfg in cfgs.items()}
