"""Rate limits and CSRF, with the protections switched on as in production."""

import os

import pytest

from config import TestingConfig
from consult import create_app
from consult.extensions import db as _db
from consult.extensions import limiter
from tests.conftest import PASSWORD


def _app_with(**settings):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or TestingConfig.SQLALCHEMY_DATABASE_URI

    for name, value in settings.items():
        setattr(Config, name, value)
    return create_app(Config)


@pytest.fixture()
def limited_app(app, db):
    """Another app on the same database with rate limits on (memory, or Redis when TEST_REDIS_URL is set)."""
    secured = _app_with(
        RATELIMIT_ENABLED=True,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        RATELIMIT_STORAGE_URI=os.environ.get("TEST_REDIS_URL", "memory://"),
    )
    with secured.app_context():
        limiter.reset()
    yield secured
    with secured.app_context():
        limiter.reset()
        _db.session.remove()
    limiter.init_app(app)  # the limiter is one object: switch it off again for the other tests


def test_password_reset_requests_are_limited_per_account(limited_app, create_user, mail_outbox):
    user = create_user()
    client = limited_app.test_client()
    codes = [
        client.post(
            "/forgot-password", data={"email": user.email}, environ_base={"REMOTE_ADDR": f"10.0.2.{i}"}
        ).status_code
        for i in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]


def test_a_form_without_its_csrf_token_is_refused(app, db, create_user):
    user = create_user()
    protected = _app_with(WTF_CSRF_ENABLED=True, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    client = protected.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    page = client.get("/login").get_data(as_text=True)
    assert 'name="csrf_token"' in page
    with protected.app_context():
        _db.session.remove()
