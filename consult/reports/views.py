"""Public pages of a published report and its six files."""

import io
import json

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.consultations.models import Consultation
from consult.consultations.queries import consultation_or_404
from consult.core.actions import perform
from consult.extensions import db
from consult.reports import jobs, operations
from consult.reports.builder import report_from_json
from consult.reports.formats import FORMAT_NAMES, REPORT_FORMATS, report_format
from consult.reports.labels import FILTERS, group_label
from consult.reports.models import ExportStatus, PublishedReport
from consult.reports.operations import request_export
from consult.reports.permissions import can_retry_export, can_view_report
from consult.reports.presentation import report_context
from consult.reports.queries import export_of, published_report, published_reports

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


def download_name(consultation: Consultation, report: PublishedReport, fmt: str) -> str:
    return f"raport-{consultation.slug}-v{report.number}.{report_format(fmt).extension}"


def _small(report: PublishedReport) -> bool:
    """Few enough rows to build while the visitor waits for the response."""
    rows = json.loads(report.data)["course"]["listed_comment_count"]
    return rows <= current_app.config.get("REPORT_INLINE_MAX_ROWS", 300)


def serve_report_file(consultation: Consultation, report: PublishedReport, fmt: str):
    """The stored file, built first if needed: at once when small, else in the background.

    A failed file (or one whose build stopped beating) is not built again by asking for
    it: the visitor is told it is not available, the team sees why and starts it again.
    """
    file_format = report_format(fmt)
    export = export_of(report.id, fmt)
    if export is None:
        export, queued = request_export(report, fmt)
        db.session.commit()
        if queued:
            jobs.start(report, fmt, at_once=not file_format.background or _small(report))
    elif jobs.give_up_if_stale(export):
        db.session.commit()
        current_app.logger.error("Building %s of report %s stopped without finishing", fmt, report.id)
    db.session.expire_all()
    export = export_of(report.id, fmt, with_content=True)
    if export.status != ExportStatus.DONE:
        return _export_page(consultation, report, export, file_format)
    response = send_file(
        io.BytesIO(export.content),
        mimetype=file_format.mimetype,
        as_attachment=file_format.attachment,
        download_name=download_name(consultation, report, fmt),
        etag=f"{report.sha256[:32]}-{fmt}",
        conditional=True,
        max_age=300,
    )
    return response


def _export_page(consultation: Consultation, report: PublishedReport, export, file_format):
    """202 while the file is made (the page follows its progress), 503 once it failed."""
    failed = export.status == ExportStatus.FAILED
    fmt = file_format.name
    return render_template(
        "reports/export_pending.html",
        consultation=consultation,
        published=report,
        export=export,
        failed=failed,
        file_format=file_format,
        other_formats=[f for f in REPORT_FORMATS if f.name != fmt],
        status_url=url_for("reports.show_export_status", slug=consultation.slug, number=report.number, fmt=fmt),
        file_url=url_for("reports.download_report_version", slug=consultation.slug, number=report.number, fmt=fmt),
        retry_url=url_for("reports.retry_export", slug=consultation.slug, number=report.number, fmt=fmt),
    ), (503 if failed else 202)


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
    export = export_of(report.id, fmt)
    if export is None:
        abort(404)
    if jobs.give_up_if_stale(export):  # the page polling a dead build learns it failed
        db.session.commit()
        db.session.expire_all()
        export = export_of(report.id, fmt)
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
        after=lambda _export: jobs.start(report, fmt, at_once=not report_format(fmt).background or _small(report)),
    )
    return redirect(url_for("reports.download_report_version", slug=slug, number=number, fmt=fmt))


@bp.cli.command("worker")
def worker_command():
    """The same as `flask --app wsgi jobs worker` (kept for existing deployments)."""
    from consult.cli import run_jobs_worker

    run_jobs_worker(current_app)
