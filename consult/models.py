"""Every model, imported in one place so Alembic and the app see all tables."""

from consult.accounts.models import Area, Membership, Organisation, RecoveryCode, User
from consult.analysis.models import (
    AnalysisRun,
    DuplicateGroup,
    GroupMember,
    Theme,
    ThemeComment,
    ThemeModelRow,
)
from consult.attachments.models import Attachment
from consult.channels.models import Meeting, MeetingRegistration
from consult.comments.models import Comment, CommentFlag, CommentRevision, Letter, Support
from consult.consultations.models import Consultation
from consult.core.models import AuditEntry, OutboxMessage, Setting
from consult.drafts.models import ChangeComment, DraftVersion, Paragraph, ProvisionMatch, Section
from consult.moderation.models import ModerationEvent, Position
from consult.notices.models import DigestItem, NotificationLog, NotificationSettings
from consult.notifications.models import Invitation
from consult.reports.models import PublishedReport, ReportDraft, ReportExport
from consult.search import index as search_index

# The full-text indexes (SQLite FTS5 tables and triggers, PostgreSQL GIN indexes) come with create_all.
search_index.attach(Comment.metadata)

__all__ = [
    "AnalysisRun",
    "Area",
    "Attachment",
    "AuditEntry",
    "ChangeComment",
    "Comment",
    "CommentFlag",
    "CommentRevision",
    "Consultation",
    "DigestItem",
    "DraftVersion",
    "DuplicateGroup",
    "GroupMember",
    "Invitation",
    "Letter",
    "Meeting",
    "MeetingRegistration",
    "Membership",
    "ModerationEvent",
    "NotificationLog",
    "NotificationSettings",
    "Organisation",
    "OutboxMessage",
    "Paragraph",
    "Position",
    "ProvisionMatch",
    "PublishedReport",
    "RecoveryCode",
    "ReportDraft",
    "ReportExport",
    "Section",
    "Setting",
    "Support",
    "Theme",
    "ThemeComment",
    "ThemeModelRow",
    "User",
]
