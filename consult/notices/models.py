"""Telling one person something: what each person wants to hear about, what they have already
been told, and the notice itself. Every module that tells people composes ``Notice`` objects and
hands them to :func:`consult.notices.operations.send_notices`."""

import enum
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from consult.accounts.models import User
from consult.core.db import CreatedAtMixin
from consult.core.time import UTCDateTime, utcnow
from consult.extensions import Model


class Kind(enum.Enum):
    """The notifications a person may turn off (account and receipt e-mails always go out)."""

    NEW_CONSULTATION = "new_consultation"  # a consultation opens in the organisation's areas
    DEADLINE_REMINDER = "deadline_reminder"  # 3 days and 1 day before the deadline: no comment yet, or one hidden
    POSITION_PUBLISHED = "position_published"  # the organiser answered the organisation's comment
    NEW_VERSION = "new_version"  # a new version of a draft the organisation commented on
    COMMENT_MODERATED = "comment_moderated"  # the organisation's comment approved, hidden or restored
    SUPPORTED_CHANGED = "supported_changed"  # a comment the organisation supported was edited or withdrawn
    MEETING = "meeting"  # a consultation meeting announced
    NEW_COMMENTS = "new_comments"  # officials: a daily digest of new comments on their consultations


MEMBER_KINDS = (
    Kind.NEW_CONSULTATION,
    Kind.DEADLINE_REMINDER,
    Kind.POSITION_PUBLISHED,
    Kind.NEW_VERSION,
    Kind.COMMENT_MODERATED,
    Kind.SUPPORTED_CHANGED,
    Kind.MEETING,
)
OFFICIAL_KINDS = (Kind.NEW_COMMENTS,)


class NotificationSettings(Model):
    """One row per person who changed anything; no row means every kind on, single e-mails."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    daily_digest: Mapped[bool] = mapped_column(default=False)
    muted: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # Kind values turned off
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class NotificationLog(CreatedAtMixin, Model):
    """ "This person has been told this": the unique key makes every notice go out once,
    however often and however many runs of send-due there are at the same time."""

    __tablename__ = "notification_log"
    __table_args__ = (sa.UniqueConstraint("user_id", "kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    key: Mapped[str] = mapped_column(sa.String(120))  # "consultation:12:3d", "2026-11-29"


class DigestItem(CreatedAtMixin, Model):
    """A notice kept for the person's daily digest instead of an e-mail of its own."""

    __tablename__ = "notification_digest_items"
    __table_args__ = (sa.Index("ix_notification_digest_items_user_id_sent_at", "user_id", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    subject: Mapped[str] = mapped_column(sa.String(400))
    text: Mapped[str] = mapped_column(sa.Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class Notice:
    """Something to tell one person, already worded in their language (see ``send_notices``)."""

    user: User
    kind: Kind
    subject: str
    text: str
