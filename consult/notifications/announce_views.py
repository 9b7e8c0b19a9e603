"""Announcing a consultation (officials): before publishing, who will be told and addresses of
unregistered organisations to invite; after, inviting more. The consultation's management page
links here; publishing from there announces through the ``CONSULTATION_PUBLISHED`` hook."""

from functools import partial

from flask import abort, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from consult.consultations.models import Consultation, ConsultationState
from consult.consultations.operations import short_duration_warning
from consult.consultations.permissions import can_edit_consultation
from consult.consultations.queries import consultation_or_404
from consult.core.actions import perform_form
from consult.notifications import operations
from consult.notifications.forms import InviteForm
from consult.notifications.queries import interested_members, interested_organisations, invitations_of
from consult.notifications.views import bp


@bp.route("/manage/consultations/<slug>/announce", methods=["GET", "POST"])
def announce_consultation(slug: str):
    """Before publishing: who will be told, and addresses to invite; after: invite more."""
    consultation = consultation_or_404(slug)
    if not can_edit_consultation(current_user, consultation):
        abort(403)
    form = InviteForm()
    published = consultation.state == ConsultationState.PUBLISHED
    duration_warning = None if published else short_duration_warning(consultation.opens_at, consultation.closes_at)
    if not (duration_warning and current_user.is_admin):
        del form.short_reason
    page = partial(_announce_page, consultation, form, published, duration_warning)
    if not form.validate_on_submit():
        return page(422 if form.is_submitted() else 200)
    return perform_form(
        lambda: _announce_or_invite(consultation, form, published),
        form=form,
        page=lambda _error: page(422),  # the form is refused as it stands (even a refusal for the role)
        success=_("The invitations are being sent.")
        if published
        else _("The consultation is published; the organisations are being told."),
        redirect_to=url_for("consultations.manage_consultation", slug=slug),
    )


def _announce_or_invite(consultation: Consultation, form: InviteForm, published: bool):
    addresses = form.addresses.data or ""
    if published:
        return operations.invite_more(current_user, consultation, addresses)
    reason = form.short_reason.data if "short_reason" in form else ""
    return operations.publish_and_announce(current_user, consultation, addresses, reason)


def _announce_page(consultation: Consultation, form: InviteForm, published: bool, duration_warning, status: int):
    organisations = interested_organisations(consultation)
    return render_template(
        "notifications/announce_form.html",
        consultation=consultation,
        form=form,
        published=published,
        duration_warning=duration_warning,
        organisations=organisations,
        people_count=len(interested_members(consultation)),
        invitations=invitations_of(consultation),
        summary=ngettext(
            "%(num)d organisation will be told",
            "%(num)d organisations will be told",
            len(organisations),
        ),
    ), status
