"""grid cells on claims and events, for neighbourhood queries by index

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from sitroom.store.grid import cell_of

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _backfill(table: str, key: str) -> None:
    conn = op.get_bind()
    t = sa.table(table, sa.column(key), sa.column("lat"), sa.column("lon"), sa.column("cell"))
    rows = conn.execute(sa.select(t.c[key], t.c.lat, t.c.lon).where(t.c.lat.is_not(None))).all()
    updates = [{"k": r[0], "c": cell_of(r[1], r[2])} for r in rows]
    if updates:
        conn.execute(t.update().where(t.c[key] == sa.bindparam("k")).values(cell=sa.bindparam("c")), updates)


def upgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cell", sa.Integer(), nullable=True))
        batch_op.create_index("ix_claims_cell_type", ["cell", "type"], unique=False)
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cell", sa.Integer(), nullable=True))
        batch_op.create_index("ix_events_cell_type", ["cell", "type"], unique=False)
    _backfill("claims", "pk")
    _backfill("events", "id")


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_cell_type")
        batch_op.drop_column("cell")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index("ix_claims_cell_type")
        batch_op.drop_column("cell")
