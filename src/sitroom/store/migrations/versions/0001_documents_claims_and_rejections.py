"""documents, claims and rejections

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=512), nullable=False),
        sa.Column("revision", sa.Integer(), server_default="1", nullable=False),
        sa.Column("current", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), server_default="", nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("outlet", sa.String(length=256), nullable=True),
        sa.Column("source_kind", sa.String(length=32), server_default="news", nullable=False),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_precision", sa.String(length=8), server_default="day", nullable=False),
        sa.Column("known_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("non_news", sa.JSON(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("format", sa.String(length=32), server_default="", nullable=False),
        sa.Column("path", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("content_hash", name="uq_documents_content_hash"),
        sa.UniqueConstraint("id", "revision", name="uq_documents_id_revision"),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index("ix_documents_id_current", ["id", "current"], unique=False)
        batch_op.create_index("ix_documents_known_at", ["known_at"], unique=False)

    op.create_table(
        "rejections",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("pk"),
    )
    op.create_table(
        "claims",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("document_pk", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=512), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("stance", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.String(length=128), nullable=True),
        sa.Column("actor_name", sa.String(length=256), nullable=True),
        sa.Column("target_id", sa.String(length=128), nullable=True),
        sa.Column("target_name", sa.String(length=256), nullable=True),
        sa.Column("attributed_id", sa.String(length=128), nullable=True),
        sa.Column("attributed_name", sa.String(length=256), nullable=True),
        sa.Column("place_key", sa.String(length=128), nullable=True),
        sa.Column("place_name", sa.String(length=256), nullable=True),
        sa.Column("place_text", sa.String(length=256), nullable=True),
        sa.Column("geonameid", sa.BigInteger(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("place_kind", sa.String(length=32), nullable=True),
        sa.Column("admin1", sa.String(length=32), nullable=True),
        sa.Column("population", sa.BigInteger(), nullable=True),
        sa.Column("date_earliest", sa.Date(), nullable=True),
        sa.Column("date_latest", sa.Date(), nullable=True),
        sa.Column("quantity", sa.Float(), nullable=True),
        sa.Column("metric", sa.String(length=16), nullable=True),
        sa.Column("advice", sa.String(length=32), nullable=True),
        sa.Column("audience", sa.String(length=256), nullable=True),
        sa.Column("means", sa.String(length=256), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("evidence_text", sa.Text(), nullable=False),
        sa.Column("evidence_start", sa.Integer(), nullable=False),
        sa.Column("evidence_end", sa.Integer(), nullable=False),
        sa.Column("extractor", sa.String(length=64), nullable=False),
        sa.Column("rule", sa.String(length=128), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("cues", sa.JSON(), nullable=False),
        sa.Column("known_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outlet", sa.String(length=256), nullable=True),
        sa.ForeignKeyConstraint(["document_pk"], ["documents.pk"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("document_pk", "id", name="uq_claims_document_id"),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index("ix_claims_dates", ["date_earliest", "date_latest"], unique=False)
        batch_op.create_index("ix_claims_document_pk", ["document_pk"], unique=False)
        batch_op.create_index("ix_claims_id", ["id"], unique=False)
        batch_op.create_index("ix_claims_known_at", ["known_at"], unique=False)
        batch_op.create_index("ix_claims_latlon", ["lat", "lon"], unique=False)
        batch_op.create_index("ix_claims_place_key", ["place_key"], unique=False)
        batch_op.create_index("ix_claims_type", ["type"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index("ix_claims_type")
        batch_op.drop_index("ix_claims_place_key")
        batch_op.drop_index("ix_claims_latlon")
        batch_op.drop_index("ix_claims_known_at")
        batch_op.drop_index("ix_claims_id")
        batch_op.drop_index("ix_claims_document_pk")
        batch_op.drop_index("ix_claims_dates")

    op.drop_table("claims")
    op.drop_table("rejections")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index("ix_documents_known_at")
        batch_op.drop_index("ix_documents_id_current")

    op.drop_table("documents")
