"""The alert engine: changes in the picture, matched against subscriptions, delivered once to their sinks.

    engine = AlertEngine(store, subscription_file, sinks, actors)
    alerts = engine.process(changes, claims)   # claims by id, to link each alert to its evidence

An alert carries the thing that changed (DESIGN.md JSON), why it matched (the condition in words) and its
evidence (claim ids, the sentences, document ids and urls). The same (subscription, item, status) is
delivered once, across restarts (the store's alerts_sent table): an event alerts again only when its
status changes (reported -> corroborated -> contested/denied).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from math import cos, radians
from typing import Any

from sitroom import ontology
from sitroom.alerts.delta import Change
from sitroom.alerts.sinks import Sink, SinkError
from sitroom.alerts.subscriptions import (
    CITY_REACH_KM,
    Area,
    Condition,
    PlaceResolver,
    Subscription,
    Tripwire,
    actor_matches,
    match_areas,
    parse_subscription_spec,
)
from sitroom.errors import ConfigError
from sitroom.fuse import audience_class, stable_id
from sitroom.model import Actor, Advisory, Claim, ControlSpan, Event, Place, TransportStatus
from sitroom.store import Store
from sitroom.store import alerts as persist

log = logging.getLogger(__name__)

CONTRADICTED = frozenset({"contested", "denied"})
ACTIVE_EXIT_STATUSES = frozenset({"closed", "suspended", "disrupted"})


def _name(ref: Any) -> str:
    return getattr(ref, "name", None) or "unknown"


def _place(p: Any) -> str:
    return p.name if p is not None else "an unplaced location"


def match_condition(cond: Condition, ch: Change, actors: Mapping[str, Actor]) -> str | None:
    """Why `ch` meets `cond`, in words, or None."""
    if cond.kind == "route":
        return None  # a route is not a change of one item: `AlertEngine.check_routes` asks the picture
    o = ch.obj
    if cond.kind in ("event", "contradiction"):
        if not isinstance(o, Event):
            return None
        if cond.types and o.type not in cond.types:
            return None
        if not actor_matches(cond.actors, o.actor.id if o.actor else None, actors):
            return None
        where = match_areas(cond.areas, o.place)
        if where is None:
            return None
        parts = [ontology.name(o.type)]
        if cond.actors:
            parts.append(f"by {_name(o.actor)}")
        if where:
            parts.append(where)
        if cond.kind == "contradiction":
            wanted = cond.statuses or CONTRADICTED
            if o.status not in wanted or (ch.previous in CONTRADICTED):
                return None
            parts.append(f"became {o.status}" + (f" (was {ch.previous})" if ch.previous else ""))
        elif cond.statuses and o.status not in cond.statuses:
            return None
        checks = []
        if cond.min_confidence is not None:
            checks.append(
                (o.confidence >= cond.min_confidence, f"confidence {o.confidence:g} >= {cond.min_confidence:g}")
            )
        if cond.min_sources is not None:
            checks.append((o.sources >= cond.min_sources, f"{o.sources} independent sources >= {cond.min_sources}"))
        if checks:
            held = [text for ok, text in checks if ok]
            if (cond.require == "all" and len(held) < len(checks)) or not held:
                return None
            parts.append(" and ".join(held) if cond.require == "all" else held[0])
        if cond.kind == "event":
            parts.append(f"status {o.status}")
        return "; ".join(parts)
    if cond.kind == "advisory":
        if not isinstance(o, Advisory):
            return None
        if cond.issuers and not actor_matches(cond.issuers, o.issuer.id, actors):
            return None
        where = match_areas(cond.areas, o.area)
        if where is None:
            return None
        if cond.audience and audience_class(o.audience) != cond.audience:
            return None
        levels = set(o.levels)
        if cond.levels and not levels & cond.levels:
            return None
        lv = sorted(levels & cond.levels) if cond.levels else sorted(levels)
        who = f"{_name(o.issuer)}" if not cond.issuers else f"{_name(o.issuer)} (a chosen issuer)"
        return f"advisory by {who}, level {', '.join(lv)}" + (f", {where}" if where else "")
    if cond.kind == "transport":
        if not isinstance(o, TransportStatus):
            return None
        where = match_areas(cond.areas, o.facility)
        if where is None or (cond.statuses and o.status not in cond.statuses):
            return None
        if ch.previous == o.status:
            return None  # another report of the same status: no change to tell ("closed (was closed)")
        was = f" (was {ch.previous})" if ch.previous else ""
        return f"{_place(o.facility)} {o.status}{was}" + (f", {where}" if where else "")
    if cond.kind == "control":
        if not isinstance(o, ControlSpan):
            return None
        where = match_areas(cond.areas, o.place)
        if where is None or not actor_matches(cond.actors, o.controller.id, actors):
            return None
        return f"control change {where or 'at ' + _place(o.place)}: now {_name(o.controller)}"
    return None


def match_tripwire(tw: Tripwire, ch: Change, actors: Mapping[str, Actor]) -> str | None:
    o = ch.obj
    plan = f"plan {tw.plan!r}"
    if isinstance(o, Advisory):
        levels = set(o.levels) & tw.levels
        if not levels:
            return None
        if tw.issuers and not actor_matches(tw.issuers, o.issuer.id, actors):
            return None
        if match_areas(tw.advisory_areas, o.area) is None:
            return None
        return f"{plan}: {_name(o.issuer)} advises {', '.join(sorted(levels))} for {_place(o.area)}"
    if isinstance(o, TransportStatus):
        if ch.previous == ch.status:
            return None
        for a in tw.exits:
            where = a.match(o.facility)
            if where is not None:
                was = f" (was {ch.previous})" if ch.previous else ""
                return f"{plan}: exit {a.label} is {o.status}{was}"
        return None
    if isinstance(o, ControlSpan):
        for a in (*tw.people, *tw.exits):
            if a.match(o.place) is not None:
                return f"{plan}: control of {a.label} changed, now {_name(o.controller)}"
        return None
    if isinstance(o, Event) and o.type in tw.fighting_types and o.status != "denied":
        from sitroom.alerts.subscriptions import Area

        for a in (*tw.people, *tw.exits):
            where = Area(a.label, a.place, tw.radius_km).match(o.place)
            if where is not None:
                return f"{plan}: {o.type.replace('_', ' ')} {where} (status {o.status})"
    return None


def match(sub: Subscription, ch: Change, actors: Mapping[str, Actor]) -> str | None:
    if sub.tripwire is not None:
        return match_tripwire(sub.tripwire, ch, actors)
    for cond in sub.conditions:
        why = match_condition(cond, ch, actors)
        if why is not None:
            return why
    return None


def _voices(ids: Iterable[str], claims: Mapping[str, Claim]) -> list[str]:
    """Who said these claims, each once, in order: the speaker, else the outlet that printed it."""
    out: list[str] = []
    for cid in ids:
        c = claims.get(cid)
        who = c and ((c.attributed_to.name if c.attributed_to else None) or c.outlet)
        if who and who not in out:
            out.append(who)
    return out


def headline(ch: Change, claims: Mapping[str, Claim] | None = None) -> str:
    o = ch.obj
    if isinstance(o, Event):
        actor = f" by {_name(o.actor)}" if o.actor else ""
        what = f"{ontology.name(o.type).capitalize()}{actor} at {_place(o.place)}"
        sources = f"{o.sources} source{'s' if o.sources != 1 else ''}"
        deniers = _voices(o.opposing, claims or {})
        if not deniers:
            return f"{what} ({o.status}, {sources})"
        # the denier is named as such, never as the actor ("withdrawal by the army at Homs - denied by the
        # Ministry of Defense"); who asserts it is counted beside
        asserted = "no source asserts it" if not o.claims else f"asserted by {sources}"
        return f"{what} ({o.status}: denied by {', '.join(deniers)}; {asserted})"
    if isinstance(o, Advisory):
        means = f"; means: {o.means}" if o.means else ""
        return (
            f"Advisory: {_name(o.issuer)} advises {o.audience or 'its nationals'} in {_place(o.area)} "
            f"(level: {', '.join(o.levels)}{means})"
        )
    if isinstance(o, TransportStatus):
        was = f" (was {ch.previous})" if ch.previous else ""
        since = f" since {o.since}" if o.since else ""
        return f"{_place(o.facility)} {o.status}{since}{was}"
    since = f" since {o.since}" if o.since else ""
    return f"Control of {_place(o.place)} passed to {_name(o.controller)}{since}"


def _picture_time(claims: Iterable[Claim]) -> datetime | None:
    """The moment the picture is at after these claims: the latest publication among them."""
    times = [c.published_at for c in claims if c.published_at is not None]
    return max(times) if times else None


def _picture_day(claims: Iterable[Claim]) -> date | None:
    """The day the picture is at after these claims: the latest publication among them (a replayed archive
    is judged on its own days, a live feed on today's)."""
    days = [c.published_at.date() for c in claims if c.published_at is not None]
    return max(days) if days else None


class AlertEngine:
    def __init__(
        self,
        store: Store,
        subscriptions: Sequence[Subscription],
        sinks: Mapping[str, Sink],
        actors: Mapping[str, Actor],
        resolve: PlaceResolver | None = None,
        *,
        include_stored: bool = True,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store = store
        self.file_subscriptions = list(subscriptions)
        self.sinks = dict(sinks)
        self.actors = actors
        self.resolve = resolve
        self.include_stored = include_stored
        self.clock = clock
        self._stored: list[Subscription] = []
        self._stored_at = 0.0
        self._routes_last: dict[tuple[str, str], str] = {}  # (subscription, route key) -> status last seen
        self._picture: Any = None
        for sub in self.file_subscriptions:
            for s in sub.sinks:
                if s not in self.sinks:
                    raise ConfigError(f"subscription {sub.id!r} names sink {s!r}, which is not configured")

    def subscriptions(self) -> list[Subscription]:
        """The file's subscriptions and those added through the API (re-read every couple of seconds)."""
        if self.include_stored and time.monotonic() - self._stored_at > 2.0:
            self._stored_at = time.monotonic()
            loaded = []
            for spec in persist.stored_subscriptions(self.store):
                try:
                    loaded.append(parse_subscription_spec(spec, self.resolve, self.actors, list(self.sinks)))
                except ConfigError as exc:
                    log.warning("stored subscription %r skipped: %s", spec.get("id"), exc)
            self._stored = loaded
        file_ids = {s.id for s in self.file_subscriptions}
        return self.file_subscriptions + [s for s in self._stored if s.id not in file_ids]

    def process(self, changes: Sequence[Change], claims: Mapping[str, Claim]) -> list[dict[str, Any]]:
        """Match, deduplicate, deliver. Returns the alerts delivered."""
        out = []
        for sub in self.subscriptions():
            for ch in changes:
                why = match(sub, ch, self.actors)
                if why is None or persist.already_sent_any(self.store, sub.id, _names_of(ch), ch.status):
                    continue
                alert = self.build(sub, ch, why, claims)
                if not persist.record_sent(self.store, sub.id, ch.key, ch.status, alert):
                    continue
                self.deliver(sub, alert)
                out.append(alert)
        out.extend(self.check_routes(_picture_day(claims.values()) or self.clock().date()))
        out.extend(self.check_silence(_picture_time(claims.values()) or self.clock()))
        return out

    def check_silence(self, now: datetime) -> list[dict[str, Any]]:
        """Silence conditions: alert once when nothing has been heard from an area for the time asked; a
        report from it later re-arms the condition (each silence is keyed by when the area was last heard)."""
        out = []
        for sub in self.subscriptions():
            for cond in sub.conditions:
                if cond.kind != "silence" or cond.quiet_for is None:
                    continue
                for area in cond.areas:
                    last = self._last_heard(area, now)
                    if last is None or now - last < cond.quiet_for:
                        continue  # never heard from (nothing to miss yet), or heard lately
                    key = f"silence:{area.place.key}" + (f"@{area.km:g}km" if area.km else "")
                    recorded = f"silent since {last.isoformat()}"
                    if persist.already_sent(self.store, sub.id, key, recorded):
                        continue
                    alert = self.silence_alert(sub, key, recorded, area, last, now, cond.quiet_for)
                    if persist.record_sent(self.store, sub.id, key, recorded, alert):
                        self.deliver(sub, alert)
                        out.append(alert)
        return out

    def _last_heard(self, area: Area, now: datetime) -> datetime | None:
        p = area.place
        if area.km is None and p.kind == "country":
            rows = self.store.recent_places(country=p.country, known_by=now, limit=1)
        elif area.km is None and p.kind in ("admin1", "region"):
            rows = self.store.recent_places(country=p.country, known_by=now)
        else:
            reach = area.km if area.km is not None else CITY_REACH_KM  # a city's quarters and suburbs
            if p.lat is None or p.lon is None:
                return None
            dlat = reach / 111.0
            dlon = reach / (111.0 * max(0.1, cos(radians(p.lat))))
            rows = self.store.recent_places(bbox=(p.lon - dlon, p.lat - dlat, p.lon + dlon, p.lat + dlat), known_by=now)
        return next((when for place, when in rows if area.match(place) is not None), None)

    def silence_alert(
        self, sub: Subscription, key: str, recorded: str, area: Area, last: datetime, now: datetime, quiet: timedelta
    ) -> dict[str, Any]:
        hours = (now - last).total_seconds() / 3600
        gap = f"{hours:.0f} h" if hours < 72 else f"{hours / 24:.0f} days"
        return {
            "id": stable_id("alert", sub.id, key, recorded),
            "subscription": sub.id,
            "description": sub.description,
            "kind": "silence",
            "key": key,
            "status": recorded,
            "previous_status": None,
            "headline": f"Nothing heard from {area.label} for {gap} (last report {last.strftime('%d %b %H:%M')} UTC)",
            "why": f"no report placed {area.match(area.place) or 'at ' + area.label} for over "
            f"{quiet.total_seconds() / 3600:g} h",
            "item": {"area": area.label, "last_heard": last.isoformat(), "hours_silent": round(hours, 1)},
            "evidence": [],
            "sent": self.clock().isoformat(),
        }

    def check_routes(self, day: date) -> list[dict[str, Any]]:
        """Route conditions: ask the picture for each watched route on `day`; alert when the route's status
        changes into one the subscription names (once per entry: back to open and at risk again is new)."""
        out = []
        for sub in self.subscriptions():
            watched = [(c.areas[0], c.areas[1], c.statuses) for c in sub.conditions if c.kind == "route"]
            if sub.tripwire is not None:
                watched += [(a, b, frozenset({"at_risk", "cut"})) for a, b in sub.tripwire.routes]
            for origin, destination, statuses in watched:
                key = f"route:{origin.place.key}|{destination.place.key}"
                memo = (sub.id, key)
                if memo not in self._routes_last:
                    sent = persist.last_status(self.store, sub.id, key)
                    self._routes_last[memo] = sent.split("@")[0] if sent else "open"
                answer = self._route(origin.place, destination.place, day)
                status, previous = answer["status"], self._routes_last[memo]
                if status == previous or status == "unknown":
                    continue
                self._routes_last[memo] = status
                if status not in statuses:
                    continue
                recorded = f"{status}@{day.isoformat()}"
                if persist.already_sent(self.store, sub.id, key, recorded):
                    continue
                alert = self.route_alert(sub, key, recorded, previous, answer, day)
                if persist.record_sent(self.store, sub.id, key, recorded, alert):
                    self.deliver(sub, alert)
                    out.append(alert)
        return out

    def _route(self, origin: Place, destination: Place, day: date) -> dict[str, Any]:
        if self._picture is None:
            from sitroom.state import Picture  # the route planner: imported on first use

            self._picture = Picture(self.store, self.actors)
        answer: dict[str, Any] = self._picture.route(origin, destination, day)
        return answer

    def route_alert(
        self, sub: Subscription, key: str, recorded: str, previous: str, answer: dict[str, Any], day: date
    ) -> dict[str, Any]:
        deciding = answer["deciding"]
        first = (
            f": {deciding[0]['road']['name']}, {deciding[0]['from']['name']} - {deciding[0]['to']['name']}"
            if deciding
            else ""
        )
        claim_ids = list(dict.fromkeys(c for seg in deciding for r in seg["reasons"] for c in r["claims"]))
        return {
            "id": stable_id("alert", sub.id, key, recorded),
            "subscription": sub.id,
            "description": sub.description,
            "kind": "route",
            "key": key,
            "status": answer["status"],
            "previous_status": previous,
            "headline": f"Route {answer['from']['name']} - {answer['to']['name']} is "
            f"{answer['status'].replace('_', ' ')} on {day.isoformat()} (was {previous.replace('_', ' ')}){first}",
            "why": f"the route between {answer['from']['name']} and {answer['to']['name']}",
            "item": answer,
            "evidence": [{"claim": c} for c in claim_ids[:20]],
            "sent": self.clock().isoformat(),
        }

    def build(self, sub: Subscription, ch: Change, why: str, claims: Mapping[str, Claim]) -> dict[str, Any]:
        evidence: list[dict[str, Any]] = []
        ids = ch.evidence
        docs = {}
        wanted = sorted({claims[i].document_id for i in ids if i in claims})
        if wanted:
            docs = {d.document.id: d.document for d in self.store.documents(ids=wanted)}
        for cid in ids:
            c = claims.get(cid)
            if c is None:
                evidence.append({"claim": cid})
                continue
            d = docs.get(c.document_id)
            evidence.append(
                {
                    "claim": cid,
                    "document": c.document_id,
                    "url": d.url if d else None,
                    "outlet": c.outlet or (d.outlet if d else None),
                    "published": c.published_at.isoformat() if c.published_at else None,
                    "stance": c.stance,
                    "said_by": c.attributed_to.name if c.attributed_to else None,
                    "text": c.evidence.text,
                }
            )
        return {
            "id": stable_id("alert", sub.id, ch.key, ch.status),
            "subscription": sub.id,
            "description": sub.description,
            "kind": ch.kind,
            "key": ch.key,
            "status": ch.status,
            "previous_status": ch.previous,
            "headline": headline(ch, claims),
            "why": why,
            "item": dict(ch.data),
            "evidence": evidence,
            "sent": self.clock().isoformat(),
        }

    def deliver(self, sub: Subscription, alert: dict[str, Any]) -> None:
        for name in sub.sinks:
            sink = self.sinks.get(name)
            if sink is None:
                log.error("alert %s: sink %r is not configured", alert["id"], name)
                continue
            try:
                sink.send(alert)
            except SinkError as exc:
                # A sink that is down must not stop the others or the watch: the alert stays on record in
                # alerts_sent (and in the other sinks); the failure goes to the log.
                log.error("alert %s to sink %r failed: %s", alert["id"], name, exc)


def _names_of(ch: Change) -> list[str]:
    """The keys an item has been alerted under. An event is named after its first claim, so a report read
    late that sorts before the others renames it: its earlier names are those of its other claims."""
    if ch.kind == "event" and isinstance(ch.obj, Event):
        return [ch.key, *(f"event:{stable_id('ev', cid)}" for cid in ch.obj.claims)]
    return [ch.key]
