"""Officials' side: the report builder (texts, preview, warnings) and publication."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.consultations.models import Consultation
from consult.consultations.queries import consultation_or_404
from consult.core.actions import perform_form
from consult.core.errors import ConsultError
from consult.core.forms import form_status
from consult.core.inputs import bounded_int
from consult.core.time import utcnow
from consult.reports import builder, operations
from consult.reports.builder import publication_warnings
from consult.reports.forms import PublishReportForm, ReportDraftForm
from consult.reports.operations import DEFAULT_CLOSING_LINE, FILING_LIMITS, FilingData, save_report_draft
from consult.reports.permissions import can_build_report, can_publish_report, can_view_report_builder
from consult.reports.presentation import report_context
from consult.reports.queries import failed_exports, load_report_source, published_reports, report_draft_of
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
        failed_files=failed_exports(consultation.id) if versions else [],
        heading_base=3,
        **report_context(preview, preview=True),
    ), status


@bp.route("/manage/consultations/<slug>/report", methods=["GET", "POST"])
def build_report(slug: str):
    consultation = consultation_or_404(slug)
    if not can_view_report_builder(current_user, consultation):
        abort(403)
    draft = report_draft_of(consultation.id)
    form = ReportDraftForm(obj=draft)
    if not form.is_submitted() and draft is None:
        form.row_version.data = 0
        form.organiser_unit.data = consultation.organiser
        form.closing_line.data = DEFAULT_CLOSING_LINE
    if form.is_submitted() and not can_build_report(current_user, consultation):
        abort(403)
    if not form.validate_on_submit():
        return _builder_page(consultation, form, form_status(form))
    return perform_form(
        lambda: _save_texts(consultation, form),
        form=form,
        page=lambda error: _builder_page(consultation, form, error.status_code),
        success=_("The texts of the report were saved. Check the preview below."),
        redirect_to=url_for("reports.build_report", slug=slug),
    )


def _save_texts(consultation: Consultation, form: ReportDraftForm):
    data = form.introduction.data, form.conclusion.data, form.row_version.data, _filing_data(form)
    return save_report_draft(consultation, current_user, *data)


def _filing_data(form: ReportDraftForm) -> FilingData:
    return FilingData(**{name: form[name].data or "" for name in FILING_LIMITS}, approved_on=form.approved_on.data)


@bp.post("/manage/consultations/<slug>/report/publish")
def publish_report(slug: str):
    consultation = consultation_or_404(slug)
    if not can_publish_report(current_user, consultation):
        abort(403)
    form = PublishReportForm()
    draft_version = bounded_int(str(form.draft_version.data or ""), minimum=0)
    if not form.validate_on_submit() or draft_version is None:
        abort(
            400,
            description=_(
                "The report could not be published: the page did not say which draft it shows (it may be "
                "old or altered). Open the report page again, check the draft and publish it from there."
            ),
        )
    return perform_form(
        lambda: operations.publish_report(consultation, current_user, draft_version=draft_version),
        form=None,
        page=lambda error: _back_to_builder(slug, error),
        success=lambda report: _("Version %(number)d of the report is published.", number=report.number),
        redirect_to=lambda report: url_for("reports.show_report_version", slug=slug, number=report.number),
    )


def _back_to_builder(slug: str, error: ConsultError):
    flash(error.message, "error")
    return redirect(url_for("reports.build_report", slug=slug))
