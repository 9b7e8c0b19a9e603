"""Configuration read from the environment.

Development needs nothing set: SQLite under ``instance/`` and a secret key generated
once and kept in ``instance/secret_key``. Production (``CONSULT_ENV=production``)
refuses to start without ``SECRET_KEY``, ``DATABASE_URL`` and ``REDIS_URL`` (the last
unless ``ALLOW_NO_REDIS=1``); docs/deploy.md lists every variable.
"""

import os
import re
import secrets
from datetime import date, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("CONSULT_INSTANCE_DIR", BASE_DIR / "instance"))


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # Heroku-style URLs name the scheme "postgres"; SQLAlchemy wants the driver named.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _development_secret_key() -> str:
    """A key kept in instance/ so sessions survive a restart of the dev server."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def _count(name: str, default: int = 0) -> int:
    """A small non-negative integer setting; a typo stops the start instead of meaning 0."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) > 10:
        raise RuntimeError(f"{name} must be a number from 0 to 10, not {value!r}.")
    return int(value)


def _days(name: str, default: int, low: int, high: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isascii() or not value.isdigit() or not low <= int(value) <= high:
        raise RuntimeError(f"{name} must be a number of days from {low} to {high}, not {value!r}.")
    return int(value)


def _date(name: str, default: date) -> date:
    """A date written YYYY-MM-DD, in this century: a typo stops the start instead of printing it."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        day = date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None
    except ValueError:
        day = None
    if day is None or not 2000 <= day.year <= 2100:
        raise RuntimeError(f"{name} must be a date written YYYY-MM-DD (2000-2100), not {value!r}.")
    return day


def _text(name: str, max_length: int = 300) -> str:
    """One line of text for a page: control characters and runs of spaces go; too long stops the start."""
    value = " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", os.environ.get(name, "")).split())
    if len(value) > max_length:
        raise RuntimeError(f"{name} may have at most {max_length} characters.")
    return value


def _review_after_preparation(prepared: date, reviewed: date) -> date:
    if reviewed < prepared:
        raise RuntimeError("ACCESSIBILITY_REVIEWED_ON cannot be earlier than ACCESSIBILITY_PREPARED_ON.")
    return reviewed


# The accessibility statement of this version of the software was written on this day.
STATEMENT_WRITTEN_ON = date(2026, 11, 30)


class Config:
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'consult.sqlite'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL")
    # A little over the largest file a form takes (10 MB attachments, 5 MB drafts), so the form names it.
    MAX_CONTENT_LENGTH = 11 * 1024 * 1024
    ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    # Attachments' bytes go to this directory (named by their SHA-256) instead of the database.
    ATTACHMENTS_DIR = os.environ.get("ATTACHMENTS_DIR") or None
    BABEL_DEFAULT_LOCALE = "pl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Warsaw"
    SUPPORTED_LOCALES = ("pl", "en")
    WTF_CSRF_TIME_LIMIT = None  # a long comment must not be lost to an expired token
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Failed sign-ins (consult/accounts/throttle.py): per account and client address, and a
    # much higher ceiling per account alone; a password reset lifts both.
    LOGIN_LIMIT_PER_ADDRESS = os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "10 per 15 minutes")
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "100 per hour")
    TOTP_ISSUER = os.environ.get("TOTP_ISSUER", "Consult")  # the name authenticator apps show
    # How many reverse proxies stand in front (nginx: 1). Their X-Forwarded-For/-Proto/-Host
    # and X-Request-Start are believed; with 0 (the default) a forged header changes nothing.
    TRUSTED_PROXIES = _count("TRUSTED_PROXIES")
    # "json": one JSON line per request on the "consult.requests" logger (stderr).
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    HSTS = False  # Strict-Transport-Security: production only (a developer's localhost has no TLS)
    CONSULT_ENV = "development"
    MAIL_SERVER = os.environ.get("MAIL_SERVER")  # unset: see MAIL_BACKEND
    # smtp (the default with MAIL_SERVER), file (.eml under instance/mail/, the development
    # default) or memory (tests); see consult/core/mail.py.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND")
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "20"))
    MAIL_KEEP_SENT_DAYS = int(os.environ.get("MAIL_KEEP_SENT_DAYS", "30"))
    # The address people use, for links in e-mails sent outside a request (cron, workers).
    PUBLIC_URL = os.environ.get("PUBLIC_URL")
    DIGEST_HOUR = int(os.environ.get("DIGEST_HOUR", "7"))  # daily digests go out from this hour (Kraków)
    SEND_DUE_EVERY = int(os.environ.get("SEND_DUE_EVERY", "900"))  # seconds; the RQ worker runs send-due
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", True)
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "konsultacje@localhost")
    # gzip and brotli for pages and JSON. Flask-Compress leaves streamed answers alone: file
    # downloads (send_file) must keep their byte ranges and ETags. The report's CSV and JSON files
    # are gzipped before send_file (reports/serving.py), the streamed list of comments as it is
    # written (api/views.py); PDF, DOCX, ODT and XLSX are compressed already.
    COMPRESS_MIMETYPES = ["text/html", "text/css", "application/javascript", "application/json"]
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_STREAMS = False
    # The shortest consultation that may be published without an administrator's reason: the act
    # requires 7 days; an organiser may require more (Kraków: 21).
    CONSULTATION_MIN_DAYS = _days("CONSULTATION_MIN_DAYS", 7, 7, 365)
    # The accessibility statement: when it was prepared and last reviewed, and the named contact
    # point (unset: the platform's administrator at MAIL_DEFAULT_SENDER).
    ACCESSIBILITY_PREPARED_ON = _date("ACCESSIBILITY_PREPARED_ON", STATEMENT_WRITTEN_ON)
    ACCESSIBILITY_REVIEWED_ON = _review_after_preparation(
        ACCESSIBILITY_PREPARED_ON, _date("ACCESSIBILITY_REVIEWED_ON", ACCESSIBILITY_PREPARED_ON)
    )
    ACCESSIBILITY_CONTACT_NAME = _text("ACCESSIBILITY_CONTACT_NAME")
    ACCESSIBILITY_CONTACT_EMAIL = _text("ACCESSIBILITY_CONTACT_EMAIL", 254)
    ACCESSIBILITY_CONTACT_PHONE = _text("ACCESSIBILITY_CONTACT_PHONE", 40)
    # The data-protection (RODO) notice on registration: who processes the data (the controller,
    # with its address), how to reach its data protection officer, and how long data is kept if
    # the organiser's rules differ from the default wording. Unset: wording that names the
    # organiser of the consultations and MAIL_DEFAULT_SENDER.
    PRIVACY_CONTROLLER = _text("PRIVACY_CONTROLLER", 500)
    PRIVACY_CONTACT = _text("PRIVACY_CONTACT", 254)
    PRIVACY_RETENTION = _text("PRIVACY_RETENTION", 1000)


class DevelopmentConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY") or _development_secret_key()


NO_REDIS_CONSEQUENCE = (
    "without Redis every gunicorn worker counts rate limits on its own (with 3 workers a password "
    "can be guessed 3 times as often) and background jobs (e-mail, report files) run inside the web processes"
)


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS = True
    CONSULT_ENV = "production"

    def __init__(self) -> None:
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not os.environ.get(name)]
        if missing:
            raise RuntimeError("Production configuration needs these environment variables: " + ", ".join(missing))
        if not os.environ.get("REDIS_URL") and not _bool("ALLOW_NO_REDIS"):
            raise RuntimeError(
                f"Production configuration needs REDIS_URL: {NO_REDIS_CONSEQUENCE}. "
                "Set REDIS_URL, or ALLOW_NO_REDIS=1 for an installation with a single worker process."
            )
        self.SECRET_KEY = os.environ["SECRET_KEY"]
        if not os.environ.get("MAIL_SERVER") and os.environ.get("MAIL_BACKEND") != "file":
            raise RuntimeError(
                "Production configuration needs MAIL_SERVER (SMTP) to send e-mail; "
                "set MAIL_BACKEND=file to keep messages as files under instance/mail/ instead."
            )


class TestingConfig(Config):
    TESTING = True
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = _database_url(os.environ.get("TEST_DATABASE_URL", "sqlite://"))
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    SERVER_NAME = "localhost"
    MAIL_SERVER = None
    MAIL_BACKEND = "memory"
    PUBLIC_URL = None


def config_from_environment() -> Config:
    if os.environ.get("CONSULT_ENV") == "production":
        return ProductionConfig()
    return DevelopmentConfig()
