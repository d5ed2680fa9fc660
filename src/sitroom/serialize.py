"""sitroom's values as DESIGN.md's JSON contract shapes (the CLI, the API and the scorer share these)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sitroom.acled import acled_types
from sitroom.geo.gazetteer import geonames_name_of

if TYPE_CHECKING:
    from sitroom.fuse.routes import RouteAnswer, SegmentStatus
    from sitroom.geo.roads import RoadGraph
from sitroom.model import (
    ActorRef,
    Advisory,
    Claim,
    ControlSpan,
    DateSpan,
    Document,
    Event,
    Figure,
    Place,
    TransportStatus,
)


def iso_day(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def iso_time(t: datetime | None) -> str | None:
    return t.isoformat().replace("+00:00", "Z") if t is not None else None


def actor_to_dict(actor: ActorRef | None) -> dict[str, str] | None:
    return {"id": actor.id, "name": actor.name} if actor is not None else None


def place_to_dict(place: Place | None, text: str | None = None) -> dict[str, Any] | None:
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
        # GeoNames' name beside the English one users are shown ("Hamah" for "Hama"); null when they agree
        "geonames_name": geonames_name_of(place.geonameid, place.name),
    }


def span_to_dict(span: DateSpan) -> dict[str, str | None]:
    """The `date`/`date_earliest`/`date_latest` triple: date set only when the day is known."""
    return {
        "date": iso_day(span.exact),
        "date_earliest": iso_day(span.earliest),
        "date_latest": iso_day(span.latest),
    }


def claim_to_dict(claim: Claim) -> dict[str, Any]:
    acled = acled_types(claim.type, claim.actor, claim.cues)
    out: dict[str, Any] = {
        "id": claim.id,
        "document_id": claim.document_id,
        "type": claim.type,
        "stance": claim.stance,
        "actor": actor_to_dict(claim.actor),
        "target": actor_to_dict(claim.target),
        "attributed_to": actor_to_dict(claim.attributed_to),
        "place": place_to_dict(claim.place, claim.place_text),
    }
    out.update(span_to_dict(claim.when))
    out.update(
        {
            "quantity": claim.quantity,
            "metric": claim.metric,
            "advice": claim.advice,
            "audience": claim.audience,
            "means": claim.means,
            "status": claim.status,
            "evidence": {
                "text": claim.evidence.text,
                "start": claim.evidence.start,
                "end": claim.evidence.end,
            },
            "language": claim.language,
            "extractor": claim.extractor,
            "rule": claim.rule,
            "confidence": round(claim.confidence, 3),
            "acled": {"event_type": acled[0], "sub_event_type": acled[1]} if acled else None,
        }
    )
    return out


def document_to_dict(doc: Document, ingested_at: datetime | None = None) -> dict[str, Any]:
    return {
        "id": doc.id,
        "title": doc.title,
        "date": iso_day(doc.published_at.date()) if doc.published_at else None,
        "url": doc.url,
        "outlet": doc.outlet,
        "language": doc.language,
        "content_hash": doc.content_hash,
        "ingested_at": iso_time(ingested_at),
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
        "date": iso_day(event.when.exact),
        "date_earliest": iso_day(event.when.earliest),
        "date_latest": iso_day(event.when.latest),
        "status": event.status,
        "confidence": event.confidence,
        "sources": event.sources,
        "claims": [*event.claims, *event.opposing],
        # the same claims split by what they say of the event: asserted/announced/projected vs denials
        "supporting": list(event.claims),
        "opposing": list(event.opposing),
        "first_reported": iso_time(event.first_reported),
        "last_confirmed": iso_time(event.last_confirmed),
        "note": event.note,
    }


def control_to_dict(span: ControlSpan) -> dict[str, Any]:
    return {
        "place": place_to_dict(span.place),
        "controller": actor_to_dict(span.controller),
        "since": iso_day(span.since),
        "until": iso_day(span.until),
        "confidence": span.confidence,
        "last_confirmed": iso_time(span.last_confirmed),
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
        "issued": iso_day(adv.issued),
        "superseded_by": adv.superseded_by,
        "evidence": list(adv.evidence),
    }


def transport_to_dict(ts: TransportStatus) -> dict[str, Any]:
    return {
        "facility": place_to_dict(ts.facility),
        "status": ts.status,
        "since": iso_day(ts.since),
        "last_confirmed": iso_time(ts.last_confirmed),
        "evidence": list(ts.evidence),
    }


def figure_to_dict(fig: Figure) -> dict[str, Any]:
    return {
        "metric": fig.metric,
        "value": fig.value,
        "as_of": iso_day(fig.as_of),
        "area": place_to_dict(fig.area),
        "source": actor_to_dict(fig.source),
        "projection": fig.projection,
        "evidence": list(fig.evidence),
    }


def segment_to_dict(st: SegmentStatus, roads: RoadGraph) -> dict[str, Any]:
    """One road segment with its status and the reasons for it (claims and events behind each)."""
    seg = st.segment
    road = roads.roads[seg.road]
    return {
        "id": seg.id,
        "road": {"id": road.id, "name": road.name},
        "from": place_to_dict(seg.a),
        "to": place_to_dict(seg.b),
        "km": seg.km,
        "status": st.status,
        "reasons": [r.as_dict() for r in st.reasons],
    }


def route_to_dict(answer: RouteAnswer, roads: RoadGraph, at: date) -> dict[str, Any]:
    """`sitroom route` / `GET /route`: the status, the best path, and the segments that decide it."""
    deciding = [st for st in answer.path if st.status != "open"] + answer.blocked
    return {
        "from": place_to_dict(answer.origin),
        "to": place_to_dict(answer.destination),
        "at": iso_day(at),
        "status": answer.status,
        "km": answer.km,
        "via": [p.name for p in answer.via],
        "path": [segment_to_dict(st, roads) for st in answer.path],
        "deciding": [segment_to_dict(st, roads) for st in deciding],
    }
