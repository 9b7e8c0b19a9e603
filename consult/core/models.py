"""The append-only audit log of official actions."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from consult.core.db import CreatedAtMixin
from consult.extensions import db


class AuditEntry(CreatedAtMixin, db.Model):
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
