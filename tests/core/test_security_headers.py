"""Headers and cookies: a strict CSP and friends on every kind of page, no-store where a page
holds someone's data, HSTS and Secure cookies in production, a 30-day remember-me cookie."""

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

import config
from consult import create_app
from consult.accounts.models import UserRole
from consult.extensions import db as _db
from tests.conftest import PASSWORD

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _assert_base_headers(response):
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"  # nothing inline
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # development: no TLS on localhost


@pytest.fixture()
def scene(db, create_user, create_organisation, create_consultation):
    member = create_user(UserRole.MEMBER)
    create_organisation("Fundacja Nagłówków", members=[member])
    official = create_user(UserRole.OFFICIAL)
    consultation = create_consultation("open", officials=[official])
    return {"member": member, "official": official, "consultation": consultation}


def _login(client, user):
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize(
    ("who", "url", "status", "no_store"),
    [
        (None, "/", 200, False),  # public page
        (None, "/consultations/{slug}", 200, False),
        (None, "/api/v1/consultations", 200, False),  # open data
        (None, "/login", 200, False),
        (None, "/no-such-page", 404, False),  # error page
        (None, "/healthz", 200, True),
        (None, "/static/css/consult.css", 200, False),
        ("member", "/", 200, True),  # a public page made for someone: their name is on it
        ("member", "/account", 200, True),  # account
        ("member", "/account/export", 200, True),  # personal-data export
        ("member", "/my/comments", 200, True),
        ("official", "/manage/", 200, True),  # officials' pages
        ("official", "/manage/consultations/{slug}", 200, True),
        ("official", "/manage/consultations/{slug}/moderation", 200, True),
    ],
)
def test_every_kind_of_page_carries_the_security_headers(client, scene, who, url, status, no_store):
    if who:
        _login(client, scene[who])
    response = client.get(url.format(slug=scene["consultation"].slug))
    assert response.status_code == status
    _assert_base_headers(response)
    assert (response.headers.get("Cache-Control") == "no-store") is no_store


def test_templates_have_no_inline_script_style_or_event_handler():
    """The policy refuses them; this finds one before a browser does."""
    offences = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        text = path.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"<style\b", r"\sstyle=", r"\son[a-z]+\s*=", r"javascript:"):
            offences += [f"{name}: {match.group(0)}" for match in re.finditer(pattern, text, re.IGNORECASE)]
    assert offences == []


def test_the_remember_me_cookie_lasts_30_days_and_is_lax(client, scene):
    response = client.post("/login", data={"email": scene["member"].email, "password": PASSWORD, "remember": "y"})
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("remember_token="))
    attributes = {part.strip().split("=")[0].lower(): part for part in cookie.split(";")}
    expires = parsedate_to_datetime(attributes["expires"].split("=", 1)[1])
    assert timedelta(days=29, hours=23) < expires - datetime.now(UTC) <= timedelta(days=30)
    assert attributes["samesite"].split("=")[1] == "Lax"
    assert "httponly" in attributes
    assert "secure" not in attributes  # development runs on http://127.0.0.1


@pytest.fixture()
def production_app(app, db, monkeypatch):
    """The production configuration as the environment gives it, on the test database."""
    monkeypatch.setenv("CONSULT_ENV", "production")
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.org")  # production refuses to start without a way to send mail
    monkeypatch.setenv("SECRET_KEY", "p" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/consult")
    monkeypatch.setenv("ALLOW_NO_REDIS", "1")
    settings = config.config_from_environment()
    settings.SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
    settings.SERVER_NAME = "localhost"
    settings.TESTING = True
    settings.WTF_CSRF_ENABLED = False
    settings.RATELIMIT_ENABLED = False
    production = create_app(settings)
    yield production
    with production.app_context():
        _db.session.remove()


def test_production_sends_hsts_and_secure_cookies(production_app, scene):
    client = production_app.test_client()
    page = client.get("/", base_url="https://localhost")
    assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    response = client.post(
        "/login",
        data={"email": scene["member"].email, "password": PASSWORD, "remember": "y"},
        base_url="https://localhost",
    )
    assert response.status_code == 302
    cookies = {value.split("=")[0]: value.lower() for value in response.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_token"):
        assert "; secure" in cookies[name] and "samesite=lax" in cookies[name] and "httponly" in cookies[name]


def test_production_refuses_to_frame_even_the_error_pages(production_app):
    response = production_app.test_client().get("/no-such-page", base_url="https://localhost")
    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Strict-Transport-Security"]
