"""Who may moderate and answer comments: pure predicates.

The consultation's team and admins moderate and answer (consultations.permissions
holds that rule); other officials only read. What may happen to one comment also
depends on its status: the predicates below say both, so a page offers exactly the
actions its views accept. The author's organisation may ask for a review of a hidden
comment; anyone may report a published one.
"""

from consult.accounts.models import User
from consult.accounts.permissions import is_member_of
from consult.comments.models import Comment, CommentStatus
from consult.consultations.models import Consultation, ConsultationState
from consult.consultations.permissions import is_on_team, runs_consultation
from consult.core.permissions import rule

__all__ = ["is_on_team"]

# A comment that may still be hidden or answered (withdrawn and hidden ones get no position).
OPEN_STATUSES = (CommentStatus.PENDING, CommentStatus.PUBLISHED)


def _signed_in(user: User) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


@rule
def can_moderate(user: User, consultation: Consultation) -> bool:
    """Approve, hide and restore comments, assign them (a published consultation)."""
    return runs_consultation(user, consultation) and consultation.state == ConsultationState.PUBLISHED


@rule
def can_answer(user: User, consultation: Consultation) -> bool:
    """Draft and publish positions; answering goes on after the consultation closes."""
    return can_moderate(user, consultation) and consultation.report_published_at is None


@rule
def can_view_moderation(user: User, consultation: Consultation) -> bool:
    """Read the queue, a comment's record and the progress: every official, so colleagues can help."""
    return _signed_in(user) and user.is_official


@rule
def can_approve_comment(user: User, comment: Comment) -> bool:
    return comment.status == CommentStatus.PENDING and can_moderate(user, comment.consultation)


@rule
def can_dismiss_reports(user: User, comment: Comment) -> bool:
    """Keep a published comment that readers reported (approving it again)."""
    return comment.status == CommentStatus.PUBLISHED and can_moderate(user, comment.consultation)


@rule
def can_hide_comment(user: User, comment: Comment) -> bool:
    return comment.status in OPEN_STATUSES and can_moderate(user, comment.consultation)


@rule
def can_restore_comment(user: User, comment: Comment) -> bool:
    return comment.status == CommentStatus.HIDDEN and can_moderate(user, comment.consultation)


@rule
def can_assign_comment(user: User, comment: Comment) -> bool:
    return can_moderate(user, comment.consultation)


@rule
def can_answer_comment(user: User, comment: Comment) -> bool:
    return comment.status in OPEN_STATUSES and can_answer(user, comment.consultation)


@rule
def can_request_review(user: User, comment: Comment) -> bool:
    return (
        comment.status == CommentStatus.HIDDEN
        and comment.review_requested_at is None
        and is_member_of(user, comment.organisation)
    )


@rule
def can_report_comment(user: User, comment: Comment) -> bool:
    """Anyone, signed in or not, may report a published comment to the moderators."""
    return comment.status == CommentStatus.PUBLISHED


@rule
def can_read_audit_log(user: User) -> bool:
    return _signed_in(user) and user.is_admin
