"""initial schema

Revision ID: 95f4644ad1ad
Revises: 
Create Date: 2026-11-26 05:38:14.061228

"""
from alembic import op
import sqlalchemy as sa


revision = '95f4644ad1ad'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('areas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name_pl', sa.String(length=300), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_areas')),
    sa.UniqueConstraint('number', name=op.f('uq_areas_number'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.Enum('admin', 'official', 'member', name='userrole', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('status', sa.Enum('active', 'deleted', name='userstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('department', sa.String(length=200), nullable=True),
    sa.Column('locale', sa.String(length=8), nullable=True),
    sa.Column('email_confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email')),
    sa.UniqueConstraint('session_token', name=op.f('uq_users_session_token'))
    )
    op.create_table('consultations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('organiser', sa.String(length=300), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('participation', sa.Enum('verified_organisations', 'all_organisations', name='participation', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('moderation_mode', sa.Enum('pre', 'post', name='moderationmode', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('state', sa.Enum('draft', 'published', name='consultationstate', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('receipt_prefix', sa.String(length=40), nullable=False),
    sa.Column('report_published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('closes_at > opens_at', name=op.f('ck_consultations_closes_after_opens')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_consultations_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultations')),
    sa.UniqueConstraint('slug', name=op.f('uq_consultations_slug'))
    )
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('legal_form', sa.String(length=120), nullable=False),
    sa.Column('krs', sa.String(length=10), nullable=True),
    sa.Column('nip', sa.String(length=10), nullable=True),
    sa.Column('regon', sa.String(length=14), nullable=True),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('status', sa.Enum('pending', 'verified', 'rejected', name='organisationstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['verified_by_id'], ['users.id'], name=op.f('fk_organisations_verified_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
    sa.UniqueConstraint('krs', name=op.f('uq_organisations_krs'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('consultation_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_log_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_audit_log_consultation_id_consultations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('consultation_areas',
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_consultation_areas_area_id_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_areas_consultation_id_consultations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('consultation_id', 'area_id', name=op.f('pk_consultation_areas'))
    )
    op.create_table('draft_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('source_filename', sa.String(length=255), nullable=True),
    sa.Column('status', sa.Enum('draft', 'published', name='versionstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_draft_versions_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_draft_versions_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_versions')),
    sa.UniqueConstraint('consultation_id', 'number', name=op.f('uq_draft_versions_consultation_id_number'))
    )
    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('invited_email', sa.String(length=254), nullable=True),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('invited', 'requested', 'active', 'removed', name='membershipstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_memberships_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_memberships_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_memberships_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships')),
    sa.UniqueConstraint('organisation_id', 'user_id', name=op.f('uq_memberships_organisation_id_user_id'))
    )
    op.create_table('organisation_areas',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_organisation_areas_area_id_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_areas_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', 'area_id', name=op.f('pk_organisation_areas'))
    )
    op.create_table('published_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_published_reports_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_published_reports_published_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_reports')),
    sa.UniqueConstraint('consultation_id', 'number', name=op.f('uq_published_reports_consultation_id_number'))
    )
    op.create_table('report_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('introduction', sa.Text(), nullable=False),
    sa.Column('conclusion', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_report_drafts_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_report_drafts_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_drafts')),
    sa.UniqueConstraint('consultation_id', name=op.f('uq_report_drafts_consultation_id'))
    )
    op.create_table('report_exports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('format', sa.String(length=8), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='exportstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['published_reports.id'], name=op.f('fk_report_exports_report_id_published_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_exports')),
    sa.UniqueConstraint('report_id', 'format', name=op.f('uq_report_exports_report_id_format'))
    )
    op.create_table('sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('preamble', 'chapter', 'paragraph', 'part', name='sectionkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=True),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('heading', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['sections.id'], name=op.f('fk_sections_parent_id_sections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['draft_versions.id'], name=op.f('fk_sections_version_id_draft_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sections'))
    )
    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sections_version_id'), ['version_id'], unique=False)

    op.create_table('paragraphs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=True),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['section_id'], ['sections.id'], name=op.f('fk_paragraphs_section_id_sections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['draft_versions.id'], name=op.f('fk_paragraphs_version_id_draft_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paragraphs')),
    sa.UniqueConstraint('version_id', 'key', name=op.f('uq_paragraphs_version_id_key'))
    )
    with op.batch_alter_table('paragraphs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paragraphs_section_id'), ['section_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_paragraphs_version_id'), ['version_id'], unique=False)

    op.create_table('comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('paragraph_id', sa.Integer(), nullable=True),
    sa.Column('paragraph_key', sa.String(length=120), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('change', 'delete', 'add', 'general', name='commentkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('proposed_text', sa.Text(), nullable=False),
    sa.Column('justification', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'published', 'hidden', 'withdrawn', name='commentstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_reason', sa.Enum('offensive', 'personal_data', 'off_topic', 'spam', 'duplicate', name='hidereason', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('hidden_note', sa.Text(), nullable=True),
    sa.Column('review_requested_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('assigned_department', sa.String(length=200), nullable=True),
    sa.Column('submission_token', sa.String(length=64), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_comments_assignee_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_comments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_comments_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_comments_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['paragraph_id'], ['paragraphs.id'], name=op.f('fk_comments_paragraph_id_paragraphs'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['version_id'], ['draft_versions.id'], name=op.f('fk_comments_version_id_draft_versions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments')),
    sa.UniqueConstraint('consultation_id', 'number', name=op.f('uq_comments_consultation_id_number')),
    sa.UniqueConstraint('submission_token', name=op.f('uq_comments_submission_token'))
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_consultation_status', ['consultation_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_paragraph_id'), ['paragraph_id'], unique=False)

    op.create_table('comment_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_comment_flags_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_comment_flags_reporter_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_comment_flags_resolved_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_flags'))
    )
    with op.batch_alter_table('comment_flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_flags_comment_id'), ['comment_id'], unique=False)

    op.create_table('comment_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('change', 'delete', 'add', 'general', name='commentkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('proposed_text', sa.Text(), nullable=False),
    sa.Column('justification', sa.Text(), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_comment_revisions_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['editor_id'], ['users.id'], name=op.f('fk_comment_revisions_editor_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_revisions')),
    sa.UniqueConstraint('comment_id', 'number', name=op.f('uq_comment_revisions_comment_id_number'))
    )
    op.create_table('moderation_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.Enum('approve', 'hide', 'restore', 'review_requested', name='moderationaction', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('reason', sa.Enum('offensive', 'personal_data', 'off_topic', 'spam', 'duplicate', name='hidereason', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_moderation_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_moderation_events_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_moderation_events_consultation_id_consultations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_events'))
    )
    with op.batch_alter_table('moderation_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_events_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_events_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('positions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('accepted', 'partly_accepted', 'rejected', 'noted', name='positionstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'published', name='positionstate', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_positions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_positions_comment_id_comments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_positions')),
    sa.UniqueConstraint('comment_id', name=op.f('uq_positions_comment_id'))
    )
    op.create_table('supports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_supports_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_supports_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_supports_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supports')),
    sa.UniqueConstraint('comment_id', 'organisation_id', name=op.f('uq_supports_comment_id_organisation_id'))
    )


def downgrade():
    # Rows later migrations kept aside on their way down (tables named kept_*) go with the rest.
    # They may point at each other (kept attachments at kept letters): on PostgreSQL CASCADE
    # drops those links whatever order the tables come in; SQLite runs this with foreign keys off.
    bind = op.get_bind()
    for name in sa.inspect(bind).get_table_names():
        if name.startswith('kept_'):
            if bind.dialect.name == 'postgresql':
                op.execute(f'DROP TABLE "{name}" CASCADE')
            else:
                op.drop_table(name)
    op.drop_table('supports')
    op.drop_table('positions')
    with op.batch_alter_table('moderation_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_moderation_events_consultation_id'))
        batch_op.drop_index(batch_op.f('ix_moderation_events_comment_id'))

    op.drop_table('moderation_events')
    op.drop_table('comment_revisions')
    with op.batch_alter_table('comment_flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_flags_comment_id'))

    op.drop_table('comment_flags')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comments_paragraph_id'))
        batch_op.drop_index(batch_op.f('ix_comments_organisation_id'))
        batch_op.drop_index('ix_comments_consultation_status')

    op.drop_table('comments')
    with op.batch_alter_table('paragraphs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paragraphs_version_id'))
        batch_op.drop_index(batch_op.f('ix_paragraphs_section_id'))

    op.drop_table('paragraphs')
    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sections_version_id'))

    op.drop_table('sections')
    op.drop_table('report_exports')
    op.drop_table('report_drafts')
    op.drop_table('published_reports')
    op.drop_table('organisation_areas')
    op.drop_table('memberships')
    op.drop_table('draft_versions')
    op.drop_table('consultation_areas')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_consultation_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_action'))

    op.drop_table('audit_log')
    op.drop_table('organisations')
    op.drop_table('consultations')
    op.drop_table('users')
    op.drop_table('areas')
