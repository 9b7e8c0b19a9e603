"""Resending e-mail from the outbox (admins)."""

from flask_babel import gettext as _

from consult.core import audit, mail
from consult.core.errors import Conflict, Forbidden
from consult.core.models import OutboxMessage
from consult.notifications.permissions import can_manage_outbox, can_resend_message


def resend_messages(actor, messages: list[OutboxMessage]) -> int:
    """Queue failed (or waiting) messages again; they go out after the commit. Returns how many."""
    if not can_manage_outbox(actor):
        raise Forbidden(_("Only administrators can resend e-mail."))
    chosen = [m for m in messages if can_resend_message(actor, m)]
    if not chosen:
        raise Conflict(_("There is nothing to resend: the message has been sent or is being sent."))
    for message in chosen:
        audit.record(
            actor,
            "mail.resend",
            message,
            before={"status": message.status.value, "attempts": message.attempts, "error": message.last_error},
        )
    return mail.resend(chosen)
