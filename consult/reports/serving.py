"""Answering a request for a report file: the stored file, or its build started and a page that
waits for it (or says it failed). Shared by the report's pages and the open-data API (which may
not import views)."""

import gzip
import io
import json

from flask import current_app, render_template, request, send_file, url_for

from consult.consultations.models import Consultation
from consult.extensions import db
from consult.reports import jobs
from consult.reports.formats import REPORT_FORMATS, report_format
from consult.reports.models import ExportStatus, PublishedReport
from consult.reports.operations import request_export
from consult.reports.queries import export_of


def download_name(consultation: Consultation, report: PublishedReport, fmt: str) -> str:
    return f"raport-{consultation.slug}-v{report.number}.{report_format(fmt).extension}"


def small(report: PublishedReport) -> bool:
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
            jobs.start(report, fmt, at_once=not file_format.background or small(report))
    elif jobs.give_up_if_stale(export):
        db.session.commit()
        current_app.logger.error("Building %s of report %s stopped without finishing", fmt, report.id)
    db.session.expire_all()
    export = export_of(report.id, fmt, with_content=True)
    assert export is not None  # requested above, in this request, if it was not there
    if export.status != ExportStatus.DONE:
        return _export_page(consultation, report, export, file_format)
    assert export.content is not None  # a finished file has its bytes
    content, etag = export.content, f"{report.sha256[:32]}-{fmt}"
    # Compressed here, not by Flask-Compress, which leaves files (send_file) alone.
    gzipped = file_format.compressible and request.accept_encodings["gzip"] > 0
    if gzipped:
        content, etag = gzip.compress(content, compresslevel=6, mtime=0), etag + "-gzip"
    response = send_file(
        io.BytesIO(content),
        mimetype=file_format.mimetype,
        as_attachment=file_format.attachment,
        download_name=download_name(consultation, report, fmt),
        etag=etag,
        conditional=True,
        max_age=300,
    )
    if file_format.compressible:
        response.vary.add("Accept-Encoding")
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
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


def current_export(report: PublishedReport, fmt: str):
    """The file's row, recorded as failed first when its build stopped beating: the page that
    polls a dead build learns that it failed."""
    export = export_of(report.id, fmt)
    if export is not None and jobs.give_up_if_stale(export):
        db.session.commit()
        db.session.expire_all()
        export = export_of(report.id, fmt)
    return export
