"""Reading the mail outbox (admins' page, a fixed number of statements) and who hears about what."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from consult.accounts.models import (
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationStatus,
    User,
    UserStatus,
    organisation_areas,
)
from consult.comments.models import Comment, CommentStatus
from consult.consultations.models import Consultation
from consult.core.models import MailStatus, OutboxMessage
from consult.extensions import db
from consult.notifications.models import Invitation, NotificationSettings

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


def _interested_organisation_ids(consultation: Consultation, *, without_comment: bool = False):
    """Verified organisations whose areas meet the consultation's (all verified ones when it names none)."""
    statement = sa.select(Organisation.id).where(Organisation.status == OrganisationStatus.VERIFIED)
    area_ids = [area.id for area in consultation.areas]
    if area_ids:
        statement = statement.where(
            Organisation.id.in_(
                sa.select(organisation_areas.c.organisation_id).where(organisation_areas.c.area_id.in_(area_ids))
            )
        )
    if without_comment:
        statement = statement.where(
            ~sa.exists().where(
                Comment.organisation_id == Organisation.id,
                Comment.consultation_id == consultation.id,
                Comment.status != CommentStatus.WITHDRAWN,
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


def interested_members(consultation: Consultation, *, without_comment: bool = False) -> list[User]:
    """Active representatives of those organisations, each once, with an address to write to."""
    member_ids = sa.select(Membership.user_id).where(
        Membership.status == MembershipStatus.ACTIVE,
        Membership.organisation_id.in_(_interested_organisation_ids(consultation, without_comment=without_comment)),
    )
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.id.in_(member_ids), User.status == UserStatus.ACTIVE, User.email.is_not(None))
            .order_by(User.id)
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
