"""The mail outbox for admins, and `flask --app wsgi notifications send-due`."""

import click
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from consult.core import mail
from consult.core.actions import perform
from consult.core.models import MailStatus
from consult.extensions import db
from consult.notifications import operations
from consult.notifications.permissions import can_manage_outbox, can_resend_message
from consult.notifications.queries import failed_messages, message_by_id, outbox_page, retry_at

bp = Blueprint("notifications", __name__)
bp.add_app_template_global(can_resend_message, "can_resend_message")
bp.add_app_template_global(retry_at, "outbox_retry_at")


def _require_admin() -> None:
    if not current_user.is_authenticated:
        abort(401)
    if not can_manage_outbox(current_user):
        abort(403)


def _status_from(value: str | None) -> MailStatus | None:
    try:
        return MailStatus(value)
    except ValueError:
        return None


@bp.get("/admin/outbox")
@login_required
def list_outbox():
    _require_admin()
    page = outbox_page(_status_from(request.args.get("status")), request.args.get("page", 1, type=int) or 1)
    return render_template("notifications/outbox_view.html", outbox=page, statuses=list(MailStatus))


@bp.post("/admin/outbox/<int:message_id>/resend")
@login_required
def resend_message(message_id: int):
    _require_admin()
    message = message_by_id(message_id)
    if message is None:
        abort(404)
    perform(
        lambda: operations.resend_messages(current_user, [message]),
        _("The message to %(email)s is queued again.", email=message.to_address),
    )
    return redirect(url_for("notifications.list_outbox", status=request.args.get("status")))


@bp.post("/admin/outbox/resend-failed")
@login_required
def resend_failed():
    _require_admin()
    messages = failed_messages()
    perform(
        lambda: operations.resend_messages(current_user, messages),
        ngettext("%(num)d message is queued again.", "%(num)d messages are queued again.", len(messages)),
    )
    return redirect(url_for("notifications.list_outbox"))


@bp.cli.command("send-due")
def send_due_command():
    """Send the e-mail that is due (retries, anything a job missed); safe to run often and in parallel.

    Run it every few minutes from cron or a systemd timer.
    """
    sent = mail.deliver_due()
    purged = mail.purge_sent()
    db.session.commit()
    click.echo(f"E-mail sent: {sent}; old sent messages removed: {purged}.")
