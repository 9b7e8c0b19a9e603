"""Public pages of a published report and its six files."""

from flask import Blueprint, abort, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.consultations.models import Consultation
from consult.consultations.queries import consultation_or_404
from consult.core.actions import perform
from consult.reports import jobs, operations
from consult.reports.builder import report_from_json
from consult.reports.formats import FORMAT_NAMES, REPORT_FORMATS, report_format
from consult.reports.labels import FILTERS, group_label
from consult.reports.models import PublishedReport
from consult.reports.permissions import can_retry_export, can_view_report
from consult.reports.presentation import report_context
from consult.reports.queries import published_report, published_reports
from consult.reports.serving import current_export, serve_report_file, small

bp = Blueprint("reports", __name__)
FMT = "any(" + ",".join(FORMAT_NAMES) + "):fmt"


@bp.record_once
def _register_filters(state) -> None:
    for name, function in FILTERS.items():
        state.app.add_template_filter(function, name)
    state.app.add_template_filter(group_label, "group_label")


def _consultation_or_404(slug: str) -> Consultation:
    consultation = consultation_or_404(slug)
    if not can_view_report(current_user, consultation):
        abort(404)
    return consultation


def _report_or_404(consultation: Consultation, number: int | None) -> PublishedReport:
    report = published_report(consultation.id, number)
    if report is None:
        abort(404)
    return report


def _page(consultation: Consultation, report: PublishedReport):
    versions = published_reports(consultation.id)
    return render_template(
        "reports/report_view.html",
        consultation=consultation,
        published=report,
        versions=versions,
        is_newest=versions[0].id == report.id,
        formats=REPORT_FORMATS,
        **report_context(report_from_json(report.data), sha256=report.sha256),
    )


@bp.get("/consultations/<slug>/report")
def show_report(slug: str):
    consultation = _consultation_or_404(slug)
    return _page(consultation, _report_or_404(consultation, None))


@bp.get("/consultations/<slug>/report/v<int:number>")
def show_report_version(slug: str, number: int):
    consultation = _consultation_or_404(slug)
    return _page(consultation, _report_or_404(consultation, number))


@bp.get(f"/consultations/<slug>/report.<{FMT}>")
def download_report(slug: str, fmt: str):
    consultation = _consultation_or_404(slug)
    return serve_report_file(consultation, _report_or_404(consultation, None), fmt)


@bp.get(f"/consultations/<slug>/report/v<int:number>.<{FMT}>")
def download_report_version(slug: str, number: int, fmt: str):
    consultation = _consultation_or_404(slug)
    return serve_report_file(consultation, _report_or_404(consultation, number), fmt)


@bp.get(f"/consultations/<slug>/report/v<int:number>.<{FMT}>/status")
def show_export_status(slug: str, number: int, fmt: str):
    consultation = _consultation_or_404(slug)
    report = _report_or_404(consultation, number)
    export = current_export(report, fmt)
    if export is None:
        abort(404)
    return jsonify(
        status=export.status.value,
        progress=export.progress,
        url=url_for("reports.download_report_version", slug=slug, number=number, fmt=fmt),
    )


@bp.post(f"/consultations/<slug>/report/v<int:number>.<{FMT}>/retry")
def retry_export(slug: str, number: int, fmt: str):
    consultation = _consultation_or_404(slug)
    report = _report_or_404(consultation, number)
    if not can_retry_export(current_user, consultation):
        abort(403)
    perform(
        lambda: operations.retry_export(current_user, report, fmt),
        _("The file is being prepared again."),
        after=lambda _export: jobs.start(report, fmt, at_once=not report_format(fmt).background or small(report)),
    )
    return redirect(url_for("reports.download_report_version", slug=slug, number=number, fmt=fmt))
