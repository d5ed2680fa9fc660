"""Fetching feeds and pages against hostile servers: endless and oversized answers, servers that drip a byte
at a time, and URLs or redirects that point inside (SSRF). Every server here runs on 127.0.0.1 and is started
by the test; names that must resolve elsewhere are faked through socket.getaddrinfo, and nothing connects
anywhere but loopback."""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import random
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from sitroom.errors import DataFileError
from sitroom.ingest.fetch import FetchError, FetchPolicy, address_refusal, fetch_url
from sitroom.model import Document, Rejection
from sitroom.store import Store
from sitroom.watch import DocumentProcessor, FeedSource, PageSource, Poll, SourceError, Watcher, load_config

LOOPBACK = ["127.0.0.1"]
MiB = 2**20
FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><guid>w1</guid><title>One</title>'
    b"<link>https://example.org/w1</link><pubDate>Fri, 06 Dec 2024 08:00:00 +0000</pubDate>"
    b"<description>The crossing closed on Friday.</description></item></channel></rss>"
)
DRIP_FOR = 15.0  # a dripping server gives up after this long: a fetch that waits it out has failed its test


class _Hostile(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        self.server.requests.append((url.path, self.headers.get("Host", "")))
        route = getattr(self, "route_" + url.path.strip("/").replace("-", "_").replace(".", "_"), None)
        if route is None:
            self.send_error(404)
            return
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client hung up, as it should
            route(parse_qs(url.query))

    def route_feed_xml(self, _: dict[str, list[str]]) -> None:
        self._answer(FEED, "application/rss+xml")

    def route_secret(self, _: dict[str, list[str]]) -> None:
        self._answer(FEED, "application/rss+xml")  # an internal service; it must never be read

    def route_redirect(self, query: dict[str, list[str]]) -> None:
        self.send_response(302)
        self.send_header("Location", query["to"][0])
        self.send_header("Content-Length", "0")
        self.end_headers()

    def route_loop(self, _: dict[str, list[str]]) -> None:
        self.route_redirect({"to": ["/loop"]})

    def route_endless(self, _: dict[str, list[str]]) -> None:
        """No Content-Length, and bytes until the client stops reading (or 256 MiB)."""
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = b"<!-- padding -->" * 4096  # 64 KiB
        while self.server.sent < 256 * MiB:
            self.wfile.write(chunk)
            self.server.sent += len(chunk)

    def route_declared(self, _: dict[str, list[str]]) -> None:
        """Announces a gigabyte, then sends it slowly."""
        self.send_response(200)
        self.send_header("Content-Length", str(1024 * MiB))
        self.end_headers()
        self._drip(b"x")

    def route_drip_body(self, _: dict[str, list[str]]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(10_000))
        self.end_headers()
        self._drip(b"<")

    def route_drip_headers(self, _: dict[str, list[str]]) -> None:
        self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        self._drip(b"z")

    def _drip(self, byte: bytes) -> None:
        end = time.monotonic() + DRIP_FOR
        while time.monotonic() < end:
            self.wfile.write(byte)
            self.wfile.flush()
            self.server.sent += 1
            time.sleep(0.2)

    def _answer(self, body: bytes, ctype: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a dripping handler must not hold up the test's teardown

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Hostile)
        self.requests: list[tuple[str, str]] = []
        self.sent = 0
        self.port = self.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()


def _fake_dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> list[str]:
    """Resolve the given names to the given addresses (everything else as usual); returns the lookups made."""
    real = socket.getaddrinfo
    lookups: list[str] = []

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if host not in answers:
            return real(host, port, *args, **kwargs)
        lookups.append(host)
        out = []
        for a in answers[host]:
            family = socket.AF_INET6 if ":" in a else socket.AF_INET
            sockaddr = (a, int(port), 0, 0) if family == socket.AF_INET6 else (a, int(port))
            out.append((family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr))
        return out

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return lookups


# --- size ------------------------------------------------------------------------------------------


def test_an_endless_answer_is_cut_off_at_the_size_cap_while_streaming(server: _Server) -> None:
    src = FeedSource(f"{server.base}/endless", allow_hosts=LOOPBACK, max_bytes=1 * MiB)
    with pytest.raises(SourceError, match=r"/endless: the answer is larger than the 1\.0 MiB limit; stopped reading"):
        src.poll({})
    # Reading stopped at the cap: the server got no further than what the socket buffers hold, not 256 MiB.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and server.sent < 256 * MiB:
        before = server.sent
        time.sleep(0.2)
        if server.sent == before:
            break
    assert server.sent < 32 * MiB


def test_a_declared_length_over_the_cap_is_refused_before_reading_the_body(server: _Server) -> None:
    page = PageSource(f"{server.base}/declared", allow_hosts=LOOPBACK, max_bytes=1 * MiB, timeout=30)
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"/declared: the answer is 1024\.0 MiB, above the 1\.0 MiB limit"):
        page.poll({})
    assert time.monotonic() - started < 10  # refused at the headers, not after reading what dripped in


# --- time ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["drip-body", "drip-headers"])
def test_a_server_sending_a_byte_at_a_time_is_cut_off_at_the_total_time_limit(server: _Server, path: str) -> None:
    src = FeedSource(f"{server.base}/{path}", allow_hosts=LOOPBACK, timeout=1)
    started = time.monotonic()
    with pytest.raises(SourceError, match=rf"/{path}: no complete answer within 1 s"):
        src.poll({})
    assert time.monotonic() - started < 10  # each byte came well within any per-read timeout; the total did not


def test_a_refused_or_stalled_source_is_logged_and_the_watch_goes_on_and_can_stop(
    server: _Server, kit: ModuleType, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    refused = FeedSource(f"{server.base}/feed.xml", interval=0.05)  # loopback, not allowed
    stalled = FeedSource(f"{server.base}/drip-body", interval=0.05, allow_hosts=LOOPBACK, timeout=1)

    class Good:
        name, interval = "good", 0.05

        def __init__(self) -> None:
            self.items: list[Document | Rejection] = [kit.SCENARIO_DOCS[0]]

        def poll(self, state: dict[str, Any]) -> Poll:
            out, self.items = self.items, []
            return Poll(out, {})

    proc = DocumentProcessor(store, None)
    watcher = Watcher(store, [refused, stalled, Good()], proc, rng=random.Random(3))
    with caplog.at_level(logging.WARNING, logger="sitroom.watch.scheduler"):
        watcher.run(duration=1.5)
        started = time.monotonic()
        watcher.pool.shutdown(wait=True)  # what the process waits for on exit after `watch --for N`
    assert time.monotonic() - started < 10
    assert proc.stored == 1
    log = caplog.text
    assert f"source feed:{server.base}/feed.xml failed ({server.base}/feed.xml: refused: 127.0.0.1 is a loopback" in log
    assert ("/feed.xml", f"127.0.0.1:{server.port}") not in server.requests
    assert f"source feed:{server.base}/drip-body failed ({server.base}/drip-body: no complete answer within 1 s)" in log


# --- SSRF ------------------------------------------------------------------------------------------


def test_loopback_is_refused_unless_the_host_is_allowed_by_name(server: _Server) -> None:
    with pytest.raises(
        SourceError, match=r"/feed\.xml: refused: 127\.0\.0\.1 is a loopback address; add 127\.0\.0\.1 to allow_hosts"
    ):
        FeedSource(f"{server.base}/feed.xml").poll({})
    assert server.requests == []  # refused before connecting
    (doc,) = FeedSource(f"{server.base}/feed.xml", allow_hosts=LOOPBACK).poll({}).items
    assert isinstance(doc, Document) and doc.id == "w1"
    # By name: `localhost` allowed is localhost in the URL, whatever it resolves to.
    (doc,) = FeedSource(f"http://localhost:{server.port}/feed.xml", allow_hosts=["LocalHost"]).poll({}).items
    assert isinstance(doc, Document)
    with pytest.raises(SourceError, match=r"localhost resolves to .*, a loopback address"):
        FeedSource(f"http://localhost:{server.port}/feed.xml", allow_hosts=LOOPBACK).poll({})


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address"),
        ("http://[fd00:ec2::254]/latest/meta-data/", "fd00:ec2::254 is a cloud metadata address"),
        ("http://127.0.0.1:{port}/secret", "127.0.0.1 is a loopback address"),
        ("http://10.1.2.3/admin", "10.1.2.3 is a private address"),
        ("http://[::ffff:127.0.0.1]:{port}/secret", "::ffff:127.0.0.1 is a loopback address"),
    ],
)
def test_a_redirect_to_an_internal_address_is_refused(
    server: _Server, monkeypatch: pytest.MonkeyPatch, target: str, reason: str
) -> None:
    _fake_dns(monkeypatch, {"wire.example": ["127.0.0.1"]})  # a public feed's name, served here for the test
    to = target.format(port=server.port)
    url = f"http://wire.example:{server.port}/redirect?to={to}"
    with pytest.raises(SourceError) as info:
        FeedSource(url, allow_hosts=["wire.example"]).poll({})
    # The permission is for wire.example; the hop is judged on its own.
    assert str(info.value) == (
        f"{url}: redirect 1 to {to}: refused: {reason}; add {urlsplit(to).hostname} to allow_hosts in the watch "
        "configuration to fetch it"
    )
    assert [p for p, _ in server.requests] == ["/redirect"]  # the internal page was never asked for


def test_redirects_are_followed_to_a_limit(server: _Server) -> None:
    hop = f"{server.base}/feed.xml"
    for _ in range(3):
        hop = f"{server.base}/redirect?to={quote(hop, safe='')}"
    (doc,) = FeedSource(hop, allow_hosts=LOOPBACK).poll({}).items  # three hops: fine
    assert isinstance(doc, Document)
    with pytest.raises(SourceError, match=r"/loop: more than 5 redirects \(the last to http://127.0.0.1:\d+/loop\)"):
        FeedSource(f"{server.base}/loop", allow_hosts=LOOPBACK).poll({})
    assert [p for p, _ in server.requests].count("/loop") == 6


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        (["10.20.30.40"], "resolves to 10.20.30.40, a private address"),
        (["93.184.215.14", "192.168.1.9"], "resolves to 192.168.1.9, a private address"),  # one bad answer is enough
        (["fe80::1"], "resolves to fe80::1, a link-local address"),
        (["100.100.100.200"], "resolves to 100.100.100.200, a cloud metadata address"),
    ],
)
def test_a_name_resolving_to_an_internal_address_is_refused_before_connecting(
    monkeypatch: pytest.MonkeyPatch, answers: list[str], reason: str
) -> None:
    lookups = _fake_dns(monkeypatch, {"feeds.example": answers})
    connects: list[Any] = []

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        connects.append(address)
        raise ConnectionRefusedError("no network in tests")

    monkeypatch.setattr(socket, "create_connection", create_connection)
    with pytest.raises(SourceError, match=re.escape(f"http://feeds.example/rss: refused: feeds.example {reason}")):
        FeedSource("http://feeds.example/rss").poll({})
    assert lookups == ["feeds.example"] and connects == []


def test_the_connection_goes_to_the_address_that_was_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the name answers a public address for the check and loopback right after. The fetch
    must connect to the address it checked, not look the name up again."""
    real = socket.getaddrinfo
    lookups: list[str] = []

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if host != "rebind.example":
            return real(host, port, *args, **kwargs)
        lookups.append(host)
        address = "93.184.215.14" if len(lookups) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, int(port)))]

    connects: list[Any] = []

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        connects.append(address)
        raise ConnectionRefusedError("no network in tests")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    with pytest.raises(SourceError, match="ConnectError"):
        FeedSource("http://rebind.example/rss").poll({})
    assert connects == [("93.184.215.14", 80)] and lookups == ["rebind.example"]


def test_an_allowed_name_is_looked_up_once_and_keeps_its_host_header(
    server: _Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    lookups = _fake_dns(monkeypatch, {"intranet.example": ["127.0.0.1"]})
    (doc,) = (
        FeedSource(f"http://intranet.example:{server.port}/feed.xml", allow_hosts=["intranet.example"]).poll({}).items
    )
    assert isinstance(doc, Document)
    assert lookups == ["intranet.example"]
    assert server.requests == [("/feed.xml", f"intranet.example:{server.port}")]  # virtual hosting still works


def test_proxies_from_the_environment_are_not_used(server: _Server, monkeypatch: pytest.MonkeyPatch) -> None:
    # A proxy resolves names itself, out of the check's sight; watch fetches directly.
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    (doc,) = FeedSource(f"{server.base}/feed.xml", allow_hosts=LOOPBACK).poll({}).items
    assert isinstance(doc, Document)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.0.1", "private"),
        ("fd12:3456::1", "private"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("169.254.169.254", "cloud metadata"),
        ("fd00:ec2::254", "cloud metadata"),
        ("100.100.100.200", "cloud metadata"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("100.64.0.1", "not a public"),  # carrier-grade NAT
        ("192.0.2.10", "private"),  # documentation range
        ("::ffff:10.0.0.1", "private"),  # IPv4-mapped
        ("2002:7f00:1::1", "loopback"),  # 6to4 around 127.0.0.1
        ("64:ff9b::a9fe:a9fe", "cloud metadata"),  # NAT64 around 169.254.169.254
        ("93.184.215.14", None),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", None),
        ("1.1.1.1", None),
    ],
)
def test_which_addresses_are_refused(address: str, reason: str | None) -> None:
    why = address_refusal(ipaddress.ip_address(address))
    assert (why is None) if reason is None else (why is not None and reason in why), why


# --- configuration ---------------------------------------------------------------------------------


def test_allow_hosts_and_fetch_limits_come_from_the_watch_configuration(server: _Server, tmp_path: Path) -> None:
    cfg = tmp_path / "watch.yaml"
    cfg.write_text(f"sources:\n  - feed: {server.base}/feed.xml\n")
    (refused,) = load_config(cfg, resolve=lambda n: None, actors={}).sources
    with pytest.raises(SourceError, match=r"refused: 127\.0\.0\.1 is a loopback address"):
        refused.poll({})
    cfg.write_text(
        "allow_hosts: [127.0.0.1]\nsources:\n"
        f"  - feed: {server.base}/feed.xml\n"
        f"  - {{feed: '{server.base}/endless', max_bytes: 65536}}\n"
        f"  - {{page: '{server.base}/drip-body', timeout: 1}}\n"
    )
    feed, endless, drip = load_config(cfg, resolve=lambda n: None, actors={}).sources
    assert [d.id for d in feed.poll({}).items] == ["w1"]  # type: ignore[union-attr]
    with pytest.raises(SourceError, match=r"larger than the 64\.0 KiB limit"):
        endless.poll({})
    with pytest.raises(SourceError, match="no complete answer within 1 s"):
        drip.poll({})


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("allow_hosts: 127.0.0.1\nsources:\n  - feed: https://example.org/f\n", 1, "allow_hosts is a list"),
        ("allow_hosts: ['localhost:8080']\nsources:\n  - feed: https://example.org/f\n", 1, "allow_hosts is a list"),
        ("allow_hosts: ['http://x/']\nsources:\n  - feed: https://example.org/f\n", 1, "allow_hosts is a list"),
        ("sources:\n  - feed: https://example.org/f\n    timeout: 0\n", 3, "timeout is a number of seconds"),
        ("sources:\n  - page: https://example.org/p\n    max_bytes: 999999999\n", 3, "max_bytes is a number of bytes"),
        ("sources:\n  - folder: inbox\n    timeout: 5\n", 3, "unknown key 'timeout'"),
    ],
)
def test_bad_fetch_settings_name_the_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    (tmp_path / "inbox").mkdir()
    cfg = tmp_path / "watch.yaml"
    cfg.write_text(text)
    with pytest.raises(DataFileError, match=message) as info:
        load_config(cfg, resolve=lambda n: None, actors={})
    assert info.value.line == line


def test_allowed_ipv6_and_bracketed_hosts_are_accepted(tmp_path: Path) -> None:
    cfg = tmp_path / "watch.yaml"
    cfg.write_text("allow_hosts: ['::1', '[fd00::5]', intranet.example]\nsources:\n  - feed: https://example.org/f\n")
    assert len(load_config(cfg, resolve=lambda n: None, actors={}).sources) == 1


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make a test CA")
def test_tls_to_the_pinned_address_still_verifies_the_host_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The connection goes to the checked address, but the certificate is checked against the name in the URL."""

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=tmp_path, check=True, capture_output=True)

    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=sitroom test CA",
    )
    openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "srv.key", "-out", "srv.csr", "-subj", "/CN=secure.example"
    )
    (tmp_path / "ext").write_text("subjectAltName=DNS:secure.example\n")
    openssl(
        "x509",
        "-req",
        "-in",
        "srv.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "srv.pem",
        "-days",
        "2",
        "-extfile",
        "ext",
    )

    srv = _Server()
    server_side = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_side.load_cert_chain(tmp_path / "srv.pem", tmp_path / "srv.key")
    srv.socket = server_side.wrap_socket(srv.socket, server_side=True)
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        _fake_dns(monkeypatch, {"secure.example": ["127.0.0.1"], "impostor.example": ["127.0.0.1"]})
        policy = FetchPolicy.make(MiB, 10, ["secure.example", "impostor.example"])
        trust = ssl.create_default_context(cafile=str(tmp_path / "ca.pem"))
        got = fetch_url(f"https://secure.example:{srv.port}/feed.xml", {}, policy, trust)
        assert got.status == 200 and got.body == FEED
        assert srv.requests == [("/feed.xml", f"secure.example:{srv.port}")]
        with pytest.raises(FetchError, match=r"not valid for 'impostor\.example'"):
            fetch_url(f"https://impostor.example:{srv.port}/feed.xml", {}, policy, trust)
    finally:
        srv.shutdown()
        srv.server_close()
