"""Reading the mail outbox (admins' page, a fixed number of statements) and who hears about what."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from consult.accounts.models import (
    Area,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationStatus,
    User,
    UserStatus,
    organisation_areas,
)
from consult.accounts.queries import acting_memberships
from consult.comments.models import Comment, CommentStatus
from consult.consultations.models import Consultation
from consult.consultations.notifications import ReminderReason
from consult.core.models import MailStatus, OutboxMessage
from consult.extensions import db
from consult.notices.models import NotificationSettings
from consult.notifications.models import Invitation

PAGE_SIZE = 50
MAX_PAGE = 100_000  # a page number from the address bar must not overflow OFFSET


@dataclass(frozen=True)
class OutboxPage:
    messages: list[OutboxMessage]
    total: int  # of the chosen status
    counts: dict[MailStatus, int]  # of every status
    status: MailStatus | None
    page: int

    @property
    def failed(self) -> int:
        return self.counts[MailStatus.FAILED]

    @property
    def has_next(self) -> bool:
        return self.page * PAGE_SIZE < self.total


def outbox_page(status: MailStatus | None, page: int) -> OutboxPage:
    """Newest first; three statements whatever the number of messages."""
    page = min(max(1, page), MAX_PAGE)
    counts = dict.fromkeys(MailStatus, 0)
    counts.update(
        db.session.execute(sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)).all()
    )
    statement = sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status is not None:
        statement = statement.where(OutboxMessage.status == status)
    messages = db.session.scalars(statement.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    total = counts[status] if status is not None else sum(counts.values())
    return OutboxPage(messages=list(messages), total=total, counts=counts, status=status, page=page)


def retry_at(message: OutboxMessage) -> datetime | None:
    """When a message that failed before will be tried again (None for a first attempt or a final state)."""
    if message.status == MailStatus.QUEUED and message.attempts:
        return message.next_attempt_at
    return None


def message_by_id(message_id: int) -> OutboxMessage | None:
    return db.session.get(OutboxMessage, message_id)


def failed_messages() -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.status == MailStatus.FAILED)))


# --- who hears about a consultation ------------------------------------------------------------


def _interested_organisation_ids(consultation: Consultation):
    """Verified organisations whose areas meet the consultation's (all verified ones when it names none)."""
    statement = sa.select(Organisation.id).where(Organisation.status == OrganisationStatus.VERIFIED)
    area_ids = [area.id for area in consultation.areas]
    if area_ids:
        statement = statement.where(
            Organisation.id.in_(
                sa.select(organisation_areas.c.organisation_id).where(organisation_areas.c.area_id.in_(area_ids))
            )
        )
    return statement


def interested_organisations(consultation: Consultation) -> list[Organisation]:
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.id.in_(_interested_organisation_ids(consultation)))
            .order_by(Organisation.name)
        )
    )


def interested_members(consultation: Consultation) -> list[User]:
    """Active representatives of those organisations, each once, with an address to write to."""
    member_ids = sa.select(Membership.user_id).where(
        Membership.status == MembershipStatus.ACTIVE,
        Membership.organisation_id.in_(_interested_organisation_ids(consultation)),
    )
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.id.in_(member_ids), User.status == UserStatus.ACTIVE, User.email.is_not(None))
            .order_by(User.id)
        )
    )


def reminder_recipients(consultation: Consultation) -> list[tuple[User, list[ReminderReason]]]:
    """The members to remind of the deadline, each once with every organisation of theirs
    that has not commented or has unfinished work. Three statements whatever the numbers."""
    interested = _interested_organisation_ids(consultation)
    standing = sa.exists().where(
        Comment.organisation_id == Organisation.id,
        Comment.consultation_id == consultation.id,
        Comment.status != CommentStatus.WITHDRAWN,
    )
    silent = set(db.session.scalars(sa.select(Organisation.id).where(Organisation.id.in_(interested), ~standing)))
    hidden: dict[int, list[int]] = {}
    for organisation_id, number in db.session.execute(
        sa.select(Comment.organisation_id, Comment.number)
        .where(
            Comment.consultation_id == consultation.id,
            Comment.status == CommentStatus.HIDDEN,
            Comment.organisation_id.in_(interested),
        )
        .order_by(Comment.number)
    ):
        hidden.setdefault(organisation_id, []).append(number)
    reminded = silent | set(hidden)
    if not reminded:
        return []
    rows = db.session.execute(
        sa.select(User, Organisation)
        .join(Membership, Membership.user_id == User.id)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .where(
            Membership.status == MembershipStatus.ACTIVE,
            Organisation.id.in_(sorted(reminded)),
            User.status == UserStatus.ACTIVE,
            User.email.is_not(None),
        )
        .order_by(User.id, Organisation.name, Organisation.id)
    ).all()
    people: dict[int, tuple[User, list[ReminderReason]]] = {}
    for user, organisation in rows:
        reason = ReminderReason(organisation, tuple(hidden.get(organisation.id, ())))
        people.setdefault(user.id, (user, []))[1].append(reason)
    return list(people.values())


def areas_followed_by(user: User) -> list[Area]:
    """The areas of the organisations the person acts for (their feeds and calendars are offered
    beside the e-mail settings), in the city's order; one statement."""
    return list(
        db.session.scalars(
            sa.select(Area)
            .where(
                Area.id.in_(
                    sa.select(organisation_areas.c.area_id)
                    .join(Membership, Membership.organisation_id == organisation_areas.c.organisation_id)
                    .where(acting_memberships(user.id))
                )
            )
            .order_by(Area.number)
        )
    )


def mail_of(user: User) -> tuple[NotificationSettings | None, list[OutboxMessage]]:
    """A person's e-mail settings and the messages to their address still in the outbox (for their data export)."""
    settings = db.session.get(NotificationSettings, user.id)
    mails = (
        list(
            db.session.scalars(
                sa.select(OutboxMessage).where(OutboxMessage.to_address == user.email).order_by(OutboxMessage.id)
            )
        )
        if user.email
        else []
    )
    return settings, mails


def invitations_of(consultation: Consultation) -> list[Invitation]:
    return list(
        db.session.scalars(
            sa.select(Invitation).where(Invitation.consultation_id == consultation.id).order_by(Invitation.email)
        )
    )


def personal_data_of(user: User) -> dict:
    """A person's e-mail settings and the messages to them still in the outbox (for the download)."""
    settings, mails = mail_of(user)
    return {
        "email_settings": {
            "daily_digest": bool(settings and settings.daily_digest),
            "turned_off": sorted(settings.muted) if settings else [],
        },
        "emails": [
            {
                "subject": m.subject,
                "status": m.status.value,
                "queued_at": m.created_at.isoformat(),
                "sent_at": m.sent_at.isoformat() if m.sent_at else None,
            }
            for m in mails
        ],
    }
