"""The watch configuration file (YAML):

extractor: rules.v1               # optional
allow_hosts: [intranet.example]   # optional: hosts fetched even though they resolve to internal addresses
subscriptions: subscriptions.yaml # a file (relative to this one), or inline {sinks, subscriptions}
sinks: {...}                      # optional, sinks shared with the subscriptions file
sources:
  - folder: inbox/                # new files; interval (s) optional
    interval: 1
  - feed: https://example.org/rss.xml
    interval: 300
    timeout: 60                   # feed/page: seconds for a whole fetch, redirects included (default 60)
    max_bytes: 8388608            # feed/page: stop reading above this (default and maximum: the reader's limit,
                                  #   128 MiB for a feed, 10 MiB for a page)
  - page: https://example.org/situation
  - telegram_export: exports/channel/result.json
  - telegram: {api_id: 12345, api_hash_env: TG_API_HASH, session: sitroom, channels: [somechannel]}

Feeds and pages are never fetched from loopback, private (RFC 1918, fc00::/7), link-local (169.254/16,
fe80::/10), unspecified, multicast, reserved or cloud-metadata addresses — checked after DNS resolution and
on every redirect — so a feed URL (or a redirect) cannot make the watch read internal services and store
them as reports. `allow_hosts` lifts this for hosts named in it (exactly as written in the URL: a name such
as `localhost` or `intranet.example`, or an address such as `127.0.0.1`); a redirect from an allowed host to
another host is checked as usual.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sitroom.alerts.subscriptions import PlaceResolver, SubscriptionFile, load_subscriptions, parse_subscriptions
from sitroom.alerts.yamlfile import load_with_lines
from sitroom.errors import DataFileError
from sitroom.ingest import DEFAULT_LIMITS
from sitroom.model import Actor
from sitroom.watch.sources import (
    DEFAULT_FETCH_TIMEOUT,
    FeedSource,
    FolderSource,
    PageSource,
    Source,
    TelegramClient,
    TelegramExportSource,
    TelegramLiveSource,
)

SOURCE_KINDS = ("folder", "feed", "page", "telegram_export", "telegram")
DEFAULT_INTERVALS = {"folder": 1.0, "feed": 300.0, "page": 900.0, "telegram_export": 5.0, "telegram": 30.0}
TOP_LEVEL_KEYS = ("sources", "subscriptions", "sinks", "extractor", "allow_hosts")
FETCH_KEYS = ("timeout", "max_bytes")  # feed and page sources only
MAX_FETCH_BYTES = {"feed": DEFAULT_LIMITS.max_container_bytes, "page": DEFAULT_LIMITS.max_document_bytes}


@dataclass
class WatchConfig:
    sources: list[Source]
    subscriptions: SubscriptionFile
    extractor: str = "rules.v1"
    path: str = ""
    source_specs: list[dict[str, Any]] = field(default_factory=list)


def load_config(
    path: str | Path,
    resolve: PlaceResolver | None = None,
    actors: Mapping[str, Actor] | None = None,
    telegram_client: TelegramClient | None = None,
) -> WatchConfig:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(str(p), None, f"cannot read the watch configuration: {exc}") from exc
    doc = load_with_lines(text, str(p))
    data = doc.data or {}
    if not isinstance(data, dict):
        raise doc.error(
            (), "the watch configuration is a mapping (sources, subscriptions, sinks, extractor, allow_hosts)"
        )
    for k in data:
        if k not in TOP_LEVEL_KEYS:
            raise doc.error((k,), f"unknown key {k!r}")
    allow_hosts = data.get("allow_hosts") or []
    if not isinstance(allow_hosts, list) or not all(_is_host(h) for h in allow_hosts):
        raise doc.error(("allow_hosts",), "allow_hosts is a list of host names or addresses, such as [localhost]")
    base = p.parent
    sources: list[Source] = []
    raw = data.get("sources") or []
    if not isinstance(raw, list) or not raw:
        raise doc.error(("sources",), "list the sources to watch (folder, feed, page, telegram_export, telegram)")
    for i, spec in enumerate(raw):
        at = ("sources", i)
        if not isinstance(spec, dict):
            raise doc.error(at, "a source is a mapping such as {folder: inbox/}")
        kinds = [k for k in spec if k in SOURCE_KINDS]
        if len(kinds) != 1:
            raise doc.error(at, f"a source has exactly one of {', '.join(SOURCE_KINDS)}")
        kind = kinds[0]
        for k in spec:
            if k not in (kind, "interval", *(FETCH_KEYS if kind in MAX_FETCH_BYTES else ())):
                raise doc.error((*at, k), f"unknown key {k!r}")
        interval = spec.get("interval", DEFAULT_INTERVALS[kind])
        if isinstance(interval, bool) or not isinstance(interval, int | float) or interval <= 0:
            raise doc.error((*at, "interval"), "interval is a number of seconds > 0")
        value = spec[kind]
        if kind == "telegram":
            sources.append(_telegram(value, float(interval), doc, (*at, kind), telegram_client))
            continue
        if not isinstance(value, str) or not value.strip():
            raise doc.error((*at, kind), f"{kind} needs a path or URL")
        if kind == "folder":
            folder = (base / value).resolve()
            if not folder.is_dir():
                raise doc.error((*at, kind), f"no such folder: {folder}")
            sources.append(FolderSource(folder, float(interval)))
        elif kind == "telegram_export":
            sources.append(TelegramExportSource((base / value).resolve(), float(interval)))
        else:
            if not value.startswith(("http://", "https://")):
                raise doc.error((*at, kind), f"{kind} needs an http(s) URL")
            timeout = spec.get("timeout", DEFAULT_FETCH_TIMEOUT)
            if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
                raise doc.error((*at, "timeout"), "timeout is a number of seconds > 0 (for the whole fetch)")
            cap = MAX_FETCH_BYTES[kind]
            max_bytes = spec.get("max_bytes", cap)
            if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or not 0 < max_bytes <= cap:
                raise doc.error((*at, "max_bytes"), f"max_bytes is a number of bytes from 1 to {cap} for a {kind}")
            cls = FeedSource if kind == "feed" else PageSource
            sources.append(
                cls(value, float(interval), timeout=float(timeout), max_bytes=max_bytes, allow_hosts=allow_hosts)
            )
    extra_sinks = data.get("sinks") or {}
    subs = data.get("subscriptions")
    if isinstance(subs, str):
        subscription_file = load_subscriptions((base / subs).resolve(), resolve, actors, extra_sinks)
    elif isinstance(subs, dict | list):
        if isinstance(subs, list):
            subs = {"subscriptions": subs}
        subs = {**subs, "sinks": {**extra_sinks, **(subs.get("sinks") or {})}}
        subscription_file = parse_subscriptions(yaml.safe_dump(subs), str(p), resolve, actors)
    elif subs is None:
        subscription_file = SubscriptionFile((), dict(extra_sinks), str(p))
    else:
        raise doc.error(("subscriptions",), "subscriptions is a file name or a mapping {sinks, subscriptions}")
    extractor = data.get("extractor", "rules.v1")
    if not isinstance(extractor, str):
        raise doc.error(("extractor",), "extractor is a name such as rules.v1 (or none)")
    return WatchConfig(sources, subscription_file, extractor, str(p), raw)


def _is_host(value: Any) -> bool:
    """A host name or address as written in a URL: no scheme, path, user or port (the match is by name)."""
    if not isinstance(value, str) or not value.strip() or any(c in value for c in "/ @?#"):
        return False
    if ":" not in value:
        return True
    try:
        ipaddress.ip_address(value.strip("[]"))  # IPv6 has colons; host:port does not belong here
    except ValueError:
        return False
    return True


def _telegram(value: Any, interval: float, doc: Any, at: tuple[Any, ...], client: TelegramClient | None) -> Source:
    if not isinstance(value, dict):
        raise doc.error(at, "telegram needs {api_id, api_hash (or api_hash_env), channels}")
    channels = value.get("channels")
    if not isinstance(channels, list) or not channels or not all(isinstance(c, str) for c in channels):
        raise doc.error((*at, "channels"), "list the channels (usernames) to follow")
    if client is None:
        api_id = value.get("api_id")
        api_hash = value.get("api_hash") or os.environ.get(str(value.get("api_hash_env") or ""), "")
        if not isinstance(api_id, int) or not api_hash:
            raise doc.error(at, "live Telegram needs your api_id and api_hash (from my.telegram.org)")
        from sitroom.watch.sources import TelethonClient

        client = TelethonClient(api_id, api_hash, str(value.get("session") or "sitroom"))
    return TelegramLiveSource(client, channels, interval)
