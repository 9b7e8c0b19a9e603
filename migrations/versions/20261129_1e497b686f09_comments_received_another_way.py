"""Comments received another way: letters and the channel of each comment

Revision ID: 1e497b686f09
Revises: 0e9f091558c3
Create Date: 2026-11-29 22:59:07.289336

Each comment says how it reached the office (``channel``: online, paper, email, epuap,
meeting) and, when an official entered it, the letter it came from (``letters``).

The earlier schema has no place for either, so the downgrade keeps them aside: the
letters table is renamed ``kept_letters`` and the channel and letter of each comment
that was not sent online go to ``kept_comment_channels``; the upgrade brings both back.
Under the earlier code those comments show as ordinary comments of their organisation.
"""
from alembic import op
import sqlalchemy as sa


revision = '1e497b686f09'
down_revision = '0e9f091558c3'
branch_labels = None
depends_on = None

KEPT_LETTERS = 'kept_letters'
KEPT_CHANNELS = 'kept_comment_channels'
CHANNELS = ('online', 'paper', 'email', 'epuap', 'meeting')


def _tables():
    return set(sa.inspect(op.get_bind()).get_table_names())


def _channel_type():
    return sa.Enum(*CHANNELS, name='channel', native_enum=False, create_constraint=True, length=32)


def upgrade():
    tables = _tables()
    if KEPT_LETTERS in tables:
        op.rename_table(KEPT_LETTERS, 'letters')
    else:
        op.create_table('letters',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('channel', _channel_type(), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=False),
        sa.Column('reference', sa.String(length=200), nullable=False),
        sa.Column('entered_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_letters_consultation_id_consultations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_letters_entered_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_letters_organisation_id_organisations'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_letters'))
        )
        with op.batch_alter_table('letters', schema=None) as batch_op:
            batch_op.create_index(batch_op.f('ix_letters_consultation_id'), ['consultation_id'], unique=False)
            batch_op.create_index(batch_op.f('ix_letters_organisation_id'), ['organisation_id'], unique=False)

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', _channel_type(), server_default='online', nullable=False))
        batch_op.add_column(sa.Column('letter_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_comments_letter_id'), ['letter_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_comments_letter_id_letters'), 'letters', ['letter_id'], ['id'], ondelete='RESTRICT')

    if KEPT_CHANNELS in tables:
        # Rows whose letter went meanwhile (SQLite without foreign keys) come back as online comments.
        op.execute(f"DELETE FROM {KEPT_CHANNELS} WHERE letter_id IS NOT NULL AND letter_id NOT IN (SELECT id FROM letters)")
        op.execute(
            f"UPDATE comments SET "
            f"channel = (SELECT k.channel FROM {KEPT_CHANNELS} k WHERE k.comment_id = comments.id), "
            f"letter_id = (SELECT k.letter_id FROM {KEPT_CHANNELS} k WHERE k.comment_id = comments.id) "
            f"WHERE id IN (SELECT comment_id FROM {KEPT_CHANNELS})"
        )
        op.drop_table(KEPT_CHANNELS)


def downgrade():
    op.create_table(KEPT_CHANNELS,
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('comment_id', name=op.f('pk_kept_comment_channels'))
    )
    op.execute(f"INSERT INTO {KEPT_CHANNELS} (comment_id, channel, letter_id) "
               "SELECT id, channel, letter_id FROM comments WHERE channel <> 'online' OR letter_id IS NOT NULL")
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_comments_letter_id_letters'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_comments_letter_id'))
        # Named, so SQLite's copy of the table does not keep a CHECK on a column it no longer has.
        batch_op.drop_constraint(batch_op.f('ck_comments_channel'), type_='check')
        batch_op.drop_column('letter_id')
        batch_op.drop_column('channel')
    op.rename_table('letters', KEPT_LETTERS)
