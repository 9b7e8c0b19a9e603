"""The e-mail copy of a comment (sent, changed, withdrawn) for its author, the notice to the
organisations that supported it, and the news of a new version of the draft to the organisations
that commented; queued by the view before it commits."""

import sqlalchemy as sa
from flask_babel import force_locale, format_date, format_datetime
from flask_babel import gettext as _

from consult.accounts.models import Membership, MembershipStatus, User, UserStatus
from consult.comments.models import Comment, CommentKind, CommentStatus
from consult.comments.operations import KINDS_WITH_WORDING, receipt_number
from consult.core.labels import comment_status_label, entered_from_label, kind_label
from consult.core.mail import Mail, compose, external_url, recipient_locale
from consult.drafts.models import DraftVersion
from consult.extensions import db
from consult.notices.models import Kind, Notice


def comment_url(comment: Comment) -> str:
    return external_url("comments.show_comment", slug=comment.consultation.slug, number=comment.number)


def receipt(comment: Comment, to: str, url: str | None = None, *, event: str = "sent") -> Mail:
    """The receipt: everything the organisation needs to prove what it sent and when.

    User text stays plain text: the HTML part escapes it.
    """
    number = receipt_number(comment)
    organisation, title = comment.organisation.name, comment.consultation.title
    # Only the event's own texts are translated (each gettext is a lookup through the request).
    subject = {
        "sent": lambda: _("Receipt for comment %(number)s", number=number),
        "entered": lambda: _("Receipt for comment %(number)s", number=number),
        "edited": lambda: _("Comment %(number)s was changed", number=number),
        "withdrawn": lambda: _("Comment %(number)s was withdrawn", number=number),
    }[event]()
    intro = {
        "sent": lambda: _(
            "%(organisation)s has sent a comment in the consultation “%(title)s”.",
            organisation=organisation,
            title=title,
        ),
        "entered": lambda: _(
            "A comment of %(organisation)s in the consultation “%(title)s” has been entered by the office.",
            organisation=organisation,
            title=title,
        ),
        "edited": lambda: _(
            "%(organisation)s has changed its comment in the consultation “%(title)s”. Its text is now:",
            organisation=organisation,
            title=title,
        ),
        "withdrawn": lambda: _(
            "%(organisation)s has withdrawn its comment in the consultation “%(title)s”. "
            "It stays on record as withdrawn.",
            organisation=organisation,
            title=title,
        ),
    }[event]()
    moment = (
        comment.withdrawn_at
        if event == "withdrawn"
        else comment.updated_at
        if event == "edited"
        else comment.submitted_at
    )
    lines = [
        intro,
        "",
        _("Receipt number: %(number)s", number=number),
        _("Time: %(moment)s (Kraków time)", moment=format_datetime(moment, "d MMMM y, HH:mm:ss")),
        _(
            "Part of the document: %(label)s",
            label=comment.paragraph.label if comment.paragraph else _("the draft as a whole"),
        ),
        _("Kind: %(kind)s", kind=kind_label(comment.kind)),
        _("Status: %(status)s", status=comment_status_label(comment.status)),
    ]
    if comment.letter is not None:
        lines.append(entered_from_label(comment.channel, format_date(comment.letter.received_on, "d MMMM y")))
    if comment.kind in KINDS_WITH_WORDING:
        lines += ["", _("Proposed wording:"), comment.proposed_text]
    lines += [
        "",
        _("Remark:") if comment.kind == CommentKind.GENERAL else _("Justification:"),
        comment.justification,
        "",
        _("The comment: %(url)s", url=url or comment_url(comment)),
        "",
        _("This message was sent automatically by the consultation platform."),
    ]
    return compose(to, subject, "\n".join(lines), kind=f"comments.receipt_{event}")


def supported_comment_changed(comment: Comment, event: str) -> list[Notice]:
    """To the organisations that support the comment (not its own): it was edited or withdrawn."""
    users: dict[int, User] = {}
    for support in comment.supports:
        if support.withdrawn_at is not None or support.organisation_id == comment.organisation_id:
            continue
        for membership in support.organisation.memberships:
            if membership.status == MembershipStatus.ACTIVE and membership.user is not None:
                users.setdefault(membership.user.id, membership.user)
    notices = []
    for user in users.values():
        with force_locale(recipient_locale(user)):
            number = receipt_number(comment)
            if event == "withdrawn":
                subject = _("A comment you supported was withdrawn: %(number)s", number=number)
                text = _(
                    "%(organisation)s has withdrawn its comment %(number)s in the consultation “%(title)s”, "
                    "which your organisation supported. If you still want the change, send a comment of your own:"
                    "\n%(link)s",
                    organisation=comment.organisation.name,
                    number=number,
                    title=comment.consultation.title,
                    link=comment_url(comment),
                )
            else:
                subject = _("A comment you supported was changed: %(number)s", number=number)
                text = _(
                    "%(organisation)s has changed its comment %(number)s in the consultation “%(title)s”, "
                    "which your organisation supported. Check that you still support it:\n%(link)s",
                    organisation=comment.organisation.name,
                    number=number,
                    title=comment.consultation.title,
                    link=comment_url(comment),
                )
            notices.append(Notice(user, Kind.SUPPORTED_CHANGED, subject, text))
    return notices


# --- a new version of the draft: told to the organisations that commented ------------------------


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
                    text += f"\n{receipt_number(comment)} ({part}): " + external_url(
                        "comments.show_comment", slug=consultation.slug, number=comment.number
                    )
            notices.append(Notice(user, Kind.NEW_VERSION, subject, text))
    return notices
