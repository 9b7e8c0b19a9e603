"""What moderation tells organisations: a hidden comment, published answers.

Composed in each representative's language and queued by the view before it commits.
"""

from flask_babel import force_locale
from flask_babel import gettext as _

from consult.accounts.models import MembershipStatus, User
from consult.comments.models import Comment
from consult.core.labels import hide_reason_label, position_label
from consult.core.mail import Mail, compose, external_url, recipient_locale
from consult.moderation.models import Position


def representatives(comment: Comment) -> list[User]:
    """The people who act for the comment's organisation now (they hear about it, not only the author)."""
    return [
        m.user
        for m in comment.organisation.memberships
        if m.status == MembershipStatus.ACTIVE and m.user is not None and m.user.email
    ]


def comment_label(comment: Comment) -> str:
    part = comment.paragraph.label if comment.paragraph else _("the draft as a whole")
    return f"{comment.consultation.receipt_prefix}/{comment.number:04d} ({part})"


def comment_hidden(comment: Comment) -> list[Mail]:
    link = external_url("moderation.request_review", slug=comment.consultation.slug, number=comment.number)
    mails = []
    for user in representatives(comment):
        with force_locale(recipient_locale(user)):
            body = _(
                "Your comment %(comment)s has been hidden by the moderator. Reason: %(reason)s.\n\n%(note)s\n\n"
                "If you think this is a mistake, ask for a review here:\n%(link)s",
                comment=comment_label(comment),
                reason=hide_reason_label(comment.hidden_reason),
                note=comment.hidden_note or "",
                link=link,
            )
            mails.append(compose(user.email, _("Your comment has been hidden"), body, kind="moderation.hidden"))
    return mails


def positions_published(published: list[Position]) -> list[Mail]:
    """One message per representative, listing the answers their organisation got now."""
    by_user: dict[int, tuple[User, list[Position]]] = {}
    for item in published:
        for user in representatives(item.comment):
            by_user.setdefault(user.id, (user, []))[1].append(item)
    link = external_url("comments.list_my_comments")
    mails = []
    for user, items in by_user.values():
        with force_locale(recipient_locale(user)):
            lines = [f"{comment_label(p.comment)}: {position_label(p.status)}\n{p.reason}" for p in items]
            consultation = items[0].comment.consultation
            mails.append(
                compose(
                    user.email,
                    _("Answers to your comments: %(title)s", title=consultation.title),
                    _(
                        "The organiser has published its position on your comments:\n\n%(answers)s\n\n"
                        "All your comments: %(link)s",
                        answers="\n\n".join(lines),
                        link=link,
                    ),
                    kind="moderation.positions",
                )
            )
    return mails
