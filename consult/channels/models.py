"""Consultation meetings and the organisations registered for them.

Comments said at a meeting are entered by an official as a letter with the channel
"meeting" and the meeting it came from (``letters.meeting_id``).
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import Organisation
from consult.attachments.models import Attachment
from consult.consultations.models import Consultation
from consult.core.db import CreatedAtMixin
from consult.core.time import UTCDateTime
from consult.extensions import Model


class Meeting(CreatedAtMixin, Model):
    __tablename__ = "meetings"
    __table_args__ = (
        sa.CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="ends_after_starts"),
        sa.CheckConstraint("registration_limit IS NULL OR registration_limit > 0", name="positive_limit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(sa.String(300), default="")  # an address, a room
    online_url: Mapped[str] = mapped_column(sa.String(500), default="")  # or a link to join online
    description: Mapped[str] = mapped_column(sa.Text, default="")  # the agenda (Markdown)
    registration_limit: Mapped[int | None]  # organisations; None: no limit
    minutes: Mapped[str] = mapped_column(sa.Text, default="")  # written after the meeting (Markdown)
    # use_alter: attachments point at letters, letters at meetings, and this at attachments; the
    # cycle is broken here for sorting tables (the file's removal only clears this).
    minutes_file_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("attachments.id", ondelete="SET NULL", use_alter=True)
    )
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    row_version: Mapped[int] = mapped_column(default=1)

    consultation: Mapped[Consultation] = relationship()
    minutes_file: Mapped[Attachment | None] = relationship()
    registrations: Mapped[list["MeetingRegistration"]] = relationship(
        back_populates="meeting", order_by="MeetingRegistration.id"
    )

    __mapper_args__ = {"version_id_col": row_version}


class MeetingRegistration(CreatedAtMixin, Model):
    """An organisation's place at a meeting (one per organisation; cancelled ones stay on record)."""

    __tablename__ = "meeting_registrations"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="RESTRICT"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    meeting: Mapped[Meeting] = relationship(back_populates="registrations")
    organisation: Mapped[Organisation] = relationship()
