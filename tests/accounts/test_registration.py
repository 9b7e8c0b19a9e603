import re

import pytest
import sqlalchemy as sa

from consult.accounts.models import User


def _link(message, path: str) -> str:
    match = re.search(rf"http://localhost({path}[^\s]+)", message.body)
    assert match, message.body
    return match.group(1)


def _register(client, email="nowa@example.org", password="zielone-jabłko-na-wiośnie", name="Ewa Nowak"):
    return client.post(
        "/register", data={"display_name": name, "email": email, "password": password, "password_repeat": password}
    )


def test_register_confirm_and_sign_in(client, db, mail_outbox):
    response = _register(client)
    assert response.status_code == 200
    assert "nowa@example.org" in response.get_data(as_text=True)
    user = db.session.scalar(sa.select(User))
    assert user.email_confirmed_at is None and user.password_hash.startswith("pbkdf2:")

    # Before confirming, signing in only re-sends the link.
    before = client.post("/login", data={"email": "nowa@example.org", "password": "zielone-jabłko-na-wiośnie"})
    assert before.status_code == 422 and "potwierdź adres" in before.get_data(as_text=True)

    link = _link(mail_outbox[0], "/confirm/")
    assert client.get(link).status_code == 302
    db.session.expire_all()
    assert user.email_confirmed_at is not None
    assert client.get("/my/organisations").status_code == 200  # signed in by the link

    again = client.get(link)  # the same link twice changes nothing
    assert again.status_code == 409 and "już potwierdzony" in again.get_data(as_text=True)


def test_registering_an_existing_address_looks_the_same_and_warns_the_owner(client, db, create_user, mail_outbox):
    owner = create_user(email="zajety@example.org")
    new = _register(client, email="wolny@example.org").get_data(as_text=True)
    taken = _register(client, email="zajety@example.org").get_data(as_text=True)
    assert new.replace("wolny", "X") == taken.replace("zajety", "X")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 2
    assert mail_outbox[-1].to == owner.email and "/forgot-password" in mail_outbox[-1].body


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"email": "to-nie-jest-adres"}, "email", "prawidłowy adres"),
        ({"email": "ktoś@"}, "email", "prawidłowy adres"),
        ({"password": "krótkie1", "password_repeat": "krótkie1"}, "password", "co najmniej 10"),
        ({"password": "qwerty123456", "password_repeat": "qwerty123456"}, "password", "popularne"),
        ({"password": "aaaaaaaaaaaa", "password_repeat": "aaaaaaaaaaaa"}, "password", "popularne"),
        (
            {"password": "zielone-jabłko-1", "password_repeat": "zielone-jabłko-2"},
            "password_repeat",
            "nie są takie same",
        ),
        ({"display_name": ""}, "display_name", "wymagane"),
    ],
)
def test_bad_registrations_are_refused_with_a_message(client, db, mail_outbox, data, field, words):
    form = {
        "display_name": "Ewa",
        "email": "ewa@example.org",
        "password": "zielone-jabłko-na-wiośnie",
        "password_repeat": "zielone-jabłko-na-wiośnie",
        **data,
    }
    response = client.post("/register", data=form)
    assert response.status_code == 422
    error = re.search(rf'id="{field}-error">([^<]*)<', response.get_data(as_text=True))
    assert error and words in error.group(1)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
    assert mail_outbox == []


@pytest.mark.parametrize("mangle", [lambda t: t[:-3] + "xyz", lambda t: "nonsense", lambda t: t[5:]])
def test_a_tampered_confirmation_link_is_refused(client, db, mail_outbox, mangle):
    _register(client)
    token = _link(mail_outbox[0], "/confirm/").removeprefix("/confirm/")
    response = client.get(f"/confirm/{mangle(token)}")
    assert response.status_code == 422 and "nieprawidłowy" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(User.email_confirmed_at)) is None


def test_an_expired_confirmation_link_is_refused(client, db, mail_outbox, monkeypatch):
    from consult.accounts import tokens

    _register(client)
    link = _link(mail_outbox[0], "/confirm/")
    monkeypatch.setattr(tokens, "CONFIRM_EMAIL", ("confirm-email", -1))
    response = client.get(link)
    assert response.status_code == 422 and "wygasł" in response.get_data(as_text=True)
