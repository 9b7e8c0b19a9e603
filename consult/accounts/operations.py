"""Accounts: creating users and checking passwords."""

import sqlalchemy as sa
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from consult.accounts.models import User, UserRole, UserStatus
from consult.core import audit
from consult.core.errors import Conflict, InvalidInput
from consult.core.time import utcnow
from consult.extensions import db

MIN_PASSWORD_LENGTH = 10
# Checked against when nobody has that e-mail, so a wrong address takes as long
# as a wrong password and the timing does not reveal which accounts exist.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def set_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(_("The password must have at least %(num)d characters.", num=MIN_PASSWORD_LENGTH),
                           field="password")
    user.password_hash = generate_password_hash(password)  # scrypt, Werkzeug's current default


def create_user(actor, email: str, role: UserRole, password: str, display_name: str = "",
                confirmed: bool = True) -> User:
    email = normalise_email(email)
    if "@" not in email:
        raise InvalidInput(_("Enter a valid e-mail address."), field="email")
    if db.session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise Conflict(_("An account with this e-mail address already exists."), field="email")
    user = User(email=email, role=role, display_name=display_name or email.split("@")[0],
                email_confirmed_at=utcnow() if confirmed else None)
    set_password(user, password)
    db.session.add(user)
    db.session.flush()
    if actor is not None:
        audit.record(actor, "user.create", user, after={"email": email, "role": role.value})
    return user


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    if user is None or user.password_hash is None or user.status != UserStatus.ACTIVE:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    user.last_login_at = utcnow()
    return user
