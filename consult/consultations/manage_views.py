"""Officials' side: consultations, their dates and their draft versions."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from consult.accounts.models import Area
from consult.consultations.forms import ConsultationForm, ExtendForm, ReasonForm
from consult.consultations.models import Consultation, ModerationMode, Participation
from consult.consultations.operations import (
    ConsultationData,
    close_early,
    create_consultation,
    extend_consultation,
    short_duration_warning,
    update_consultation,
)
from consult.consultations.operations import (
    publish_consultation as publish,
)
from consult.consultations.permissions import (
    can_change_deadline,
    can_create_consultation,
    can_edit_consultation,
    can_manage_consultations,
    can_publish_consultation,
)
from consult.consultations.queries import all_consultations, consultation_or_404
from consult.consultations.views import bp  # one blueprint per module: public and /manage pages
from consult.core.actions import perform, perform_form
from consult.core.forms import form_status
from consult.core.time import utcnow
from consult.extensions import db, login_manager


@bp.before_app_request
def require_official():
    """Every page under /manage is for officials, whichever module serves it."""
    if request.path != "/manage" and not request.path.startswith("/manage/"):
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not can_manage_consultations(current_user):
        abort(403)
    return None


def _area_choices() -> list[SelectChoice]:
    locale = str(get_locale())
    return [
        SelectChoice(a.id, f"{a.number}. {a.name(locale)}")
        for a in db.session.scalars(sa.select(Area).order_by(Area.number))
    ]


def _form_data(form: ConsultationForm) -> ConsultationData:
    return ConsultationData(
        slug=form.slug.data.strip(),
        title=form.title.data,
        summary=form.summary.data or "",
        organiser=form.organiser.data or "",
        legal_basis=form.legal_basis.data or "",
        opens_at=form.opens_at.data,
        closes_at=form.closes_at.data,
        participation=Participation(form.participation.data),
        moderation_mode=ModerationMode(form.moderation_mode.data),
        receipt_prefix=form.receipt_prefix.data.strip(),
        area_ids=form.areas.data or [],
    )


def _flash_duration_warning(consultation: Consultation) -> None:
    warning = short_duration_warning(consultation.opens_at, consultation.closes_at)
    if warning:
        flash(warning, "warning")


@bp.get("/manage/")
def show_dashboard():
    return render_template("manage/dashboard_view.html", consultations=all_consultations(), now=utcnow())


def _form_page(form, consultation, status: int = 200):
    return render_template("manage/consultation_form.html", form=form, consultation=consultation), status


@bp.route("/manage/consultations/new", methods=["GET", "POST"])
def new_consultation():
    if not can_create_consultation(current_user):
        abort(403)
    form = ConsultationForm()
    form.areas.choices = _area_choices()
    if not form.validate_on_submit():
        return _form_page(form, None, form_status(form))
    return perform_form(
        lambda: create_consultation(current_user, _form_data(form)),
        form=form,
        page=lambda error: _form_page(form, None, error.status_code),
        success=_("The consultation was created. Now import its draft."),
        after=_flash_duration_warning,
        redirect_to=_manage_url,
    )


def _manage_url(consultation: Consultation) -> str:
    return url_for("consultations.manage_consultation", slug=consultation.slug)


@bp.route("/manage/consultations/<slug>/edit", methods=["GET", "POST"])
def edit_consultation(slug: str):
    consultation = consultation_or_404(slug)
    if not can_edit_consultation(current_user, consultation):
        abort(403)
    form = ConsultationForm(obj=consultation)
    form.areas.choices = _area_choices()
    if request.method == "GET":
        form.areas.data = [a.id for a in consultation.areas]
        form.participation.data = consultation.participation.value
        form.moderation_mode.data = consultation.moderation_mode.value
    if not form.validate_on_submit():
        return _form_page(form, consultation, form_status(form))
    return perform_form(
        lambda: update_consultation(consultation, current_user, _form_data(form)),
        form=form,
        page=lambda error: _form_page(form, consultation, error.status_code),
        success=_("The changes were saved."),
        after=lambda _result: _flash_duration_warning(consultation),
        redirect_to=lambda _result: _manage_url(consultation),
    )


@bp.get("/manage/consultations/<slug>")
def manage_consultation(slug: str):
    return _manage_page(consultation_or_404(slug))


def _manage_page(consultation: Consultation, status: int = 200, **forms):
    """The consultation's page for officials; a deadline form that came back wrong is shown with its mistakes."""
    return render_template(
        "manage/consultation_view.html",
        consultation=consultation,
        now=utcnow(),
        close_form=forms.get("close_form") or ReasonForm(prefix="close"),
        extend_form=forms.get("extend_form") or ExtendForm(prefix="extend"),
        duration_warning=short_duration_warning(consultation.opens_at, consultation.closes_at),
    ), status


@bp.post("/manage/consultations/<slug>/publish")
def publish_consultation(slug: str):
    consultation = consultation_or_404(slug)
    if not can_publish_consultation(current_user, consultation):
        abort(403)
    perform(
        lambda: publish(consultation, current_user),  # the modules above announce it (a hook)
        _("The consultation is published; the organisations are being told."),
    )
    return redirect(url_for("consultations.manage_consultation", slug=slug))


def _deadline_action(slug: str, allowed, name: str, form, action, success_message: str):
    """Close early and extend share their shape: a reason, one operation, a flash. A form with
    mistakes comes back on the page, each mistake by its field (and in the error summary)."""
    consultation = consultation_or_404(slug)
    if not allowed(current_user, consultation):
        abort(403)
    shown = {name: form}
    if not form.validate_on_submit():
        return _manage_page(consultation, 422, **shown)
    return perform_form(
        lambda: action(consultation, form),
        form=form,
        page=lambda error: _manage_page(consultation, error.status_code, **shown),
        success=success_message,
        redirect_to=url_for("consultations.manage_consultation", slug=slug),
    )


@bp.post("/manage/consultations/<slug>/close")
def close_consultation(slug: str):
    return _deadline_action(
        slug,
        can_change_deadline,  # whether it is still open is the operation's check, with a message
        "close_form",
        ReasonForm(prefix="close"),
        lambda consultation, form: close_early(consultation, current_user, form.reason.data),
        _("The consultation is closed."),
    )


@bp.post("/manage/consultations/<slug>/extend")
def extend_deadline(slug: str):
    return _deadline_action(
        slug,
        can_change_deadline,
        "extend_form",
        ExtendForm(prefix="extend"),
        lambda consultation, form: extend_consultation(
            consultation, current_user, form.closes_at.data, form.reason.data
        ),
        _("The closing time was moved."),
    )
