"""What moderation tells people: a comment approved, hidden or restored, published answers,
and officials' daily count of new comments.

Each function words the notices in the recipient's language; the view passes them to
``send_notices`` (which honours each person's settings) before it commits.
"""

from flask_babel import force_locale
from flask_babel import gettext as _

from consult.accounts.models import MembershipStatus, User
from consult.comments.models import Comment
from consult.consultations.models import Consultation
from consult.core.labels import hide_reason_label, position_label, receipt
from consult.core.mail import external_url, recipient_locale
from consult.moderation.models import Position
from consult.notices.models import Kind, Notice


def representatives(comment: Comment) -> list[User]:
    """The people who act for the comment's organisation now (they hear about it, not only the author)."""
    return [
        m.user
        for m in comment.organisation.memberships
        if m.status == MembershipStatus.ACTIVE and m.user is not None and m.user.email
    ]


def comment_label(comment: Comment) -> str:
    part = comment.paragraph.label if comment.paragraph else _("the draft as a whole")
    return f"{receipt(comment.consultation.receipt_prefix, comment.number)} ({part})"


def _comment_link(comment: Comment) -> str:
    return external_url("comments.show_comment", slug=comment.consultation.slug, number=comment.number)


def comment_hidden(comment: Comment) -> list[Notice]:
    link = external_url("moderation.request_review", slug=comment.consultation.slug, number=comment.number)
    notices = []
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
            notices.append(Notice(user, Kind.COMMENT_MODERATED, _("Your comment has been hidden"), body))
    return notices


def comment_approved(comment: Comment) -> list[Notice]:
    notices = []
    for user in representatives(comment):
        with force_locale(recipient_locale(user)):
            body = _(
                "Your comment %(comment)s has been approved by the moderator and is now public:\n%(link)s",
                comment=comment_label(comment),
                link=_comment_link(comment),
            )
            notices.append(Notice(user, Kind.COMMENT_MODERATED, _("Your comment is published"), body))
    return notices


def comment_restored(comment: Comment, note: str) -> list[Notice]:
    notices = []
    for user in representatives(comment):
        with force_locale(recipient_locale(user)):
            body = _(
                "Your comment %(comment)s, hidden before, has been restored by the moderator and is public again. "
                "Reason: %(note)s\n\n%(link)s",
                comment=comment_label(comment),
                note=note,
                link=_comment_link(comment),
            )
            notices.append(Notice(user, Kind.COMMENT_MODERATED, _("Your comment has been restored"), body))
    return notices


def positions_published(published: list[Position]) -> list[Notice]:
    """One notice per representative, listing the answers their organisation got now."""
    by_user: dict[int, tuple[User, list[Position]]] = {}
    for item in published:
        for user in representatives(item.comment):
            by_user.setdefault(user.id, (user, []))[1].append(item)
    link = external_url("comments.list_my_comments")
    notices = []
    for user, items in by_user.values():
        with force_locale(recipient_locale(user)):
            lines = [f"{comment_label(p.comment)}: {position_label(p.status)}\n{p.reason}" for p in items]
            consultation = items[0].comment.consultation
            notices.append(
                Notice(
                    user,
                    Kind.POSITION_PUBLISHED,
                    _("Answers to your comments: %(title)s", title=consultation.title),
                    _(
                        "The organiser has published its position on your comments:\n\n%(answers)s\n\n"
                        "All your comments: %(link)s",
                        answers="\n\n".join(lines),
                        link=link,
                    ),
                )
            )
    return notices


def new_comments_digest(counts: list[tuple[Consultation, int]]) -> tuple[str, str]:
    """An official's daily count of new comments per consultation of their team: (subject, text)."""
    total = sum(n for _c, n in counts)
    lines = [
        _(
            "%(title)s: %(num)d new — %(link)s",
            title=consultation.title,
            num=n,
            link=external_url("moderation.show_queue", slug=consultation.slug),
        )
        for consultation, n in counts
    ]
    subject = _("New comments in your consultations: %(num)d", num=total)
    return subject, _("Comments sent since the last summary:") + "\n\n" + "\n".join(lines)
