"""Attachments: position papers, letters' scans and e-mails, the consultation's documents

Revision ID: 2b5e65623b08
Revises: 1e497b686f09
Create Date: 2026-11-29 23:14:29.483482


A downgrade keeps the files (their rows, and the bytes kept in the database) in
``kept_attachments``; the upgrade brings the table back as it was.
"""
from alembic import op
import sqlalchemy as sa


revision = '2b5e65623b08'
down_revision = '1e497b686f09'
branch_labels = None
depends_on = None


KEPT = 'kept_attachments'


def upgrade():
    if KEPT in sa.inspect(op.get_bind()).get_table_names():
        op.rename_table(KEPT, 'attachments')
        return
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('position_paper', 'letter', 'justification', 'announcement', 'form', 'other_document', 'minutes', name='attachmentkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('letter_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('removed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_attachments_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_attachments_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['letter_id'], ['letters.id'], name=op.f('fk_attachments_letter_id_letters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_attachments_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['removed_by_id'], ['users.id'], name=op.f('fk_attachments_removed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_attachments_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_letter_id'), ['letter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_uploaded_by_id'), ['uploaded_by_id'], unique=False)


def downgrade():
    op.rename_table('attachments', KEPT)
