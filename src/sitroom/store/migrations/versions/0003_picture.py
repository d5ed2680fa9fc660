"""the fused picture: events, control spans, bookkeeping

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "control_spans",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("place_key", sa.String(length=128), nullable=False),
        sa.Column("place_own_id", sa.String(length=128), nullable=True),
        sa.Column("place_name", sa.String(length=256), nullable=False),
        sa.Column("geonameid", sa.BigInteger(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("place_kind", sa.String(length=32), nullable=True),
        sa.Column("admin1", sa.String(length=32), nullable=True),
        sa.Column("population", sa.BigInteger(), nullable=True),
        sa.Column("controller_id", sa.String(length=128), nullable=False),
        sa.Column("controller_name", sa.String(length=256), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("last_confirmed", sa.DateTime(timezone=True), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("pk"),
    )
    with op.batch_alter_table("control_spans", schema=None) as batch_op:
        batch_op.create_index("ix_control_spans_place_key", ["place_key"], unique=False)
        batch_op.create_index("ix_control_spans_since_until", ["since", "until"], unique=False)

    op.create_table(
        "events",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("date_earliest", sa.Date(), nullable=True),
        sa.Column("date_latest", sa.Date(), nullable=True),
        sa.Column("actor_id", sa.String(length=128), nullable=True),
        sa.Column("actor_name", sa.String(length=256), nullable=True),
        sa.Column("target_id", sa.String(length=128), nullable=True),
        sa.Column("target_name", sa.String(length=256), nullable=True),
        sa.Column("place_key", sa.String(length=128), nullable=True),
        sa.Column("place_own_id", sa.String(length=128), nullable=True),
        sa.Column("place_name", sa.String(length=256), nullable=True),
        sa.Column("place_text", sa.String(length=256), nullable=True),
        sa.Column("geonameid", sa.BigInteger(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("place_kind", sa.String(length=32), nullable=True),
        sa.Column("admin1", sa.String(length=32), nullable=True),
        sa.Column("population", sa.BigInteger(), nullable=True),
        sa.Column("sources", sa.Integer(), nullable=False),
        sa.Column("claims", sa.JSON(), nullable=False),
        sa.Column("opposing", sa.JSON(), nullable=False),
        sa.Column("first_reported", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_confirmed", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_latlon", ["lat", "lon"], unique=False)
        batch_op.create_index("ix_events_place_key", ["place_key"], unique=False)
        batch_op.create_index("ix_events_type_dates", ["type", "date_earliest", "date_latest"], unique=False)

    op.create_table(
        "picture_meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=256), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("picture_meta")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_type_dates")
        batch_op.drop_index("ix_events_place_key")
        batch_op.drop_index("ix_events_latlon")

    op.drop_table("events")
    with op.batch_alter_table("control_spans", schema=None) as batch_op:
        batch_op.drop_index("ix_control_spans_since_until")
        batch_op.drop_index("ix_control_spans_place_key")

    op.drop_table("control_spans")
