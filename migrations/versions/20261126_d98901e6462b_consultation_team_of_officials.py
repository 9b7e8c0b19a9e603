"""The consultation team: officials who moderate and answer its comments

Revision ID: d98901e6462b
Revises: 95f4644ad1ad
Create Date: 2026-11-26 05:52:49.431247

The earlier schema has no place for a team, so the downgrade keeps the rows aside
(the table renamed to ``kept_consultation_officials``, foreign keys and all) and the
upgrade brings them back: a downgrade and upgrade leave every team as it was.
Consultations created in between get their creator, as at the first upgrade.
"""
from alembic import op
import sqlalchemy as sa


revision = 'd98901e6462b'
down_revision = '95f4644ad1ad'
branch_labels = None
depends_on = None


KEPT = 'kept_consultation_officials'


def _tables():
    return set(sa.inspect(op.get_bind()).get_table_names())


def upgrade():
    if KEPT in _tables():
        op.rename_table(KEPT, 'consultation_officials')
        # Rows whose consultation or official was deleted meanwhile (SQLite without foreign keys).
        op.execute("DELETE FROM consultation_officials "
                   "WHERE consultation_id NOT IN (SELECT id FROM consultations) "
                   "OR user_id NOT IN (SELECT id FROM users)")
        op.execute("INSERT INTO consultation_officials (consultation_id, user_id) "
                   "SELECT c.id, c.created_by_id FROM consultations c WHERE c.created_by_id IS NOT NULL "
                   "AND NOT EXISTS (SELECT 1 FROM consultation_officials t WHERE t.consultation_id = c.id)")
        return
    op.create_table('consultation_officials',
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_officials_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_consultation_officials_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('consultation_id', 'user_id', name=op.f('pk_consultation_officials'))
    )
    # Existing consultations start with their creator on the team.
    op.execute("INSERT INTO consultation_officials (consultation_id, user_id) "
               "SELECT id, created_by_id FROM consultations WHERE created_by_id IS NOT NULL")


def downgrade():
    op.rename_table('consultation_officials', KEPT)
