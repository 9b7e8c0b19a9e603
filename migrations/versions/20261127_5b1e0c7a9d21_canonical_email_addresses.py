"""Canonical e-mail addresses: NFKC, case-folded local part, IDNA domain

Revision ID: 5b1e0c7a9d21
Revises: d98901e6462b
Create Date: 2026-11-27 09:00:00

Accounts are looked up by the canonical form of the address (consult/accounts/
addresses.py); the addresses already stored are brought to that form here.

Collisions: two accounts whose addresses differ only in spelling (``anna@ｅxample.org``
and ``anna@example.org``) reach one mailbox, so they belong to one person. Nothing is
merged or deleted: the address stays with one account, chosen in this order: a
confirmed address, the most recent sign-in, the oldest account. The others lose the
address (their rows, memberships and comments stay; their sessions end, and they can
no longer sign in) and an audit entry ``user.email_collision`` keeps the spelling they
had and names the account that kept it, so an administrator can see what happened.
The migration prints one line per such account.

Downgrade leaves the addresses canonical: the old spelling is not kept (except in the
audit entries above), and canonical addresses work with the previous code too.
"""
import json
import secrets
import unicodedata
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op
from email_validator import EmailNotValidError, validate_email

revision = '5b1e0c7a9d21'
down_revision = 'd98901e6462b'
branch_labels = None
depends_on = None


def _fold(text):
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def _canonical(raw):
    """The rule of consult.accounts.addresses.canonical_email, frozen as it was here."""
    text = unicodedata.normalize("NFKC", (raw or "").strip())
    local, at, domain = text.rpartition("@")
    try:
        valid = validate_email(f"{_fold(local)}{at}{domain}", check_deliverability=False)
    except EmailNotValidError:
        return raw  # not an address at all: left as it is
    return f"{_fold(valid.local_part)}@{valid.domain}"


def _keeper_order(row):
    confirmed = row.email_confirmed_at is not None
    last_login = row.last_login_at.timestamp() if isinstance(row.last_login_at, datetime) else 0
    return (not confirmed, -last_login, row.id)


def upgrade():
    connection = op.get_bind()
    users = sa.table(
        'users',
        sa.column('id', sa.Integer),
        sa.column('email', sa.String),
        sa.column('email_confirmed_at', sa.DateTime(timezone=True)),
        sa.column('last_login_at', sa.DateTime(timezone=True)),
        sa.column('session_token', sa.String),
    )
    audit = sa.table(
        'audit_log',
        sa.column('action', sa.String),
        sa.column('object_type', sa.String),
        sa.column('object_id', sa.Integer),
        sa.column('before', sa.JSON),
        sa.column('after', sa.JSON),
        sa.column('created_at', sa.DateTime(timezone=True)),
    )
    memberships = sa.table('memberships', sa.column('id', sa.Integer), sa.column('invited_email', sa.String))

    groups = {}
    for row in connection.execute(
        sa.select(users.c.id, users.c.email, users.c.email_confirmed_at, users.c.last_login_at).where(
            users.c.email.is_not(None)
        )
    ):
        groups.setdefault(_canonical(row.email), []).append(row)

    renames = []
    for address, rows in groups.items():
        rows.sort(key=_keeper_order)
        keeper, others = rows[0], rows[1:]
        for other in others:
            # First free the address, so the unique index never sees it twice.
            connection.execute(
                users.update()
                .where(users.c.id == other.id)
                .values(email=None, session_token=secrets.token_urlsafe(24))
            )
            connection.execute(
                audit.insert().values(
                    action='user.email_collision',
                    object_type='users',
                    object_id=other.id,
                    before={'email': other.email},
                    after={'email': None, 'address_kept_by_user': keeper.id, 'address': address},
                    created_at=datetime.now(timezone.utc),
                )
            )
            print(
                f"consult: account {other.id} ({json.dumps(other.email)}) has the address of account "
                f"{keeper.id} in another spelling; the address stays with account {keeper.id}."
            )
        if keeper.email != address:
            renames.append((keeper.id, address))
    for user_id, address in renames:
        connection.execute(users.update().where(users.c.id == user_id).values(email=address))

    for row in connection.execute(
        sa.select(memberships.c.id, memberships.c.invited_email).where(memberships.c.invited_email.is_not(None))
    ).all():
        address = _canonical(row.invited_email)
        if address != row.invited_email:
            connection.execute(memberships.update().where(memberships.c.id == row.id).values(invited_email=address))


def downgrade():
    pass  # the canonical spelling is a valid spelling for the earlier code too
