"""The append-only audit log of official actions, the mail outbox, the admins' settings."""

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from consult.core.db import CreatedAtMixin, enum_type
from consult.core.time import UTCDateTime
from consult.extensions import Model


class AuditEntry(CreatedAtMixin, Model):
    """Who did what to which object, with the values before and after.

    Rows are only ever inserted (see :func:`consult.core.audit.record`).
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(sa.String(80), index=True)  # "consultation.close_early"
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int | None]
    consultation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str | None] = mapped_column(sa.Text)
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)


@sa.event.listens_for(AuditEntry, "before_update")
@sa.event.listens_for(AuditEntry, "before_delete")
def _refuse_changes(_mapper, _connection, entry: AuditEntry) -> None:
    """The log is append-only: what was recorded stays as it was."""
    raise PermissionError(f"audit entry {entry.id} cannot be changed or deleted")


class MailStatus(enum.Enum):
    QUEUED = "queued"  # waiting for its first or next attempt (``next_attempt_at``)
    SENDING = "sending"  # a job holds it (since ``locked_at``)
    SENT = "sent"
    FAILED = "failed"  # given up after the last attempt or a permanent refusal; an admin may resend


class OutboxMessage(CreatedAtMixin, Model):
    """One e-mail, stored in the transaction of the change that caused it and sent after it commits.

    See :mod:`consult.core.mail`: nothing is sent for a change that was rolled back,
    and nothing committed is lost when the mail server is away.
    """

    __tablename__ = "mail_outbox"
    __table_args__ = (sa.Index("ix_mail_outbox_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(60), default="")  # "accounts.confirmation"
    to_address: Mapped[str] = mapped_column(sa.String(320))
    subject: Mapped[str] = mapped_column(sa.String(400))  # one line, cleaned when queued
    text_body: Mapped[str] = mapped_column(sa.Text)
    html_body: Mapped[str | None] = mapped_column(sa.Text)
    headers: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)  # extra ones: List-Unsubscribe …
    message_id: Mapped[str] = mapped_column(sa.String(255))  # the same for every attempt
    status: Mapped[MailStatus] = mapped_column(enum_type(MailStatus), default=MailStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)  # since it was queued or last resent
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_retrying(self) -> bool:
        """Waiting for another attempt after a failed one."""
        return self.status == MailStatus.QUEUED and self.attempts > 0


class Setting(Model):
    """A platform-wide choice an administrator makes on a page (not a deployment setting).

    One row per key, holding a JSON value; changes go through consult.core.settings,
    which records them in the audit log.
    """

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(sa.JSON)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
