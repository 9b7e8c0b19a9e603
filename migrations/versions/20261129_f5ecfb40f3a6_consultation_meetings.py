"""Consultation meetings

Revision ID: f5ecfb40f3a6
Revises: 2b5e65623b08
Create Date: 2026-11-29 23:31:51.148317


Meetings of a consultation, the organisations registered for them, and for a letter the
meeting its comments were made at (``letters.meeting_id``).

A downgrade keeps the rows aside (``kept_meetings``, ``kept_meeting_registrations`` and
``kept_letter_meetings``) and the upgrade brings them back. The kept meetings lose their
link to the minutes' file while they wait (so that kept tables can go in any order); the
upgrade links it again.
"""
from alembic import op
import sqlalchemy as sa


revision = 'f5ecfb40f3a6'
down_revision = '2b5e65623b08'
branch_labels = None
depends_on = None


KEPT = ('meetings', 'meeting_registrations')
KEPT_LETTERS = 'kept_letter_meetings'


def _tables():
    return set(sa.inspect(op.get_bind()).get_table_names())


def _minutes_file_link():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_meetings_minutes_file_id_attachments'), 'attachments', ['minutes_file_id'], ['id'], ondelete='SET NULL')


def upgrade():
    tables = _tables()
    if 'kept_meetings' in tables:
        for name in KEPT:
            op.rename_table(f'kept_{name}', name)
        op.execute("UPDATE meetings SET minutes_file_id = NULL WHERE minutes_file_id NOT IN (SELECT id FROM attachments)")
        _minutes_file_link()
    else:
        _create_tables()
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meeting_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_letters_meeting_id_meetings'), 'meetings', ['meeting_id'], ['id'], ondelete='SET NULL')
    if KEPT_LETTERS in tables:
        op.execute(
            f"UPDATE letters SET meeting_id = (SELECT k.meeting_id FROM {KEPT_LETTERS} k WHERE k.letter_id = letters.id) "
            f"WHERE id IN (SELECT letter_id FROM {KEPT_LETTERS} WHERE meeting_id IN (SELECT id FROM meetings))"
        )
        op.drop_table(KEPT_LETTERS)


def _create_tables():
    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('online_url', sa.String(length=500), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('registration_limit', sa.Integer(), nullable=True),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('minutes_file_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_at IS NULL OR ends_at > starts_at', name=op.f('ck_meetings_ends_after_starts')),
    sa.CheckConstraint('registration_limit IS NULL OR registration_limit > 0', name=op.f('ck_meetings_positive_limit')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_meetings_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_meetings_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings'))
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('meeting_registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_registrations_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_meeting_registrations_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_meeting_registrations_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_registrations')),
    sa.UniqueConstraint('meeting_id', 'organisation_id', name=op.f('uq_meeting_registrations_meeting_id_organisation_id'))
    )
    with op.batch_alter_table('meeting_registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_registrations_meeting_id'), ['meeting_id'], unique=False)
    _minutes_file_link()


def downgrade():
    op.create_table(KEPT_LETTERS,
    sa.Column('letter_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('letter_id', name=op.f('pk_kept_letter_meetings'))
    )
    op.execute(f"INSERT INTO {KEPT_LETTERS} (letter_id, meeting_id) SELECT id, meeting_id FROM letters WHERE meeting_id IS NOT NULL")
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_letters_meeting_id_meetings'), type_='foreignkey')
        batch_op.drop_column('meeting_id')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_meetings_minutes_file_id_attachments'), type_='foreignkey')
    for name in KEPT:
        op.rename_table(name, f'kept_{name}')
