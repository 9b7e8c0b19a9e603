"""Consultations and their lifecycle.

Only the decision to publish is stored (``state``); whether a published consultation
is announced, open or closed follows from the clock, so no scheduler is needed.
"""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import Area, User
from consult.core.db import CreatedAtMixin, enum_type
from consult.core.time import UTCDateTime, utcnow
from consult.extensions import Model, db

if TYPE_CHECKING:
    from consult.drafts.models import DraftVersion


class ConsultationState(enum.Enum):
    DRAFT = "draft"  # being prepared; officials only
    PUBLISHED = "published"  # public; announced, open or closed by the clock


class ConsultationStatus(enum.Enum):
    """What a consultation is at a given moment (derived, never stored)."""

    DRAFT = "draft"
    ANNOUNCED = "announced"
    OPEN = "open"
    CLOSED = "closed"
    REPORT_PUBLISHED = "report_published"


class Participation(enum.Enum):
    VERIFIED_ORGANISATIONS = "verified_organisations"
    ALL_ORGANISATIONS = "all_organisations"  # unverified organisations may comment too


class ModerationMode(enum.Enum):
    PRE = "pre"  # comments appear after approval
    POST = "post"  # comments appear at once and can be hidden


consultation_areas = sa.Table(
    "consultation_areas",
    db.metadata,
    sa.Column("consultation_id", sa.ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("area_id", sa.ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
)

# The consultation's team: the officials who moderate its comments and answer them.
consultation_officials = sa.Table(
    "consultation_officials",
    db.metadata,
    sa.Column("consultation_id", sa.ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Consultation(CreatedAtMixin, Model):
    __tablename__ = "consultations"
    __table_args__ = (sa.CheckConstraint("closes_at > opens_at", name="closes_after_opens"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(500))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    organiser: Mapped[str] = mapped_column(sa.String(300), default="")
    legal_basis: Mapped[str] = mapped_column(sa.Text, default="")
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    participation: Mapped[Participation] = mapped_column(
        enum_type(Participation), default=Participation.VERIFIED_ORGANISATIONS
    )
    moderation_mode: Mapped[ModerationMode] = mapped_column(enum_type(ModerationMode), default=ModerationMode.POST)
    state: Mapped[ConsultationState] = mapped_column(enum_type(ConsultationState), default=ConsultationState.DRAFT)
    # Prefix of comment receipt numbers, e.g. "KONS-2012" gives "KONS-2012/0045".
    receipt_prefix: Mapped[str] = mapped_column(sa.String(40), default="KONS")
    report_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Published shorter than the minimum then in force: by an administrator, for this reason
    # (also in the audit log and the report).
    short_duration_reason: Mapped[str | None] = mapped_column(sa.Text)
    short_duration_minimum: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Two officials editing the same consultation: the second save is refused.
    row_version: Mapped[int] = mapped_column(default=1)

    areas: Mapped[list[Area]] = relationship(secondary=consultation_areas, order_by=Area.number)
    officials: Mapped[list[User]] = relationship(secondary=consultation_officials, order_by=User.display_name)
    versions: Mapped[list["DraftVersion"]] = relationship(
        back_populates="consultation", order_by="DraftVersion.number", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": row_version}

    def status_at(self, moment: datetime) -> ConsultationStatus:
        if self.state == ConsultationState.DRAFT:
            return ConsultationStatus.DRAFT
        if self.report_published_at is not None:
            return ConsultationStatus.REPORT_PUBLISHED
        if moment < self.opens_at:
            return ConsultationStatus.ANNOUNCED
        if moment < self.closes_at:
            return ConsultationStatus.OPEN
        return ConsultationStatus.CLOSED

    @property
    def status(self) -> ConsultationStatus:
        return self.status_at(utcnow())

    def is_open_at(self, moment: datetime) -> bool:
        return self.status_at(moment) == ConsultationStatus.OPEN

    def is_announced_at(self, moment: datetime) -> bool:
        """Published, not yet open for comments."""
        return self.status_at(moment) == ConsultationStatus.ANNOUNCED

    @property
    def is_open(self) -> bool:
        return self.status == ConsultationStatus.OPEN

    @property
    def duration_days(self) -> float:
        return (self.closes_at - self.opens_at).total_seconds() / 86400
