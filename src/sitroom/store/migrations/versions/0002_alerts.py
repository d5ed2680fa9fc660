"""alerts sent, watch state and API subscriptions

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alerts_sent",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subscription_id", sa.String(length=128), nullable=False),
        sa.Column("item_key", sa.String(length=256), nullable=False),
        sa.Column("status", sa.String(length=128), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("alert", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("subscription_id", "item_key", "status", name="uq_alerts_sent_sub_item_status"),
    )
    op.create_table(
        "watch_state",
        sa.Column("source", sa.String(length=512), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("source"),
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("subscriptions")
    op.drop_table("watch_state")
    op.drop_table("alerts_sent")
