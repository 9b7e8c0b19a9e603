"""Officials' side: the report builder (texts, preview, warnings) and publication."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.consultations.models import Consultation
from consult.consultations.queries import consultation_or_404
from consult.core.errors import ConsultError
from consult.core.forms import show_error_on_form
from consult.core.time import utcnow
from consult.extensions import db
from consult.reports import builder, operations
from consult.reports.builder import publication_warnings
from consult.reports.forms import PublishReportForm, ReportDraftForm
from consult.reports.operations import save_report_draft
from consult.reports.permissions import can_build_report, can_publish_report
from consult.reports.presentation import report_context
from consult.reports.queries import load_report_source, published_reports, report_draft_of
from consult.reports.views import bp  # one blueprint per module


def _builder_page(consultation: Consultation, form: ReportDraftForm, status: int = 200):
    source = load_report_source(consultation)
    draft = report_draft_of(consultation.id)
    versions = published_reports(consultation.id)
    preview = builder.build_report(source, number=(versions[0].number + 1) if versions else 1, published_at=utcnow())
    return render_template(
        "reports/builder_view.html",
        consultation=consultation,
        form=form,
        publish_form=PublishReportForm(draft_version=draft.row_version if draft else 0),
        warnings=publication_warnings(source),
        versions=versions,
        can_publish=can_publish_report(current_user, consultation),
        heading_base=3,
        **report_context(preview, preview=True),
    ), status


@bp.route("/manage/consultations/<slug>/report", methods=["GET", "POST"])
def build_report(slug: str):
    consultation = consultation_or_404(slug)
    if not can_build_report(current_user, consultation):
        abort(403)
    draft = report_draft_of(consultation.id)
    form = ReportDraftForm(obj=draft)
    if not form.is_submitted() and draft is None:
        form.row_version.data = 0
    if not form.validate_on_submit():
        return _builder_page(consultation, form, 422 if form.is_submitted() else 200)
    try:
        save_report_draft(
            consultation, current_user, form.introduction.data, form.conclusion.data, form.row_version.data
        )
    except ConsultError as error:
        db.session.rollback()
        show_error_on_form(form, error)
        return _builder_page(consultation, form, error.status_code)
    db.session.commit()
    flash(_("The texts of the report were saved. Check the preview below."), "success")
    return redirect(url_for("reports.build_report", slug=slug))


@bp.post("/manage/consultations/<slug>/report/publish")
def publish_report(slug: str):
    consultation = consultation_or_404(slug)
    if not can_publish_report(current_user, consultation):
        abort(403)
    form = PublishReportForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        draft_version = int(form.draft_version.data or 0)
    except ValueError:
        abort(400)
    try:
        published = operations.publish_report(consultation, current_user, draft_version=draft_version)
    except ConsultError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("reports.build_report", slug=slug))
    db.session.commit()
    flash(_("Version %(number)d of the report is published.", number=published.number), "success")
    return redirect(url_for("reports.show_report_version", slug=slug, number=published.number))
