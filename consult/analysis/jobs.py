"""Analysis runs in the background job queue, with progress.

:func:`run_analysis` is the job: in an app context (and so a database session) of its
own it groups the comments not grouped yet, maps them and newly defined themes to the
accepted themes, and for a themes run proposes themes, writing its progress to the
:class:`AnalysisRun` row that the officials' pages show. Where it runs is the shared
queue's choice (:mod:`consult.core.jobs`: RQ with ``REDIS_URL``, served by ``flask --app
wsgi jobs worker``; at once under ``TESTING``; a thread otherwise).

Comments are grouped as they arrive: whatever writes a comment (the commenting form, the
office entering a letter, the demo loader) or changes its text makes the transaction
start :func:`group_arrivals` once it commits. That job adds only the comments not
grouped yet (an edited comment loses its place when its text changes, in the same
transaction) and does nothing when another run already took them. Runs of one
consultation never overlap (:func:`consultation_lock`): a second waits for the first.
"""

import threading
import traceback
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from consult.analysis import operations
from consult.analysis.models import AnalysisRun, GroupMember, RunKind, RunStatus, ThemeComment
from consult.comments.models import Comment
from consult.core import jobs
from consult.core.time import utcnow
from consult.extensions import db

_LOCK_SPACE = 0x616E61  # first key of PostgreSQL's two-key advisory locks: "ana"
_local_locks: dict[tuple[str, int], threading.Lock] = {}
_local_locks_guard = threading.Lock()


@contextmanager
def consultation_lock(consultation_id: int) -> Iterator[None]:
    """One analysis run of a consultation at a time, across processes on PostgreSQL.

    The lock is held by a connection of its own, so the run's commits (progress) do not
    release it; a run that dies releases it with its connection.
    """
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            keys = {"space": _LOCK_SPACE, "id": consultation_id}
            connection.execute(sa.text("SELECT pg_advisory_lock(:space, :id)"), keys)
            try:
                yield
            finally:
                connection.execute(sa.text("SELECT pg_advisory_unlock(:space, :id)"), keys)
        return
    # SQLite and the like serve one process (development); threads of it take turns.
    with _local_locks_guard:
        lock = _local_locks.setdefault((str(engine.url), consultation_id), threading.Lock())
    with lock:
        yield


def run_analysis(run_id: int) -> None:
    with jobs.job_app().app_context():
        try:
            consultation_id = db.session.scalar(sa.select(AnalysisRun.consultation_id).where(AnalysisRun.id == run_id))
            if consultation_id is None:
                return
            db.session.rollback()  # nothing read before the lock is trusted after it
            with consultation_lock(consultation_id):
                _run(run_id)
        finally:
            db.session.remove()


def group_arrivals(consultation_id: int) -> None:
    """The job each new or edited comment starts: group what is waiting, if anything is."""
    with jobs.job_app().app_context():
        try:
            with consultation_lock(consultation_id):
                if not operations.waiting_count(consultation_id):
                    return  # an earlier run took them
                run = AnalysisRun(consultation_id=consultation_id, kind=RunKind.GROUPS)
                db.session.add(run)
                db.session.commit()
                _run(run.id)
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


# --- comments arriving -------------------------------------------------------------------------

_ARRIVALS = "consult_analysis_arrivals"


def _text_changed(comment: Comment) -> bool:
    state = sa.inspect(comment)
    for name in ("proposed_text", "justification"):
        history = state.attrs[name].history
        if history.added and (not history.deleted or history.added[0] != history.deleted[0]):
            return True
    return False


@sa.event.listens_for(Session, "after_flush")
def _note_arrivals(session: Session, _flush_context) -> None:
    """New comments, and comments whose text changed, wait for grouping (the job is started on commit)."""
    consultations = {c.consultation_id for c in session.new if isinstance(c, Comment)}
    edited = [c for c in session.dirty if isinstance(c, Comment) and _text_changed(c)]
    if edited:
        ids = [c.id for c in edited]
        # What an edited comment says now decides its group and themes, as for a new one.
        for model in (GroupMember, ThemeComment):
            session.execute(
                sa.delete(model).where(model.comment_id.in_(ids)), execution_options={"synchronize_session": False}
            )
        consultations.update(c.consultation_id for c in edited)
    _note(session, consultations)


@sa.event.listens_for(Session, "do_orm_execute")
def _note_inserted(state) -> None:
    """Comments written by an INSERT statement (sending one: ``comments.operations.submit_comment``)
    never pass through a flush; the statement names their consultation in its execution options."""
    if state.is_insert and state.bind_mapper is not None and state.bind_mapper.class_ is Comment:
        consultation_id = state.execution_options.get("consultation_id")
        if consultation_id is not None:
            _note(state.session, {consultation_id})


def _note(session: Session, consultations: set[int]) -> None:
    if not consultations or not has_app_context() or not current_app.config.get("ANALYSIS_ON_ARRIVAL", True):
        return
    noted = session.info.setdefault(_ARRIVALS, set())
    for consultation_id in sorted(consultations - noted):
        noted.add(consultation_id)
        jobs.after_commit(group_arrivals, consultation_id, queue=jobs.ANALYSIS_QUEUE, job_timeout=3600)


@sa.event.listens_for(Session, "after_commit")
@sa.event.listens_for(Session, "after_rollback")
def _forget_arrivals(session: Session) -> None:
    if not session.in_nested_transaction():  # a SAVEPOINT's end is not the transaction's
        session.info.pop(_ARRIVALS, None)
