"""Password rules: long enough, not a common one, not the e-mail address."""

from functools import cache
from pathlib import Path

from flask import current_app, has_app_context
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from consult.core.errors import InvalidInput

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
_COMMON_FILE = Path(__file__).with_name("common_passwords.txt")


@cache
def _common_passwords() -> frozenset[str]:
    lines = _COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def check_password_rules(password: str, email: str | None = None, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            _("The password must have at least %(num)d characters.", num=MIN_PASSWORD_LENGTH), field=field
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(_("The password may have at most %(num)d characters.", num=MAX_PASSWORD_LENGTH), field=field)
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) <= 2:
        raise InvalidInput(_("This password is too common and easy to guess. Choose another one."), field=field)
    if email and lowered == email.lower():
        raise InvalidInput(_("The password must not be your e-mail address."), field=field)


def hash_password(password: str) -> str:
    # scrypt (Werkzeug's current default); the test configuration picks a cheap
    # method so that a thousand test accounts do not take minutes.
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
    return generate_password_hash(password, method=method)


def password_matches(password_hash: str | None, password: str) -> bool:
    return bool(password_hash) and check_password_hash(password_hash, password)
