"""Where a job finds its application: core builds none; the worker command passes its own in."""

import os
import threading

import pytest

from consult.core import jobs


def _job_app_in_a_thread():
    """job_app() where no application context is active (a thread starts with none), as in an RQ work horse."""
    found = {}

    def run():
        try:
            found["app"] = jobs.job_app()
        except RuntimeError as error:
            found["error"] = str(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return found


def test_a_job_outside_an_application_runs_in_the_one_the_worker_was_given(app, monkeypatch):
    monkeypatch.setattr(jobs, "_worker_app", None)
    assert "flask --app wsgi jobs worker" in _job_app_in_a_thread()["error"]
    jobs.serve_jobs_of(app)
    assert _job_app_in_a_thread() == {"app": app}


def test_a_job_inside_an_application_runs_in_it(app, monkeypatch):
    monkeypatch.setattr(jobs, "_worker_app", None)
    with app.app_context():
        assert jobs.job_app() is app


def test_the_worker_serves_its_jobs_in_the_application_it_was_started_with(app, monkeypatch):
    """run_worker records the app before RQ starts (RQ itself is stopped at once here)."""
    monkeypatch.setattr(jobs, "_worker_app", None)
    pytest.importorskip("rq")
    import rq

    class Stop(Exception):
        pass

    def refuse(*args, **kwargs):
        raise Stop

    monkeypatch.setattr(rq.Worker, "__init__", refuse)
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # never reached
    with pytest.raises(Stop):
        jobs.run_worker(app)
    assert _job_app_in_a_thread() == {"app": app}


# --- the jobs of a transaction, started when it commits ------------------------------------------


def _message(n: int):
    from consult.core.mail import compose

    return compose(f"osoba{n}@example.org", f"Wiadomość {n}", "Treść.", kind="test")


def test_messages_queued_across_flushes_of_one_transaction_go_out_in_shared_batches(app, db, monkeypatch):
    """The ids of every flush of a transaction are batched together when it commits (a digest
    run queues a message per person, a flush between each), BATCH_SIZE to a job."""
    from consult.core import mail

    batches = []
    monkeypatch.setattr(mail, "deliver", lambda ids: batches.append(ids))
    monkeypatch.setattr(mail, "BATCH_SIZE", 2)
    ids = []
    for n in range(3):
        [row] = mail.queue(_message(n))
        db.session.flush()
        ids.append(row.id)
    assert batches == []  # nothing before the commit
    db.session.commit()
    assert batches == [ids[:2], ids[2:]]


def test_a_rolled_back_transaction_starts_none_of_its_jobs(app, db, monkeypatch):
    from consult.core import mail

    started = []
    monkeypatch.setattr(mail, "deliver", lambda ids: started.append(ids))
    mail.queue(_message(1))
    db.session.flush()
    jobs.after_commit(started.append, "job")
    db.session.rollback()
    db.session.commit()
    assert started == []


def test_with_redis_away_the_jobs_are_logged_and_the_change_is_saved(app, db, monkeypatch, caplog):
    import sqlalchemy as sa

    from consult.core import mail
    from consult.core.models import OutboxMessage
    from tests.notifications.conftest import free_port

    monkeypatch.setitem(app.config, "REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    mail.queue(_message(1))
    jobs.after_commit(mail.purge_sent, queue=jobs.ANALYSIS_QUEUE)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1
    failed = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Could not start")]
    assert len(failed) == 2 and any("deliver" in m for m in failed) and any("purge_sent" in m for m in failed)


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL is not set")
def test_the_jobs_of_a_transaction_reach_redis_in_one_round_trip(app, db, monkeypatch):
    """A comment's receipt and its grouping, say: two queues, one MULTI/EXEC sent once."""
    import redis.connection
    from rq import Queue

    from consult.core import mail

    monkeypatch.setitem(app.config, "REDIS_URL", os.environ["TEST_REDIS_URL"])
    connection = jobs.redis_client(app)
    queues = {name: Queue(name, connection=connection) for name in (jobs.MAIL_QUEUE, jobs.ANALYSIS_QUEUE)}
    for queue in queues.values():
        queue.empty()
    queues[jobs.MAIL_QUEUE].get_redis_server_version()  # RQ asks once per connection; not this test's subject
    sent = []
    real_send = redis.connection.AbstractConnection.send_packed_command
    monkeypatch.setattr(
        redis.connection.AbstractConnection,
        "send_packed_command",
        lambda self, command, check_health=True: sent.append(command) or real_send(self, command, check_health),
    )
    [row] = mail.queue(_message(1))
    jobs.after_commit(mail.purge_sent, queue=jobs.ANALYSIS_QUEUE, job_timeout=60)
    db.session.commit()
    assert len(sent) == 1
    [delivery] = queues[jobs.MAIL_QUEUE].get_jobs()
    [purge] = queues[jobs.ANALYSIS_QUEUE].get_jobs()
    assert (delivery.func_name, delivery.args, delivery.timeout) == ("consult.core.mail.deliver", ([row.id],), 600)
    assert (purge.func_name, purge.args, purge.timeout, purge.result_ttl) == ("consult.core.mail.purge_sent", (), 60, 0)
    for queue in queues.values():
        queue.empty()
