"""Organisation profiles, members and invitations; the officials' verification queue."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from consult.accounts import notifications, operations
from consult.accounts.forms import InviteForm, OrganisationForm, RejectOrganisationForm
from consult.accounts.models import Area, Membership, MembershipStatus, Organisation, OrganisationStatus
from consult.accounts.operations import (
    OrganisationData,
    answer_join_request,
    create_organisation,
    invite_member,
    read_invitation,
    remove_member,
    request_to_join,
    update_organisation,
)
from consult.accounts.permissions import (
    can_ask_to_join,
    can_create_organisation,
    can_edit_organisation,
    can_manage_members,
    can_verify_organisations,
    can_view_organisation,
)
from consult.accounts.queries import (
    ACTING_ORGANISATION_KEY,
    MAX_QUERY,
    acting_organisation,
    organisations_of,
    search_verified_organisations,
)
from consult.accounts.views import bp  # one blueprint per module
from consult.core import mail
from consult.core.actions import perform, perform_form
from consult.core.errors import ConsultError
from consult.core.forms import form_status
from consult.core.inputs import int_form
from consult.extensions import db


def _organisation_or_404(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    return organisation


def _area_choices() -> list[SelectChoice]:
    locale = str(get_locale())
    return [SelectChoice(a.id, a.name(locale)) for a in db.session.scalars(sa.select(Area).order_by(Area.number))]


def _organisation_data(form: OrganisationForm) -> OrganisationData:
    return OrganisationData(
        name=form.name.data or "",
        legal_form=form.legal_form.data or "",
        krs=form.krs.data or "",
        nip=form.nip.data or "",
        regon=form.regon.data or "",
        address=form.address.data or "",
        contact_email=form.contact_email.data or "",
        website=form.website.data or "",
        area_ids=form.areas.data or [],
    )


def _tell_representatives(organisation: Organisation) -> Organisation:
    mail.queue(*notifications.verification_result(organisation))
    return organisation


@bp.route("/my/organisations", methods=["GET", "POST"])
@login_required
def list_my_organisations():
    organisations = organisations_of(current_user)
    if request.method == "POST":
        chosen = int_form("organisation_id")
        if chosen not in {o.id for o in organisations}:
            abort(403)
        session[ACTING_ORGANISATION_KEY] = chosen
        flash(
            _("You now act on behalf of %(name)s.", name=next(o.name for o in organisations if o.id == chosen)),
            "success",
        )
        return redirect(url_for("accounts.list_my_organisations"))
    pending = [m for m in current_user.memberships if m.status == MembershipStatus.REQUESTED]
    return render_template(
        "organisations/my_organisations_view.html",
        organisations=organisations,
        acting=acting_organisation(current_user),
        pending=pending,
        can_create=can_create_organisation(current_user),
    )


@bp.get("/organisations")
def list_organisations():
    """Verified organisations, searchable by name or KRS (to find one to join)."""
    query = (request.args.get("q") or "")[:MAX_QUERY]
    organisations = search_verified_organisations(query)
    return render_template("organisations/list_view.html", organisations=organisations, query=query.strip())


@bp.route("/organisations/new", methods=["GET", "POST"])
@login_required
def new_organisation():
    if not can_create_organisation(current_user):
        abort(403)
    form = OrganisationForm()
    form.areas.choices = _area_choices()
    if not form.validate_on_submit():
        return _form_page(form, None, form_status(form))
    return perform_form(
        lambda: create_organisation(current_user, _organisation_data(form)),
        form=form,
        page=lambda error: _form_page(form, None, error.status_code),
        success=_("The profile has been saved. An official will verify it; until then you cannot comment."),
        after=_act_for,
        redirect_to=_organisation_url,
    )


def _form_page(form: OrganisationForm, organisation: Organisation | None, status: int):
    return render_template("organisations/organisation_form.html", form=form, organisation=organisation), status


def _act_for(organisation: Organisation) -> None:
    session[ACTING_ORGANISATION_KEY] = organisation.id


def _organisation_url(organisation: Organisation) -> str:
    return url_for("accounts.show_organisation", organisation_id=organisation.id)


@bp.get("/organisations/<int:organisation_id>")
def show_organisation(organisation_id: int):
    organisation = _organisation_or_404(organisation_id)
    if not can_view_organisation(current_user, organisation):
        abort(404)
    return render_template(
        "organisations/organisation_view.html",
        organisation=organisation,
        locale=str(get_locale()),
        can_edit=can_edit_organisation(current_user, organisation),
        can_manage=can_manage_members(current_user, organisation),
        can_join=can_ask_to_join(current_user, organisation),
    )


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@login_required
def edit_organisation(organisation_id: int):
    organisation = _organisation_or_404(organisation_id)
    if not can_edit_organisation(current_user, organisation):
        abort(403)
    form = OrganisationForm(obj=organisation)
    form.areas.choices = _area_choices()
    if request.method == "GET":
        form.areas.data = [a.id for a in organisation.areas]
    if not form.validate_on_submit():
        return _form_page(form, organisation, form_status(form))
    was_verified = organisation.is_verified
    return perform_form(
        lambda: update_organisation(organisation, current_user, _organisation_data(form)),
        form=form,
        page=lambda error: _form_page(form, organisation, error.status_code),
        success=_("The profile has been saved."),
        after=lambda _result: _warn_if_unverified(organisation, was_verified),
        redirect_to=_organisation_url(organisation),
    )


def _warn_if_unverified(organisation: Organisation, was_verified: bool) -> None:
    if was_verified and not organisation.is_verified:
        flash(_("You changed the name or a register number, so an official will verify the profile again."), "warning")


def _members_page(organisation: Organisation, form: InviteForm, status: int = 200):
    by_status = {s: [m for m in organisation.memberships if m.status == s] for s in MembershipStatus}
    return render_template(
        "organisations/members_view.html",
        organisation=organisation,
        form=form,
        members=by_status[MembershipStatus.ACTIVE],
        invited=by_status[MembershipStatus.INVITED],
        requests=by_status[MembershipStatus.REQUESTED],
    ), status


@bp.route("/organisations/<int:organisation_id>/members", methods=["GET", "POST"])
@login_required
def manage_members(organisation_id: int):
    organisation = _organisation_or_404(organisation_id)
    if not can_manage_members(current_user, organisation):
        abort(403)
    form = InviteForm()
    if not form.validate_on_submit():
        return _members_page(organisation, form, form_status(form))
    return perform_form(
        lambda: _invite(organisation, form.email.data),
        form=form,
        page=lambda error: _members_page(organisation, form, error.status_code),
        success=lambda invited: _("An invitation has been sent to %(email)s.", email=invited[0].invited_email),
        redirect_to=url_for("accounts.manage_members", organisation_id=organisation.id),
    )


def _invite(organisation: Organisation, email: str) -> tuple[Membership, str]:
    membership, token = invite_member(current_user, organisation, email)
    mail.queue(notifications.invitation(membership.invited_email, organisation.name, current_user.display_name, token))
    return membership, token


def _membership_of(organisation: Organisation, membership_id: int) -> Membership:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.organisation_id != organisation.id:
        abort(404)
    return membership


@bp.post("/organisations/<int:organisation_id>/members/<int:membership_id>/<action>")
@login_required
def change_membership(organisation_id: int, membership_id: int, action: str):
    organisation = _organisation_or_404(organisation_id)
    if not can_manage_members(current_user, organisation):
        abort(403)
    membership = _membership_of(organisation, membership_id)
    operations = {
        "accept": (lambda: answer_join_request(current_user, membership, True), _("The request has been accepted.")),
        "decline": (lambda: answer_join_request(current_user, membership, False), _("The request has been declined.")),
        "remove": (
            lambda: remove_member(current_user, membership),
            _("The person no longer represents the organisation."),
        ),
    }
    if action not in operations:
        abort(404)
    operation, message = operations[action]
    perform(operation, message)
    if membership.user_id == current_user.id and action == "remove":
        return redirect(url_for("accounts.list_my_organisations"))
    return redirect(url_for("accounts.manage_members", organisation_id=organisation.id))


@bp.post("/organisations/<int:organisation_id>/join")
@login_required
def join_organisation(organisation_id: int):
    organisation = _organisation_or_404(organisation_id)
    if not can_ask_to_join(current_user, organisation):
        abort(403)
    perform(
        lambda: request_to_join(current_user, organisation),
        _("Your request has been sent to the representatives of %(name)s.", name=organisation.name),
    )
    return redirect(url_for("accounts.show_organisation", organisation_id=organisation.id))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    try:
        membership = read_invitation(token)
    except ConsultError as error:
        return render_template(
            "accounts/message_view.html", title=_("Invitation"), message=error.message
        ), error.status_code
    if request.method == "GET":
        return render_template("organisations/invitation_view.html", membership=membership, token=token)
    if not current_user.is_authenticated:
        abort(403)
    if perform(
        lambda: operations.accept_invitation(current_user, token),
        _("You now represent %(name)s.", name=membership.organisation.name),
        after=lambda _result: _act_for(membership.organisation),
    ):
        return redirect(url_for("accounts.list_my_organisations"))
    return redirect(url_for("accounts.accept_invitation", token=token))


@bp.get("/manage/organisations")
@login_required
def show_verification_queue():
    if not can_verify_organisations(current_user):
        abort(403)
    wanted = request.args.get("status", OrganisationStatus.PENDING.value)
    if wanted not in {s.value for s in OrganisationStatus}:
        wanted = OrganisationStatus.PENDING.value
    organisations = db.session.scalars(
        sa.select(Organisation)
        .where(Organisation.status == OrganisationStatus(wanted))
        .order_by(Organisation.created_at)
    ).all()
    return render_template(
        "organisations/verification_queue.html",
        organisations=organisations,
        wanted=wanted,
        statuses=list(OrganisationStatus),
    )


@bp.post("/manage/organisations/<int:organisation_id>/verify")
@login_required
def verify_organisation(organisation_id: int):
    organisation = _organisation_or_404(organisation_id)
    if not can_verify_organisations(current_user):
        abort(403)
    perform(
        lambda: _tell_representatives(operations.verify_organisation(current_user, organisation)),
        _("%(name)s is verified.", name=organisation.name),
    )
    return redirect(url_for("accounts.show_verification_queue"))


@bp.post("/manage/organisations/<int:organisation_id>/reject")
@login_required
def reject_organisation(organisation_id: int):
    organisation = _organisation_or_404(organisation_id)
    if not can_verify_organisations(current_user):
        abort(403)
    form = RejectOrganisationForm()
    if not form.validate_on_submit():
        for message in [m for errors in form.errors.values() for m in errors][:1]:
            flash(message, "error")
        return redirect(url_for("accounts.show_verification_queue"))
    perform(
        lambda: _tell_representatives(operations.reject_organisation(current_user, organisation, form.reason.data)),
        _("%(name)s was not verified; the representatives have been told why.", name=organisation.name),
    )
    return redirect(url_for("accounts.show_verification_queue"))
