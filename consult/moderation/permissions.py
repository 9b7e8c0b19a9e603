"""Who may moderate and answer comments: pure predicates.

The consultation's team (officials added on its page) and admins moderate and
answer; other officials only read. The author's organisation may ask for a review
of a hidden comment; anyone may report a published one.
"""

from consult.accounts.permissions import is_member_of
from consult.comments.models import Comment, CommentStatus
from consult.consultations.models import Consultation, ConsultationState


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_on_team(user, consultation: Consultation) -> bool:
    return _signed_in(user) and user.is_official and any(o.id == user.id for o in consultation.officials)


def can_moderate(user, consultation: Consultation) -> bool:
    """Approve, hide and restore comments; assign them; see the queue and revisions."""
    if not _signed_in(user) or consultation.state != ConsultationState.PUBLISHED:
        return False
    return user.is_admin or is_on_team(user, consultation)


def can_answer(user, consultation: Consultation) -> bool:
    """Draft and publish positions; answering goes on after the consultation closes."""
    return can_moderate(user, consultation) and consultation.report_published_at is None


def can_view_moderation(user, consultation: Consultation) -> bool:
    """Read the queue and the progress: every official, so colleagues can help."""
    return _signed_in(user) and user.is_official


def can_request_review(user, comment: Comment) -> bool:
    return (
        comment.status == CommentStatus.HIDDEN
        and comment.review_requested_at is None
        and is_member_of(user, comment.organisation)
    )


def can_report_comment(user, comment: Comment) -> bool:
    """Anyone, signed in or not, may report a published comment to the moderators."""
    return comment.status == CommentStatus.PUBLISHED


def can_read_audit_log(user) -> bool:
    return _signed_in(user) and user.is_admin
