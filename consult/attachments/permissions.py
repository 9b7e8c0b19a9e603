"""Who may read and add files: pure predicates.

A file follows what it is attached to: a position paper is readable by whoever may read
its comment (so a hidden comment's files are hidden too), a letter's scan by officials,
a consultation's document by whoever may see the consultation.
"""

from collections.abc import Collection
from datetime import datetime

from consult.accounts.models import User
from consult.attachments.models import Attachment, AttachmentKind
from consult.comments.models import Comment
from consult.comments.permissions import can_change_comment, can_read_comment, can_view_letters
from consult.consultations.models import Consultation
from consult.consultations.permissions import can_view_consultation, runs_consultation
from consult.core.permissions import rule


def _is_official(user: User) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_official)


@rule
def can_download_attachment(
    user: User, attachment: Attachment, organisation_ids: Collection[int] | None = None
) -> bool:
    if attachment.removed_at is not None:
        return _is_official(user)
    if attachment.kind == AttachmentKind.POSITION_PAPER:
        return attachment.comment is not None and can_read_comment(user, attachment.comment, organisation_ids)
    if attachment.kind == AttachmentKind.LETTER:
        return can_view_letters(user, attachment.consultation)
    return attachment.is_public_document and can_view_consultation(user, attachment.consultation)


@rule
def can_attach_to_comment(user: User, comment: Comment, now: datetime | None = None) -> bool:
    """Add or take off a position paper: whoever may change the comment, while they may."""
    return can_change_comment(user, comment, now)


@rule
def can_manage_documents(user: User, consultation: Consultation) -> bool:
    """Publish the consultation's documents (justification, announcement, form): its team, until the report."""
    return runs_consultation(user, consultation) and consultation.report_published_at is None
