"""Fetching a URL for `sitroom watch` and `sitroom ingest URL` without letting the source harm the reader.

fetch_url(url, headers, policy) -> Fetched(status, headers, body) or FetchError(reason naming the URL)

What a source cannot do:
- **Exhaust memory.** The answer is streamed (`client.stream`, `iter_bytes`) and reading stops as soon as
  the body passes `policy.max_bytes`; a `Content-Length` above it is refused before any of the body is read.
  The cap counts decoded bytes, so a gzip bomb stops at the cap too (one network chunk, at most ~64 KiB,
  can decode to ~1000 times its size before the check sees it).
- **Stall the watch.** `policy.timeout` is a total for the whole fetch — connect, TLS, headers, body and every
  redirect hop. It is enforced on each socket operation (each one gets only the time left), so a server that
  sends one byte every few seconds, in the headers or the body, is cut off when the time is up and
  `sitroom watch --for N` can exit. (Name resolution uses the system resolver and its own timeouts.)
- **Reach inside (SSRF).** Every TCP connection the fetch opens — the first request and each redirect hop,
  which are followed by hand, at most `policy.max_redirects` of them, each on a new connection — resolves the
  host with `socket.getaddrinfo`, refuses it if ANY of its addresses is loopback, private (RFC 1918, unique-local
  fc00::/7, CGNAT 100.64/10), link-local (169.254/16, fe80::/10), unspecified, multicast, reserved or otherwise
  not global, or a cloud metadata address (IPv4 addresses embedded in IPv6 — mapped, 6to4, NAT64 — are judged
  as IPv4), and then connects to one of the addresses it checked. The connection is pinned to the checked
  address, so a DNS answer that changes between check and connect (rebinding) has no window; TLS still
  verifies the certificate against the host name. Proxies from the environment are ignored (a proxy would
  resolve the name itself, out of our sight).
  A host listed by name in `policy.allow_hosts` (the watch configuration's `allow_hosts`) is fetched whatever
  its addresses: `localhost`, `127.0.0.1` or an intranet name. The match is by the name in the URL, so an
  allowed host that redirects elsewhere does not carry its permission along.

How: an httpx client over a small transport whose httpcore network backend does the check, the pinning and
the deadline; nothing else in the client can open a socket.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import ssl
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

import httpcore
import httpx

from sitroom.errors import SitroomError
from sitroom.ingest._base import size_text

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_REDIRECTS = 5
USER_AGENT = "sitroom-watch"

# Instance metadata services: AWS/GCP/Azure/OpenStack, AWS over IPv6, AWS ECS tasks, Alibaba Cloud. All are
# also link-local, unique-local or CGNAT, and refused as such; naming them makes the refusal say why it matters.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "169.254.170.2", "100.100.100.200")
)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_REFUSED_KINDS = (
    ("is_loopback", "a loopback address"),
    ("is_unspecified", "an unspecified address"),
    ("is_link_local", "a link-local address"),
    ("is_multicast", "a multicast address"),
    ("is_reserved", "a reserved address"),  # before private: Python counts 240.0.0.0/4 as both
    ("is_private", "a private address"),
)


class FetchError(SitroomError):
    """A URL could not be fetched: refused, too large, too slow, or the server could not be reached."""


class RefusedAddress(FetchError):
    """The host resolves to an address that is not fetched unless the host is allowed by name."""

    def __init__(self, host: str, address: str, reason: str) -> None:
        self.host, self.address, self.reason = host, address, reason
        what = f"{address} is {reason}" if host == address else f"{host} resolves to {address}, {reason}"
        super().__init__(f"{what}; add {host} to allow_hosts in the watch configuration to fetch it")


@dataclass(frozen=True)
class FetchPolicy:
    max_bytes: int  # of the decoded body
    timeout: float  # seconds for the whole fetch, every redirect hop included
    max_redirects: int = MAX_REDIRECTS
    allow_hosts: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def make(cls, max_bytes: int, timeout: float, allow_hosts: Iterable[str] = (), **kw: Any) -> FetchPolicy:
        return cls(max_bytes, timeout, allow_hosts=frozenset(normalise_host(h) for h in allow_hosts), **kw)


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes | bytearray  # empty for redirects, 304 and errors (>= 400): their bodies are not read


def normalise_host(name: str) -> str:
    """The form a host takes on the wire, for comparing names: lower case, no brackets or trailing dot,
    IP addresses in their canonical form, international names in IDNA (punycode)."""
    name = name.strip().strip("[]").rstrip(".").lower()
    try:
        return ipaddress.ip_address(name).compressed
    except ValueError:
        pass
    try:
        return name.encode("idna").decode("ascii")
    except UnicodeError:
        return name


def address_refusal(ip: IPAddress) -> str | None:
    """Why watch does not fetch from this address, or None for a public one."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = (
            ip.ipv4_mapped or ip.sixtofour or (ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if ip in _NAT64 else None)
        )
        if embedded is not None and (why := address_refusal(embedded)):
            return why
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    for test, why in _REFUSED_KINDS:
        if getattr(ip, test):
            return why
    if not ip.is_global:
        return "not a public address"
    return None


def resolve_checked(host: str, port: int, allow_hosts: frozenset[str]) -> list[str]:
    """The addresses to connect to for host:port, once each in resolver order; RefusedAddress if any of them
    is not public and the host is not allowed by name. Resolved here, once, and connected to by address."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise httpcore.ConnectError(f"cannot resolve {host}: no addresses")
    if normalise_host(host) in allow_hosts:
        return addresses
    for address in addresses:
        why = address_refusal(ipaddress.ip_address(address.split("%", 1)[0]))  # drop an IPv6 zone (fe80::1%eth0)
        if why:
            raise RefusedAddress(host, address, why)
    return addresses


# --- the network layer: every connection checked, pinned and on the clock ----------------------------


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every operation gets at most the time left until the fetch's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self._inner = inner
        self._deadline = deadline

    def _left(self, timeout: float | None, expired: type[Exception]) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise expired("the total time for the fetch ran out")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        # The handshake verifies the certificate against server_hostname: the name, not the pinned address.
        inner = self._inner.start_tls(ssl_context, server_hostname, self._left(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(inner, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _CheckedBackend(httpcore.NetworkBackend):
    def __init__(self, policy: FetchPolicy, deadline: float) -> None:
        self._inner = httpcore.SyncBackend()
        self._policy = policy
        self._deadline = deadline

    def _left(self) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise httpcore.ConnectTimeout("the total time for the fetch ran out")
        return left

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        failure: Exception | None = None
        for address in resolve_checked(host, port, self._policy.allow_hosts):
            left = self._left()
            try:
                # An address literal: the inner backend does no name lookup, so this is the address checked.
                stream = self._inner.connect_tcp(
                    address, port, left if timeout is None else min(timeout, left), local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc  # e.g. no IPv6 route: try the host's next address
                continue
            return _DeadlineStream(stream, self._deadline)
        raise failure or httpcore.ConnectError(f"cannot connect to {host}")

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("watch does not fetch over unix sockets")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


# httpcore's errors as httpx's, most specific first (httpx's own transport does the same, privately).
_ERRORS: tuple[tuple[type[Exception], type[httpx.HTTPError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
)


@contextmanager
def _as_httpx_errors() -> Iterator[None]:
    try:
        yield
    except FetchError:
        raise
    except Exception as exc:
        for theirs, ours in _ERRORS:
            if isinstance(exc, theirs):
                raise ours(str(exc) or type(exc).__name__) from exc
        raise


class _Body(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx_errors():
            yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class _CheckedTransport(httpx.BaseTransport):
    """httpx over an httpcore pool whose only way to the network is _CheckedBackend."""

    def __init__(self, policy: FetchPolicy, deadline: float, ssl_context: ssl.SSLContext) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_keepalive_connections=0,  # each request, so each redirect hop, resolves and is checked anew
            network_backend=_CheckedBackend(policy, deadline),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=cast(Iterable[bytes], request.stream),  # a sync client builds sync streams
            extensions=request.extensions,
        )
        with _as_httpx_errors():
            response = self._pool.handle_request(core)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_Body(cast(Iterable[bytes], response.stream)),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._pool.close()


# --- one fetch -------------------------------------------------------------------------------------


@functools.cache
def _default_ssl_context() -> ssl.SSLContext:
    """Built once: loading the CA bundle takes a while, and an SSLContext may be shared between threads."""
    return httpx.create_ssl_context()


def fetch_url(
    url: str, headers: dict[str, str], policy: FetchPolicy, ssl_context: ssl.SSLContext | None = None
) -> Fetched:
    """GET url within the policy's limits, following redirects by hand. FetchError says which URL (and which
    redirect hop) failed and why. `ssl_context`: the certificates to trust (default: httpx's, from certifi)."""
    deadline = time.monotonic() + policy.timeout
    transport = _CheckedTransport(policy, deadline, ssl_context or _default_ssl_context())
    # No proxies from the environment: a proxy resolves names where we cannot check them. (httpx already skips
    # them when given a transport; trust_env=False keeps it so.)
    with httpx.Client(
        transport=transport,
        follow_redirects=False,
        trust_env=False,
        timeout=policy.timeout,
        headers={"User-Agent": USER_AGENT},
    ) as client:
        current = url
        for hop in range(policy.max_redirects + 1):
            where = url if hop == 0 else f"{url}: redirect {hop} to {current}"
            try:
                with client.stream("GET", current, headers=headers) as response:
                    if response.next_request is not None:  # a redirect with a usable Location
                        current = str(response.next_request.url)
                        continue
                    out = {k.lower(): v for k, v in response.headers.items()}
                    if response.status_code == 304 or response.status_code >= 400:
                        return Fetched(response.status_code, out, b"")
                    return Fetched(response.status_code, out, _read_capped(response, policy.max_bytes, where))
            except FetchError as exc:
                if isinstance(exc, RefusedAddress):
                    raise FetchError(f"{where}: refused: {exc}") from exc
                raise
            except httpx.TimeoutException as exc:
                if time.monotonic() >= deadline:
                    raise FetchError(f"{where}: no complete answer within {policy.timeout:g} s") from exc
                raise FetchError(f"{where}: timed out: {exc}") from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"{where}: {type(exc).__name__}: {exc}") from exc
    raise FetchError(f"{url}: more than {policy.max_redirects} redirects (the last to {current})")


def _read_capped(response: httpx.Response, max_bytes: int, where: str) -> bytearray:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"{where}: the answer is {size_text(int(declared))}, above the {size_text(max_bytes)} limit")
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise FetchError(f"{where}: the answer is larger than the {size_text(max_bytes)} limit; stopped reading")
    return body  # not bytes(body): that would hold a second copy of up to max_bytes
