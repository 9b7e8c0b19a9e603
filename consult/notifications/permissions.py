"""Who may see and resend the mail outbox: pure predicates."""

from consult.accounts.models import User
from consult.core.models import MailStatus, OutboxMessage


def can_manage_outbox(user: User) -> bool:
    """Admins only: the outbox lists every recipient's address and what went wrong."""
    return user is not None and getattr(user, "is_authenticated", False) and user.is_admin


def can_resend_message(user: User, message: OutboxMessage) -> bool:
    """A failed message, or one waiting for its next attempt; never one sent or being sent."""
    return can_manage_outbox(user) and message.status in (MailStatus.FAILED, MailStatus.QUEUED)
