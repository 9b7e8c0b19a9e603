"""Work done after the request: one queue mechanism for every module.

A job is a module-level function called with plain arguments (ids, names) that
opens an app context, and so a database session, of its own. Where it runs:

* ``REDIS_URL`` set: an RQ queue, served by ``flask --app wsgi jobs worker``
  (it runs RQ's scheduler too, for delayed jobs such as mail retries);
* under ``TESTING``: at once, in the calling thread;
* otherwise: a small in-process thread pool, so a developer needs nothing else.

``JOBS`` (``rq``, ``sync`` or ``thread``) forces one of them; a module may have its
own setting on top (``REPORT_JOBS``).

Jobs that wait for a transaction (:func:`after_commit`, :func:`after_commit_in_batches`)
start when it commits, those bound for Redis in one pipeline: a comment's receipt and its
grouping cost one round trip, not four.
"""

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from sqlalchemy.orm import Session

MAIL_QUEUE = "consult-mail"
REPORTS_QUEUE = "consult-reports"
ANALYSIS_QUEUE = "consult-analysis"  # grouping comments and proposing themes (consult.analysis)
QUEUES = (MAIL_QUEUE, REPORTS_QUEUE, ANALYSIS_QUEUE)  # a worker serves them in this order: mail first, it is quick

_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()
_worker_app: Flask | None = None


def job_app() -> Flask:
    """The app a job runs in: the caller's, or in an RQ worker the one ``run_worker`` was given
    (core builds no application: the worker command passes its own in)."""
    if has_app_context():
        return current_app._get_current_object()
    if _worker_app is None:
        raise RuntimeError("A job ran outside an application: start workers with `flask --app wsgi jobs worker`.")
    return _worker_app


def serve_jobs_of(app: Flask) -> None:
    """The application this process's jobs run in when no application context is active (an RQ worker)."""
    global _worker_app
    _worker_app = app


def mode(app: Flask, setting: str | None = None) -> str:
    for name in (setting, "JOBS"):
        if name and app.config.get(name):
            return app.config[name]
    if app.config.get("REDIS_URL"):
        return "rq"
    return "sync" if app.testing else "thread"


def redis_client(app: Flask):
    """One Redis client (and its connection pool) per application and address: a client made per
    job opened a new connection for every enqueue, a third of the time of a comment's submission."""
    from redis import Redis

    clients = app.extensions.setdefault("consult_jobs_redis", {})
    url = app.config["REDIS_URL"]
    if url not in clients:
        clients[url] = Redis.from_url(url)
    return clients[url]


def rq_queue(app: Flask, name: str):
    from rq import Queue

    return Queue(name, connection=redis_client(app))


def _rq_options(rq_options: dict[str, Any]) -> dict[str, Any]:
    return {"result_ttl": 0, "failure_ttl": 24 * 3600, **rq_options}


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="consult-job")
        return _executor


def enqueue(
    func: Callable[..., Any],
    *args: Any,
    queue: str,
    setting: str | None = None,
    delay: timedelta | None = None,
    **rq_options: Any,
) -> Future | None:
    """Run ``func(*args)`` in the background; the caller has committed what it needs.

    With ``delay`` the job runs later: RQ's scheduler, or a timer thread. Under
    ``sync`` a delayed job is not run at all: the periodic sweep that every delayed
    job has as a safety net (``notifications send-due``) picks it up.
    """
    app = current_app._get_current_object()
    how = mode(app, setting)
    if how == "rq":
        target = rq_queue(app, queue)
        options = _rq_options(rq_options)
        if delay is not None:
            target.enqueue_in(delay, func, *args, **options)
        else:
            target.enqueue(func, *args, **options)
        return None
    if how == "sync":
        if delay is None:
            func(*args)
        return None

    def run() -> None:
        with app.app_context():
            func(*args)

    if delay is not None:
        timer = threading.Timer(delay.total_seconds(), lambda: _pool().submit(run))
        timer.daemon = True
        timer.start()
        return None
    return _pool().submit(run)


_AFTER_COMMIT = "consult_jobs_after_commit"
_AFTER_COMMIT_BATCHES = "consult_jobs_after_commit_batches"

# A job waiting for the commit: the function, its arguments, its queue and enqueue's options.
Waiting = tuple[Callable[..., Any], tuple[Any, ...], str, dict[str, Any]]


def after_commit(func: Callable[..., Any], *args: Any, queue: str = MAIL_QUEUE, **options: Any) -> None:
    """Start ``func(*args)`` in the background once the current transaction commits (never if it rolls back)."""
    from consult.extensions import db

    db.session.info.setdefault(_AFTER_COMMIT, []).append((func, args, queue, options))


def after_commit_in_batches(
    session: Session, func: Callable[[list[int]], Any], ids: list[int], *, size: int, queue: str, **options: Any
) -> None:
    """Start ``func(batch)`` for these ids once ``session``'s transaction commits, ``size`` ids a job
    at most: ids added by several calls in one transaction (a flush each) share the batches.
    The options (``setting``, ``job_timeout``, …) are plain values: they tell the batches apart."""
    key = (func, queue, size, tuple(sorted(options.items())))
    session.info.setdefault(_AFTER_COMMIT_BATCHES, {}).setdefault(key, []).extend(ids)


# SQLAlchemy fires after_commit and after_rollback for a SAVEPOINT too: the jobs wait for the
# outermost transaction (a job queued inside a savepoint that rolled back finds nothing to do).


@sa.event.listens_for(Session, "after_rollback")
def _forget_jobs(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_AFTER_COMMIT, None)
        session.info.pop(_AFTER_COMMIT_BATCHES, None)


@sa.event.listens_for(Session, "after_commit")
def _start_jobs(session: Session) -> None:
    if session.in_nested_transaction():
        return
    waiting: list[Waiting] = session.info.pop(_AFTER_COMMIT, [])
    for (func, queue, size, options), ids in session.info.pop(_AFTER_COMMIT_BATCHES, {}).items():
        ids = sorted(set(ids))
        waiting += [(func, (ids[i : i + size],), queue, dict(options)) for i in range(0, len(ids), size)]
    if waiting:
        enqueue_all(waiting)


def enqueue_all(waiting: list[Waiting]) -> None:
    """Start several jobs; those that go to Redis reach it in one pipeline (one round trip).

    A job that cannot be started is logged, never raised: the change behind it is saved, and
    the periodic sweep (``notifications send-due``) catches up.
    """
    app = current_app
    to_redis: list[Waiting] = []
    for func, args, queue, options in waiting:
        plain = options.get("delay") is None and not options.keys() & {"depends_on", "unique", "pipeline"}
        if plain and mode(app, options.get("setting")) == "rq":
            to_redis.append((func, args, queue, options))
            continue
        try:
            enqueue(func, *args, queue=queue, **options)
        except Exception:  # Redis away: the change is saved; the periodic send-due catches up
            app.logger.exception("Could not start %s%s", func.__name__, args)
    if not to_redis:
        return
    try:
        _enqueue_in_one_pipeline(app, to_redis)
    except Exception:
        for func, args, _queue, _options in to_redis:
            app.logger.exception("Could not start %s%s", func.__name__, args)


def _enqueue_in_one_pipeline(app: Flask, waiting: list[Waiting]) -> None:
    """RQ's ``enqueue_many`` for each queue, all in one MULTI/EXEC."""
    from rq import Queue

    by_queue: dict[str, list] = {}
    for func, args, queue, options in waiting:
        rq_options = {name: value for name, value in options.items() if name not in ("setting", "delay")}
        parsed = Queue.parse_args(func, *args, **_rq_options(rq_options))
        by_queue.setdefault(queue, []).append(
            Queue.prepare_data(
                parsed.func,
                args=parsed.args,
                kwargs=parsed.kwargs,
                timeout=parsed.timeout,
                result_ttl=parsed.result_ttl,
                ttl=parsed.ttl,
                failure_ttl=parsed.failure_ttl,
                description=parsed.description,
                depends_on=parsed.depends_on,
                job_id=parsed.job_id,
                at_front=parsed.at_front,
                meta=parsed.meta,
                retry=parsed.retry,
                on_success=parsed.on_success,
                on_failure=parsed.on_failure,
                on_stopped=parsed.on_stopped,
                repeat=parsed.repeat,
                webhooks=parsed.webhooks,
            )
        )
    connection = redis_client(app)
    with connection.pipeline() as pipe:
        for queue, datas in by_queue.items():
            rq_queue(app, queue).enqueue_many(datas, pipeline=pipe)
        pipe.execute()


PERIODIC_LOCK = "consult:periodic:{name}"


def periodic(app: Flask, func: Callable[[], Any], every: timedelta, stop: threading.Event, tick: float = 5) -> None:
    """Every ``every``, one worker of all (a Redis lock) puts ``func`` on the mail queue.

    Each worker looks every ``tick`` seconds; the lock lives a little less than ``every``,
    so however many workers run, the job is queued once per period.
    """
    queue = rq_queue(app, MAIL_QUEUE)
    lock = PERIODIC_LOCK.format(name=func.__name__)
    while not stop.wait(timeout=tick):
        try:
            if queue.connection.set(lock, "1", nx=True, ex=max(1, int(every.total_seconds()) - 5)):
                queue.enqueue(func, result_ttl=0, failure_ttl=24 * 3600, job_timeout=1800)
        except Exception:
            app.logger.exception("Could not queue the periodic job %s", func.__name__)


def run_worker(app: Flask, periodic: tuple[tuple[Callable[[], Any], timedelta], ...] = ()) -> None:
    """Serve every queue of the app from Redis (blocking), with RQ's scheduler for delayed jobs
    and the periodic jobs (send-due) queued every so often by one of the workers."""
    from rq import Worker

    serve_jobs_of(app)
    queues = [rq_queue(app, name) for name in QUEUES]
    stop = threading.Event()
    for func, every in periodic:
        threading.Thread(target=periodic, args=(app, func, every, stop), daemon=True).start()
    try:
        Worker(queues, connection=queues[0].connection).work(with_scheduler=True)
    finally:
        stop.set()
