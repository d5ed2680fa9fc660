"""Persistence of the fused picture as known now: events, control spans and the bookkeeping of what was fused.

`sitroom.state` decides what to recompute; this module only reads and writes rows, with the indexes that
let the map's queries (control on a day, events in a box and a week) answer without re-fusing claims.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from sitroom.model import ActorRef, Claim, ControlSpan, DateSpan, Event, Place
from sitroom.store.grid import cell_of, cells_in
from sitroom.store.schema import claims as claims_t
from sitroom.store.schema import control_spans as spans_t
from sitroom.store.schema import documents as documents_t
from sitroom.store.schema import events as events_t
from sitroom.store.schema import picture_meta as meta_t
from sitroom.store.store import Store, place_from_row, utc


def _place_cols(place: Place | None) -> dict[str, Any]:
    if place is None:
        return {k: None for k in ("place_key", "place_own_id", "place_name", "geonameid", "lat", "lon", "country",
                                  "place_kind", "admin1", "population")}  # fmt: skip
    return {
        "place_key": place.key,
        "place_own_id": place.id,
        "place_name": place.name,
        "geonameid": place.geonameid,
        "lat": place.lat,
        "lon": place.lon,
        "country": place.country,
        "place_kind": place.kind,
        "admin1": place.admin1,
        "population": place.population,
    }


def _place(r: Any) -> Place | None:
    return place_from_row(r, r.place_own_id)


class PictureTables:
    """Rows of the `events`, `control_spans` and `picture_meta` tables of one store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- bookkeeping ----------------------------------------------------------------------------

    def meta(self, key: str, default: str = "") -> str:
        with self.store.engine.connect() as conn:
            value = conn.execute(sa.select(meta_t.c.value).where(meta_t.c.key == key)).scalar()
        return default if value is None else str(value)

    def set_meta(self, conn: sa.Connection, key: str, value: str) -> None:
        conn.execute(meta_t.delete().where(meta_t.c.key == key))
        conn.execute(meta_t.insert().values(key=key, value=value))

    def request_rebuild(self) -> None:
        """Have the next refresh fuse every claim again (after a new gazetteer, lexicon or extractor)."""
        with self.store.engine.begin() as conn:
            self.set_meta(conn, "rebuild", "1")

    def latest_claim_pk(self) -> int:
        with self.store.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.max(claims_t.c.pk))).scalar() or 0)

    def claims_after(self, pk: int, types: Sequence[str] | None = None) -> list[Claim]:
        """Current claims newer than primary key `pk`, in the order they were stored."""
        q = (
            sa.select(claims_t)
            .join(documents_t, documents_t.c.pk == claims_t.c.document_pk)
            .where(documents_t.c.current.is_(True), claims_t.c.pk > pk)
            .order_by(claims_t.c.pk)
        )
        if types:
            q = q.where(claims_t.c.type.in_(list(types)))
        with self.store.engine.connect() as conn:
            return [Store._claim(r) for r in conn.execute(q)]

    def claims_by_ids(self, ids: Iterable[str], known_at: datetime | None = None) -> list[Claim]:
        """The current claims of these ids (with `known_at`, only those known by then)."""
        wanted = list(dict.fromkeys(ids))
        out: list[Claim] = []
        with self.store.engine.connect() as conn:
            for i in range(0, len(wanted), 500):
                q = (
                    sa.select(claims_t)
                    .join(documents_t, documents_t.c.pk == claims_t.c.document_pk)
                    .where(documents_t.c.current.is_(True), claims_t.c.id.in_(wanted[i : i + 500]))
                )
                if known_at is not None:
                    q = q.where(claims_t.c.known_at <= self.store._ts(known_at))
                out.extend(Store._claim(r) for r in conn.execute(q))
        return out

    # --- events ---------------------------------------------------------------------------------

    def delete_events(self, conn: sa.Connection, ids: Sequence[str]) -> None:
        for i in range(0, len(ids), 500):
            conn.execute(events_t.delete().where(events_t.c.id.in_(list(ids[i : i + 500]))))

    def save_events(
        self,
        conn: sa.Connection,
        events: Sequence[Event],
        place_texts: Mapping[str, str | None],
        last_known: Mapping[str, datetime | None] | None = None,
    ) -> None:
        if not events:
            return
        ids = [e.id for e in events]
        for i in range(0, len(ids), 500):
            conn.execute(events_t.delete().where(events_t.c.id.in_(ids[i : i + 500])))
        rows = []
        for e in events:
            rows.append(
                {
                    "id": e.id,
                    "type": e.type,
                    "status": e.status,
                    "confidence": e.confidence,
                    "date_earliest": e.when.earliest,
                    "date_latest": e.when.latest,
                    "actor_id": e.actor.id if e.actor else None,
                    "actor_name": e.actor.name if e.actor else None,
                    "target_id": e.target.id if e.target else None,
                    "target_name": e.target.name if e.target else None,
                    **_place_cols(e.place),
                    "cell": cell_of(e.place.lat, e.place.lon) if e.place else None,
                    "place_text": place_texts.get(e.id),
                    "sources": e.sources,
                    "claims": list(e.claims),
                    "opposing": list(e.opposing),
                    "first_reported": self.store._ts(e.first_reported),
                    "last_confirmed": self.store._ts(e.last_confirmed),
                    "note": e.note,
                    "last_known": self.store._ts(last_known.get(e.id)) if last_known else None,
                }
            )
        conn.execute(events_t.insert(), rows)

    def events(
        self,
        types: Sequence[str] = (),
        since: date | None = None,
        until: date | None = None,
        bbox: tuple[float, float, float, float] | None = None,
        countries: Sequence[str] = (),
        ids: Sequence[str] | None = None,
        unlocated: bool = False,
    ) -> list[tuple[Event, str | None]]:
        q = self._events_query(types, since, until, bbox, countries, ids, unlocated)
        with self.store.engine.connect() as conn:
            return [(self._event(r), r.place_text) for r in conn.execute(q)]

    def events_reported_by(
        self,
        known_at: datetime,
        types: Sequence[str] = (),
        since: date | None = None,
        until: date | None = None,
        bbox: tuple[float, float, float, float] | None = None,
        settled: bool | None = None,
    ) -> list[tuple[Event, str | None, datetime | None]]:
        """The stored events first reported by `known_at`, each with the knowledge time of its newest claim
        (None for events stored before that was kept); with `settled`, only those whose claims were all known
        by then (True) or not (False)."""
        c = events_t.c
        moment = self.store._ts(known_at)
        q = self._events_query(types, since, until, bbox).where(
            sa.or_(c.first_reported.is_(None), c.first_reported <= moment)
        )
        if settled is True:
            q = q.where(c.last_known.is_not(None), c.last_known <= moment)
        elif settled is False:
            q = q.where(sa.or_(c.last_known.is_(None), c.last_known > moment))
        with self.store.engine.connect() as conn:
            return [(self._event(r), r.place_text, utc(r.last_known)) for r in conn.execute(q)]

    def _events_query(
        self,
        types: Sequence[str] = (),
        since: date | None = None,
        until: date | None = None,
        bbox: tuple[float, float, float, float] | None = None,
        countries: Sequence[str] = (),
        ids: Sequence[str] | None = None,
        unlocated: bool = False,
    ) -> sa.Select[Any]:
        c = events_t.c
        q = sa.select(events_t)
        if types:
            q = q.where(c.type.in_(list(types)))
        if since is not None:
            q = q.where(sa.or_(c.date_latest.is_(None), c.date_latest >= since))
        if until is not None:
            q = q.where(sa.or_(c.date_earliest.is_(None), c.date_earliest <= until))
        if bbox is not None:
            min_lon, min_lat, max_lon, max_lat = bbox
            box = sa.and_(c.lat.between(min_lat, max_lat), c.lon.between(min_lon, max_lon))
            cells = cells_in(min_lon, min_lat, max_lon, max_lat)
            if cells is not None:
                box = sa.and_(c.cell.in_(cells), box)
            q = q.where(sa.or_(box, c.country.in_(list(countries))) if countries else box)
        if ids is not None:
            q = q.where(c.id.in_(list(ids)))
        if unlocated:
            q = q.where(c.lat.is_(None))
        return q

    def event_ids_in_cells(
        self, types: Sequence[str], cells: Sequence[int]
    ) -> list[tuple[str, str, int, date | None, date | None]]:
        """(id, type, cell, earliest, latest) of the events of `types` in `cells`: narrow rows, for
        deciding which events to read whole."""
        c = events_t.c
        out: list[tuple[str, str, int, date | None, date | None]] = []
        with self.store.engine.connect() as conn:
            for i in range(0, len(cells), 900):
                q = sa.select(c.id, c.type, c.cell, c.date_earliest, c.date_latest).where(
                    c.cell.in_(list(cells[i : i + 900])), c.type.in_(list(types))
                )
                out.extend(tuple(r) for r in conn.execute(q))  # type: ignore[misc]
        return out

    def _event(self, r: Any) -> Event:
        return Event(
            id=r.id,
            type=r.type,
            status=r.status,
            confidence=r.confidence,
            when=DateSpan(r.date_earliest, r.date_latest),
            actor=ActorRef(r.actor_id, r.actor_name) if r.actor_id else None,
            target=ActorRef(r.target_id, r.target_name) if r.target_id else None,
            place=_place(r),
            sources=r.sources,
            claims=tuple(r.claims or ()),
            opposing=tuple(r.opposing or ()),
            first_reported=utc(r.first_reported),
            last_confirmed=utc(r.last_confirmed),
            note=r.note,
        )

    # --- control --------------------------------------------------------------------------------

    def replace_spans(self, conn: sa.Connection, place_keys: Iterable[str], spans: Sequence[ControlSpan]) -> None:
        keys = list(dict.fromkeys(place_keys))
        for i in range(0, len(keys), 500):
            conn.execute(spans_t.delete().where(spans_t.c.place_key.in_(keys[i : i + 500])))
        if not spans:
            return
        rows = []
        for s in spans:
            place = _place_cols(s.place)
            place.pop("place_key")
            rows.append(
                {
                    "place_key": s.place.key,
                    **place,
                    "controller_id": s.controller.id,
                    "controller_name": s.controller.name,
                    "since": s.since,
                    "until": s.until,
                    "confidence": s.confidence,
                    "last_confirmed": self.store._ts(s.last_confirmed),
                    "evidence": list(s.evidence),
                    "events": list(s.events),
                }
            )
        conn.execute(spans_t.insert(), rows)

    def _span_rows(self, at: date | None, place_keys: Sequence[str] | None) -> list[Any]:
        c = spans_t.c
        with self.store.engine.connect() as conn:
            if at is None:
                q = sa.select(spans_t)
                if place_keys is not None:
                    q = q.where(c.place_key.in_(list(place_keys)))
                return list(conn.execute(q))
            # One span per place: the latest begun by then. Chosen on three narrow columns first, so only the
            # winners' full rows (evidence lists and all) are read.
            q = sa.select(c.pk, c.place_key, c.since).where(
                sa.or_(c.since.is_(None), c.since <= at), sa.or_(c.until.is_(None), c.until > at)
            )
            if place_keys is not None:
                q = q.where(c.place_key.in_(list(place_keys)))
            best: dict[str, tuple[date, int]] = {}
            for pk, key, since in conn.execute(q):
                mark = (since or date.min, pk)
                if key not in best or mark > best[key]:
                    best[key] = mark
            winners = [pk for _, pk in best.values()]
            rows: list[Any] = []
            for i in range(0, len(winners), 900):
                rows.extend(conn.execute(sa.select(spans_t).where(c.pk.in_(winners[i : i + 900]))))
            return rows

    def spans(self, at: date | None = None, place_keys: Sequence[str] | None = None) -> list[ControlSpan]:
        """Every span, or with `at` the one in force per place that day (the latest begun by then)."""
        spans = [
            ControlSpan(
                place=_place(r) or Place(r.place_name, r.lat, r.lon, r.country, r.place_kind or "town"),
                controller=ActorRef(r.controller_id, r.controller_name),
                since=r.since,
                until=r.until,
                confidence=r.confidence,
                last_confirmed=utc(r.last_confirmed),
                evidence=tuple(r.evidence or ()),
                events=tuple(r.events or ()),
            )
            for r in self._span_rows(at, place_keys)
        ]
        return sorted(spans, key=lambda s: (s.place.name, s.place.key, s.since or date.min))

    def control_dicts(self, at: date | None = None) -> list[dict[str, Any]]:
        """`spans(at)` straight into DESIGN.md's control shape: the map asks this on every move of the slider,
        so the rows skip the intermediate objects."""
        out = []
        for r in self._span_rows(at, None):
            confirmed = utc(r.last_confirmed)
            out.append(
                {
                    "place": {
                        "name": r.place_name,
                        "text": r.place_name,
                        "geonameid": r.geonameid,
                        "lat": r.lat,
                        "lon": r.lon,
                        "country": r.country,
                        "kind": r.place_kind or "town",
                    },
                    "controller": {"id": r.controller_id, "name": r.controller_name},
                    "since": r.since.isoformat() if r.since else None,
                    "until": r.until.isoformat() if r.until else None,
                    "confidence": r.confidence,
                    "last_confirmed": confirmed.isoformat().replace("+00:00", "Z") if confirmed else None,
                    "evidence": list(r.evidence or ()),
                    "events": list(r.events or ()),
                }
            )
        out.sort(key=lambda d: (d["place"]["name"], d["place"]["geonameid"] or 0, d["since"] or ""))
        return out

    def clear(self, conn: sa.Connection) -> None:
        conn.execute(events_t.delete())
        conn.execute(spans_t.delete())
        conn.execute(meta_t.delete())
