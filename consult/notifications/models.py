"""Invitations of organisations not registered yet (the outreach of a consultation)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from consult.core.db import CreatedAtMixin
from consult.core.time import UTCDateTime
from consult.extensions import Model


class Invitation(CreatedAtMixin, Model):
    """An address of an organisation not registered yet, invited to a consultation by an official."""

    __tablename__ = "consultation_invitations"
    __table_args__ = (sa.UniqueConstraint("consultation_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(sa.String(254))
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
