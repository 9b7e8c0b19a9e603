"""Analysis runs in the background job queue, with progress.

:func:`run_analysis` is the job: in an app context (and so a database session) of its
own it groups the comments not grouped yet, maps them and newly defined themes to the
accepted themes, and for a themes run proposes themes, writing its progress to the
:class:`AnalysisRun` row that the officials' pages show. Where it runs is the shared
queue's choice (:mod:`consult.core.jobs`: RQ with ``REDIS_URL``, served by ``flask --app
wsgi jobs worker``; at once under ``TESTING``; a thread otherwise).
"""

import traceback
from concurrent.futures import Future
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from consult.analysis import operations
from consult.analysis.models import AnalysisRun, RunKind, RunStatus
from consult.core import jobs
from consult.core.time import utcnow
from consult.extensions import db

STALE_AFTER = timedelta(minutes=30)  # a run silent this long is started again on request


def run_analysis(run_id: int) -> None:
    with jobs.job_app().app_context():
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
    return jobs.enqueue(run_analysis, run_id, queue=jobs.ANALYSIS_QUEUE, job_timeout=3600)
