"""Answering a request for a report file: the stored file, or its build started and a page that
waits for it. Shared by the report's pages and the open-data API (which may not import views)."""

import io
import json

import sqlalchemy as sa
from flask import current_app, render_template, send_file, url_for

from consult.consultations.models import Consultation
from consult.extensions import db
from consult.reports import jobs
from consult.reports.formats import report_format
from consult.reports.models import ExportStatus, PublishedReport
from consult.reports.operations import request_export
from consult.reports.queries import export_of


def download_name(consultation: Consultation, report: PublishedReport, fmt: str) -> str:
    return f"raport-{consultation.slug}-v{report.number}.{report_format(fmt).extension}"


def _small(report: PublishedReport) -> bool:
    """Few enough rows to build while the visitor waits for the response."""
    rows = json.loads(report.data)["course"]["listed_comment_count"]
    return rows <= current_app.config.get("REPORT_INLINE_MAX_ROWS", 300)


def serve_report_file(consultation: Consultation, report: PublishedReport, fmt: str):
    """The stored file, built first if needed: at once when small, else in the background."""
    file_format = report_format(fmt)
    export = export_of(report.id, fmt)
    if export is None or export.status == ExportStatus.FAILED or jobs.is_stale(export):
        try:
            request_export(report, fmt)
            db.session.commit()
        except sa.exc.IntegrityError:  # someone asked for the same file at the same moment
            db.session.rollback()
        else:
            if not file_format.background or _small(report):
                jobs.build_export(report.id, fmt)
            else:
                jobs.enqueue(report.id, fmt)
        db.session.expire_all()
    export = export_of(report.id, fmt, with_content=True)
    if export.status != ExportStatus.DONE:
        status = 503 if export.status == ExportStatus.FAILED else 202
        return render_template(
            "reports/export_pending.html",
            consultation=consultation,
            published=report,
            export=export,
            file_format=file_format,
            status_url=url_for("reports.show_export_status", slug=consultation.slug, number=report.number, fmt=fmt),
            file_url=url_for("reports.download_report_version", slug=consultation.slug, number=report.number, fmt=fmt),
        ), status
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
