"""Where a job finds its application: core builds none; the worker command passes its own in."""

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
