"""Running behind a reverse proxy, on several app servers: trusted proxies, the production
checks, /healthz as a readiness answer, request ids and JSON request logs."""

import importlib
import json
import os
import uuid

import pytest

import config
from config import TestingConfig
from consult import create_app
from consult.extensions import db as _db
from consult.extensions import limiter
from tests.conftest import PASSWORD


@pytest.fixture()
def app_with(app, db):
    """Another app on the test database with some settings changed."""
    made = []

    def factory(**settings):
        class Config(TestingConfig):
            SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]

        for name, value in settings.items():
            setattr(Config, name, value)
        other = create_app(Config)
        made.append(other)
        with other.app_context():
            limiter.reset()
        return other

    yield factory
    for other in made:
        with other.app_context():
            limiter.reset()
            _db.session.remove()


def _register(client, environ: dict, headers: dict | None = None) -> int:
    """A registration attempt (10 per hour from one client); the form is left empty."""
    return client.post("/register", data={}, environ_base=environ, headers=headers or {}).status_code


# --- trusted proxies -------------------------------------------------------------------------------


def test_behind_a_trusted_proxy_rate_limits_count_each_client_separately(app_with):
    proxied = app_with(TRUSTED_PROXIES=1, RATELIMIT_ENABLED=True)
    client = proxied.test_client()
    nginx = {"REMOTE_ADDR": "10.0.0.2"}
    anna = [_register(client, nginx, {"X-Forwarded-For": "203.0.113.7"}) for _ in range(11)]
    assert anna[:10] == [422] * 10 and anna[10] == 429
    # Another person behind the same nginx is not locked out by Anna's attempts.
    assert _register(client, nginx, {"X-Forwarded-For": "198.51.100.20"}) == 422
    # Only the address the proxy saw counts: what the client put in front of it is ignored.
    assert _register(client, nginx, {"X-Forwarded-For": "198.51.100.99, 203.0.113.7"}) == 429


def test_without_a_trusted_proxy_a_forged_forwarded_for_changes_nothing(app_with):
    direct = app_with(TRUSTED_PROXIES=0, RATELIMIT_ENABLED=True)
    client = direct.test_client()
    attacker = {"REMOTE_ADDR": "203.0.113.66"}
    codes = [_register(client, attacker, {"X-Forwarded-For": f"198.51.100.{i}"}) for i in range(11)]
    assert codes[:10] == [422] * 10 and codes[10] == 429
    # A different real address is counted apart.
    assert _register(client, {"REMOTE_ADDR": "203.0.113.67"}) == 422


def test_a_trusted_proxy_tells_the_scheme_but_nobody_chooses_the_host_of_links(app_with, create_consultation):
    consultation = create_consultation("open")
    headers = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
    proxied = app_with(TRUSTED_PROXIES=1, SERVER_NAME=None)
    body = proxied.test_client().get("/api/v1/consultations", headers=headers).get_json()
    assert body[0]["url"] == f"https://localhost/consultations/{consultation.slug}"
    direct = app_with(TRUSTED_PROXIES=0, SERVER_NAME=None)
    body = direct.test_client().get("/api/v1/consultations", headers=headers).get_json()
    assert body[0]["url"] == f"http://localhost/consultations/{consultation.slug}"


@pytest.mark.parametrize("value", ["one", "-1", "1.5", "99"])
def test_a_wrong_number_of_trusted_proxies_stops_the_start(monkeypatch, value):
    monkeypatch.setenv("TRUSTED_PROXIES", value)
    with pytest.raises(RuntimeError, match="TRUSTED_PROXIES must be a number from 0 to 10"):
        config._count("TRUSTED_PROXIES")


# --- production ------------------------------------------------------------------------------------


@pytest.fixture()
def production_env(monkeypatch):
    monkeypatch.setenv("CONSULT_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/consult")
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("ALLOW_NO_REDIS", raising=False)
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.org")  # production also refuses to start without mail
    return monkeypatch


def test_production_refuses_to_start_without_redis_and_says_why(production_env):
    with pytest.raises(RuntimeError) as refused:
        config.config_from_environment()
    message = str(refused.value)
    assert "REDIS_URL" in message and "rate limits" in message and "ALLOW_NO_REDIS=1" in message


def test_production_starts_with_redis(production_env):
    production_env.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    reloaded = importlib.reload(config)
    try:
        settings = reloaded.config_from_environment()
        assert settings.RATELIMIT_STORAGE_URI == "redis://127.0.0.1:6379/0"
        assert settings.HSTS and settings.REMEMBER_COOKIE_SECURE and settings.SESSION_COOKIE_SECURE
    finally:
        production_env.undo()
        importlib.reload(config)


def test_production_without_redis_when_allowed_warns_naming_the_consequence(production_env, app, caplog):
    production_env.setenv("ALLOW_NO_REDIS", "1")
    settings = config.config_from_environment()
    settings.SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
    with caplog.at_level("WARNING"):
        create_app(settings)
    assert any("REDIS_URL" in r.getMessage() and "rate limits" in r.getMessage() for r in caplog.records)


# --- /healthz -------------------------------------------------------------------------------------


def test_healthz_answers_503_when_the_database_does_not(app_with, tmp_path):
    broken = app_with(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'missing' / 'nowhere.sqlite'}")
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "error" and response.get_json()["database"] == "error"


def test_healthz_answers_503_when_redis_does_not(app_with):
    unreachable = app_with(REDIS_URL="redis://127.0.0.1:1/0")
    response = unreachable.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert (body["database"], body["redis"], body["jobs"]) == ("ok", "error", "error")


def test_healthz_does_not_look_for_redis_when_none_is_configured(client):
    body = client.get("/healthz").get_json()
    assert body == {"status": "ok", "database": "ok"}
    assert client.get("/healthz").headers["Cache-Control"] == "no-store"


@pytest.fixture()
def redis_app(app_with):
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("TEST_REDIS_URL is not set")
    return app_with(REDIS_URL=url)


@pytest.fixture()
def rq_worker(redis_app):
    """A worker as a running `flask reports worker` shows itself in Redis (registered, heartbeating)."""
    from redis import Redis
    from rq import Queue, Worker

    connection = Redis.from_url(redis_app.config["REDIS_URL"])
    started = []

    def start(*queue_names: str) -> Worker:
        worker = Worker(
            [Queue(name, connection=connection) for name in queue_names],
            connection=connection,
            name=f"health-{uuid.uuid4().hex[:8]}",
        )
        worker.register_birth()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.register_death()


def test_healthz_reports_a_missing_worker_and_a_running_one(redis_app, rq_worker):
    from redis import Redis
    from rq.worker_registration import get_keys

    connection = Redis.from_url(redis_app.config["REDIS_URL"])
    client = redis_app.test_client()
    if get_keys(connection=connection):
        pytest.skip("another RQ worker is registered in this Redis database")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert (body["database"], body["redis"], body["jobs"]) == ("ok", "ok", "error")
    assert body["details"]["jobs"]["error"] == "no worker is running"

    queues = [key.decode().removeprefix("rq:queue:") for key in connection.smembers("rq:queues")]
    worker = rq_worker("consult-reports", *queues)
    response = client.get("/healthz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["details"]["jobs"]["workers"] == 1

    # A worker killed without a goodbye: its heartbeat key expires, its registration stays.
    connection.delete(worker.key)
    assert client.get("/healthz").status_code == 503


def test_healthz_reports_jobs_waiting_that_no_worker_listens_to(redis_app, rq_worker):
    from redis import Redis
    from rq import Queue

    connection = Redis.from_url(redis_app.config["REDIS_URL"])
    queues = [key.decode().removeprefix("rq:queue:") for key in connection.smembers("rq:queues")]
    rq_worker("consult-reports", *queues)
    forgotten = Queue(f"health-forgotten-{uuid.uuid4().hex[:8]}", connection=connection)
    job = forgotten.enqueue("builtins.print", "never run")
    try:
        response = redis_app.test_client().get("/healthz")
        assert response.status_code == 503
        jobs = response.get_json()["details"]["jobs"]
        assert jobs["error"] == f"no worker for {forgotten.name}"
        assert jobs["queues"][forgotten.name] == {"waiting": 1, "workers": 0}
    finally:
        job.delete()
        forgotten.delete(delete_jobs=True)


# --- request ids and JSON request logs --------------------------------------------------------------


def _json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_each_request_writes_one_json_line_with_id_user_status_and_duration(app_with, create_user, capsys):
    user = create_user()
    logged = app_with(LOG_FORMAT="json")
    client = logged.test_client()
    # A WSGI server closes every response once sent; the line is written then.
    login = client.post("/login", data={"email": user.email, "password": PASSWORD})
    login.close()
    assert login.status_code == 302
    response = client.get("/account")
    response.close()
    assert response.status_code == 200
    client.get("/no-such-page").close()
    logged.test_client().get("/accessibility").close()  # someone not signed in
    lines = [entry for entry in _json_lines(capsys.readouterr().err) if entry["logger"] == "consult.requests"]
    assert [(e["method"], e["path"], e["status"]) for e in lines] == [
        ("POST", "/login", 302),
        ("GET", "/account", 200),
        ("GET", "/no-such-page", 404),
        ("GET", "/accessibility", 200),
    ]
    account = lines[1]
    assert account["request_id"] == response.headers["X-Request-ID"]
    assert account["user_id"] == user.id and lines[3]["user_id"] is None
    assert account["route"] == "/account" and account["duration_ms"] >= 0 and account["client"] == "127.0.0.1"
    assert len({e["request_id"] for e in lines}) == 4


def test_tokens_in_links_never_reach_the_log(app_with, capsys):
    logged = app_with(LOG_FORMAT="json")
    logged.test_client().get("/confirm/sekretny-token-123").close()
    err = capsys.readouterr().err
    assert "sekretny-token-123" not in err
    assert _json_lines(err)[-1]["path"] == "/confirm/<token>"


def test_application_errors_become_json_lines_too(app_with, capsys):
    logged = app_with(LOG_FORMAT="json")
    with logged.test_request_context("/"):
        logged.logger.error("Something failed")
    entry = _json_lines(capsys.readouterr().err)[-1]
    assert entry["level"] == "ERROR" and entry["message"] == "Something failed" and entry["request_id"]


def test_without_the_option_no_request_lines_are_written(client, capsys):
    client.get("/")
    assert _json_lines(capsys.readouterr().err) == []


@pytest.mark.parametrize(
    ("proxies", "given", "kept"),
    [(1, "abc-123", True), (0, "abc-123", False), (1, "bad id with spaces", False), (1, "x" * 65, False)],
)
def test_the_proxy_request_id_is_kept_only_from_a_trusted_proxy(app_with, proxies, given, kept):
    other = app_with(TRUSTED_PROXIES=proxies)
    answer = other.test_client().get("/healthz", headers={"X-Request-ID": given}).headers["X-Request-ID"]
    assert (answer == given) is kept
    assert answer and len(answer) <= 64
