"""a note on events that fusion doubts (an implausible capture), shown with the event

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("note", sa.String(512), nullable=True))
    # events fused before this revision carry no notes: the next refresh fuses every claim again
    meta = sa.table("picture_meta", sa.column("key"), sa.column("value"))
    conn = op.get_bind()
    conn.execute(meta.delete().where(meta.c.key == "rebuild"))
    conn.execute(meta.insert().values(key="rebuild", value="1"))


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("note")
