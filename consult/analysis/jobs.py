"""Analysis runs in the background job queue, with progress.

:func:`run_analysis` is the job: in an app context (and so a database session) of its
own it groups the comments not grouped yet, maps them and newly defined themes to the
accepted themes, and for a themes run proposes themes, writing its progress to the
:class:`AnalysisRun` row that the officials' pages show. Where it runs is decided as
for report files (:func:`consult.reports.jobs.mode`): an RQ queue with ``REDIS_URL``
(``flask --app wsgi reports worker`` serves both queues), at once under ``TESTING``,
or a thread of the web process.
"""

import traceback
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context

from consult.analysis import operations
from consult.analysis.models import AnalysisRun, RunKind, RunStatus
from consult.core.time import utcnow
from consult.extensions import db
from consult.reports.jobs import mode

QUEUE_NAME = "consult-analysis"
STALE_AFTER = timedelta(minutes=30)  # a run silent this long is started again on request
_executor: ThreadPoolExecutor | None = None


def _app() -> Flask:
    if has_app_context():
        return current_app._get_current_object()
    from consult import create_app  # an RQ worker process

    return create_app()


def run_analysis(run_id: int) -> None:
    app = _app()
    with app.app_context():
        try:
            _run(run_id)
        finally:
            db.session.remove()


def _set(run_id: int, **values) -> None:
    db.session.execute(sa.update(AnalysisRun).where(AnalysisRun.id == run_id).values(heartbeat_at=utcnow(), **values))
    db.session.commit()


def _run(run_id: int) -> None:
    run = db.session.get(AnalysisRun, run_id)
    if run is None or run.status in (RunStatus.DONE, RunStatus.FAILED):
        return
    consultation_id, kind, count = run.consultation_id, run.kind, run.requested_count
    _set(run_id, status=RunStatus.RUNNING, progress=1, message=None)

    def progress(percent: int) -> None:
        db.session.flush()
        _set(run_id, progress=min(max(percent, 1), 99))

    try:
        scale = 50 if kind == RunKind.THEMES else 100
        grouped = operations.group_new_comments(consultation_id, lambda p: progress(p * scale // 100))
        mapped = operations.map_pending_themes(consultation_id)
        message = f"grouped={grouped} themes_mapped={mapped}"
        if kind == RunKind.THEMES:
            proposed = operations.propose_themes(consultation_id, count, lambda p: progress(50 + p // 2))
            message += f" proposed={proposed}"
        db.session.commit()
    except Exception as error:  # stored and shown; the official can start the run again
        db.session.rollback()
        current_app.logger.exception("Analysis run %s failed", run_id)
        text = "".join(traceback.format_exception_only(error)).strip()[:2000]
        _set(run_id, status=RunStatus.FAILED, message=text, finished_at=utcnow())
        return
    _set(run_id, status=RunStatus.DONE, progress=100, message=message, finished_at=utcnow())


def enqueue(run_id: int) -> Future | None:
    """Start a run; the caller has committed the QUEUED row first."""
    global _executor
    app = current_app._get_current_object()
    how = mode(app)
    if how == "rq":
        from redis import Redis
        from rq import Queue

        queue = Queue(QUEUE_NAME, connection=Redis.from_url(app.config["REDIS_URL"]))
        queue.enqueue(run_analysis, run_id, job_timeout=3600, result_ttl=0, failure_ttl=24 * 3600)
        return None
    if how == "sync":
        run_analysis(run_id)
        return None
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="consult-analysis")

    def run() -> None:
        with app.app_context():
            run_analysis(run_id)

    return _executor.submit(run)
