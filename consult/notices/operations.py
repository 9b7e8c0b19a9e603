"""Delivering notices: each by the person's preferences (an e-mail of its own, or kept for the
daily digest), with a one-click unsubscribe link, and "exactly once" for the notices that must not
repeat. The modules that tell people compose the notices; the outreach of a consultation
(announcements, reminders, digests) is in ``consult.notifications``."""

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.dialects import postgresql, sqlite

from consult.accounts.models import User, UserStatus
from consult.accounts.tokens import InvalidLink
from consult.core import mail
from consult.core.errors import InvalidInput
from consult.core.labels import notification_kind_label as kind_label
from consult.core.mail import recipient_locale
from consult.core.time import utcnow
from consult.extensions import db
from consult.notices.models import (
    MEMBER_KINDS,
    OFFICIAL_KINDS,
    DigestItem,
    Kind,
    Notice,
    NotificationLog,
    NotificationSettings,
)

# --- notices: who wants what ----------------------------------------------------------------


def settings_of(user_ids: Iterable[int]) -> dict[int, NotificationSettings]:
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    rows = db.session.scalars(sa.select(NotificationSettings).where(NotificationSettings.user_id.in_(ids)))
    return {row.user_id: row for row in rows}


def wants(settings: NotificationSettings | None, kind: Kind) -> bool:
    return settings is None or kind.value not in (settings.muted or [])


def send_notices(notices: Iterable[Notice]) -> int:
    """Queue each notice as an e-mail, or keep it for the person's daily digest; skip turned-off kinds.

    Call it before the commit: the e-mails go out when the change is saved, or not at all.
    """
    notices = [n for n in notices if n.user.status == UserStatus.ACTIVE and n.user.email]
    settings = settings_of(n.user.id for n in notices)
    mails = []
    told = 0
    for notice in notices:
        chosen = settings.get(notice.user.id)
        if not wants(chosen, notice.kind):
            continue
        told += 1
        if chosen is not None and chosen.daily_digest:
            db.session.add(
                DigestItem(user_id=notice.user.id, kind=notice.kind.value, subject=notice.subject, text=notice.text)
            )
            continue
        with force_locale(recipient_locale(notice.user)):
            mails.append(notice_mail(notice.user, notice.kind.value, notice.subject, notice.text))
    mail.queue(*mails)
    return told


def notice_mail(user: User, kind: str, subject: str, text: str) -> mail.Mail:
    """The e-mail of a notice: the text, a footer with the one-click unsubscribe link, and the
    ``List-Unsubscribe`` headers that let a mail program offer the same (RFC 2369, RFC 8058)."""
    unsubscribe = mail.external_url("notifications.unsubscribe", token=unsubscribe_token(user, kind))
    footer = _(
        "You receive this because of your e-mail settings (%(kind)s).\n"
        "Stop these e-mails with one click: %(unsubscribe)s\n"
        "All your e-mail settings: %(settings)s",
        kind=kind_label(kind),
        unsubscribe=unsubscribe,
        settings=mail.external_url("notifications.edit_settings"),
    )
    return mail.compose(
        user.email,
        subject,
        f"{text}\n\n-- \n{footer}",
        kind=f"notifications.{kind}",
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


# --- preferences and unsubscribing ------------------------------------------------------------

ALL = "all"  # the unsubscribe link of a digest: every kind at once
_UNSUBSCRIBE_SALT = "unsubscribe"


def kinds_for(user: User) -> tuple[Kind, ...]:
    return MEMBER_KINDS + OFFICIAL_KINDS if user.is_official else MEMBER_KINDS


def unsubscribe_token(user: User, kind: str) -> str:
    """Signed, not expiring (an old e-mail's link must still work), specific to the person and the kind."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_UNSUBSCRIBE_SALT).dumps([user.id, kind])


@dataclass(frozen=True)
class Unsubscription:
    user: User
    kind: str
    already: bool  # the link had been used (or the kind turned off) before


def read_unsubscribe_token(token: str) -> tuple[User, str]:
    invalid = _(
        "This unsubscribe link is not valid: it may have been cut or changed. "
        "Sign in and choose what you hear about in your e-mail settings."
    )
    try:
        user_id, kind = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_UNSUBSCRIBE_SALT).loads(token)
    except (BadSignature, ValueError, TypeError) as error:
        raise InvalidLink(invalid) from error
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or user.status != UserStatus.ACTIVE or kind not in {k.value for k in Kind} | {ALL}:
        raise InvalidLink(invalid)
    return user, kind


def unsubscribe(token: str) -> Unsubscription:
    user, kind = read_unsubscribe_token(token)
    kinds = [k.value for k in kinds_for(user)] if kind == ALL else [kind]
    settings = _settings_row(user)
    muted = set(settings.muted or [])
    already = set(kinds) <= muted and (kind != ALL or not settings.daily_digest)
    settings.muted = sorted(muted | set(kinds))
    db.session.flush()
    return Unsubscription(user=user, kind=kind, already=already)


def _settings_row(user: User) -> NotificationSettings:
    row = db.session.get(NotificationSettings, user.id)
    if row is None:
        row = NotificationSettings(user_id=user.id, daily_digest=False, muted=[])
        db.session.add(row)
    return row


def save_settings(user: User, enabled: Iterable[str], daily_digest: bool) -> NotificationSettings:
    allowed = {k.value for k in kinds_for(user)}
    enabled_set = set(enabled)
    unknown = enabled_set - allowed
    if unknown:
        raise InvalidInput(_("Choose from the kinds listed."), field="kinds")
    row = _settings_row(user)
    keep = set(row.muted or []) - allowed  # kinds this person cannot choose now stay as they were
    row.muted = sorted(keep | (allowed - enabled_set))
    row.daily_digest = bool(daily_digest)
    db.session.flush()
    return row


# --- exactly once -----------------------------------------------------------------------------


def claim(kind: str, key: str, user_ids: Iterable[int]) -> set[int]:
    """Record "told" for each person; return those this transaction recorded (the others had been).

    ``INSERT … ON CONFLICT DO NOTHING RETURNING``: of two runs at once, the second waits
    for the first to commit and then finds the rows there, so each person is told once.
    """
    ids = sorted(set(user_ids))
    if not ids:
        return set()
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    statement = (
        insert(NotificationLog)
        .values([{"user_id": i, "kind": kind, "key": key, "created_at": now} for i in ids])
        .on_conflict_do_nothing(index_elements=["user_id", "kind", "key"])
        .returning(NotificationLog.user_id)
    )
    return set(db.session.scalars(statement))
