"""The outreach of a consultation: its announcement and the invitations, the deadline reminders
and the daily digests (each exactly once), and resending e-mail. Notices themselves go out through
``consult.notices`` (by preference, with one-click unsubscribing)."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from consult.accounts.addresses import InvalidAddress, canonical_email
from consult.accounts.models import User, UserRole, UserStatus
from consult.comments.models import Comment
from consult.consultations import notifications as consultation_notices
from consult.consultations.models import Consultation, ConsultationState, consultation_officials
from consult.consultations.operations import publish_consultation
from consult.core import audit, jobs, mail
from consult.core.errors import Conflict, Forbidden, InvalidInput
from consult.core.mail import recipient_locale
from consult.core.models import OutboxMessage
from consult.core.time import LOCAL_TZ, utcnow
from consult.extensions import db
from consult.moderation import notifications as moderation_notices
from consult.notices.models import DigestItem, Kind, NotificationLog
from consult.notices.operations import ALL, claim, notice_mail, send_notices, settings_of, wants
from consult.notifications.models import Invitation
from consult.notifications.permissions import can_manage_outbox, can_resend_message
from consult.notifications.queries import interested_members, reminder_recipients


def resend_messages(actor: User, messages: list[OutboxMessage]) -> int:
    """Queue failed (or waiting) messages again; they go out after the commit. Returns how many."""
    if not can_manage_outbox(actor):
        raise Forbidden(_("Only administrators can resend e-mail."))
    chosen = [m for m in messages if can_resend_message(actor, m)]
    if not chosen:
        raise Conflict(_("There is nothing to resend: the message has been sent or is being sent."))
    for message in chosen:
        audit.record(
            actor,
            "mail.resend",
            message,
            before={"status": message.status.value, "attempts": message.attempts, "error": message.last_error},
        )
    return mail.resend(chosen)


def forget_mail_of(user: User) -> None:
    """An erased account: its waiting messages, digest items and outbox rows go with its address."""
    if user.email:
        db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.to_address == user.email))
    db.session.execute(sa.delete(DigestItem).where(DigestItem.user_id == user.id))


# --- announcing a consultation ------------------------------------------------------------------

MAX_INVITATIONS = 500  # addresses in one go


def parse_addresses(text: str) -> list[str]:
    """Addresses one per line (or separated by commas or semicolons), each checked and in canonical spelling."""
    addresses: list[str] = []
    for raw in re.split(r"[\s,;]+", text or ""):
        if not raw:
            continue
        try:
            address = canonical_email(raw)
        except InvalidAddress as error:
            raise InvalidInput(
                _("“%(address)s” is not an e-mail address. Give one address per line.", address=raw[:100]),
                field="addresses",
            ) from error
        if address not in addresses:
            addresses.append(address)
    if len(addresses) > MAX_INVITATIONS:
        raise InvalidInput(_("At most %(num)d addresses at a time.", num=MAX_INVITATIONS), field="addresses")
    return addresses


def invite_addresses(actor: User, consultation: Consultation, text: str) -> list[Invitation]:
    """Invite organisations that are not registered yet; addresses with an account or invited before are skipped."""
    addresses = parse_addresses(text)
    if not addresses:
        return []
    known = set(db.session.scalars(sa.select(User.email).where(User.email.in_(addresses))))
    invited = set(
        db.session.scalars(
            sa.select(Invitation.email).where(
                Invitation.consultation_id == consultation.id, Invitation.email.in_(addresses)
            )
        )
    )
    new = [
        Invitation(consultation_id=consultation.id, email=a, invited_by_id=actor.id)
        for a in addresses
        if a not in known | invited
    ]
    db.session.add_all(new)
    db.session.flush()
    if new:
        audit.record(
            actor,
            "consultation.invite",
            consultation,
            consultation_id=consultation.id,
            after={"addresses": [i.email for i in new]},
        )
    return new


def publish_and_announce(
    actor: User, consultation: Consultation, addresses: str, short_reason: str = ""
) -> list[Invitation]:
    """Publish; after the commit, a job tells the interested organisations and sends the invitations
    (``announce_when_saved``, called by ``publish_consultation`` through its hook).

    The request only records what to do: with 2,000 organisations the page still answers at once.
    ``short_reason``: an administrator's reason for publishing one shorter than the minimum.
    """
    invitations = invite_addresses(actor, consultation, addresses)
    publish_consultation(consultation, actor, short_reason)
    return invitations


def invite_more(actor: User, consultation: Consultation, addresses: str) -> list[Invitation]:
    if consultation.state != ConsultationState.PUBLISHED:
        raise Conflict(_("Publish the consultation first; the invitations go out with it."))
    invitations = invite_addresses(actor, consultation, addresses)
    if not invitations:
        raise InvalidInput(
            _("Give at least one new address of an organisation that is not registered."), field="addresses"
        )
    jobs.after_commit(announce_job, consultation.id)
    return invitations


def announce_when_saved(consultation: Consultation) -> None:
    """A consultation was published (the ``CONSULTATION_PUBLISHED`` hook): announce it after the commit."""
    jobs.after_commit(announce_job, consultation.id)


def announce_job(consultation_id: int) -> None:
    app = jobs.job_app()
    with app.app_context():
        try:
            announce(consultation_id)
        finally:
            db.session.remove()


def announce(consultation_id: int, batch: int = 500) -> int:
    """Tell the interested members once each and send pending invitations; safe to run again."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or consultation.state != ConsultationState.PUBLISHED:
        return 0
    users = interested_members(consultation)
    told = 0
    for start in range(0, len(users), batch):
        chunk = users[start : start + batch]
        claimed = claim(Kind.NEW_CONSULTATION.value, f"consultation:{consultation_id}", [u.id for u in chunk])
        told += send_notices(consultation_notices.new_consultation(consultation, [u for u in chunk if u.id in claimed]))
        db.session.commit()
    pending = db.session.scalars(
        sa.update(Invitation)
        .where(Invitation.consultation_id == consultation_id, Invitation.sent_at.is_(None))
        .values(sent_at=utcnow())
        .returning(Invitation.email)
    ).all()
    mail.queue(*(consultation_notices.invitation_to_register(consultation, email) for email in pending))
    db.session.commit()
    return told + len(pending)


# --- send-due: reminders, digests, mail that waits ---------------------------------------------

REMINDER_DAYS = (3, 1)


def send_reminders(now: datetime) -> int:
    """3 days and 1 day before the deadline, to the members of organisations that have not
    commented or whose comments the moderator hid: once each, however many runs there are."""
    consultations = db.session.scalars(
        sa.select(Consultation).where(
            Consultation.state == ConsultationState.PUBLISHED,
            Consultation.opens_at <= now,
            Consultation.closes_at > now,
            Consultation.closes_at <= now + timedelta(days=max(REMINDER_DAYS)),
        )
    ).all()
    told = 0
    for consultation in consultations:
        left = consultation.closes_at - now
        days = min(d for d in REMINDER_DAYS if left <= timedelta(days=d))
        people = reminder_recipients(consultation)
        # The deadline is part of the key: an extended consultation reminds again before its new deadline.
        deadline = consultation.closes_at.astimezone(UTC).strftime("%Y%m%dT%H%M")
        key = f"consultation:{consultation.id}:{days}d:{deadline}"
        claimed = claim(Kind.DEADLINE_REMINDER.value, key, [u.id for u, _r in people])
        told += send_notices(
            consultation_notices.deadline_reminder(consultation, [p for p in people if p[0].id in claimed], days)
        )
        db.session.commit()
    return told


def send_digests(now: datetime) -> int:
    """Once a day from DIGEST_HOUR (Kraków time): each member's kept notices, each official's new comments."""
    local = now.astimezone(LOCAL_TZ)
    if local.hour < current_app.config.get("DIGEST_HOUR", 7):
        return 0
    day = local.date().isoformat()
    return _member_digests(day) + _official_digests(day, now)


def _member_digests(day: str) -> int:
    waiting = db.session.scalars(sa.select(DigestItem.user_id).where(DigestItem.sent_at.is_(None)).distinct()).all()
    claimed = claim("digest", day, waiting)
    sent = 0
    for user in db.session.scalars(sa.select(User).where(User.id.in_(claimed))):
        items = db.session.scalars(
            sa.select(DigestItem)
            .where(DigestItem.user_id == user.id, DigestItem.sent_at.is_(None))
            .order_by(DigestItem.id)
        ).all()
        if not items or user.status != UserStatus.ACTIVE or not user.email:
            continue
        with force_locale(recipient_locale(user)):
            text = "\n\n".join(f"■ {item.subject}\n\n{item.text}" for item in items)
            subject = ngettext("Your daily summary: %(num)d notice", "Your daily summary: %(num)d notices", len(items))
            mail.queue(notice_mail(user, ALL, subject, text))
        for item in items:
            item.sent_at = utcnow()
        sent += 1
    db.session.commit()
    return sent


def _official_digests(day: str, now: datetime) -> int:
    officials = db.session.scalars(
        sa.select(User).where(
            User.role.in_([UserRole.OFFICIAL, UserRole.ADMIN]),
            User.status == UserStatus.ACTIVE,
            User.email.is_not(None),
            User.id.in_(sa.select(consultation_officials.c.user_id)),
        )
    ).all()
    settings = settings_of(u.id for u in officials)
    last = dict(
        db.session.execute(
            sa.select(NotificationLog.user_id, sa.func.max(NotificationLog.created_at))
            .where(NotificationLog.kind == Kind.NEW_COMMENTS.value)
            .group_by(NotificationLog.user_id)
        ).all()
    )
    sent = 0
    for official in officials:
        if not wants(settings.get(official.id), Kind.NEW_COMMENTS):
            continue
        since = last.get(official.id) or now - timedelta(days=1)
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        rows = db.session.execute(
            sa.select(Consultation, sa.func.count(Comment.id))
            .join(Comment, Comment.consultation_id == Consultation.id)
            .join(consultation_officials, consultation_officials.c.consultation_id == Consultation.id)
            .where(
                consultation_officials.c.user_id == official.id,
                Comment.submitted_at >= since,
                Comment.submitted_at < now,
            )
            .group_by(Consultation.id)
            .order_by(Consultation.closes_at)
        ).all()
        if not rows or not claim(Kind.NEW_COMMENTS.value, day, [official.id]):
            continue
        with force_locale(recipient_locale(official)):
            subject, text = moderation_notices.new_comments_digest([(c, n) for c, n in rows])
            mail.queue(notice_mail(official, Kind.NEW_COMMENTS.value, subject, text))
        sent += 1
        db.session.commit()
    db.session.commit()
    return sent


@dataclass(frozen=True)
class SendDueResult:
    reminders: int
    digests: int
    mail_sent: int
    mail_purged: int


def send_due(now: datetime | None = None) -> SendDueResult:
    """Everything that is due, each thing once: safe to run every few minutes and twice at once."""
    now = now or utcnow()
    reminders = send_reminders(now)
    digests = send_digests(now)
    sent = mail.deliver_due(now=utcnow())
    purged = mail.purge_sent(now)
    return SendDueResult(reminders, digests, sent, purged)


def send_due_job() -> None:
    """send-due as an RQ job (the worker queues it every few minutes)."""
    app = jobs.job_app()
    with app.app_context():
        try:
            send_due()
        finally:
            db.session.remove()
