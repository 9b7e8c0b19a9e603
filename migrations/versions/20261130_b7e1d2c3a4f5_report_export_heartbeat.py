"""report_exports.created_at is the build's heartbeat: renamed heartbeat_at

Revision ID: b7e1d2c3a4f5
Revises: 5ca1e0c0ffee
Create Date: 2026-11-30 05:10:00

The column never held the creation time: the job rewrote it with every progress step as
its "last sign of life". It is renamed for what it holds; the values stay as they are,
both ways.
"""

from alembic import op

revision = "b7e1d2c3a4f5"
down_revision = "5ca1e0c0ffee"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("report_exports") as batch:
        batch.alter_column("created_at", new_column_name="heartbeat_at")


def downgrade():
    with op.batch_alter_table("report_exports") as batch:
        batch.alter_column("heartbeat_at", new_column_name="created_at")
