"""Building report files in the background, once per report version and format.

:func:`build_export` is the job: it renders one format of one published version
from its snapshot and stores the bytes in ``ReportExport`` with its progress as it
goes, in an app context (and so a database session) of its own. Where it runs:

* ``REDIS_URL`` set: an RQ queue (``flask --app wsgi jobs worker`` runs a worker);
* under ``TESTING``: at once, in the calling thread (still in its own session);
* otherwise: a small in-process thread pool, so a developer needs nothing else.

The queue itself is :mod:`consult.core.jobs`, shared with the mail outbox;
``REPORT_JOBS`` forces a mode for report files only.

One build of a file at a time, however many requests, workers and officials ask: a job
starts only by turning its row from queued to running with a conditional UPDATE (the
second of two concurrent ones changes no row), and while it runs a thread of its own
writes ``heartbeat_at`` every ``REPORT_HEARTBEAT_SECONDS``. Every later write of the job
is conditional on the heartbeat it wrote last, so a job declared dead (see
:func:`give_up_if_stale`) and started again cannot overwrite the new build. A failure
is stored with its error and stays failed until an official asks for the file again
(consult.reports.operations.retry_export): a visitor's reload starts nothing.
"""

import io
import threading
import traceback
from concurrent.futures import Future
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, cast

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
HEARTBEAT_SECONDS = 15  # default of REPORT_HEARTBEAT_SECONDS
MISSED_HEARTBEATS = 4  # a running build silent for this many beats has died
QUEUED_STALE_AFTER = timedelta(minutes=20)  # no worker took the job (queue lost, workers down)
ACTIVE = (ExportStatus.QUEUED, ExportStatus.RUNNING)


def heartbeat_every(app=None) -> float:
    return float((app or current_app).config.get("REPORT_HEARTBEAT_SECONDS", HEARTBEAT_SECONDS))


def build_export(report_id: int, fmt: str) -> None:
    """Render one file and store it; does nothing unless the file is queued (done, failed,
    or already taken by another job)."""
    app = jobs.job_app()
    with app.app_context():  # a fresh context: this job's own session, whoever called it
        try:
            _build(report_id, fmt)
        finally:
            db.session.remove()


def update_export_if(export_id: int, *conditions: Any, **values: Any) -> bool:
    """Write ``values`` to the file's row only if it still meets ``conditions`` (its status, its
    last heartbeat): every change of a build's state is this compare-and-set, so two requests,
    two workers or a dead job and its replacement can never both win. True if the row changed."""
    result = db.session.execute(
        sa.update(ReportExport).where(ReportExport.id == export_id, *conditions).values(**values)
    )
    return cast(sa.CursorResult, result).rowcount == 1


class _Lease:
    """This job's hold on one export row: the heartbeat it wrote last.

    Each write is an UPDATE conditional on that value (and on the row still running); a
    write that changes no row means the job lost the row (declared dead, started again)
    and must stop. The heartbeat thread and the job's own progress share it.
    """

    def __init__(self, export_id: int):
        self.export_id = export_id
        self.beat: datetime | None = None
        self.lost = False
        self._lock = threading.Lock()

    def claim(self) -> bool:
        """Queued to running; False when another job (or nobody: done, failed) has it."""
        with self._lock:
            now = utcnow()
            claimed = update_export_if(
                self.export_id,
                ReportExport.status == ExportStatus.QUEUED,
                status=ExportStatus.RUNNING,
                progress=1,
                error=None,
                heartbeat_at=now,
            )
            db.session.commit()
            if not claimed:
                return False
            self.beat = now
            return True

    def write(self, **values) -> bool:
        """Write ``values`` with a new heartbeat, if the row is still this job's."""
        with self._lock:
            if self.lost:
                return False
            now = max(utcnow(), self.beat + timedelta(microseconds=1))  # never the same value twice
            written = update_export_if(
                self.export_id,
                ReportExport.status == ExportStatus.RUNNING,
                ReportExport.heartbeat_at == self.beat,
                heartbeat_at=now,
                **values,
            )
            db.session.commit()
            if written:
                self.beat = now
            else:
                self.lost = True
            return not self.lost

    @contextmanager
    def kept_alive(self, app, interval: float):
        """Beat every ``interval`` seconds from a thread with its own session until the block ends."""
        stop = threading.Event()

        def beat() -> None:
            with app.app_context():
                try:
                    while not stop.wait(interval):
                        try:
                            if not self.write():
                                return
                        except sa.exc.SQLAlchemyError:  # a busy database: the next beat tries again
                            db.session.rollback()
                            app.logger.warning("Heartbeat of report export %s failed", self.export_id, exc_info=True)
                finally:
                    db.session.remove()

        thread = threading.Thread(target=beat, name=f"report-export-{self.export_id}-heartbeat", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()


class _LostLease(Exception):
    """The row was taken from this job (declared dead and started again): stop quietly."""


def _build(report_id: int, fmt: str) -> None:
    export = db.session.scalars(
        sa.select(ReportExport)
        .where(ReportExport.report_id == report_id, ReportExport.format == fmt)
        .options(sa.orm.defer(ReportExport.content))
    ).first()
    if export is None or export.status != ExportStatus.QUEUED:
        return
    lease = _Lease(export.id)
    if not lease.claim():
        return
    report_row = db.session.get(PublishedReport, report_id)
    data, sha256 = report_row.data, report_row.sha256
    db.session.commit()  # no transaction left open while the file is made (SQLite: the heartbeat writes)
    app = current_app._get_current_object()

    def progress(percent: int) -> None:
        if not lease.write(progress=min(max(percent, 1), 99)):
            raise _LostLease()

    try:
        with lease.kept_alive(app, heartbeat_every(app)):
            report = report_from_json(data)
            buffer = io.BytesIO()
            with force_locale("pl"):  # the documents are in Polish, whoever asked for them
                report_format(fmt).export(report, buffer, progress, sha256=sha256)
    except _LostLease:
        db.session.rollback()
        app.logger.warning("Building %s of report %s stopped: the export was started again", fmt, report_id)
        return
    except Exception as error:  # stored and shown; an official starts it again
        db.session.rollback()
        app.logger.exception("Building %s of report %s failed", fmt, report_id)
        error_text = "".join(traceback.format_exception_only(error)).strip()[:2000]
        lease.write(status=ExportStatus.FAILED, error=error_text, finished_at=utcnow())
        return
    lease.write(status=ExportStatus.DONE, progress=100, content=buffer.getvalue(), finished_at=utcnow())


def enqueue(report_id: int, fmt: str) -> Future | None:
    """Start building; the caller has committed the QUEUED row first."""
    return jobs.enqueue(build_export, report_id, fmt, queue=QUEUE_NAME, setting="REPORT_JOBS", job_timeout=3600)


def stale_before(status: ExportStatus, now: datetime | None = None, app=None) -> datetime:
    """The heartbeat older than which a queued or running export is dead."""
    now = now or utcnow()
    if status == ExportStatus.QUEUED:
        return now - QUEUED_STALE_AFTER
    return now - timedelta(seconds=heartbeat_every(app) * MISSED_HEARTBEATS)


def is_stale(export: ReportExport, now: datetime | None = None) -> bool:
    """Queued or running, but silent for too long (the worker died or was restarted)."""
    return export.status in ACTIVE and export.heartbeat_at < stale_before(export.status, now)


def give_up_if_stale(export: ReportExport, now: datetime | None = None) -> bool:
    """Record a dead build as failed (the caller commits); False if it is alive or finished.

    Conditional on the heartbeat that was read: a build that beat in between keeps its row.
    """
    if not is_stale(export, now):
        return False
    silent_since = export.heartbeat_at
    return update_export_if(
        export.id,
        ReportExport.status == export.status,
        ReportExport.heartbeat_at == silent_since,
        status=ExportStatus.FAILED,
        error=f"stopped: no sign of life since {silent_since.isoformat(timespec='seconds')}",
        finished_at=now or utcnow(),
    )


def start(report: PublishedReport, fmt: str, *, at_once: bool) -> None:
    """Build a queued file now, in this request, or hand it to the job queue."""
    if at_once:
        build_export(report.id, fmt)
    else:
        enqueue(report.id, fmt)
