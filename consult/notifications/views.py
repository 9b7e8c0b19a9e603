"""The mail outbox for admins, and `flask --app wsgi notifications send-due`."""

import click
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from consult.accounts.models import User
from consult.core import jobs
from consult.core.actions import perform, perform_form
from consult.core.errors import ConsultError
from consult.core.hooks import ACCOUNT_ERASED, CONSULTATION_PUBLISHED, PERSONAL_DATA, contribute
from consult.core.inputs import int_arg
from consult.core.labels import notification_kind_label
from consult.core.models import MailStatus
from consult.extensions import csrf, limiter
from consult.notices import operations as notices
from consult.notices.operations import kinds_for, settings_of, wants
from consult.notifications import operations
from consult.notifications.forms import SettingsForm
from consult.notifications.permissions import can_manage_outbox, can_resend_message
from consult.notifications.queries import (
    areas_followed_by,
    failed_messages,
    message_by_id,
    outbox_page,
    personal_data_of,
    retry_at,
)

bp = Blueprint("notifications", __name__)
bp.add_app_template_global(can_resend_message, "can_resend_message")
bp.add_app_template_global(retry_at, "outbox_retry_at")


@bp.record_once
def _contribute(state) -> None:
    contribute(state.app, PERSONAL_DATA, personal_data_of)
    contribute(state.app, ACCOUNT_ERASED, operations.forget_mail_of)
    contribute(state.app, CONSULTATION_PUBLISHED, operations.announce_when_saved)


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
    page = outbox_page(_status_from(request.args.get("status")), int_arg("page", 1))
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
    """Send what is due: deadline reminders, daily digests, e-mail waiting for a retry.

    Idempotent, and safe to run twice at once: run it every 15 minutes from cron or a
    systemd timer. Without Redis the e-mail goes out from this process.
    """
    app = current_app._get_current_object()
    if jobs.mode(app, "MAIL_JOBS") == "thread":
        app.config["MAIL_JOBS"] = "sync"  # a command ends when its work is done, not in a thread
    result = operations.send_due()
    click.echo(
        f"Reminders: {result.reminders}; digests: {result.digests}; "
        f"e-mail sent: {result.mail_sent}; old sent messages removed: {result.mail_purged}."
    )


# --- a person's settings and the one-click unsubscribe ------------------------------------------


def _settings_form(user: User, form: SettingsForm | None = None) -> SettingsForm:
    form = form or SettingsForm()
    form.kinds.choices = [SelectChoice(kind.value, notification_kind_label(kind)) for kind in kinds_for(user)]
    return form


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def edit_settings():
    form = _settings_form(current_user)
    if request.method == "GET":
        chosen = settings_of([current_user.id]).get(current_user.id)
        form.kinds.data = [k.value for k in kinds_for(current_user) if wants(chosen, k)]
        form.daily_digest.data = bool(chosen and chosen.daily_digest)
    elif form.validate_on_submit():
        if perform(
            lambda: notices.save_settings(current_user, form.kinds.data or [], form.daily_digest.data),
            _("Your e-mail settings are saved."),
        ):
            return redirect(url_for("notifications.edit_settings"))
    status = 422 if form.is_submitted() else 200
    return render_template("notifications/settings_form.html", form=form, areas=areas_followed_by(current_user)), status


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the credential; mail programs post here without a page (RFC 8058)
@limiter.limit("60 per minute", methods=["POST"])
def unsubscribe(token: str):
    try:
        user, kind = notices.read_unsubscribe_token(token)
    except ConsultError as error:
        return render_template("notifications/unsubscribe_view.html", error=error.message), 400
    if request.method == "GET":  # a link checker's visit must not unsubscribe anyone
        return render_template("notifications/unsubscribe_view.html", kind=kind, email=user.email, done=False)
    return perform_form(
        lambda: notices.unsubscribe(token),
        form=None,
        page=lambda error: (render_template("notifications/unsubscribe_view.html", error=error.message), 400),
        success=None,
        respond=lambda result: render_template(
            "notifications/unsubscribe_view.html", kind=result.kind, email=user.email, done=True, already=result.already
        ),
    )
