"""Gold lines in the shape `sitroom claims --format json` prints, so a gold set can be scored against itself
(every line must match, every must-not line must catch the claim it forbids)."""

from __future__ import annotations

from typing import Any

from sitroom.evaluate import Gold, GoldClaim
from sitroom.model import Place


def place_dict(p: Place | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "name": p.name,
        "text": p.name,
        "geonameid": None,
        "lat": p.lat,
        "lon": p.lon,
        "country": p.country,
        "kind": p.kind,
    }


def as_system(i: int, g: GoldClaim) -> dict[str, Any]:
    """A gold line as a system claim, naming actor and source by their last acceptable name so matching cannot
    lean on the first spelling."""
    day = g.when.exact if g.when else None
    return {
        "id": f"gold-{i}",
        "document_id": g.doc,
        "type": g.type,
        "stance": g.stance,
        "actor": {"id": g.actor[-1], "name": g.actor[-1]} if g.actor else None,
        "target": None,
        "attributed_to": {"id": g.source[-1], "name": g.source[-1]} if g.source else None,
        "place": place_dict(g.place),
        "date": str(day) if day else None,
        "date_earliest": str(g.when.earliest) if g.when and g.when.earliest else None,
        "date_latest": str(g.when.latest) if g.when and g.when.latest else None,
        "quantity": g.quantity,
        "metric": None,
        "advice": g.advice,
        "audience": None,
        "means": None,
        "status": g.status,
        "evidence": {"text": g.note, "start": 0, "end": len(g.note)},
        "extractor": "gold",
        "rule": "gold",
        "confidence": 1.0,
    }


def must_not_as_claims(gold: Gold) -> list[dict[str, Any]]:
    """Each must-not line as the claim it forbids."""
    return [
        {
            "id": f"bad-{i}",
            "document_id": m.doc,
            "type": m.type,
            "stance": m.stance or "asserted",
            "place": place_dict(m.place),
            "evidence": {"text": m.note, "start": 0, "end": 1},
        }
        for i, m in enumerate(gold.must_not)
    ]


def control_as_changes(gold: Gold) -> list[dict[str, Any]]:
    """Each gold change of control as the system's control table would print it."""
    return [
        {
            "place": place_dict(g.place),
            "controller": {"id": g.controller[-1], "name": g.controller[-1]},
            "since": str(g.since.exact or g.since.earliest),
            "until": None,
        }
        for g in gold.control
    ]
