"""The e-mail copy of a comment (sent, changed, withdrawn) for its author, and the notice to the
organisations that supported it; queued by the view before it commits."""

from flask_babel import force_locale, format_date, format_datetime
from flask_babel import gettext as _

from consult.accounts.models import MembershipStatus, User
from consult.comments.models import Comment, CommentKind
from consult.comments.operations import KINDS_WITH_WORDING, receipt_number
from consult.core.labels import comment_status_label, entered_from_label, kind_label
from consult.core.mail import Mail, compose, external_url, recipient_locale
from consult.notices.models import Kind, Notice


def comment_url(comment: Comment) -> str:
    return external_url("comments.show_comment", slug=comment.consultation.slug, number=comment.number)


def receipt(comment: Comment, to: str, url: str | None = None, *, event: str = "sent") -> Mail:
    """The receipt: everything the organisation needs to prove what it sent and when.

    User text stays plain text: the HTML part escapes it.
    """
    number = receipt_number(comment)
    subject = {
        "sent": _("Receipt for comment %(number)s", number=number),
        "entered": _("Receipt for comment %(number)s", number=number),
        "edited": _("Comment %(number)s was changed", number=number),
        "withdrawn": _("Comment %(number)s was withdrawn", number=number),
    }[event]
    intro = {
        "sent": _(
            "%(organisation)s has sent a comment in the consultation “%(title)s”.",
            organisation=comment.organisation.name,
            title=comment.consultation.title,
        ),
        "entered": _(
            "A comment of %(organisation)s in the consultation “%(title)s” has been entered by the office.",
            organisation=comment.organisation.name,
            title=comment.consultation.title,
        ),
        "edited": _(
            "%(organisation)s has changed its comment in the consultation “%(title)s”. Its text is now:",
            organisation=comment.organisation.name,
            title=comment.consultation.title,
        ),
        "withdrawn": _(
            "%(organisation)s has withdrawn its comment in the consultation “%(title)s”. "
            "It stays on record as withdrawn.",
            organisation=comment.organisation.name,
            title=comment.consultation.title,
        ),
    }[event]
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
