"""Readiness: does each part the application was configured with answer?

Cheap by design (an orchestrator asks every few seconds): one ``SELECT 1``, one Redis
``PING`` and three small Redis reads for the job queue, each with a short timeout. The
job queue counts as down when no RQ worker is alive, or when jobs wait in a queue
that no live worker listens to: mail and report files would then never go out.
"""

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import Flask

from consult.extensions import db

REDIS_TIMEOUT = 1.0  # seconds: a readiness probe must answer before the orchestrator gives up


@dataclass
class Health:
    parts: dict[str, dict] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(part["status"] == "ok" for part in self.parts.values())

    def as_dict(self) -> dict:
        """``{"status": "ok", "database": "ok", "redis": "ok", "jobs": "error", "details": {...}}``."""
        answer: dict = {"status": "ok" if self.ok else "error"}
        details = {}
        for name, part in self.parts.items():
            answer[name] = part["status"]
            rest = {key: value for key, value in part.items() if key != "status"}
            if rest:
                details[name] = rest
        if details:
            answer["details"] = details
        return answer


def redis_connection(app: Flask):
    """One client (and connection pool) per application, with short timeouts."""
    from redis import Redis

    client = app.extensions.get("consult_redis")
    if client is None:
        client = Redis.from_url(
            app.config["REDIS_URL"], socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT
        )
        app.extensions["consult_redis"] = client
    return client


def _database() -> dict:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as error:
        db.session.rollback()
        return {"status": "error", "error": type(error).__name__}
    return {"status": "ok"}


def _live_workers(connection, keys: set[bytes]) -> set[bytes]:
    """Worker keys whose hash still exists: RQ lets it expire when the heartbeats stop."""
    keys = sorted(keys)
    if not keys:
        return set()
    pipe = connection.pipeline(transaction=False)
    for key in keys:
        pipe.exists(key)
    return {key for key, exists in zip(keys, pipe.execute(), strict=True) if exists}


def _job_queue(connection) -> dict:
    from rq.worker_registration import REDIS_WORKER_KEYS, WORKERS_BY_QUEUE_KEY

    queue_keys = sorted(connection.smembers("rq:queues"))
    pipe = connection.pipeline(transaction=False)
    pipe.smembers(REDIS_WORKER_KEYS)
    for key in queue_keys:
        name = key.decode().removeprefix("rq:queue:")
        pipe.llen(key)
        pipe.smembers(WORKERS_BY_QUEUE_KEY % name)
    answers = pipe.execute()
    live = _live_workers(connection, answers[0])
    queues = {}
    unserved = []
    for index, key in enumerate(queue_keys):
        name = key.decode().removeprefix("rq:queue:")
        waiting, listeners = answers[1 + 2 * index], answers[2 + 2 * index]
        serving = len(listeners & live)
        queues[name] = {"waiting": waiting, "workers": serving}
        if waiting and not serving:
            unserved.append(name)
    part = {"status": "ok", "workers": len(live), "queues": queues}
    if not live:
        part.update(status="error", error="no worker is running")
    elif unserved:
        part.update(status="error", error="no worker for " + ", ".join(unserved))
    return part


def check_parts(app: Flask) -> Health:
    health = Health()
    health.parts["database"] = _database()
    if app.config.get("REDIS_URL"):
        from redis.exceptions import RedisError

        connection = redis_connection(app)
        try:
            connection.ping()
        except RedisError as error:
            health.parts["redis"] = {"status": "error", "error": type(error).__name__}
            health.parts["jobs"] = {"status": "error", "error": "Redis does not answer"}
            return health
        health.parts["redis"] = {"status": "ok"}
        try:
            health.parts["jobs"] = _job_queue(connection)
        except RedisError as error:
            health.parts["jobs"] = {"status": "error", "error": type(error).__name__}
    return health
