"""A new version of a draft: told to the organisations that commented on the consultation."""

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from consult.accounts.models import Membership, MembershipStatus, User, UserStatus
from consult.comments.models import Comment, CommentStatus
from consult.core.labels import receipt
from consult.core.mail import external_url, recipient_locale
from consult.drafts.models import DraftVersion
from consult.extensions import db
from consult.notices.models import Kind, Notice


def commenting_members(consultation_id: int) -> list[User]:
    """Representatives of organisations with a comment (not withdrawn) in the consultation."""
    organisations = sa.select(Comment.organisation_id).where(
        Comment.consultation_id == consultation_id, Comment.status != CommentStatus.WITHDRAWN
    )
    members = sa.select(Membership.user_id).where(
        Membership.status == MembershipStatus.ACTIVE, Membership.organisation_id.in_(organisations)
    )
    return list(
        db.session.scalars(
            sa.select(User).where(User.id.in_(members), User.status == UserStatus.ACTIVE).order_by(User.id)
        )
    )


def _their_comments(version: DraftVersion) -> dict[int, list[Comment]]:
    """User id -> the comments (not withdrawn) of the organisations the user acts for, made on earlier versions."""
    comments = db.session.scalars(
        sa.select(Comment)
        .where(
            Comment.consultation_id == version.consultation_id,
            Comment.status != CommentStatus.WITHDRAWN,
            Comment.version_id != version.id,
        )
        .order_by(Comment.number)
    ).all()
    by_organisation: dict[int, list[Comment]] = {}
    for comment in comments:
        by_organisation.setdefault(comment.organisation_id, []).append(comment)
    memberships = db.session.execute(
        sa.select(Membership.user_id, Membership.organisation_id).where(
            Membership.status == MembershipStatus.ACTIVE, Membership.organisation_id.in_(list(by_organisation))
        )
    ).all()
    by_user: dict[int, list[Comment]] = {}
    for user_id, organisation_id in memberships:
        by_user.setdefault(user_id, []).extend(by_organisation[organisation_id])
    return by_user


def new_version(version: DraftVersion) -> list[Notice]:
    """The new version, what changed since the one before, and where to see what became of each comment."""
    consultation = version.consultation
    link = external_url("consultations.show_consultation", slug=consultation.slug)
    changes = (
        external_url(
            "drafts.compare_versions", slug=consultation.slug, older=version.based_on.number, newer=version.number
        )
        if version.based_on is not None
        else None
    )
    comments = _their_comments(version)
    notices = []
    for user in commenting_members(consultation.id):
        with force_locale(recipient_locale(user)):
            subject = _("New version of the draft: %(title)s", title=consultation.title)
            text = _(
                "Version %(number)d of the draft in the consultation “%(title)s”, on which your organisation "
                "commented, has been published. Your comments stay attached to the provisions they concern.\n\n"
                "%(link)s",
                number=version.number,
                title=consultation.title,
                link=link,
            )
            if changes:
                text += "\n\n" + _("What changed since version %(older)d:", older=version.based_on.number)
                text += "\n" + changes
            mine = sorted({c.id: c for c in comments.get(user.id, [])}.values(), key=lambda c: c.number)
            if mine:
                text += "\n\n" + _("What became of your organisation's comments:")
                for comment in mine:
                    part = comment.paragraph_label or _("the draft as a whole")
                    text += f"\n{receipt(consultation.receipt_prefix, comment.number)} ({part}): " + external_url(
                        "comments.show_comment", slug=consultation.slug, number=comment.number
                    )
            notices.append(Notice(user, Kind.NEW_VERSION, subject, text))
    return notices
