"""the knowledge time of each event's newest claim, so a `--known-at` replay reads the stored picture

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_known", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_events_first_reported", ["first_reported"], unique=False)
    # events fused before this revision do not know when their newest claim came: fuse every claim again
    meta = sa.table("picture_meta", sa.column("key"), sa.column("value"))
    conn = op.get_bind()
    conn.execute(meta.delete().where(meta.c.key == "rebuild"))
    conn.execute(meta.insert().values(key="rebuild", value="1"))


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_first_reported")
        batch_op.drop_column("last_known")
