"""Draft versions: reading one (public), importing, previewing, publishing and discarding (officials)."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.consultations.models import Consultation, ConsultationState
from consult.consultations.queries import consultation_or_404, visible_consultation_or_404
from consult.core.actions import perform, perform_form
from consult.core.forms import form_status
from consult.core.time import utcnow
from consult.drafts import notifications as draft_notices
from consult.drafts.forms import ImportDraftForm
from consult.drafts.importers import parse_file
from consult.drafts.operations import discard_version, import_draft, publish_version
from consult.drafts.permissions import can_import_draft, can_publish_version, can_view_version
from consult.drafts.queries import current_version, get_version, load_document
from consult.notifications.operations import send_notices

bp = Blueprint("drafts", __name__)


@bp.get("/consultations/<slug>/versions/<int:number>")
def show_version(slug: str, number: int):
    consultation = visible_consultation_or_404(slug, current_user)
    version = get_version(consultation.id, number)
    if version is None or not can_view_version(current_user, version):
        abort(404)
    current = current_version(consultation.id)
    document = load_document(version)
    return render_template(
        "consultations/consultation_view.html",
        consultation=consultation,
        document=document,
        now=utcnow(),
        is_current=current is not None and current.id == version.id,
    )


# --- officials -----------------------------------------------------------------------------


@bp.route("/manage/consultations/<slug>/import", methods=["GET", "POST"])
def import_version(slug: str):
    consultation = consultation_or_404(slug)
    if not can_import_draft(current_user, consultation):
        abort(403)
    form = ImportDraftForm()
    if not form.validate_on_submit():
        return _import_page(form, consultation, form_status(form))
    upload = form.file.data
    return perform_form(
        lambda: import_draft(
            consultation,
            parse_file(upload.filename or "", upload.read()),
            current_user,
            source_filename=upload.filename,
            title=form.title.data or None,
        ),
        form=form,
        error_field="file",
        page=lambda error: _import_page(form, consultation, error.status_code),
        success=lambda version: _(
            "The draft was imported as version %(number)d. Check the preview, then publish it.", number=version.number
        ),
        redirect_to=lambda version: url_for("drafts.preview_version", slug=slug, number=version.number),
    )


def _import_page(form: ImportDraftForm, consultation: Consultation, status: int):
    return render_template("drafts/import_form.html", form=form, consultation=consultation), status


def _version_or_404(consultation: Consultation, number: int):
    version = get_version(consultation.id, number)
    if version is None:
        abort(404)
    return version


@bp.get("/manage/consultations/<slug>/versions/<int:number>")
def preview_version(slug: str, number: int):
    consultation = consultation_or_404(slug)
    version = _version_or_404(consultation, number)
    return render_template(
        "drafts/version_preview.html",
        consultation=consultation,
        version=version,
        document=load_document(version),
    )


def _publish_and_tell(version):
    """A later version of a public consultation is news for the organisations that commented."""
    publish_version(version, current_user)
    if version.number > 1 and version.consultation.state == ConsultationState.PUBLISHED:
        send_notices(draft_notices.new_version(version))
    return version


@bp.post("/manage/consultations/<slug>/versions/<int:number>/publish")
def publish_draft_version(slug: str, number: int):
    consultation = consultation_or_404(slug)
    version = _version_or_404(consultation, number)
    if not can_publish_version(current_user, version):
        abort(403)
    perform(lambda: _publish_and_tell(version), _("Version %(number)d is published.", number=number))
    return redirect(url_for("consultations.manage_consultation", slug=slug))


@bp.post("/manage/consultations/<slug>/versions/<int:number>/discard")
def discard_draft_version(slug: str, number: int):
    consultation = consultation_or_404(slug)
    version = _version_or_404(consultation, number)
    if not can_publish_version(current_user, version):
        abort(403)
    perform(lambda: discard_version(version, current_user), _("Version %(number)d was discarded.", number=number))
    return redirect(url_for("consultations.manage_consultation", slug=slug))
