"""Writing the audit log: one call per official action, inside its transaction."""

from typing import TYPE_CHECKING, Any

from werkzeug.local import LocalProxy

from consult.core.models import AuditEntry
from consult.extensions import db

if TYPE_CHECKING:  # core imports nothing above it at run time
    from consult.accounts.models import User


def record(
    actor: "User | None",  # None: the command line or a job, no person
    action: str,
    obj,
    *,
    consultation_id: int | None = None,
    reason: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    # Views may pass Flask-Login's current_user, a proxy: record the real object.
    actor = actor._get_current_object() if isinstance(actor, LocalProxy) else actor
    obj = obj._get_current_object() if isinstance(obj, LocalProxy) else obj
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=type(obj).__tablename__,
        object_id=obj.id,
        consultation_id=consultation_id,
        reason=reason,
        before=before,
        after=after,
    )
    db.session.add(entry)
    return entry
