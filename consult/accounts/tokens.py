"""Signed, expiring links (confirm e-mail, reset password, invitation, new e-mail).

Each purpose has its own salt, so a link made for one cannot be used for another.
A link is single-use because its payload names the state it expects: the reset
link carries a fingerprint of the current password hash (a new password ends it),
the invitation its still-pending membership, the confirmation an unconfirmed address.
"""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from consult.core.errors import InvalidInput

CONFIRM_EMAIL = ("confirm-email", 3 * 24 * 3600)
RESET_PASSWORD = ("reset-password", 2 * 3600)
INVITATION = ("invitation", 14 * 24 * 3600)
CHANGE_EMAIL = ("change-email", 24 * 3600)


class ExpiredLink(InvalidInput):
    code = "link_expired"


class InvalidLink(InvalidInput):
    code = "link_invalid"


def _serializer(purpose: tuple[str, int]) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose[0])


def make_token(purpose: tuple[str, int], payload: dict) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: tuple[str, int], token: str, expired_message: str, invalid_message: str) -> dict:
    try:
        return _serializer(purpose).loads(token, max_age=purpose[1])
    except SignatureExpired as error:
        raise ExpiredLink(expired_message) from error
    except BadSignature as error:
        raise InvalidLink(invalid_message) from error


def fingerprint(value: str | None) -> str:
    return hashlib.sha256((value or "").encode()).hexdigest()[:16]
