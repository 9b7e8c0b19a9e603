import re

import pytest
import sqlalchemy as sa

from consult.accounts.models import User
from tests.conftest import PASSWORD


def _reset_link(mail_outbox) -> str:
    return re.search(r"http://localhost(/reset-password/\S+)", mail_outbox[-1].body).group(1)


def test_forgot_password_says_the_same_for_known_and_unknown_addresses(client, create_user, mail_outbox):
    create_user(email="znany@example.org")
    known = client.post("/forgot-password", data={"email": "znany@example.org"}).get_data(as_text=True)
    unknown = client.post("/forgot-password", data={"email": "obcy@example.org"}).get_data(as_text=True)
    assert known.replace("znany", "X") == unknown.replace("obcy", "X")
    assert [m.to for m in mail_outbox] == ["znany@example.org"]


def test_reset_link_sets_a_new_password_once(client, db, create_user, mail_outbox):
    user = create_user(email="anna@example.org")
    client.post("/forgot-password", data={"email": "anna@example.org"})
    link = _reset_link(mail_outbox)
    weak = client.post(link, data={"password": "1234567890", "password_repeat": "1234567890"})
    assert weak.status_code == 422
    ok = client.post(link, data={"password": "nowe-hasło-do-konta", "password_repeat": "nowe-hasło-do-konta"})
    assert ok.status_code == 302
    client.post("/logout")
    used_again = client.post(link, data={"password": "inne-hasło-do-konta", "password_repeat": "inne-hasło-do-konta"})
    assert used_again.status_code == 422 and "już użyty" in used_again.get_data(as_text=True)
    assert client.post("/login", data={"email": user.email, "password": "nowe-hasło-do-konta"}).status_code == 302


def test_sign_out_ends_the_session_and_other_cookies_of_the_account(app, client, create_user, login):
    user = create_user()
    login(user)
    other_device = app.test_client()
    other_device.post("/login", data={"email": user.email, "password": PASSWORD})
    assert other_device.get("/account").status_code == 200
    client.post("/logout")
    assert client.get("/account").status_code == 302
    assert other_device.get("/account").status_code == 302  # its token was rotated away


def test_change_password_keeps_this_session_and_checks_the_current_one(client, db, create_user, login):
    user = create_user()
    login(user)
    wrong = client.post(
        "/account/password",
        data={
            "pw-current_password": "zle-haslo-123",
            "pw-new_password": "nowe-hasło-do-konta",
            "pw-password_repeat": "nowe-hasło-do-konta",
        },
    )
    assert wrong.status_code == 422 and "Obecne hasło" in wrong.get_data(as_text=True)
    ok = client.post(
        "/account/password",
        data={
            "pw-current_password": PASSWORD,
            "pw-new_password": "nowe-hasło-do-konta",
            "pw-password_repeat": "nowe-hasło-do-konta",
        },
    )
    assert ok.status_code == 302
    assert client.get("/account").status_code == 200


def test_change_email_through_a_link_sent_to_the_new_address(client, db, create_user, login, mail_outbox):
    user = create_user(email="stary@example.org")
    login(user)
    response = client.post("/account/email", data={"em-new_email": "Nowy@Example.org", "em-password": PASSWORD})
    assert response.status_code == 302
    assert mail_outbox[-1].to == "nowy@example.org"
    db.session.expire_all()
    assert user.email == "stary@example.org"
    link = re.search(r"http://localhost(/account/email/\S+)", mail_outbox[-1].body).group(1)
    assert client.get(link).status_code == 302
    db.session.expire_all()
    assert user.email == "nowy@example.org"
    assert client.get(link).status_code == 422  # used once


def test_change_email_to_one_already_taken_is_refused(client, db, create_user, login, mail_outbox):
    create_user(email="zajety@example.org")
    user = create_user(email="moj@example.org")
    login(user)
    client.post("/account/email", data={"em-new_email": "zajety@example.org", "em-password": PASSWORD})
    link = re.search(r"http://localhost(/account/email/\S+)", mail_outbox[-1].body).group(1)
    response = client.get(link)
    assert response.status_code == 409
    db.session.expire_all()
    assert user.email == "moj@example.org"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/consultations/x", "/consultations/x"),
        ("https://evil.example", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_next_never_leaves_the_site(client, create_user, target, expected):
    user = create_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_wrong_password_and_unknown_address_get_the_same_answer(client, create_user):
    user = create_user()
    wrong = client.post("/login", data={"email": user.email, "password": "nie-to-haslo-123"})
    unknown = client.post("/login", data={"email": "nikt@example.org", "password": "nie-to-haslo-123"})
    assert wrong.status_code == unknown.status_code == 422
    assert "Nieprawidłowy e-mail lub hasło" in wrong.get_data(as_text=True)
    assert wrong.get_data(as_text=True).replace(user.email, "X") == unknown.get_data(as_text=True).replace(
        "nikt@example.org", "X"
    )


def test_personal_data_download_and_account_deletion(client, db, create_user, create_organisation, login):
    user = create_user(email="ewa@example.org", display_name="Ewa Nowak")
    organisation = create_organisation("Fundacja Ewy", members=[user])
    login(user)
    export = client.get("/account/export")
    assert export.status_code == 200 and export.mimetype == "application/json"
    data = export.get_json()
    assert data["account"]["email"] == "ewa@example.org"
    assert data["memberships"][0]["organisation"] == "Fundacja Ewy"
    assert data["email_settings"] == {"daily_digest": False, "turned_off": []}
    assert data["emails"] == []

    refused = client.post("/account/delete", data={"del-password": "zle-haslo-123", "del-confirm": "y"})
    assert refused.status_code == 422
    assert client.post("/account/delete", data={"del-password": PASSWORD, "del-confirm": "y"}).status_code == 302
    db.session.expire_all()
    assert user.email is None and user.display_name == "" and user.password_hash is None
    assert organisation.name == "Fundacja Ewy"
    assert client.get("/account").status_code == 302
    assert client.post("/login", data={"email": "ewa@example.org", "password": PASSWORD}).status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_the_data_export_lists_e_mail_settings_and_messages_and_deletion_erases_them(
    client, db, create_user, login, mail_outbox
):
    from consult.core.models import OutboxMessage
    from consult.notices.models import DigestItem, NotificationSettings

    user = create_user(email="ewa@example.org")
    db.session.add(NotificationSettings(user_id=user.id, daily_digest=True, muted=["meeting"]))
    db.session.add(DigestItem(user_id=user.id, kind="new_version", subject="Nowa wersja", text="…"))
    db.session.commit()
    login(user)
    client.post("/forgot-password", data={"email": "ewa@example.org"})
    data = client.get("/account/export").get_json()
    assert data["email_settings"] == {"daily_digest": True, "turned_off": ["meeting"]}
    assert [(m["subject"], m["status"]) for m in data["emails"]] == [("Ustaw nowe hasło", "sent")]
    client.post("/account/delete", data={"del-password": PASSWORD, "del-confirm": "y"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DigestItem)) == 0


def test_production_hashes_passwords_with_scrypt():
    from config import DevelopmentConfig
    from consult.accounts.passwords import hash_password, password_matches

    assert not hasattr(DevelopmentConfig, "PASSWORD_HASH_METHOD")  # only the tests choose a cheaper method
    hashed = hash_password("długie-hasło-konta")
    assert hashed.startswith("scrypt:") and password_matches(hashed, "długie-hasło-konta")


@pytest.mark.parametrize(
    ("new_email", "password", "words"),
    [
        ("nowy@example.org", "nie-to-hasło", "Obecne hasło jest nieprawidłowe"),
        ("STARY@example.org", PASSWORD, "To jest już Twój adres e-mail"),
    ],
)
def test_a_refused_e_mail_change_shows_the_form_again_and_sends_nothing(
    client, create_user, login, mail_outbox, new_email, password, words
):
    login(create_user(email="stary@example.org"))
    response = client.post("/account/email", data={"em-new_email": new_email, "em-password": password})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert words in page
    assert f'value="{new_email}"' in page  # what was typed is kept
    assert mail_outbox == []
