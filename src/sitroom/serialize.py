"""sitroom's values as DESIGN.md's JSON contract shapes (the CLI, the API and the scorer share these)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sitroom.acled import acled_types
from sitroom.model import ActorRef, Claim, DateSpan, Document, Place


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
