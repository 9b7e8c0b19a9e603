"""Building report files in the background, once per report version and format.

:func:`build_export` is the job: it renders one format of one published version
from its snapshot and stores the bytes in ``ReportExport`` with its progress as it
goes, in an app context (and so a database session) of its own. Where it runs:

* ``REDIS_URL`` set: an RQ queue (``flask --app wsgi jobs worker`` runs a worker);
* under ``TESTING``: at once, in the calling thread (still in its own session);
* otherwise: a small in-process thread pool, so a developer needs nothing else.

The queue itself is :mod:`consult.core.jobs`, shared with the mail outbox;
``REPORT_JOBS`` forces a mode for report files only.
"""

import io
import traceback
from concurrent.futures import Future
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale

from consult.core import jobs
from consult.core.time import utcnow
from consult.extensions import db
from consult.reports.builder import report_from_json
from consult.reports.formats import report_format
from consult.reports.models import ExportStatus, PublishedReport, ReportExport

QUEUE_NAME = jobs.REPORTS_QUEUE
STALE_AFTER = timedelta(minutes=30)  # a job that has said nothing for this long is started again


def build_export(report_id: int, fmt: str) -> None:
    """Render one file and store it; safe to call again for a file already done."""
    app = jobs.job_app()
    with app.app_context():  # a fresh context: this job's own session, whoever called it
        try:
            _build(report_id, fmt)
        finally:
            db.session.remove()


def _build(report_id: int, fmt: str) -> None:
    export = db.session.scalars(
        sa.select(ReportExport).where(ReportExport.report_id == report_id, ReportExport.format == fmt)
    ).first()
    if export is None or export.status == ExportStatus.DONE:
        return
    report_row = db.session.get(PublishedReport, report_id)
    export.status, export.progress, export.error = ExportStatus.RUNNING, 1, None
    export.created_at = utcnow()  # "last sign of life", read by is_stale()
    db.session.commit()
    export_id = export.id

    def progress(percent: int) -> None:
        db.session.execute(
            sa.update(ReportExport)
            .where(ReportExport.id == export_id)
            .values(progress=min(max(percent, 1), 99), created_at=utcnow())
        )
        db.session.commit()

    try:
        report = report_from_json(report_row.data)
        buffer = io.BytesIO()
        with force_locale("pl"):  # the documents are in Polish, whoever asked for them
            report_format(fmt).export(report, buffer, progress, sha256=report_row.sha256)
    except Exception as error:  # any failure is stored and shown; the next request retries
        db.session.rollback()
        current_app.logger.exception("Building %s of report %s failed", fmt, report_id)
        db.session.execute(
            sa.update(ReportExport)
            .where(ReportExport.id == export_id)
            .values(
                status=ExportStatus.FAILED,
                error="".join(traceback.format_exception_only(error)).strip()[:2000],
                finished_at=utcnow(),
            )
        )
        db.session.commit()
        return
    db.session.execute(
        sa.update(ReportExport)
        .where(ReportExport.id == export_id)
        .values(status=ExportStatus.DONE, progress=100, content=buffer.getvalue(), finished_at=utcnow())
    )
    db.session.commit()


def enqueue(report_id: int, fmt: str) -> Future | None:
    """Start building; the caller has committed the QUEUED row first."""
    return jobs.enqueue(build_export, report_id, fmt, queue=QUEUE_NAME, setting="REPORT_JOBS", job_timeout=3600)


def is_stale(export: ReportExport, now=None) -> bool:
    """Queued or running, but silent for too long (a worker restarted mid-job)."""
    return (
        export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
        and (now or utcnow()) - export.created_at > STALE_AFTER
    )
