"""Moderation events and official positions on comments."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.comments.models import Comment, HideReason
from consult.core.db import CreatedAtMixin, enum_type
from consult.core.time import UTCDateTime, utcnow
from consult.extensions import Model


class ModerationAction(enum.Enum):
    APPROVE = "approve"
    HIDE = "hide"
    RESTORE = "restore"
    REVIEW_REQUESTED = "review_requested"


class ModerationEvent(CreatedAtMixin, Model):
    """What happened to a comment's visibility; the public moderation log reads it."""

    __tablename__ = "moderation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[ModerationAction] = mapped_column(enum_type(ModerationAction))
    reason: Mapped[HideReason | None] = mapped_column(enum_type(HideReason))
    note: Mapped[str | None] = mapped_column(sa.Text)

    comment: Mapped[Comment] = relationship()


class PositionStatus(enum.Enum):
    ACCEPTED = "accepted"
    PARTLY_ACCEPTED = "partly_accepted"
    REJECTED = "rejected"
    NOTED = "noted"  # taken note of / outside the scope


class PositionState(enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Position(CreatedAtMixin, Model):
    """The official answer to one comment, always with a reason."""

    __tablename__ = "positions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"), unique=True)
    status: Mapped[PositionStatus] = mapped_column(enum_type(PositionStatus))
    reason: Mapped[str] = mapped_column(sa.Text)
    state: Mapped[PositionState] = mapped_column(enum_type(PositionState), default=PositionState.DRAFT)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    row_version: Mapped[int] = mapped_column(default=1)

    comment: Mapped[Comment] = relationship(backref=sa.orm.backref("position", uselist=False))

    __mapper_args__ = {"version_id_col": row_version}
