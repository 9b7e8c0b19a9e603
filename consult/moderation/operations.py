"""Moderation and official positions.

Every action writes a ModerationEvent (what the public moderation log shows) and/or
an audit row (who, what, when, before and after). Positions are drafted, then
published; two officials saving the same position cannot overwrite each other:
the form carries the row version it was opened with, and the row's version column
stops a concurrent save at flush.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from consult.accounts.models import User
from consult.comments.models import Comment, CommentFlag, CommentStatus, HideReason
from consult.core import audit
from consult.core.errors import Conflict, InvalidInput
from consult.core.text import clean_text
from consult.core.time import utcnow
from consult.extensions import db
from consult.moderation.models import ModerationAction, ModerationEvent, Position, PositionState, PositionStatus

MAX_REASON = 10_000


def _event(
    actor: User, comment: Comment, action: ModerationAction, reason: HideReason | None = None, note: str | None = None
) -> ModerationEvent:
    event = ModerationEvent(
        consultation_id=comment.consultation_id,
        comment=comment,
        actor_id=actor.id if actor else None,
        action=action,
        reason=reason,
        note=note,
    )
    db.session.add(event)
    return event


def _resolve_flags(actor: User, comment: Comment) -> None:
    for flag in db.session.scalars(
        sa.select(CommentFlag).where(CommentFlag.comment_id == comment.id, CommentFlag.resolved_at.is_(None))
    ):
        flag.resolved_at = utcnow()
        flag.resolved_by_id = actor.id


def _visibility(comment: Comment) -> dict:
    return {
        "status": comment.status.value,
        "hidden_reason": comment.hidden_reason.value if comment.hidden_reason else None,
        "hidden_note": comment.hidden_note,
    }


def approve_comment(actor: User, comment: Comment) -> Comment:
    """Pre-moderation: a waiting comment becomes public. Also dismisses reports on a published one."""
    if comment.status not in (CommentStatus.PENDING, CommentStatus.PUBLISHED):
        raise Conflict(_("Only a waiting or published comment can be approved."))
    before = _visibility(comment)
    comment.status = CommentStatus.PUBLISHED
    _resolve_flags(actor, comment)
    _event(actor, comment, ModerationAction.APPROVE)
    db.session.flush()
    audit.record(
        actor,
        "comment.approve",
        comment,
        consultation_id=comment.consultation_id,
        before=before,
        after=_visibility(comment),
    )
    return comment


def hide_comment(actor: User, comment: Comment, reason: HideReason, note: str = "") -> Comment:
    if comment.status not in (CommentStatus.PENDING, CommentStatus.PUBLISHED):
        raise Conflict(_("Only a waiting or published comment can be hidden."))
    if not isinstance(reason, HideReason):
        raise InvalidInput(_("Choose the reason for hiding."), field="reason")
    before = _visibility(comment)
    comment.status = CommentStatus.HIDDEN
    comment.hidden_reason = reason
    comment.hidden_note = clean_text(note)[:MAX_REASON] or None
    comment.review_requested_at = None
    _resolve_flags(actor, comment)
    _event(actor, comment, ModerationAction.HIDE, reason, comment.hidden_note)
    db.session.flush()
    audit.record(
        actor,
        "comment.hide",
        comment,
        consultation_id=comment.consultation_id,
        reason=reason.value,
        before=before,
        after=_visibility(comment),
    )
    return comment


def restore_comment(actor: User, comment: Comment, note: str) -> Comment:
    """Shows a hidden comment again; the reason, like a hiding's, goes to the author and the public log."""
    if comment.status != CommentStatus.HIDDEN:
        raise Conflict(_("Only a hidden comment can be restored."))
    note = (note or "").strip()[:MAX_REASON]
    if not note:
        raise InvalidInput(_("Say why the comment is shown again."), field="note")
    before = _visibility(comment)
    comment.status = CommentStatus.PUBLISHED
    comment.hidden_reason = None
    comment.hidden_note = None
    comment.review_requested_at = None
    _event(actor, comment, ModerationAction.RESTORE, note=note)
    db.session.flush()
    audit.record(
        actor,
        "comment.restore",
        comment,
        consultation_id=comment.consultation_id,
        reason=note,
        before=before,
        after=_visibility(comment),
    )
    return comment


def request_review(actor: User, comment: Comment, message: str) -> Comment:
    if comment.status != CommentStatus.HIDDEN:
        raise Conflict(_("Only a hidden comment can be reviewed."))
    if comment.review_requested_at is not None:
        raise Conflict(_("A review has already been requested; the moderators will answer."))
    message = clean_text(message)
    if not message:
        raise InvalidInput(_("Say why the comment should be shown again."), field="message")
    comment.review_requested_at = utcnow()
    _event(actor, comment, ModerationAction.REVIEW_REQUESTED, note=message[:MAX_REASON])
    db.session.flush()
    return comment


def report_comment(actor: User, comment: Comment, reason: str) -> CommentFlag:
    if comment.status != CommentStatus.PUBLISHED:
        raise Conflict(_("Only a published comment can be reported."))
    reason = clean_text(reason)
    if not reason:
        raise InvalidInput(_("Say what is wrong with the comment."), field="reason")
    flag = CommentFlag(
        comment_id=comment.id,
        reporter_id=actor.id if actor is not None and actor.is_authenticated else None,
        reason=reason[:2000],
    )
    db.session.add(flag)
    db.session.flush()
    return flag


def assign_comments(actor: User, comments: list[Comment], assignee: User | None, department: str | None) -> None:
    if not comments:
        raise InvalidInput(_("Select the comments to assign."), field="comments")
    if assignee is not None and not assignee.is_official:
        raise InvalidInput(_("Comments can be assigned only to officials."), field="assignee")
    department = " ".join(clean_text(department).split()) or None
    for comment in comments:
        before = {"assignee_id": comment.assignee_id, "department": comment.assigned_department}
        comment.assignee_id = assignee.id if assignee else None
        comment.assigned_department = department
        audit.record(
            actor,
            "comment.assign",
            comment,
            consultation_id=comment.consultation_id,
            before=before,
            after={"assignee_id": comment.assignee_id, "department": department},
        )
    db.session.flush()


# --- positions ---------------------------------------------------------------------------


def _position_snapshot(position: Position | None) -> dict | None:
    if position is None:
        return None
    return {"status": position.status.value, "reason": position.reason, "state": position.state.value}


def _clean_reason(reason: str) -> str:
    reason = clean_text(reason)
    if not reason:
        raise InvalidInput(_("A position needs a reason."), field="reason")
    if len(reason) > MAX_REASON:
        raise InvalidInput(_("The reason may have at most %(num)d characters.", num=MAX_REASON), field="reason")
    return reason


def _answerable(comment: Comment) -> None:
    if comment.status not in (CommentStatus.PUBLISHED, CommentStatus.PENDING):
        raise InvalidInput(_("Withdrawn and hidden comments get no position."))


def save_position(
    actor: User, comment: Comment, status: PositionStatus, reason: str, expected_version: int | None
) -> Position:
    """Draft (or correct) the position on one comment.

    ``expected_version`` is the row version the form was opened with (None for a
    comment that had no position then). Someone else's save in between is refused
    with :class:`StalePosition`, which carries their text so nothing is lost.
    """
    _answerable(comment)
    reason = _clean_reason(reason)
    position = db.session.scalar(sa.select(Position).where(Position.comment_id == comment.id))
    if (position is None) != (expected_version is None) or (
        position is not None and position.row_version != expected_version
    ):
        raise StalePosition(position)
    before = _position_snapshot(position)
    position = _write_position(comment.id, position, actor, status, reason)
    audit.record(
        actor,
        "position.save",
        position,
        consultation_id=comment.consultation_id,
        before=before,
        after=_position_snapshot(position),
    )
    return position


class StalePosition(Conflict):
    """Someone else saved this position first; ``current`` is what they saved."""

    def __init__(self, current: Position | None):
        super().__init__(
            _(
                "Another official saved this position in the meantime. Their text is shown below; "
                "your text is kept in the form. Compare them and save again."
            ),
            field="reason",
        )
        self.current = current


def _write_position(
    comment_id: int, position: Position | None, actor: User, status: PositionStatus, reason: str
) -> Position:
    """Create or change the row inside a savepoint, so a lost race leaves the transaction usable.

    A concurrent transaction that updated the row (its version column moved on) or
    created it (unique comment_id) between our read and our write makes the flush fail;
    the refusal then carries the row as the other official saved it.
    """
    try:
        with db.session.begin_nested():
            if position is None:
                position = Position(comment_id=comment_id, status=status, reason=reason, author_id=actor.id)
                db.session.add(position)
            else:
                position.status = status
                position.reason = reason
                position.author_id = actor.id
                # A corrected answer goes back to draft until it is published again.
                position.state = PositionState.DRAFT
                position.published_at = None
            db.session.flush()
    except (StaleDataError, sa.exc.IntegrityError) as error:
        current = db.session.scalar(
            sa.select(Position).where(Position.comment_id == comment_id).execution_options(populate_existing=True)
        )
        raise StalePosition(current) from error
    return position


def answer_together(actor: User, comments: list[Comment], status: PositionStatus, reason: str) -> list[Position]:
    """One answer given to several comments: each keeps its own row."""
    if not comments:
        raise InvalidInput(_("Select the comments to answer."), field="comments")
    reason = _clean_reason(reason)
    positions = []
    for comment in comments:
        _answerable(comment)
        existing = db.session.scalar(sa.select(Position.row_version).where(Position.comment_id == comment.id))
        positions.append(save_position(actor, comment, status, reason, existing))
    return positions


def publish_positions(actor: User, positions: list[Position]) -> list[Position]:
    """Publish drafted positions; returns those that were newly published (to notify)."""
    published = []
    now = utcnow()
    for position in positions:
        if position.state == PositionState.PUBLISHED:
            continue
        if not position.reason.strip():
            raise InvalidInput(_("A position without a reason cannot be published."))
        position.state = PositionState.PUBLISHED
        position.published_at = now
        published.append(position)
    try:
        db.session.flush()
    except StaleDataError as error:
        raise Conflict(
            _("Another official changed some of these positions in the meantime. Check them and publish again.")
        ) from error
    for position in published:
        audit.record(
            actor,
            "position.publish",
            position,
            consultation_id=position.comment.consultation_id,
            after=_position_snapshot(position),
        )
    return published
