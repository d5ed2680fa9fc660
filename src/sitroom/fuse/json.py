"""The JSON shapes of DESIGN.md ("JSON shapes") for what fusion makes. Plain dicts, ready for json.dumps."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sitroom.model import ActorRef, Advisory, Claim, ControlSpan, Event, Figure, Place, TransportStatus


def _day(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _time(t: datetime | None) -> str | None:
    return t.isoformat() if t is not None else None


def actor_to_dict(ref: ActorRef | None) -> dict[str, str] | None:
    return {"id": ref.id, "name": ref.name} if ref is not None else None


def place_to_dict(place: Place | None, text: str | None = None) -> dict[str, Any] | None:
    """A Place; `text` is the place as written in a report (defaults to the gazetteer name)."""
    if place is None:
        return None
    return {
        "name": place.name,
        "text": text if text is not None else place.name,
        "geonameid": place.geonameid,
        "lat": place.lat,
        "lon": place.lon,
        "country": place.country,
        "kind": place.kind,
    }


def event_to_dict(event: Event, claims: Mapping[str, Claim] | None = None) -> dict[str, Any]:
    """An Event. `claims` lists every claim behind it, supporting then opposing (each carries its stance);
    pass the claims by id to show the place as a report wrote it."""
    text = None
    if claims:
        for cid in event.claims:
            c = claims.get(cid)
            if c is not None and c.place_text:
                text = c.place_text
                break
    return {
        "id": event.id,
        "type": event.type,
        "actor": actor_to_dict(event.actor),
        "target": actor_to_dict(event.target),
        "place": place_to_dict(event.place, text),
        "date": _day(event.when.exact),
        "date_earliest": _day(event.when.earliest),
        "date_latest": _day(event.when.latest),
        "status": event.status,
        "confidence": event.confidence,
        "sources": event.sources,
        "claims": [*event.claims, *event.opposing],
        "first_reported": _time(event.first_reported),
        "last_confirmed": _time(event.last_confirmed),
    }


def control_to_dict(span: ControlSpan) -> dict[str, Any]:
    return {
        "place": place_to_dict(span.place),
        "controller": actor_to_dict(span.controller),
        "since": _day(span.since),
        "until": _day(span.until),
        "confidence": span.confidence,
        "last_confirmed": _time(span.last_confirmed),
        "evidence": list(span.evidence),
        "events": list(span.events),
    }


def advisory_to_dict(adv: Advisory) -> dict[str, Any]:
    return {
        "issuer": actor_to_dict(adv.issuer),
        "area": place_to_dict(adv.area),
        "audience": adv.audience,
        "levels": list(adv.levels),
        "means": adv.means,
        "issued": _day(adv.issued),
        "superseded_by": adv.superseded_by,
        "evidence": list(adv.evidence),
    }


def transport_to_dict(ts: TransportStatus) -> dict[str, Any]:
    return {
        "facility": place_to_dict(ts.facility),
        "status": ts.status,
        "since": _day(ts.since),
        "last_confirmed": _time(ts.last_confirmed),
        "evidence": list(ts.evidence),
    }


def figure_to_dict(fig: Figure) -> dict[str, Any]:
    return {
        "metric": fig.metric,
        "value": fig.value,
        "as_of": _day(fig.as_of),
        "area": place_to_dict(fig.area),
        "source": actor_to_dict(fig.source),
        "projection": fig.projection,
        "evidence": list(fig.evidence),
    }
