"""Two-factor sign-in for officials and admins: set-up, sign-in, bad, replayed and used codes, the admins' setting."""

import re
import time

import pyotp
import pytest
import sqlalchemy as sa

from consult.accounts import operations, two_factor
from consult.accounts.models import RecoveryCode, UserRole
from consult.core.models import AuditEntry
from tests.accounts.test_sign_in_throttle import tight_app  # noqa: F401 (a fixture)
from tests.conftest import PASSWORD


def _code(secret: str, offset_steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)


def _turn_on(db, user) -> tuple[str, list[str]]:
    """Two-factor sign-in on, as the set-up page leaves it: (secret, recovery codes)."""
    secret = operations.start_two_factor(user)
    codes = operations.enable_two_factor(user, _code(secret))
    db.session.commit()
    return secret, codes


def _password_step(client, user, password=PASSWORD):
    return client.post("/login", data={"email": user.email, "password": password})


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_setting_up_shows_the_key_and_turns_on_with_a_right_code(client, db, create_user, login):
    official = create_user(UserRole.OFFICIAL)
    login(official)
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "Skonfiguruj logowanie dwuetapowe" in page
    assert client.post("/account/two-factor/start").status_code == 302
    page = client.get("/account/two-factor").get_data(as_text=True)
    db.session.refresh(official)
    secret = official.totp_secret
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page  # the key in text
    assert "otpauth://totp/" in page and f"secret={secret}" in page  # the address for the app
    assert "<svg" in page and "<script" not in page  # and a QR code

    wrong = client.post("/account/two-factor/enable", data={"on-code": "000000"})
    assert wrong.status_code == 422 and "Kod nie jest poprawny" in wrong.get_data(as_text=True)
    db.session.refresh(official)
    assert not official.has_two_factor

    done = client.post("/account/two-factor/enable", data={"on-code": _code(secret)})
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    codes = re.findall(r"<code>([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})</code>", done.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    db.session.refresh(official)
    assert official.has_two_factor
    stored = db.session.scalars(sa.select(RecoveryCode.code_hash).where(RecoveryCode.user_id == official.id)).all()
    assert sorted(stored) == sorted(two_factor.recovery_code_hash(c) for c in codes)  # digests, never the codes
    assert db.session.scalar(sa.select(AuditEntry.action).order_by(AuditEntry.id.desc())) == "user.two_factor_enable"


def test_signing_in_needs_the_code_after_the_password(client, db, create_user):
    official = create_user(UserRole.OFFICIAL)
    secret, _codes = _turn_on(db, official)
    step = _password_step(client, official)
    assert step.status_code == 302 and step.headers["Location"].endswith("/login/code")
    assert not _signed_in(client)  # the password alone does not sign in
    page = client.get("/login/code").get_data(as_text=True)
    assert 'autocomplete="one-time-code"' in page

    done = client.post("/login/code", data={"code": _code(secret, +1)})
    assert done.status_code == 302
    assert _signed_in(client)


@pytest.mark.parametrize("bad", ["000000", "12345", "1234567", "abcdef", "ABCD-EFGH-JKLM", " ", "0" * 40])
def test_bad_codes_are_refused_and_do_not_sign_in(client, db, create_user, bad):
    official = create_user(UserRole.OFFICIAL)
    secret, _codes = _turn_on(db, official)
    if bad == _code(secret) or bad == _code(secret, 1) or bad == _code(secret, -1):
        pytest.skip("the random secret happens to give this code now")
    _password_step(client, official)
    response = client.post("/login/code", data={"code": bad})
    assert response.status_code == 422
    assert not _signed_in(client)


def test_a_replayed_code_is_refused(client, db, create_user):
    official = create_user(UserRole.OFFICIAL)
    secret, _codes = _turn_on(db, official)  # used the current step
    _password_step(client, official)
    code = _code(secret, +1)
    assert client.post("/login/code", data={"code": code}).status_code == 302
    client.post("/logout")

    _password_step(client, official)
    again = client.post("/login/code", data={"code": code})
    assert again.status_code == 422
    assert "Ten kod został już użyty" in again.get_data(as_text=True)
    earlier = client.post("/login/code", data={"code": _code(secret)})  # the step used to turn it on
    assert earlier.status_code == 422
    assert not _signed_in(client)


def test_a_recovery_code_signs_in_once(client, db, create_user):
    official = create_user(UserRole.OFFICIAL)
    _secret, codes = _turn_on(db, official)
    _password_step(client, official)
    done = client.post("/login/code", data={"code": codes[3].lower().replace("-", " ")}, follow_redirects=True)
    assert "Użyto kodu zapasowego; zostało 9" in done.get_data(as_text=True)
    assert _signed_in(client)
    client.post("/logout")

    _password_step(client, official)
    used = client.post("/login/code", data={"code": codes[3]})
    assert used.status_code == 422
    assert "został już użyty" in used.get_data(as_text=True)
    assert not _signed_in(client)


def test_new_recovery_codes_replace_the_old_ones(client, db, create_user, login):
    official = create_user(UserRole.OFFICIAL)
    secret, old = _turn_on(db, official)
    _password_step(client, official)
    client.post("/login/code", data={"code": old[0]})
    response = client.post("/account/two-factor/recovery-codes", data={"codes-code": _code(secret, +1)})
    new = re.findall(r"<code>([A-Z2-9-]{14})</code>", response.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/logout")
    _password_step(client, official)
    assert client.post("/login/code", data={"code": old[1]}).status_code == 422
    assert client.post("/login/code", data={"code": new[0]}).status_code == 302


def test_the_second_step_expires_and_dies_with_a_new_password(client, db, create_user, monkeypatch):
    official = create_user(UserRole.OFFICIAL)
    secret, _codes = _turn_on(db, official)
    assert client.get("/login/code").status_code == 302  # nothing pending

    _password_step(client, official)
    official.rotate_session_token()  # e.g. the password changed meanwhile
    db.session.commit()
    response = client.post("/login/code", data={"code": _code(secret, +1)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert not _signed_in(client)

    _password_step(client, official)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 301)
    response = client.post("/login/code", data={"code": _code(secret, +1)})
    monkeypatch.setattr(time, "time", real_time)
    assert response.headers["Location"].endswith("/login")
    assert not _signed_in(client)


def test_a_password_reset_does_not_skip_the_second_step(client, db, create_user, app):
    official = create_user(UserRole.OFFICIAL)
    _turn_on(db, official)
    with app.test_request_context():
        _user, token = operations.password_reset_token(official.email)
    new_password = "nowe-haslo-po-resecie"
    response = client.post(f"/reset-password/{token}", data={"password": new_password, "password_repeat": new_password})
    assert response.headers["Location"].endswith("/login/code")
    assert not _signed_in(client)


def test_turning_it_off_needs_the_password_and_a_code(client, db, create_user):
    official = create_user(UserRole.OFFICIAL)
    secret, codes = _turn_on(db, official)
    _password_step(client, official)
    client.post("/login/code", data={"code": _code(secret, +1)})
    wrong_password = client.post("/account/two-factor/disable", data={"off-password": "zle", "off-code": codes[0]})
    assert wrong_password.status_code == 422
    replayed = client.post("/account/two-factor/disable", data={"off-password": PASSWORD, "off-code": _code(secret, 1)})
    assert replayed.status_code == 422 and "Ten kod został już użyty" in replayed.get_data(as_text=True)
    db.session.refresh(official)
    assert official.has_two_factor
    done = client.post("/account/two-factor/disable", data={"off-password": PASSWORD, "off-code": codes[0]})
    assert done.status_code == 302
    db.session.refresh(official)
    assert not official.has_two_factor and official.totp_secret is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)) == 0
    client.post("/logout")
    assert _password_step(client, official).headers["Location"].endswith("/")  # the password alone again


def test_members_have_no_two_factor_pages(client, db, create_user, login):
    login(create_user(UserRole.MEMBER))
    assert client.get("/account/two-factor").status_code == 403
    assert client.post("/account/two-factor/start").status_code == 403
    assert "Logowanie dwuetapowe" not in client.get("/account").get_data(as_text=True)


def test_wrong_codes_count_against_the_sign_in_throttle(db, create_user, tight_app):  # noqa: F811
    official = create_user(UserRole.OFFICIAL)
    secret, _codes = _turn_on(db, official)
    client = tight_app.test_client()  # 3 failures per account and address
    client.post("/login", data={"email": official.email, "password": PASSWORD})
    codes = [client.post("/login/code", data={"code": "000000"}).status_code for _ in range(3)]
    assert codes == [422, 422, 422]
    throttled = client.post("/login/code", data={"code": _code(secret, +1)})  # even the right one waits
    assert throttled.status_code == 429 and "Spróbuj ponownie za 15 minut" in throttled.get_data(as_text=True)
    assert 880 <= int(throttled.headers["Retry-After"]) <= 900


def test_an_admin_requires_it_and_officials_without_it_set_it_up_before_anything_else(app, db, create_user, login):
    admin = create_user(UserRole.ADMIN)
    official = create_user(UserRole.OFFICIAL)
    member = create_user(UserRole.MEMBER)
    admin_client, official_client, member_client = app.test_client(), app.test_client(), app.test_client()
    for client, user in ((official_client, official), (member_client, member)):
        client.post("/login", data={"email": user.email, "password": PASSWORD})

    admin_client.post("/login", data={"email": admin.email, "password": PASSWORD})
    refused = admin_client.post("/admin/two-factor", data={"policy-required": "y"}, follow_redirects=True)
    assert "Najpierw włącz logowanie dwuetapowe na własnym koncie" in refused.get_data(as_text=True)

    secret, _codes = _turn_on(db, admin)
    admin_client.post("/login", data={"email": admin.email, "password": PASSWORD})
    admin_client.post("/login/code", data={"code": _code(secret, +1)})
    done = admin_client.post("/admin/two-factor", data={"policy-required": "y"}, follow_redirects=True)
    assert "1 osoba bez niego została wylogowana" in done.get_data(as_text=True)  # the official, not the member
    assert _signed_in(admin_client) and _signed_in(member_client)
    assert not _signed_in(official_client)

    signed_in = official_client.post("/login", data={"email": official.email, "password": PASSWORD})
    assert signed_in.headers["Location"].endswith("/account/two-factor")
    for path in ("/manage/", "/account", "/"):
        response = official_client.get(path)
        assert response.status_code == 302 and response.headers["Location"].endswith("/account/two-factor")
    official_client.post("/account/two-factor/start")
    db.session.refresh(official)
    page = official_client.post("/account/two-factor/enable", data={"on-code": _code(official.totp_secret)})
    assert page.status_code == 200
    assert official_client.get("/manage/").status_code == 200  # set up: free to work

    cannot = official_client.post(
        "/account/two-factor/disable", data={"off-password": PASSWORD, "off-code": _code(official.totp_secret, 1)}
    )
    assert cannot.status_code == 403
    assert "Administratorzy wymagają logowania dwuetapowego" in cannot.get_data(as_text=True)
    assert 'action="/account/two-factor/disable"' not in cannot.get_data(as_text=True)  # no form that cannot work
    assert db.session.scalar(sa.select(AuditEntry.after).where(AuditEntry.action == "setting.change")) == {
        "require_two_factor_for_staff": True
    }


def test_only_admins_change_the_setting_and_reset_someones_two_factor(client, db, create_user, login):
    official = create_user(UserRole.OFFICIAL, display_name="Jan Urzędnik")
    _turn_on(db, official)
    login(create_user(UserRole.OFFICIAL))
    assert client.post("/admin/two-factor", data={"policy-required": "y"}).status_code == 403
    assert client.post(f"/admin/users/{official.id}/two-factor/reset").status_code == 403

    login(create_user(UserRole.ADMIN))
    page = client.get("/admin/users").get_data(as_text=True)
    assert f"/admin/users/{official.id}/two-factor/reset" in page
    token = official.session_token
    response = client.post(f"/admin/users/{official.id}/two-factor/reset", follow_redirects=True)
    assert "Logowanie dwuetapowe konta Jan Urzędnik jest wyłączone" in response.get_data(as_text=True)
    db.session.refresh(official)
    assert not official.has_two_factor and official.session_token != token
    assert client.post("/admin/users/999999/two-factor/reset").status_code == 404


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_the_two_factor_pages_in_both_languages(client, db, create_user, login, lang):
    official = create_user(UserRole.OFFICIAL)
    login(official)
    client.post("/account/two-factor/start")
    page = client.get(f"/account/two-factor?lang={lang}").get_data(as_text=True)
    words = {"pl": "Dodaj Konsultacje do aplikacji", "en": "Add Consult to your authenticator app"}
    assert words[lang] in page
