"""The store: documents, their claims and rejections, on SQLite (default) or PostgreSQL.

Only this package imports database drivers. A document and its claims are written in one transaction,
so a crash never leaves half a document; re-ingesting the same content is a no-op; the same document id
with new content is a new revision (the old one is kept, marked not current, with its claims).
"""

from __future__ import annotations

import contextlib
import os
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection, Engine

from sitroom.errors import StoreError
from sitroom.model import ActorRef, Claim, DateSpan, Document, Evidence, Place, Span
from sitroom.store.grid import cell_of, cells_in
from sitroom.store.schema import claims as claims_t
from sitroom.store.schema import documents as documents_t
from sitroom.store.schema import picture_meta as picture_meta_t
from sitroom.store.schema import rejections as rejections_t

try:
    import fcntl
except ImportError:  # not on Windows: concurrent first opens of one SQLite file are then not serialised
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")
DEFAULT_DB = "sitroom.db"
_MIGRATIONS = Path(__file__).parent / "migrations"


def database_url(db: str | None = None) -> str:
    """A SQLAlchemy URL from what the user gave: a path means SQLite, postgresql://... means PostgreSQL."""
    db = db or os.environ.get("SITROOM_DB") or DEFAULT_DB
    if db.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    if "://" in db:
        return db  # already a SQLAlchemy URL (sqlite:///..., postgresql+psycopg://...)
    return f"sqlite:///{Path(db).expanduser().resolve()}"


@dataclass(frozen=True, slots=True)
class StoredDocument:
    document: Document
    revision: int
    ingested_at: datetime
    known_at: datetime


@dataclass(frozen=True, slots=True)
class ClaimQuery:
    """Filters shared by every claim query (DESIGN.md, "Commands")."""

    since: date | None = None  # the claim's date range overlaps [since, until]
    until: date | None = None
    known_at: datetime | None = None  # only what was published by then
    place: str | None = None  # a name as written or resolved, or a GeoNames id
    place_keys: tuple[str, ...] = ()  # and the gazetteer places that name can mean (geo.select)
    types: tuple[str, ...] = ()
    document_id: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    extractor: str | None = None
    language: str | None = None  # the reports' language ("ar", "ru", "en")
    limit: int | None = None


@dataclass(frozen=True)
class ClaimSource:
    """Where a claim comes from: its document, that document's outlet and URL, who said it and how."""

    document_id: str
    outlet: str | None
    url: str | None
    stance: str
    speaker: str | None


def utc(ts: datetime | None) -> datetime | None:
    """Aware UTC; a naive timestamp is taken to be UTC (DESIGN: timestamps are UTC unless they carry an offset)."""
    if ts is None:
        return None
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)


class Store:
    """A sitroom store. Open with `Store.open(db)`; it migrates the schema to the latest version."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"

    # --- opening ------------------------------------------------------------------------------

    @classmethod
    def open(cls, db: str | None = None, *, migrate: bool = True, **engine_kw: Any) -> Store:
        url = database_url(db)
        try:
            engine = sa.create_engine(url, future=True, **engine_kw)
        except (sa.exc.ArgumentError, ImportError) as exc:
            raise StoreError(f"cannot open store {db!r}: {exc}") from exc
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        if migrate:
            store.migrate()
        return store

    def migrate(self) -> None:
        """Bring the schema to the latest version. Several processes may open a new store at once (two
        ingests, a watch and the server): one migrates while the others wait for it, then find nothing to do."""
        cfg = Config()
        cfg.set_main_option("script_location", str(_MIGRATIONS))
        try:
            with _migration_lock(self.engine), self.engine.begin() as conn:
                if not self.is_sqlite:
                    # PostgreSQL's DDL is transactional: the lock is held until this transaction commits.
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except sa.exc.OperationalError as exc:
            raise StoreError(f"cannot open store {self.engine.url!r}: {exc.orig}") from exc

    @contextlib.contextmanager
    def picture_lock(self) -> Iterator[None]:
        """One refresh of the stored picture at a time across processes. PostgreSQL: a session advisory lock
        (two refreshes would otherwise both insert the same new events: read committed does not make one see
        the other's uncommitted rows). SQLite serialises its write transactions already."""
        if self.is_sqlite:
            yield
            return
        with self.engine.connect() as conn:
            # keyed by the schema too: stores in other schemas of the same database refresh freely
            conn.execute(
                sa.text("SELECT pg_advisory_lock(:key, hashtext(current_schema()))"), {"key": _PICTURE_LOCK_KEY}
            )
            conn.commit()
            try:
                yield
            finally:
                conn.execute(
                    sa.text("SELECT pg_advisory_unlock(:key, hashtext(current_schema()))"), {"key": _PICTURE_LOCK_KEY}
                )
                conn.commit()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ------------------------------------------------------------------------------

    def stored_ids(self, ids: Sequence[str]) -> set[str]:
        """Which of these document ids the store holds (a page fetched from an address has that address as its
        id: what a backfill of address lists skips on a second run)."""
        found: set[str] = set()
        wanted = list(dict.fromkeys(ids))
        with self.engine.connect() as conn:
            for i in range(0, len(wanted), 500):
                q = sa.select(documents_t.c.id).where(
                    documents_t.c.id.in_(wanted[i : i + 500]), documents_t.c.current.is_(True)
                )
                found.update(r[0] for r in conn.execute(q))
        return found

    def has_content(self, content_hash: str) -> bool:
        """Whether a document with this content is stored already (re-ingest is then a no-op)."""
        with self.engine.connect() as conn:
            found = conn.execute(
                sa.select(documents_t.c.pk).where(documents_t.c.content_hash == content_hash).limit(1)
            ).first()
        return found is not None

    def add_document(self, doc: Document, claims: Sequence[Claim] = (), ingested_at: datetime | None = None) -> str:
        """Store a document with its claims in one transaction.

        Returns "new", "duplicate" (same content already stored: nothing written) or "revision"
        (same id, new content: the old revision is kept and marked not current).
        """
        now = utc(ingested_at) or datetime.now(UTC)
        # Another writer (a second ingest, watch, the API) may store the same document between our check and
        # our insert: the unique keys refuse the second copy, and the retry then finds it as a duplicate.
        return _retrying(lambda: self._add_document(doc, claims, now), also=sa.exc.IntegrityError)

    def _add_document(self, doc: Document, claims: Sequence[Claim], now: datetime) -> str:
        with self.engine.begin() as conn:
            if conn.execute(sa.select(documents_t.c.pk).where(documents_t.c.content_hash == doc.content_hash)).first():
                return "duplicate"
            previous = conn.execute(
                sa.select(documents_t.c.pk, documents_t.c.revision)
                .where(documents_t.c.id == doc.id)
                .order_by(documents_t.c.revision.desc())
                .limit(1)
            ).first()
            revision = 1
            if previous is not None:
                revision = previous.revision + 1
                conn.execute(documents_t.update().where(documents_t.c.id == doc.id).values(current=False))
                _picture_needs_rebuild(conn)
            known_at = utc(doc.published_at) or now
            inserted = conn.execute(
                documents_t.insert().values(
                    id=doc.id,
                    revision=revision,
                    current=True,
                    content_hash=doc.content_hash,
                    title=doc.title,
                    url=doc.url,
                    outlet=doc.outlet,
                    source_kind=doc.source_kind,
                    language=doc.language,
                    published_at=self._ts(doc.published_at),
                    published_precision=doc.published_precision,
                    known_at=self._ts(known_at),
                    ingested_at=self._ts(now),
                    text=doc.text,
                    non_news=[[s.start, s.end, s.kind] for s in doc.non_news],
                    warnings=list(doc.warnings),
                    format=doc.format,
                    path=doc.path,
                )
            )
            pk = int(inserted.inserted_primary_key[0])  # type: ignore[index]
            self._insert_claims(conn, pk, claims, known_at)
        return "revision" if revision > 1 else "new"

    def replace_claims(self, document_id: str, claims: Sequence[Claim], extractor: str | None = None) -> int:
        """Re-extraction: replace the current revision's claims (of one extractor, or all) atomically."""
        with self.engine.begin() as conn:
            row = conn.execute(
                sa.select(documents_t.c.pk, documents_t.c.known_at).where(
                    documents_t.c.id == document_id, documents_t.c.current.is_(True)
                )
            ).first()
            if row is None:
                raise StoreError(f"no document {document_id!r} in the store")
            delete = claims_t.delete().where(claims_t.c.document_pk == row.pk)
            if extractor is not None:
                delete = delete.where(claims_t.c.extractor == extractor)
            conn.execute(delete)
            self._insert_claims(conn, row.pk, claims, utc(row.known_at))
            _picture_needs_rebuild(conn)
        return len(claims)

    def add_rejection(self, path: str, reason: str, at: datetime | None = None) -> None:
        # A rejection names bad input, and may quote it: what no database stores is escaped, not refused.
        path, reason = _storable(path), _storable(reason)
        row = {"path": path, "reason": reason, "at": self._ts(utc(at) or datetime.now(UTC))}

        def write() -> None:
            with self.engine.begin() as conn:
                conn.execute(rejections_t.insert().values(**row))

        _retrying(write)

    def _insert_claims(
        self, conn: Connection, document_pk: int, claims: Sequence[Claim], known_at: datetime | None
    ) -> None:
        if not claims:
            return
        rows = [self._claim_row(c, document_pk, known_at) for c in claims]
        conn.execute(claims_t.insert(), rows)

    def _claim_row(self, c: Claim, document_pk: int, known_at: datetime | None) -> dict[str, Any]:
        p = c.place
        return {
            "id": c.id,
            "document_pk": document_pk,
            "document_id": c.document_id,
            "type": c.type,
            "stance": c.stance,
            "actor_id": c.actor.id if c.actor else None,
            "actor_name": c.actor.name if c.actor else None,
            "target_id": c.target.id if c.target else None,
            "target_name": c.target.name if c.target else None,
            "attributed_id": c.attributed_to.id if c.attributed_to else None,
            "attributed_name": c.attributed_to.name if c.attributed_to else None,
            "place_key": p.key if p else None,
            "place_name": p.name if p else None,
            "place_text": c.place_text,
            "geonameid": p.geonameid if p else None,
            "lat": p.lat if p else None,
            "lon": p.lon if p else None,
            "country": p.country if p else None,
            "place_kind": p.kind if p else None,
            "admin1": p.admin1 if p else None,
            "population": p.population if p else None,
            "cell": cell_of(p.lat, p.lon) if p else None,
            "date_earliest": c.when.earliest,
            "date_latest": c.when.latest,
            "quantity": c.quantity,
            "metric": c.metric,
            "advice": c.advice,
            "audience": c.audience,
            "means": c.means,
            "status": c.status,
            "evidence_text": c.evidence.text,
            "evidence_start": c.evidence.start,
            "evidence_end": c.evidence.end,
            "extractor": c.extractor,
            "rule": c.rule,
            "confidence": c.confidence,
            "cues": list(c.cues),
            "known_at": self._ts(utc(c.published_at) or known_at),
            "outlet": c.outlet,
        }

    # --- reading ------------------------------------------------------------------------------

    def documents(self, known_at: datetime | None = None, ids: Sequence[str] | None = None) -> list[StoredDocument]:
        """Current revisions, oldest publication first."""
        q = sa.select(documents_t).where(documents_t.c.current.is_(True))
        if known_at is not None:
            q = q.where(documents_t.c.known_at <= self._ts(utc(known_at)))
        if ids is not None:
            q = q.where(documents_t.c.id.in_(list(ids)))
        q = q.order_by(documents_t.c.known_at, documents_t.c.id)
        with self.engine.connect() as conn:
            return [self._document(r) for r in conn.execute(q)]

    def document(self, document_id: str) -> StoredDocument | None:
        found = self.documents(ids=[document_id])
        return found[0] if found else None

    def document_history(self, document_id: str) -> list[StoredDocument]:
        q = sa.select(documents_t).where(documents_t.c.id == document_id).order_by(documents_t.c.revision)
        with self.engine.connect() as conn:
            return [self._document(r) for r in conn.execute(q)]

    def claims(self, query: ClaimQuery | None = None) -> list[Claim]:
        return list(self.iter_claims(query or ClaimQuery()))

    def iter_claims(self, query: ClaimQuery) -> Iterator[Claim]:
        c = claims_t.c
        q = (
            sa.select(claims_t, documents_t.c.language.label("doc_language"))
            .join(documents_t, documents_t.c.pk == c.document_pk)
            .where(documents_t.c.current.is_(True))
        )
        if query.language is not None:
            q = q.where(documents_t.c.language == query.language)
        if query.types:
            q = q.where(c.type.in_(query.types))
        if query.since is not None:
            q = q.where(sa.or_(c.date_latest.is_(None), c.date_latest >= query.since))
        if query.until is not None:
            q = q.where(sa.or_(c.date_earliest.is_(None), c.date_earliest <= query.until))
        if query.known_at is not None:
            q = q.where(c.known_at <= self._ts(utc(query.known_at)))
        if query.document_id is not None:
            q = q.where(c.document_id == query.document_id)
        if query.extractor is not None:
            q = q.where(c.extractor == query.extractor)
        if query.place:
            q = q.where(_place_filter(query.place, query.place_keys))
        elif query.place_keys:
            q = q.where(c.place_key.in_(query.place_keys))  # only these places (e.g. the road graph's)
        if query.bbox is not None:
            min_lon, min_lat, max_lon, max_lat = query.bbox
            cells = cells_in(min_lon, min_lat, max_lon, max_lat)
            if cells is not None:
                q = q.where(c.cell.in_(cells))
            q = q.where(c.lat.between(min_lat, max_lat), c.lon.between(min_lon, max_lon))
        q = q.order_by(c.known_at, c.document_id, c.evidence_start, c.id)
        if query.limit is not None:
            q = q.limit(query.limit)
        with self.engine.connect() as conn:
            for row in conn.execute(q):
                yield self._claim(row)

    def claim_voices(self, types: Sequence[str]) -> dict[str, tuple[str, datetime]]:
        """Who said each current claim of these types (the speaker, else the outlet, else the document) and
        when it became known: what freshness counts ("confirmed by 3 sources, 5 h ago")."""
        c = claims_t.c
        q = (
            sa.select(c.id, c.attributed_name, c.outlet, c.document_id, c.known_at)
            .join(documents_t, documents_t.c.pk == c.document_pk)
            .where(documents_t.c.current.is_(True), c.type.in_(list(types)))
        )
        with self.engine.connect() as conn:
            return {
                r.id: (
                    r.attributed_name or r.outlet or r.document_id,
                    utc(r.known_at) or datetime.min.replace(tzinfo=UTC),
                )
                for r in conn.execute(q)
            }

    def claim_sources(self, ids: Sequence[str], known_at: datetime | None = None) -> dict[str, ClaimSource]:
        """Where each of these current claims comes from (document, outlet, URL, speaker, stance): what a
        report's links and "denied by" need, without reading the claims whole."""
        c, d = claims_t.c, documents_t.c
        wanted = list(dict.fromkeys(ids))
        out: dict[str, ClaimSource] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(wanted), 500):
                q = (
                    sa.select(c.id, c.document_id, c.outlet, c.stance, c.attributed_name, d.url)
                    .join(documents_t, d.pk == c.document_pk)
                    .where(d.current.is_(True), c.id.in_(wanted[i : i + 500]))
                )
                if known_at is not None:
                    q = q.where(c.known_at <= self._ts(utc(known_at)))
                for r in conn.execute(q):
                    out[r.id] = ClaimSource(r.document_id, r.outlet, r.url, r.stance, r.attributed_name)
        return out

    def recent_places(
        self,
        *,
        bbox: tuple[float, float, float, float] | None = None,
        country: str | None = None,
        known_by: datetime | None = None,
        limit: int = 500,
    ) -> list[tuple[Place, datetime]]:
        """The places current claims were made about, newest first, with when each became known: what a
        silence subscription asks ("when was anything last heard from Homs?")."""
        c = claims_t.c
        q = (
            sa.select(
                c.lat, c.lon, c.place_key, c.place_name, c.country, c.place_kind, c.admin1, c.geonameid, c.known_at
            )
            .join(documents_t, documents_t.c.pk == c.document_pk)
            .where(documents_t.c.current.is_(True), c.lat.is_not(None))
        )
        if bbox is not None:
            min_lon, min_lat, max_lon, max_lat = bbox
            q = q.where(c.lat.between(min_lat, max_lat), c.lon.between(min_lon, max_lon))
        if country is not None:
            q = q.where(c.country == country)
        if known_by is not None:
            q = q.where(c.known_at <= self._ts(utc(known_by)))
        q = q.order_by(c.known_at.desc()).limit(limit)
        with self.engine.connect() as conn:
            return [
                (
                    Place(
                        r.place_name or "",
                        r.lat,
                        r.lon,
                        r.country,
                        r.place_kind or "town",
                        geonameid=r.geonameid,
                        admin1=r.admin1,
                        id=r.place_key,
                    ),
                    utc(r.known_at) or datetime.min.replace(tzinfo=UTC),
                )
                for r in conn.execute(q)
            ]

    def latest_known_at(self) -> datetime | None:
        """When the newest current claim became known: the moment a replayed archive's picture stands at."""
        c = claims_t.c
        q = sa.select(sa.func.max(c.known_at)).join(documents_t, documents_t.c.pk == c.document_pk)
        with self.engine.connect() as conn:
            return utc(conn.execute(q.where(documents_t.c.current.is_(True))).scalar())

    def publication_range(self) -> tuple[date | None, date | None]:
        """The first and last publication days of the current documents, in one aggregate query (the store may
        hold an archive): the page's time slider spans them."""
        d = documents_t.c
        q = sa.select(sa.func.min(d.known_at), sa.func.max(d.known_at)).where(d.current.is_(True))
        with self.engine.connect() as conn:
            lo, hi = conn.execute(q).one()
        return _day(lo), _day(hi)

    def claims_around(
        self, q: ClaimQuery, *, placeless: bool = False, lookback_days: int = 14, placeless_limit: int = 2000
    ) -> list[Claim]:
        """The current claims of one neighbourhood, for incremental fusion: of `q.types`, at the place key or
        country `q.place` (or with no place at all: `placeless`, at most `placeless_limit`), in `q.bbox`, dated
        within [q.since, q.until] (ranges starting up to `lookback_days` before the window) or undated.

        Written apart from `iter_claims` so each shape uses the index that fits it: a place key (areas,
        facilities, advisories), the dates (a box in a window of days: the latitude index alone would scan a
        whole band of the country), the type (a place's captures over all time)."""
        c = claims_t.c
        sel = (
            sa.select(claims_t)
            .join(documents_t, documents_t.c.pk == c.document_pk)
            .where(documents_t.c.current.is_(True), c.type.in_(q.types))
        )
        if placeless:
            sel = sel.where(c.place_key.is_(None))
        elif q.place is not None:
            sel = sel.where(c.place_key == q.place) if ":" in q.place else sel.where(c.country == q.place.upper())
        if q.bbox is not None:
            min_lon, min_lat, max_lon, max_lat = q.bbox
            # "+ 0" keeps the planner off the latitude index: a box's band of latitude crosses the whole
            # country, so the type or the dates narrow far better (SQLite would otherwise pick it).
            sel = sel.where((c.lat + 0).between(min_lat, max_lat), (c.lon + 0).between(min_lon, max_lon))
        if q.since is not None:
            sel = sel.where(sa.or_(c.date_latest.is_(None), c.date_latest >= q.since))
        if q.until is not None and q.since is None:
            sel = sel.where(sa.or_(c.date_earliest.is_(None), c.date_earliest <= q.until))
        selects = [sel]
        if q.since is not None and q.until is not None:
            # Reports dated within the window (ranges starting up to lookback_days before it), and the undated
            # ones: two index ranges instead of one open-ended scan.
            early = q.since - timedelta(days=lookback_days)
            selects = [sel.where(c.date_earliest.between(early, q.until)), sel.where(c.date_earliest.is_(None))]
        out: list[Claim] = []
        with self.engine.connect() as conn:
            for one in selects:
                if placeless:
                    one = one.limit(placeless_limit)
                out.extend(Store._claim(r) for r in conn.execute(one))
        return out

    def rejections(self) -> list[tuple[str, str, datetime]]:
        q = sa.select(rejections_t).order_by(rejections_t.c.pk)
        with self.engine.connect() as conn:
            return [(r.path, r.reason, utc(r.at)) for r in conn.execute(q)]  # type: ignore[misc]

    def data_version(self) -> tuple[int, int]:
        """Changes whenever documents or claims are added or replaced (the newest primary keys): a cheap key
        for caches of what is derived from the store."""
        with self.engine.connect() as conn:
            doc = conn.execute(sa.select(sa.func.max(documents_t.c.pk))).scalar()
            claim = conn.execute(sa.select(sa.func.max(claims_t.c.pk))).scalar()
        return (doc or 0, claim or 0)

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            docs = conn.execute(sa.select(sa.func.count()).where(documents_t.c.current.is_(True))).scalar_one()
            claims = conn.execute(sa.select(sa.func.count()).select_from(claims_t)).scalar_one()
            rejected = conn.execute(sa.select(sa.func.count()).select_from(rejections_t)).scalar_one()
        return {"documents": docs, "claims": claims, "rejections": rejected}

    # --- conversions --------------------------------------------------------------------------

    def _ts(self, ts: datetime | None) -> datetime | None:
        # SQLite has no time zones: store naive UTC there, aware UTC on PostgreSQL.
        ts = utc(ts)
        if ts is not None and self.is_sqlite:
            return ts.replace(tzinfo=None)
        return ts

    def _document(self, r: Any) -> StoredDocument:
        doc = Document(
            id=r.id,
            text=r.text,
            title=r.title,
            url=r.url,
            outlet=r.outlet,
            published_at=utc(r.published_at),
            published_precision=r.published_precision,
            language=r.language,
            source_kind=r.source_kind,
            non_news=tuple(Span(int(a), int(b), str(k)) for a, b, k in (r.non_news or [])),
            path=r.path,
            format=r.format,
            content_hash=r.content_hash,
            warnings=tuple(r.warnings or ()),
        )
        return StoredDocument(doc, r.revision, utc(r.ingested_at), utc(r.known_at))  # type: ignore[arg-type]

    @staticmethod
    def _claim(r: Any) -> Claim:
        own_id = r.place_key if r.place_key and not r.place_key.startswith("geonames:") else None
        place = place_from_row(r, own_id)
        return Claim(
            id=r.id,
            document_id=r.document_id,
            type=r.type,
            stance=r.stance,
            evidence=Evidence(r.evidence_text, r.evidence_start, r.evidence_end),
            extractor=r.extractor,
            rule=r.rule,
            confidence=r.confidence,
            actor=ActorRef(r.actor_id, r.actor_name) if r.actor_id else None,
            target=ActorRef(r.target_id, r.target_name) if r.target_id else None,
            attributed_to=ActorRef(r.attributed_id, r.attributed_name) if r.attributed_id else None,
            place=place,
            place_text=r.place_text,
            when=DateSpan(r.date_earliest, r.date_latest),
            quantity=r.quantity,
            metric=r.metric,
            advice=r.advice,
            audience=r.audience,
            means=r.means,
            status=r.status,
            cues=tuple(r.cues or ()),
            published_at=utc(r.known_at),
            outlet=r.outlet,
            language=getattr(r, "doc_language", None),
        )


def place_from_row(r: Any, own_id: str | None) -> Place | None:
    """The Place a row's place columns describe (claims, events and control spans share them)."""
    if r.place_name is None:
        return None
    return Place(
        name=r.place_name,
        lat=r.lat,
        lon=r.lon,
        country=r.country,
        kind=r.place_kind or "town",
        geonameid=r.geonameid,
        admin1=r.admin1,
        population=r.population or 0,
        id=own_id,
    )


def _place_filter(place: str, keys: tuple[str, ...] = ()) -> sa.ColumnElement[bool]:
    c = claims_t.c
    if place.isascii() and place.isdigit():
        # a GeoNames id; a number no id can be ("99999999999999999999") matches nothing rather than overflowing
        return c.geonameid == int(place) if int(place) < 2**31 else sa.false()
    needle = place.strip().lower()
    return sa.or_(
        sa.func.lower(c.place_name) == needle,
        sa.func.lower(c.place_text) == needle,
        c.place_key == place,
        sa.func.lower(c.country) == needle,
        *([c.place_key.in_(keys)] if keys else []),
    )


def _picture_needs_rebuild(conn: Connection) -> None:
    """Claims that fused events may cite were retired: the picture is rebuilt from scratch on next use."""
    conn.execute(picture_meta_t.delete().where(picture_meta_t.c.key == "rebuild"))
    conn.execute(picture_meta_t.insert().values(key="rebuild", value="1"))


_MIGRATION_LOCK_KEY = 0x5174_0001  # PostgreSQL advisory lock: "sitroom schema migration"
_PICTURE_LOCK_KEY = 0x5174_0002  # PostgreSQL advisory lock: "sitroom picture refresh"
_RETRIES = 8


@contextlib.contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """For SQLite, an exclusive lock on a file beside the database while it is migrated (SQLite runs DDL
    outside a transaction, so a second process would otherwise see half-made tables). PostgreSQL uses an
    advisory lock inside the migration's transaction instead."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:" or fcntl is None:
        yield
        return
    with open(f"{path}.migrate-lock", "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _retrying(write: Callable[[], T], *, also: type[Exception] | None = None) -> T:
    """Run one write transaction, again when a concurrent writer got in the way: SQLite's "database is
    locked" after its busy timeout (or at once, when a read transaction cannot be upgraded), PostgreSQL's
    serialization failures and deadlocks, and `also` (a unique key another writer just took)."""
    for attempt in range(_RETRIES):
        try:
            return write()
        except sa.exc.DBAPIError as exc:
            last = attempt == _RETRIES - 1
            if last or not (_is_contention(exc) or (also is not None and isinstance(exc, also))):
                raise
            time.sleep(random.uniform(0.01, 0.05) * 2**attempt)
    raise AssertionError("unreachable")  # the loop returns or raises


def _is_contention(exc: sa.exc.DBAPIError) -> bool:
    text = str(exc.orig).lower()
    code = getattr(exc.orig, "sqlstate", None)
    return "database is locked" in text or "database is busy" in text or code in ("40001", "40P01")


def _storable(text: str) -> str:
    """Text with NULs and lone surrogates written as escapes (PostgreSQL refuses both, SQLite the latter)."""
    return "".join(ch if ch != "\x00" and not "\ud800" <= ch <= "\udfff" else f"\\u{ord(ch):04x}" for ch in text)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets readers (the web page, alerts) run while a batch writes; foreign keys cascade claims.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    # Concurrent writers (two ingests, watch, the API) wait for each other instead of failing at once.
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _day(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite hands aggregates back as text
        return date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None
