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

from sitroom.acled import acled_types
from sitroom.model import ActorRef
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
# ACLED's time_precision: 1 = the day is known, 2 = within a week, 3 = within a month.
COUNTRY_NAMES = {
    "SY": ("Syria", 760),
    "LB": ("Lebanon", 422),
    "JO": ("Jordan", 400),
    "IQ": ("Iraq", 368),
    "TR": ("Turkey", 792),
}


def _precision(e: dict[str, Any]) -> int:
    if e["date"]:
        return 1
    lo, hi = e["date_earliest"], e["date_latest"]
    if lo and hi and (date.fromisoformat(hi) - date.fromisoformat(lo)).days <= 7:
        return 2
    return 3


def acled_rows(events: list[dict[str, Any]], claims: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for e in events:
        actor = ActorRef(**e["actor"]) if e["actor"] else None
        cues: tuple[str, ...] = tuple(cue for cid in e["claims"] if cid in claims for cue in claims[cid].cues)
        types = acled_types(e["type"], actor, cues)
        if types is None:
            continue
        day = e["date"] or e["date_latest"] or e["date_earliest"]
        place = e["place"] or {}
        outlets = sorted({claims[c].outlet for c in e["claims"] if c in claims and claims[c].outlet})
        country = place.get("country") or ""
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
                "inter1": "",
                "actor2": e["target"]["name"] if e.get("target") else "",
                "assoc_actor_2": "",
                "inter2": "",
                "interaction": "",
                "civilian_targeting": "Civilian targeting" if e["type"] == "attack_on_civilians" else "",
                "iso": COUNTRY_NAMES.get(country, ("", ""))[1],
                "region": "Middle East" if country in COUNTRY_NAMES else "",
                "country": COUNTRY_NAMES.get(country, (country, ""))[0],
                "admin1": "",
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
                "timestamp": int(datetime.now().timestamp()),
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
    claims = dict(picture.snapshot(known_at).claims)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=ACLED_COLUMNS)
    writer.writeheader()
    writer.writerows(acled_rows(events, claims))
    return buf.getvalue()
