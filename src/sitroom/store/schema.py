"""The store's one SQLAlchemy Core schema, shared by SQLite and PostgreSQL.

Migrations (store/migrations) create exactly these tables; a test checks that the migrated database and
this metadata agree, so the two cannot drift.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(512), nullable=False),
    sa.Column("revision", sa.Integer, nullable=False, server_default="1"),
    sa.Column("current", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("title", sa.Text, nullable=False, server_default=""),
    sa.Column("url", sa.Text),
    sa.Column("outlet", sa.String(256)),
    sa.Column("source_kind", sa.String(32), nullable=False, server_default="news"),
    sa.Column("language", sa.String(16)),
    sa.Column("published_at", sa.DateTime(timezone=True)),
    sa.Column("published_precision", sa.String(8), nullable=False, server_default="day"),
    # Knowledge time: when the document could first be known (its publication; ingestion when undated).
    sa.Column("known_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("non_news", sa.JSON, nullable=False),
    sa.Column("warnings", sa.JSON, nullable=False),
    sa.Column("format", sa.String(32), nullable=False, server_default=""),
    sa.Column("path", sa.Text),
    sa.UniqueConstraint("content_hash", name="uq_documents_content_hash"),
    sa.UniqueConstraint("id", "revision", name="uq_documents_id_revision"),
    sa.Index("ix_documents_id_current", "id", "current"),
    sa.Index("ix_documents_known_at", "known_at"),
)

claims = sa.Table(
    "claims",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(128), nullable=False),
    sa.Column("document_pk", sa.Integer, sa.ForeignKey("documents.pk", ondelete="CASCADE"), nullable=False),
    sa.Column("document_id", sa.String(512), nullable=False),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("stance", sa.String(16), nullable=False),
    sa.Column("actor_id", sa.String(128)),
    sa.Column("actor_name", sa.String(256)),
    sa.Column("target_id", sa.String(128)),
    sa.Column("target_name", sa.String(256)),
    sa.Column("attributed_id", sa.String(128)),
    sa.Column("attributed_name", sa.String(256)),
    sa.Column("place_key", sa.String(128)),
    sa.Column("place_name", sa.String(256)),
    sa.Column("place_text", sa.String(256)),
    sa.Column("geonameid", sa.BigInteger),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("country", sa.String(2)),
    sa.Column("place_kind", sa.String(32)),
    sa.Column("admin1", sa.String(32)),
    sa.Column("population", sa.BigInteger),
    sa.Column("cell", sa.Integer),  # store/grid.py: the 0.1-degree cell of the place
    sa.Column("date_earliest", sa.Date),
    sa.Column("date_latest", sa.Date),
    sa.Column("quantity", sa.Float),
    sa.Column("metric", sa.String(16)),
    sa.Column("advice", sa.String(32)),
    sa.Column("audience", sa.String(256)),
    sa.Column("means", sa.String(256)),
    sa.Column("status", sa.String(16)),
    sa.Column("evidence_text", sa.Text, nullable=False),
    sa.Column("evidence_start", sa.Integer, nullable=False),
    sa.Column("evidence_end", sa.Integer, nullable=False),
    sa.Column("extractor", sa.String(64), nullable=False),
    sa.Column("rule", sa.String(128), nullable=False),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("cues", sa.JSON, nullable=False),
    sa.Column("known_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("outlet", sa.String(256)),
    sa.UniqueConstraint("document_pk", "id", name="uq_claims_document_id"),
    sa.Index("ix_claims_id", "id"),
    sa.Index("ix_claims_type", "type"),
    sa.Index("ix_claims_dates", "date_earliest", "date_latest"),
    sa.Index("ix_claims_place_key", "place_key"),
    sa.Index("ix_claims_latlon", "lat", "lon"),
    sa.Index("ix_claims_cell_type", "cell", "type"),
    sa.Index("ix_claims_known_at", "known_at"),
    sa.Index("ix_claims_document_pk", "document_pk"),
)

rejections = sa.Table(
    "rejections",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)

# --- alerts and watch (issue 6) ---------------------------------------------------------------------------

# One row per alert delivered: (subscription, item, status) is unique, so the same event does not alert twice
# for one subscription unless its status changes, across restarts too.
alerts_sent = sa.Table(
    "alerts_sent",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("subscription_id", sa.String(128), nullable=False),
    sa.Column("item_key", sa.String(256), nullable=False),
    sa.Column("status", sa.String(128), nullable=False),
    sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("alert", sa.JSON, nullable=False),
    sa.UniqueConstraint("subscription_id", "item_key", "status", name="uq_alerts_sent_sub_item_status"),
)

# What each watched source has already delivered (files seen, feed ETags, last message ids): a restart
# resumes where the last run stopped instead of re-reading everything.
watch_state = sa.Table(
    "watch_state",
    metadata,
    sa.Column("source", sa.String(512), primary_key=True),
    sa.Column("state", sa.JSON, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# Subscriptions added through the API (those of a YAML file live in the file).
subscriptions = sa.Table(
    "subscriptions",
    metadata,
    sa.Column("id", sa.String(128), primary_key=True),
    sa.Column("spec", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# --- the fused picture, kept up to date incrementally (sitroom.state.refresh_picture) ----------------------
# Replays (--known-at) are fused on the fly from claims; these tables hold the picture as known now, so the
# map and `control --at` answer from indexes instead of re-fusing a million claims.

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("date_earliest", sa.Date),
    sa.Column("date_latest", sa.Date),
    sa.Column("actor_id", sa.String(128)),
    sa.Column("actor_name", sa.String(256)),
    sa.Column("target_id", sa.String(128)),
    sa.Column("target_name", sa.String(256)),
    sa.Column("place_key", sa.String(128)),
    sa.Column("place_own_id", sa.String(128)),
    sa.Column("place_name", sa.String(256)),
    sa.Column("place_text", sa.String(256)),
    sa.Column("geonameid", sa.BigInteger),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("country", sa.String(2)),
    sa.Column("place_kind", sa.String(32)),
    sa.Column("admin1", sa.String(32)),
    sa.Column("population", sa.BigInteger),
    sa.Column("cell", sa.Integer),
    sa.Column("sources", sa.Integer, nullable=False),
    sa.Column("claims", sa.JSON, nullable=False),
    sa.Column("opposing", sa.JSON, nullable=False),
    sa.Column("first_reported", sa.DateTime(timezone=True)),
    sa.Column("last_confirmed", sa.DateTime(timezone=True)),
    sa.Column("note", sa.String(512)),
    # The knowledge time of the newest claim behind the event, denials included: a replay at an earlier moment
    # takes the event as stored when this is not later than that moment, and fuses its earlier claims otherwise.
    sa.Column("last_known", sa.DateTime(timezone=True)),
    sa.Index("ix_events_type_dates", "type", "date_earliest", "date_latest"),
    sa.Index("ix_events_latlon", "lat", "lon"),
    sa.Index("ix_events_cell_type", "cell", "type"),
    sa.Index("ix_events_place_key", "place_key"),
    sa.Index("ix_events_first_reported", "first_reported"),
)

control_spans = sa.Table(
    "control_spans",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("place_key", sa.String(128), nullable=False),
    sa.Column("place_own_id", sa.String(128)),
    sa.Column("place_name", sa.String(256), nullable=False),
    sa.Column("geonameid", sa.BigInteger),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("country", sa.String(2)),
    sa.Column("place_kind", sa.String(32)),
    sa.Column("admin1", sa.String(32)),
    sa.Column("population", sa.BigInteger),
    sa.Column("controller_id", sa.String(128), nullable=False),
    sa.Column("controller_name", sa.String(256), nullable=False),
    sa.Column("since", sa.Date),
    sa.Column("until", sa.Date),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("last_confirmed", sa.DateTime(timezone=True)),
    sa.Column("evidence", sa.JSON, nullable=False),
    sa.Column("events", sa.JSON, nullable=False),
    sa.Index("ix_control_spans_place_key", "place_key"),
    sa.Index("ix_control_spans_since_until", "since", "until"),
)

# Bookkeeping of the incremental picture: the newest claim fused, and whether a full rebuild is due
# (after a revision or a re-extraction removed claims that events may cite).
picture_meta = sa.Table(
    "picture_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(256), nullable=False),
)
