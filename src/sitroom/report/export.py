"""Exports of fused events: ACLED-compatible CSV, GeoJSON and JSON.

The CSV uses ACLED's column names and its event and sub-event types (see `sitroom.acled`), one row per
event of a type ACLED codes, so a researcher can load it next to ACLED's own coding of the same weeks.
Types ACLED does not code (advisories, displacement figures, statements) are left out of the CSV and kept in
the GeoJSON and JSON exports.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from typing import Any

from sitroom.acled import acled_types, inter_code, interaction
from sitroom.geo.divisions import admin1_name, country
from sitroom.model import Actor, ActorRef, Claim
from sitroom.state import Picture
from sitroom.store import Store

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]  # fmt: skip

DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}


def _precision(e: dict[str, Any]) -> int:
    if e["date"]:
        return 1
    lo, hi = e["date_earliest"], e["date_latest"]
    if lo and hi and (date.fromisoformat(hi) - date.fromisoformat(lo)).days <= 7:
        return 2
    return 3


def _admin1(e: dict[str, Any], claims: dict[str, Claim]) -> str:
    """The event's first-level division, named: from the GeoNames code its claims' place carries."""
    place = e["place"] or {}
    for cid in e["claims"]:
        p = claims[cid].place if cid in claims else None
        if p is not None and p.name == place.get("name") and p.admin1:
            if p.kind == "admin1":
                return p.name
            return admin1_name(p.country, p.admin1) or ""
    return place.get("name", "") if place.get("kind") == "admin1" else ""


def _timestamp(e: dict[str, Any]) -> int | str:
    """ACLED's `timestamp` is when its row last changed: here, when the event was last confirmed."""
    when = e.get("last_confirmed") or e.get("first_reported")
    return int(datetime.fromisoformat(when).timestamp()) if when else ""


def acled_rows(
    events: list[dict[str, Any]], claims: dict[str, Claim], actors: dict[str, Actor] | None = None
) -> list[dict[str, Any]]:
    rows = []
    for e in events:
        actor = ActorRef(**e["actor"]) if e["actor"] else None
        target = ActorRef(**e["target"]) if e.get("target") else None
        cues: tuple[str, ...] = tuple(cue for cid in e["claims"] if cid in claims for cue in claims[cid].cues)
        types = acled_types(e["type"], actor, cues, actors)
        if types is None:
            continue
        day = e["date"] or e["date_latest"] or e["date_earliest"]
        place = e["place"] or {}
        outlets = sorted({o for c in e["claims"] if c in claims and (o := claims[c].outlet)})
        cc = place.get("country") or ""
        info = country(cc)
        inter1 = inter_code(actor, cc, actors, e["type"])
        inter2 = 7 if e["type"] == "attack_on_civilians" else inter_code(target, cc, actors)
        both = interaction(inter1, inter2)
        rows.append(
            {
                "event_id_cnty": e["id"],
                "event_date": day or "",
                "year": day[:4] if day else "",
                "time_precision": _precision(e),
                "disorder_type": DISORDER.get(types[0], ""),
                "event_type": types[0],
                "sub_event_type": types[1],
                "actor1": e["actor"]["name"] if e["actor"] else "",
                "assoc_actor_1": "",
                "inter1": inter1 if inter1 is not None else "",
                "actor2": e["target"]["name"] if e.get("target") else "",
                "assoc_actor_2": "",
                "inter2": inter2 if inter2 is not None else "",
                "interaction": both if both is not None else "",
                "civilian_targeting": "Civilian targeting" if e["type"] == "attack_on_civilians" else "",
                "iso": info.isonumeric if info and info.isonumeric is not None else "",
                "region": info.region or "" if info else "",
                "country": info.name if info else cc,
                "admin1": _admin1(e, claims),
                "admin2": "",
                "admin3": "",
                "location": place.get("name", ""),
                "latitude": place.get("lat", ""),
                "longitude": place.get("lon", ""),
                "geo_precision": 1 if place.get("kind") not in ("country", "region", "admin1", "sea") else 3,
                "source": "; ".join(outlets),
                "source_scale": "",
                "notes": f"sitroom {e['status']}; {e['sources']} independent source(s); claims {', '.join(e['claims'])}",
                "fatalities": 0,
                "tags": "",
                "timestamp": _timestamp(e),
            }
        )
    return rows


def export_events(
    store: Store,
    fmt: str,
    since: date | None = None,
    until: date | None = None,
    known_at: datetime | None = None,
    place: str | None = None,
) -> str:
    picture = Picture(store)
    events = picture.events(since=since, until=until, known_at=known_at, place=place)
    if fmt == "json":
        return json.dumps(events, ensure_ascii=False, indent=2) + "\n"
    if fmt == "geojson":
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [e["place"]["lon"], e["place"]["lat"]]},
                "properties": e,
            }
            for e in events
            if e["place"] and e["place"].get("lat") is not None
        ]
        return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False) + "\n"
    claims = picture.claims_behind([cid for e in events for cid in e["claims"]], known_at)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=ACLED_COLUMNS)
    writer.writeheader()
    writer.writerows(acled_rows(events, claims, dict(picture.actors)))
    return buf.getvalue()
