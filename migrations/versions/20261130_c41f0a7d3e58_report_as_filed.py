"""The report as the office files it: case number, unit, signature block, closing line, BIP record

Revision ID: c41f0a7d3e58
Revises: 7a3e5c1d9b20
Create Date: 2026-11-30 02:30:00

The official enters them in the report builder (``report_drafts``); published reports carry
them in their snapshot. The earlier schema has no place for them: the downgrade keeps them
aside (``kept_report_filing``) and the upgrade brings them back.
"""
from alembic import op
import sqlalchemy as sa


revision = 'c41f0a7d3e58'
down_revision = '7a3e5c1d9b20'
branch_labels = None
depends_on = None

KEPT = 'kept_report_filing'
TEXTS = (
    ('case_number', 60),
    ('organiser_unit', 300),
    ('signatory_name', 120),
    ('signatory_post', 200),
    ('produced_by', 300),
    ('responsible', 300),
)
COLUMNS = [name for name, _ in TEXTS] + ['closing_line', 'approved_on']


def upgrade():
    with op.batch_alter_table('report_drafts', schema=None) as batch_op:
        for name, length in TEXTS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), server_default='', nullable=False))
        batch_op.add_column(sa.Column('closing_line', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('approved_on', sa.Date(), nullable=True))
    connection = op.get_bind()
    if KEPT in sa.inspect(connection).get_table_names():
        names = ', '.join(COLUMNS)
        for row in connection.execute(sa.text(f'SELECT id, {names} FROM {KEPT}')).mappings().all():
            connection.execute(
                sa.text(f"UPDATE report_drafts SET {', '.join(f'{n} = :{n}' for n in COLUMNS)} WHERE id = :id"),
                dict(row),
            )
        op.drop_table(KEPT)


def downgrade():
    connection = op.get_bind()
    if KEPT in sa.inspect(connection).get_table_names():
        op.drop_table(KEPT)
    op.create_table(
        KEPT,
        sa.Column('id', sa.Integer(), nullable=False),
        *[sa.Column(name, sa.String(length=length), nullable=False) for name, length in TEXTS],
        sa.Column('closing_line', sa.Text(), nullable=False),
        sa.Column('approved_on', sa.Date(), nullable=True),
    )
    names = ', '.join(COLUMNS)
    connection.execute(sa.text(f'INSERT INTO {KEPT} (id, {names}) SELECT id, {names} FROM report_drafts'))
    with op.batch_alter_table('report_drafts', schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
