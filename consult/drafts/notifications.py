"""A new version of a draft: told to the organisations that commented on the consultation."""

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from consult.accounts.models import Membership, MembershipStatus, User, UserStatus
from consult.comments.models import Comment, CommentStatus
from consult.core.mail import external_url, recipient_locale
from consult.drafts.models import DraftVersion
from consult.extensions import db
from consult.notifications.models import Kind, Notice


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


def new_version(version: DraftVersion) -> list[Notice]:
    consultation = version.consultation
    link = external_url("consultations.show_consultation", slug=consultation.slug)
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
            notices.append(Notice(user, Kind.NEW_VERSION, subject, text))
    return notices
