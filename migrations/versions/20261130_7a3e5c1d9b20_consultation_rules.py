"""Consultation rules: names folded for search alike on every database; short consultations

Revision ID: 7a3e5c1d9b20
Revises: e649dd184a49
Create Date: 2026-11-30 02:00:00

SQLite's lower() knows only ASCII ("Żółw" stays "Żółw"), so a search for "żółw" found nothing
there while PostgreSQL found it. Each organisation now keeps its name folded (case, Polish and
other diacritics) in ``search_name``, written by the model whenever the name changes; this fills
it for the names already there. The downgrade drops the column: the names stay as they were.

A consultation shorter than the minimum is published only by an administrator with a reason:
``consultations.short_duration_reason`` and ``short_duration_minimum`` keep it for the report.
The reason is also in the audit log (``consultation.publish``), from which an upgrade after a
downgrade takes it back.
"""
import json
import re
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = '7a3e5c1d9b20'
down_revision = 'e649dd184a49'
branch_labels = None
depends_on = None

_FOLD_EXTRA = str.maketrans({"ł": "l", "ß": "ss", "ø": "o", "đ": "d"})
_COMBINING = re.compile(r"[\u0300-\u036f]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_SPACES = re.compile(r"\s+")


def _fold(text):
    """consult.core.text.fold_for_search, frozen as it was here."""
    folded = unicodedata.normalize("NFKD", (text or "").casefold().translate(_FOLD_EXTRA))
    return _SPACES.sub(" ", _CONTROL.sub(" ", _COMBINING.sub("", folded))).strip()


def upgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_name', sa.String(length=600), server_default='', nullable=False))
    connection = op.get_bind()
    organisations = sa.table('organisations', sa.column('id', sa.Integer), sa.column('name', sa.String),
                             sa.column('search_name', sa.String))
    for row in connection.execute(sa.select(organisations.c.id, organisations.c.name)).all():
        connection.execute(
            organisations.update().where(organisations.c.id == row.id).values(search_name=_fold(row.name))
        )


    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('short_duration_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('short_duration_minimum', sa.Integer(), nullable=True))
    rows = connection.execute(
        sa.text(
            "SELECT consultation_id, reason, after FROM audit_log WHERE action = 'consultation.publish' "
            "AND reason IS NOT NULL AND consultation_id IS NOT NULL ORDER BY id"
        )
    ).all()
    for consultation_id, reason, after in rows:  # the latest publication wins
        after = json.loads(after) if isinstance(after, str) else (after or {})
        connection.execute(
            sa.text(
                "UPDATE consultations SET short_duration_reason = :reason, short_duration_minimum = :minimum "
                "WHERE id = :id"
            ),
            {'reason': reason, 'minimum': after.get('minimum_days'), 'id': consultation_id},
        )


def downgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_column('short_duration_minimum')
        batch_op.drop_column('short_duration_reason')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('search_name')
