"""One filter on the way in: control characters and impossible dates are refused with a message
naming the field; an expired form is shown again with the text kept; every 400 and 413 says what
happened and what to do. Run on SQLite and PostgreSQL (which refuses NUL where SQLite stores it)."""

import html

import pytest
import sqlalchemy as sa
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired

from consult.accounts.models import Organisation, OrganisationStatus, User, UserRole
from consult.comments.models import Comment, CommentFlag
from consult.consultations.models import Consultation
from consult.core.forms import BaseForm, LocalDateTimeField, input_error
from consult.moderation.models import Position
from tests.conftest import PASSWORD


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


class _Sample(BaseForm):
    class Meta:
        csrf = False

    name = StringField("Nazwa")
    text = TextAreaField("Treść")
    when = LocalDateTimeField("Termin")


def _errors(app, data: dict, lang: str = "pl") -> dict:
    with app.test_request_context(f"/?lang={lang}", method="POST", data=data):
        form = _Sample()
        assert not form.validate()
        return {name: errors for name, errors in form.errors.items() if errors}


# --- the filter itself -------------------------------------------------------------------------


def test_every_form_in_consult_inherits_the_base_form(app):
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    forms = {cls for cls in subclasses(FlaskForm) if cls.__module__.startswith("consult.")}
    assert len(forms) > 40  # every module's forms are imported by create_app
    assert {f"{cls.__module__}.{cls.__name__}" for cls in forms if not issubclass(cls, BaseForm)} == set()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("pl", "„Nazwa” zawiera znak sterujący"),
        ("en", "“Nazwa” contains a control character"),
    ],
)
def test_a_nul_byte_is_refused_naming_the_field(app, lang, expected):
    errors = _errors(app, {"name": "Fundacja\x00", "text": "ok", "when": "2030-01-01T10:00"}, lang)
    assert list(errors) == ["name"]
    assert expected in errors["name"][0]


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x0b", "\x1b", "\x7f", "\x85", "\x9f"])
def test_control_characters_are_refused_in_every_kind_of_field(app, character):
    assert set(_errors(app, {"name": f"a{character}b", "text": f"a{character}b", "when": "2030-01-01T10:00"})) == {
        "name",
        "text",
    }


def test_tab_and_new_lines_are_text_only_in_a_multi_line_field(app):
    errors = _errors(app, {"name": "a\tb", "text": "akapit\r\n\tdrugi\nakapit", "when": "2030-01-01T10:00"})
    assert list(errors) == ["name"]
    with app.test_request_context(
        "/", method="POST", data={"name": "a", "text": "b\r\nc\td", "when": "2030-01-01T10:00"}
    ):
        assert _Sample().validate()


def test_right_to_left_marks_and_other_scripts_are_text(app):
    data = {"name": "\u200fمنظمة\u202e ŻÓŁW 🐢", "text": "שלום\u2028x", "when": "2030-01-01T10:00"}
    with app.test_request_context("/", method="POST", data=data):
        assert _Sample().validate()


@pytest.mark.parametrize("typed", ["0001-01-01T00:00", "9999-12-31T23:59", "1999-12-31T23:59", "2100-01-01T00:00"])
@pytest.mark.parametrize(("lang", "expected"), [("pl", "od 2000 do 2099"), ("en", "between the years 2000 and 2099")])
def test_dates_outside_the_sane_range_are_refused(app, typed, lang, expected):
    errors = _errors(app, {"name": "a", "text": "b", "when": typed}, lang)
    assert list(errors) == ["when"]
    assert expected in errors["when"][0]


def test_the_first_and_last_minute_of_the_range_are_accepted(app):
    for typed in ["2000-01-01T00:00", "2099-12-31T23:59"]:
        with app.test_request_context("/", method="POST", data={"name": "a", "text": "b", "when": typed}):
            assert _Sample().validate(), typed


@pytest.mark.parametrize(("typed", "refused"), [(str(2**31), True), (str(-(2**63)), True), (str(2**31 - 1), False)])
def test_a_number_beyond_the_database_integer_is_refused(app, typed, refused):
    from wtforms import IntegerField

    class Numbers(BaseForm):
        class Meta:
            csrf = False

        limit = IntegerField("Limit miejsc")

    with app.test_request_context("/?lang=en", method="POST", data={"limit": typed}):
        form = Numbers()
        assert form.validate() is not refused
        if refused:
            assert "“Limit miejsc” must be a whole number between" in form.limit.errors[0]


@pytest.mark.parametrize(
    ("message", "pl", "en"),
    [
        ("_expired_message", "Formularz wygasł", "This form had expired"),
        ("_size_limit_message", "Plik jest za duży: serwer przyjmuje najwyżej 11 MB", "at most 11 MB at once"),
        ("default_400", "przeładuj stronę i spróbuj ponownie", "reload the page and try again"),
    ],
)
def test_the_error_messages_in_both_languages(app, message, pl, en):
    from consult.core import errors_handlers

    for lang, expected in (("pl", pl), ("en", en)):
        with app.test_request_context(f"/?lang={lang}"):
            text = errors_handlers._messages()[400] if message == "default_400" else getattr(errors_handlers, message)()
            assert expected in text, (lang, text)


@pytest.mark.parametrize(
    ("lang", "choice", "draft"),
    [
        ("pl", "Przeładuj stronę i wybierz ponownie", "Otwórz ponownie stronę raportu"),
        ("en", "Reload the page and choose again", "Open the report page again"),
    ],
)
def test_a_tampered_choice_and_a_bad_draft_version_in_both_languages(
    app, client, db, scene, login, lang, choice, draft
):
    login(scene["official"])
    response = client.post(
        f"/manage/consultations/program-dostepny/comments/1/assign?lang={lang}", data={"assign-assignee": "999999"}
    )
    assert response.status_code == 400 and choice in _text(response)
    response = client.post(
        f"/manage/consultations/program-zamkniety/report/publish?lang={lang}", data={"draft_version": "x"}
    )
    assert response.status_code == 400 and draft in _text(response)


class _Required(BaseForm):
    class Meta:
        csrf = False

    name = StringField(validators=[InputRequired()])  # no label: WTForms asks its catalogue for one


def test_wtforms_own_messages_are_in_the_page_language_and_its_catalogue_is_read_once(app, monkeypatch):
    from babel import support

    from consult.core import forms

    forms._wtforms_catalog.cache_clear()
    loads = []
    real_load = support.Translations.load
    monkeypatch.setattr(
        support.Translations, "load", lambda *args, **kwargs: loads.append(args) or real_load(*args, **kwargs)
    )
    for _ in range(2):
        for lang, expected in (("pl", "To pole jest wymagane."), ("en", "This field is required.")):
            with app.test_request_context(f"/?lang={lang}", method="POST", data={"name": ""}):
                form = _Required()
                assert not form.validate()
                assert form.errors == {"name": [expected]}
    assert len(loads) == 2  # once per language, not once per form


def test_input_error_of_an_upload_names_its_file(app):
    from io import BytesIO

    from werkzeug.datastructures import FileStorage
    from wtforms import FileField

    class Upload(BaseForm):
        class Meta:
            csrf = False

        file = FileField("Plik")

    storage = FileStorage(BytesIO(b"x"), filename="a\x00.pdf")
    with app.test_request_context("/?lang=en", method="POST"):
        form = Upload(formdata=MultiDict({"file": storage}))
        assert "“Plik” contains a control character" in input_error(form.file)


# --- through the pages, nothing stored --------------------------------------------------------


def test_nul_bytes_in_the_reported_fields_are_refused_and_nothing_is_stored(
    client, db, login, create_user, create_consultation, create_comment, create_organisation, areas
):
    # The query string is cleaned before any view reads it: a search for NUL is a search for nothing.
    create_organisation("Fundacja Żółw")
    assert client.get("/organisations?q=%00").status_code == 200
    assert "Fundacja Żółw" in _text(client.get("/organisations?q=%C5%BC%C3%B3%C5%82w%00%01"))

    response = client.post(
        "/register",
        data={"display_name": "Ewa\x00", "email": "ewa@example.org", "password": PASSWORD, "password_repeat": PASSWORD},
    )
    assert response.status_code == 422 and "„Imię i nazwisko” zawiera znak sterujący" in _text(response)
    assert db.session.scalar(sa.select(User).where(User.email == "ewa@example.org")) is None

    member = create_user(UserRole.MEMBER)
    organisation = create_organisation("Fundacja A", members=[member])
    consultation = create_consultation("open")
    comment = create_comment(consultation, organisation)
    login(member)
    response = client.post("/organisations/new", data={"name": "Fundacja\x00B"})
    assert response.status_code == 422 and "zawiera znak sterujący" in _text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 2
    response = client.post(
        f"/consultations/{consultation.slug}/comments/{comment.number}/report", data={"reason": "spam\x00"}
    )
    assert response.status_code == 422 and "zawiera znak sterujący" in _text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CommentFlag)) == 0

    login(create_user(UserRole.OFFICIAL))
    response = client.post(
        "/manage/consultations/new",
        data={
            "title": "Program\x00",
            "slug": "program-nul",
            "opens_at": "2030-04-01T08:00",
            "closes_at": "2030-04-22T23:59",
            "participation": "verified_organisations",
            "moderation_mode": "post",
            "receipt_prefix": "KONS",
        },
    )
    assert response.status_code == 422 and "„Tytuł” zawiera znak sterujący" in _text(response)
    assert db.session.scalar(sa.select(Consultation).where(Consultation.slug == "program-nul")) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 1


@pytest.mark.parametrize("typed", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_impossible_dates_in_the_new_consultation_and_extend_forms(
    client, db, login, create_user, create_consultation, typed
):
    official = create_user(UserRole.OFFICIAL)
    login(official)
    response = client.post(
        "/manage/consultations/new",
        data={
            "title": "Program",
            "slug": "program-daty",
            "opens_at": typed,
            "closes_at": "2030-04-22T23:59",
            "participation": "verified_organisations",
            "moderation_mode": "post",
            "receipt_prefix": "KONS",
        },
    )
    assert response.status_code == 422 and "od 2000 do 2099" in _text(response)
    assert db.session.scalar(sa.select(Consultation).where(Consultation.slug == "program-daty")) is None

    consultation = create_consultation("open", officials=[official])
    before = consultation.closes_at
    response = client.post(
        f"/manage/consultations/{consultation.slug}/extend",
        data={"extend-reason": "Wniosek", "extend-closes_at": typed},
        follow_redirects=True,
    )
    assert response.status_code in {200, 422} and "od 2000 do 2099" in _text(response)
    db.session.expire_all()
    assert consultation.closes_at == before


# --- friendly 400 and 413 ---------------------------------------------------------------------


def _csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def test_an_expired_comment_form_is_shown_again_with_the_text_kept(
    app, client, db, login, monkeypatch, create_user, create_organisation, create_consultation
):
    member = create_user(UserRole.MEMBER)
    organisation = create_organisation("Fundacja A", members=[member])
    consultation = create_consultation("open")
    login(member)
    _csrf_on(app, monkeypatch)
    response = client.post(
        f"/consultations/{consultation.slug}/comment",
        data={
            "csrf_token": "stale",
            "organisation": organisation.id,
            "kind": "general",
            "justification": "Długo pisana uwaga, której szkoda stracić.",
        },
    )
    page = _text(response)
    assert response.status_code == 400
    assert "Formularz wygasł" in page and "nic nie zostało zapisane" in page
    assert "Długo pisana uwaga, której szkoda stracić.</textarea>" in page  # in the form's own field
    assert 'name="csrf_token"' in page  # the form itself again, with a fresh token
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0


def test_an_expired_form_posted_from_another_page_shows_that_page_with_the_text_kept(
    app, client, db, login, monkeypatch, create_user, create_organisation, create_consultation, create_comment
):
    official = create_user(UserRole.OFFICIAL)
    consultation = create_consultation("open", officials=[official])
    create_comment(consultation, create_organisation("Fundacja A"))
    login(official)
    _csrf_on(app, monkeypatch)
    page_url = f"/manage/consultations/{consultation.slug}/comments/1"
    response = client.post(
        f"{page_url}/position?lang=en",
        data={"csrf_token": "stale", "position-status": "accepted", "position-reason": "Uzasadnienie pisane długo."},
        headers={"Referer": f"http://localhost{page_url}"},
    )
    page = _text(response)
    assert response.status_code == 400
    assert "This form had expired" in page
    assert 'id="position-reason"' in page and "Uzasadnienie pisane długo.</textarea>" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Position)) == 0


def test_an_expired_form_without_a_page_keeps_the_text_to_copy(
    app, client, db, login, monkeypatch, create_user, create_organisation
):
    organisation = create_organisation("Fundacja A", status=OrganisationStatus.PENDING)
    login(create_user(UserRole.OFFICIAL))
    _csrf_on(app, monkeypatch)
    # The queue page sent it, but its hand-written form cannot take the text back: the text to copy.
    response = client.post(
        f"/manage/organisations/{organisation.id}/reject?lang=en",
        data={"csrf_token": "stale", "reason": "Brak statutu w załącznikach."},
        headers={"Referer": "http://localhost/manage/organisations"},
    )
    page = _text(response)
    assert response.status_code == 400
    assert "The form had expired" in page and ">Brak statutu w załącznikach.</textarea>" in page
    assert "Error 400" not in page
    db.session.expire_all()
    assert organisation.status == OrganisationStatus.PENDING


def test_a_bare_400_says_what_happened_and_what_to_do(client, db, scene, login):
    login(scene["admin"])
    response = client.post("/manage/consultations/program-dostepny/bulk", data={"action": "explode", "comments": "1"})
    assert response.status_code == 400
    assert "przeładuj stronę i spróbuj ponownie" in _text(response)


@pytest.mark.parametrize(
    ("lang", "expected"), [("pl", "Plik jest za duży: serwer przyjmuje najwyżej 1 MB"), ("en", "at most 1 MB")]
)
def test_a_too_large_request_names_the_limit(app, client, db, monkeypatch, lang, expected):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024 * 1024)
    response = client.post(f"/login?lang={lang}", data={"email": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert expected in _text(response)


def test_the_too_large_limit_in_json(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 3 * 1024 * 1024 // 2)
    response = client.post("/login?lang=en", data={"email": "y" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "at most 1.5 MB at once" in _text(response)
