"""Sign-in throttling: per account and address, a much higher ceiling per account, the wait in words."""

import os
import re

import pytest
from flask_babel import force_locale

from consult.accounts import operations
from consult.accounts.throttle import wait_in_words
from tests.accounts.test_security import _app_with, limited_app  # noqa: F401 (a fixture)
from tests.conftest import PASSWORD

WRONG = "zle-haslo-123"


def _try(client, email, password, address):
    return client.post("/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address})


def test_failures_from_one_address_throttle_that_address_and_not_the_owner(limited_app, create_user):  # noqa: F811
    user = create_user()
    client = limited_app.test_client()
    codes = [_try(client, user.email, WRONG, "10.0.0.1").status_code for _ in range(10)]
    assert codes == [422] * 10
    throttled = _try(client, user.email, PASSWORD, "10.0.0.1")  # even the right password waits there
    assert throttled.status_code == 429
    assert 880 <= int(throttled.headers["Retry-After"]) <= 900
    page = throttled.get_data(as_text=True)
    assert "Spróbuj ponownie za 15 minut" in page
    assert 'href="/forgot-password"' in page
    # The owner, from their own network, is not locked out by someone else's guessing.
    other = limited_app.test_client()
    assert _try(other, user.email, PASSWORD, "192.0.2.7").status_code == 302


@pytest.fixture()
def tight_app(app, db):
    """Limits small enough to reach in a test: 3 per address, 6 per account."""
    from consult.extensions import db as _db
    from consult.extensions import limiter

    secured = _app_with(
        RATELIMIT_ENABLED=True,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        LOGIN_LIMIT_PER_ADDRESS="3 per 15 minutes",
        LOGIN_LIMIT_PER_ACCOUNT="6 per hour",
        RATELIMIT_STORAGE_URI=os.environ.get("TEST_REDIS_URL", "memory://"),
    )
    with secured.app_context():
        limiter.reset()
    yield secured
    with secured.app_context():
        limiter.reset()
        _db.session.remove()
    limiter.init_app(app)  # the limiter is one object: switch it off again for the other tests


def test_guessing_from_many_addresses_meets_the_ceiling_per_account(tight_app, create_user):
    user = create_user()
    client = tight_app.test_client()
    codes = [_try(client, user.email, WRONG, f"10.0.1.{i}").status_code for i in range(6)]
    assert codes == [422] * 6
    refused = _try(client, user.email, PASSWORD, "10.0.1.200")
    assert refused.status_code == 429
    assert 3500 <= int(refused.headers["Retry-After"]) <= 3600
    assert "za 60 minut" in refused.get_data(as_text=True)


def test_a_password_reset_lifts_the_throttle(tight_app, create_user, mail_outbox):
    user = create_user()
    client = tight_app.test_client()
    for i in range(6):
        _try(client, user.email, WRONG, f"10.0.2.{i}")
    assert _try(client, user.email, PASSWORD, "10.0.2.0").status_code == 429
    with tight_app.test_request_context():
        _user, token = operations.password_reset_token(user.email)
    new_password = "nowe-haslo-po-resecie"
    reset = client.post(
        f"/reset-password/{token}",
        data={"password": new_password, "password_repeat": new_password},
        environ_base={"REMOTE_ADDR": "198.51.100.1"},
    )
    assert reset.status_code == 302
    client.post("/logout", environ_base={"REMOTE_ADDR": "198.51.100.1"})
    # Every address starts again, including one that was throttled on its own.
    assert _try(client, user.email, new_password, "10.0.2.0").status_code == 302


def test_only_failures_count(tight_app, create_user):
    user = create_user()
    client = tight_app.test_client()
    for _ in range(4):
        assert _try(client, user.email, PASSWORD, "10.0.3.1").status_code == 302
        client.post("/logout", environ_base={"REMOTE_ADDR": "10.0.3.1"})
    assert [_try(client, user.email, WRONG, "10.0.3.1").status_code for _ in range(3)] == [422] * 3
    assert _try(client, user.email, WRONG, "10.0.3.1").status_code == 429


def test_look_alike_spellings_share_one_count(tight_app, create_user):
    user = create_user(email="anna@example.org")
    client = tight_app.test_client()
    for spelling in ("anna@ｅxample.org", "ANNA@example。org", "ａｎｎａ@example.org"):
        assert _try(client, spelling, WRONG, "10.0.4.1").status_code == 422
    assert _try(client, user.email, PASSWORD, "10.0.4.1").status_code == 429


def test_an_unknown_account_is_throttled_like_a_known_one(tight_app, db):
    """The answers do not tell which addresses have accounts."""
    client = tight_app.test_client()
    codes = [_try(client, "nikt@example.org", WRONG, "10.0.5.1").status_code for _ in range(4)]
    assert codes == [422, 422, 422, 429]


@pytest.mark.parametrize(
    ("seconds", "polish", "english"),
    [
        (1, "za 1 sekundę", "in 1 second"),
        (3, "za 3 sekundy", "in 3 seconds"),
        (45, "za 45 sekund", "in 45 seconds"),
        (60, "za 1 minutę", "in 1 minute"),
        (61, "za 2 minuty", "in 2 minutes"),
        (4 * 60, "za 4 minuty", "in 4 minutes"),
        (5 * 60, "za 5 minut", "in 5 minutes"),
        (12 * 60, "za 12 minut", "in 12 minutes"),
        (21 * 60, "za 21 minut", "in 21 minutes"),
        (22 * 60, "za 22 minuty", "in 22 minutes"),
        (900, "za 15 minut", "in 15 minutes"),
    ],
)
def test_the_wait_in_words_uses_polish_plural_forms(app, seconds, polish, english):
    with app.test_request_context():
        with force_locale("pl"):
            assert wait_in_words(seconds) == polish
        with force_locale("en"):
            assert wait_in_words(seconds) == english


def test_the_english_page_says_the_wait_too(limited_app, create_user):  # noqa: F811
    user = create_user()
    client = limited_app.test_client()
    for _ in range(10):
        _try(client, user.email, WRONG, "10.0.6.1")
    response = client.post(
        "/login?lang=en", data={"email": user.email, "password": WRONG}, environ_base={"REMOTE_ADDR": "10.0.6.1"}
    )
    assert response.status_code == 429
    assert re.search(r"Try again in 1[45] minutes", response.get_data(as_text=True))
