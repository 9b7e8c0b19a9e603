"""What a consultation tells people: it opens, its deadline nears, a meeting, an invitation to register.

Each function words the message in the recipient's language; ``consult.notices``
decides who wants it and queues it (``send_notices``).
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale, format_datetime, get_locale, ngettext
from flask_babel import gettext as _

from consult.accounts.models import Organisation, User
from consult.consultations.models import Consultation
from consult.core.labels import receipt
from consult.core.mail import Mail, compose, external_url, recipient_locale
from consult.notices.models import Kind, Notice


@dataclass(frozen=True)
class ReminderReason:
    """Why one organisation is reminded: it has sent nothing that stands, or the moderator hid
    comments of it (work to finish: a corrected comment, or a review to ask for)."""

    organisation: Organisation
    hidden_numbers: tuple[int, ...] = ()  # empty: no comment yet (none, or all withdrawn)


def _when(moment: datetime) -> str:
    return format_datetime(moment, "d MMMM y, HH:mm")


def _link(consultation: Consultation) -> str:
    return external_url("consultations.show_consultation", slug=consultation.slug)


def _facts(consultation: Consultation) -> str:
    lines = [
        _("Consultation: %(title)s", title=consultation.title),
        _(
            "Comments from %(opens)s to %(closes)s (Kraków time).",
            opens=_when(consultation.opens_at),
            closes=_when(consultation.closes_at),
        ),
    ]
    if consultation.organiser:
        lines.append(_("Organiser: %(organiser)s", organiser=consultation.organiser))
    if consultation.areas:
        lines.append(
            _("Areas: %(areas)s", areas="; ".join(area.name(str(get_locale())) for area in consultation.areas))
        )
    return "\n".join(lines)


def _paragraphs(*parts: str) -> str:
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def new_consultation(consultation: Consultation, users: list[User]) -> list[Notice]:
    notices = []
    for user in users:
        with force_locale(recipient_locale(user)):
            text = _paragraphs(
                _("A consultation in the areas of your organisation has been announced."),
                _facts(consultation),
                consultation.summary,
                _("Read the draft and comment: %(link)s", link=_link(consultation)),
            )
            subject = _("New consultation: %(title)s", title=consultation.title)
            notices.append(Notice(user, Kind.NEW_CONSULTATION, subject, text))
    return notices


def _why_reminded(consultation: Consultation, reason: ReminderReason) -> str:
    name = reason.organisation.name
    if not reason.hidden_numbers:
        return _("%(organisation)s has not sent a comment in this consultation yet.", organisation=name)
    numbers = ", ".join(receipt(consultation.receipt_prefix, n) for n in reason.hidden_numbers)
    return ngettext(
        "The moderator hid %(num)d comment of %(organisation)s (%(numbers)s). You can send a corrected one, "
        "or ask for a review from the comment's page.",
        "The moderator hid %(num)d comments of %(organisation)s (%(numbers)s). You can send corrected ones, "
        "or ask for a review from each comment's page.",
        len(reason.hidden_numbers),
        organisation=name,
        numbers=numbers,
    )


def deadline_reminder(
    consultation: Consultation, people: list[tuple[User, list[ReminderReason]]], days: int
) -> list[Notice]:
    """One reminder per person, naming each of their organisations that has not commented
    or has unfinished work (a hidden comment)."""
    notices = []
    for user, reasons in people:
        with force_locale(recipient_locale(user)):
            subject = (
                _("Last day for comments: %(title)s", title=consultation.title)
                if days == 1
                else _("%(days)d days left for comments: %(title)s", days=days, title=consultation.title)
            )
            text = _paragraphs(
                "\n".join(_why_reminded(consultation, reason) for reason in reasons),
                _("Comments can be sent until %(closes)s (Kraków time).", closes=_when(consultation.closes_at)),
                _facts(consultation),
                _("The draft and the comment form: %(link)s", link=_link(consultation)),
            )
            notices.append(Notice(user, Kind.DEADLINE_REMINDER, subject, text))
    return notices


def meeting_announced(
    consultation: Consultation, users: list[User], starts_at: datetime, place: str, link: str
) -> list[Notice]:
    """A consultation meeting (meetings are built later; the notice and its setting are here now)."""
    notices = []
    for user in users:
        with force_locale(recipient_locale(user)):
            subject = _("Consultation meeting: %(title)s", title=consultation.title)
            text = _paragraphs(
                _("A meeting on the consultation will be held on %(when)s.", when=_when(starts_at)),
                _("Place: %(place)s", place=place),
                _facts(consultation),
                _("Details and registration: %(link)s", link=link),
            )
            notices.append(Notice(user, Kind.MEETING, subject, text))
    return notices


def invitation_to_register(consultation: Consultation, email: str) -> Mail:
    """To the address of an organisation not registered yet, given by an official (in Polish)."""
    with force_locale("pl"):
        text = _paragraphs(
            _(
                "The organiser invites your organisation to take part in a public consultation. "
                "To send comments, register your organisation on the consultation platform."
            ),
            _facts(consultation),
            _("The draft: %(link)s", link=_link(consultation)),
            _("Register: %(link)s", link=external_url("accounts.register_account")),
            _(
                "You receive this message because an official gave this address as your organisation's. "
                "If you do not want to take part, ignore it; no other message will follow."
            ),
        )
        return compose(
            email,
            _("Invitation to a consultation: %(title)s", title=consultation.title),
            text,
            kind="consultations.invitation",
        )
