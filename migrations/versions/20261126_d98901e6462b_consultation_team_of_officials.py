"""The consultation team: officials who moderate and answer its comments

Revision ID: d98901e6462b
Revises: 95f4644ad1ad
Create Date: 2026-11-26 05:52:49.431247

"""
from alembic import op
import sqlalchemy as sa


revision = 'd98901e6462b'
down_revision = '95f4644ad1ad'
branch_labels = None
depends_on = None


def upgrade():
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
    op.drop_table('consultation_officials')
