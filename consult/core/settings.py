"""Platform-wide choices an administrator makes on a page, one row per key, audited."""

from typing import TYPE_CHECKING, Any

from consult.core.models import AuditEntry, Setting
from consult.core.time import utcnow
from consult.extensions import db

if TYPE_CHECKING:  # core imports nothing above it at run time
    from consult.accounts.models import User

# Every setting with its default: a key not listed here is a mistake.
DEFAULTS: dict[str, Any] = {
    # Officials and admins must sign in with a second factor (TOTP or a recovery code).
    "require_two_factor_for_staff": False,
}


def get_setting(key: str) -> Any:
    row = db.session.get(Setting, key)
    return DEFAULTS[key] if row is None else row.value


def set_setting(actor: "User", key: str, value: Any) -> None:
    before = get_setting(key)
    row = db.session.get(Setting, key)
    if row is None:
        row = Setting(key=key)
        db.session.add(row)
    row.value = value
    row.updated_at = utcnow()
    row.updated_by_id = actor.id if actor is not None else None
    db.session.flush()
    db.session.add(
        AuditEntry(
            actor_id=actor.id if actor is not None else None,
            action="setting.change",
            object_type=Setting.__tablename__,
            object_id=None,
            before={key: before},
            after={key: value},
        )
    )
