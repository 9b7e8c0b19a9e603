"""One spelling per address: look-alikes are one account, and stored addresses are migrated."""

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from config import TestingConfig
from consult import create_app
from consult.accounts.addresses import InvalidAddress, address_key, canonical_email
from consult.accounts.models import Membership, User
from consult.core.models import AuditEntry
from consult.extensions import db as _db
from tests.conftest import PASSWORD

LOOK_ALIKES = [
    "anna@example.org",
    "Anna@Example.ORG",
    "anna@ｅxample.org",  # full-width e
    "anna@example。org",  # ideographic full stop
    "ａｎｎａ@example.org",  # full-width local part
    " anna@example.org ",
    "ANNA@EXAMPLE．ORG",  # full-width full stop
]


@pytest.mark.parametrize("spelling", LOOK_ALIKES)
def test_look_alike_spellings_have_one_canonical_form(spelling):
    assert canonical_email(spelling) == "anna@example.org"
    assert address_key(spelling) == "anna@example.org"


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("Straße@example.org", "strasse@example.org"),  # case-folding, not only lower-casing
        ("anna@xn--bcher-kva.de", "anna@bücher.de"),  # IDNA: the ASCII and the Unicode domain are one
        ("anna@BÜCHER.de", "anna@bücher.de"),
        ("anna@faß.de", "anna@faß.de"),  # IDNA 2008 keeps ß in a domain: faß.de is not fass.de
    ],
)
def test_case_folding_and_idna(spelling, canonical):
    assert canonical_email(spelling) == canonical
    assert canonical_email(canonical) == canonical  # the rule is stable


@pytest.mark.parametrize(
    "bad", ["", "anna", "anna@", "@example.org", "anna@example", "anna@exa mple.org", "a\x00@b.pl"]
)
def test_what_is_not_an_address_is_refused_but_still_gets_a_key(bad):
    with pytest.raises(InvalidAddress):
        canonical_email(bad)
    assert isinstance(address_key(bad), str)


@pytest.mark.parametrize("spelling", LOOK_ALIKES[1:])
def test_signing_in_with_a_look_alike_reaches_the_one_account(client, db, create_user, spelling):
    create_user(email="anna@example.org")
    response = client.post("/login", data={"email": spelling, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("spelling", ["anna@ｅxample.org", "anna@example。org", "ANNA@example.org"])
def test_registering_a_look_alike_of_an_existing_account_makes_no_second_account(
    client, db, create_user, mail_outbox, spelling
):
    owner = create_user(email="anna@example.org")
    password = "zielone-jabłko-na-wiośnie"
    response = client.post(
        "/register",
        data={"display_name": "Anna", "email": spelling, "password": password, "password_repeat": password},
    )
    assert response.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
    assert mail_outbox[-1].to == owner.email  # the owner is told, as for the exact spelling


def test_a_new_account_is_stored_in_the_canonical_spelling(client, db, mail_outbox):
    password = "zielone-jabłko-na-wiośnie"
    client.post(
        "/register",
        data={"display_name": "Ewa", "email": "ＥＷＡ@Przykład.PL", "password": password, "password_repeat": password},
    )
    assert db.session.scalar(sa.select(User.email)) == "ewa@przykład.pl"


def test_an_admin_cannot_create_a_look_alike_of_an_existing_account(client, db, create_user, login):
    create_user(email="anna@example.org")
    login(create_user("admin"))
    response = client.post(
        "/admin/users",
        data={"display_name": "Anna 2", "email": "anna@ｅxample.org", "role": "official", "password": PASSWORD},
    )
    assert response.status_code == 409
    assert "już istnieje" in response.get_data(as_text=True)


def _migrated_app(url):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    return create_app(Config)


def test_the_migration_normalises_stored_addresses_and_keeps_collisions_apart(empty_database_url):
    app = _migrated_app(empty_database_url)
    with app.app_context():
        upgrade(revision="d98901e6462b")
        engine = _db.engine
        now = "2026-11-01 10:00:00"
        with engine.begin() as connection:
            rows = [
                # id, stored address, confirmed, last sign-in
                (1, "anna@example.org", None, None),  # never confirmed
                (2, "anna@ｅxample.org", now, "2026-11-02 10:00:00"),  # confirmed: keeps the address
                (3, "ａｎｎａ@example.org", now, "2026-10-01 10:00:00"),
                (4, "jan@Bücher.de", now, None),  # alone: just normalised
                (5, "ewa@example.org", now, None),  # already canonical
            ]
            for user_id, email, confirmed, last_login in rows:
                connection.execute(
                    sa.text(
                        "INSERT INTO users (id, email, display_name, role, status, session_token, created_at, "
                        "email_confirmed_at, last_login_at) VALUES (:id, :email, '', 'member', 'active', :token, "
                        ":now, :confirmed, :last_login)"
                    ),
                    {
                        "id": user_id,
                        "email": email,
                        "token": f"token-{user_id}",
                        "now": now,
                        "confirmed": confirmed,
                        "last_login": last_login,
                    },
                )
            connection.execute(
                sa.text(
                    "INSERT INTO organisations (id, name, legal_form, address, status, created_at) "
                    "VALUES (1, 'Fundacja', '', '', 'verified', :now)"
                ),
                {"now": now},
            )
            connection.execute(
                sa.text(
                    "INSERT INTO memberships (id, organisation_id, invited_email, status, created_at) "
                    "VALUES (1, 1, 'OLA@ｅxample.org', 'invited', :now)"
                ),
                {"now": now},
            )
        upgrade()
        emails = dict(_db.session.execute(sa.select(User.id, User.email)).all())
        assert emails == {1: None, 2: "anna@example.org", 3: None, 4: "jan@bücher.de", 5: "ewa@example.org"}
        tokens = dict(_db.session.execute(sa.select(User.id, User.session_token)).all())
        assert tokens[1] != "token-1" and tokens[3] != "token-3" and tokens[2] == "token-2"  # their sessions end
        collisions = _db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "user.email_collision").order_by(AuditEntry.object_id)
        ).all()
        assert [(e.object_id, e.before["email"], e.after["address_kept_by_user"]) for e in collisions] == [
            (1, "anna@example.org", 2),
            (3, "ａｎｎａ@example.org", 2),
        ]
        assert _db.session.scalar(sa.select(Membership.invited_email)) == "ola@example.org"

        # End the session's read transaction first: on PostgreSQL a downgrade that drops a table
        # referring to users (the notifications' tables) waits for every transaction that read users.
        _db.session.rollback()
        downgrade(revision="d98901e6462b")  # keeps the canonical spelling
        assert _db.session.execute(sa.text("SELECT email FROM users WHERE id = 4")).scalar() == "jan@bücher.de"
        _db.session.remove()
        engine.dispose()
