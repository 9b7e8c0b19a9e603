"""The one way a view ends: what is committed, what the user is told, where they go."""

import pytest
import sqlalchemy as sa
from flask import get_flashed_messages
from flask_wtf import FlaskForm
from wtforms import StringField

from consult.accounts.models import Area
from consult.core.actions import perform, perform_form
from consult.core.errors import Conflict, InvalidInput
from consult.extensions import db as database


class NameForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField()
    file = StringField()


def _add_area(number: int = 99) -> Area:
    area = Area(number=number, name_pl="obszar", name_en="area")
    database.session.add(area)
    database.session.flush()
    return area


def _refuse(error):
    def operation():
        _add_area()
        raise error

    return operation


def _areas(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Area))


def test_a_refused_form_rolls_back_shows_the_error_on_its_field_and_renders_with_its_status(app, db):
    called = []
    with app.test_request_context("/", method="POST"):
        form = NameForm()
        response = perform_form(
            _refuse(InvalidInput("Zła nazwa.", field="name")),
            form=form,
            page=lambda error: ("page", error.status_code),
            success="Zapisano.",
            redirect_to="/done",
            after=called.append,
        )
        assert response == ("page", 422)
        assert form.name.errors == ["Zła nazwa."] and form.form_errors == []
        assert get_flashed_messages() == []
    assert called == []
    assert _areas(db) == 0


@pytest.mark.parametrize(("error_field", "on_file", "above"), [(None, [], ["Już jest."]), ("file", ["Już jest."], [])])
def test_an_error_without_a_field_goes_above_the_form_or_on_the_field_named_for_it(
    app, db, error_field, on_file, above
):
    with app.test_request_context("/", method="POST"):
        form = NameForm()
        status = perform_form(
            _refuse(Conflict("Już jest.")),
            form=form,
            page=lambda error: error.status_code,
            success=None,
            redirect_to="/done",
            error_field=error_field,
        )
        assert status == 409
        assert list(form.file.errors) == on_file and form.form_errors == above


def test_a_done_form_commits_flashes_calls_after_and_redirects_by_the_result(app, db):
    seen = []
    with app.test_request_context("/", method="POST"):
        response = perform_form(
            lambda: _add_area(7),
            form=NameForm(),
            page=lambda error: pytest.fail("not refused"),
            success=lambda area: f"Obszar {area.number} zapisany.",
            redirect_to=lambda area: f"/areas/{area.number}",
            after=lambda area: seen.append(get_flashed_messages(with_categories=True)),
        )
        assert response.status_code == 302 and response.headers["Location"] == "/areas/7"
    # ``after`` runs once the message is flashed, so a follow-up flash comes under it.
    assert seen == [[("success", "Obszar 7 zapisany.")]]
    db.session.rollback()
    assert _areas(db) == 1


def test_a_page_that_is_not_a_redirect_answers_with_respond(app, db):
    with app.test_request_context("/", method="POST"):
        response = perform_form(
            lambda: "wynik",
            form=None,
            page=lambda error: pytest.fail("not refused"),
            success=None,
            respond=lambda result: f"strona: {result}",
        )
        assert response == "strona: wynik"
        assert get_flashed_messages() == []
        with pytest.raises(TypeError):
            perform_form(lambda: None, form=None, page=str, success=None)


def test_perform_flashes_the_refusal_and_commits_nothing(app, db):
    with app.test_request_context("/", method="POST"):
        assert perform(_refuse(Conflict("Już opublikowane.")), "Opublikowano.") is False
        assert get_flashed_messages(with_categories=True) == [("error", "Już opublikowane.")]
    assert _areas(db) == 0
    with app.test_request_context("/", method="POST"):
        assert perform(lambda: _add_area(3), lambda area: f"Obszar {area.number}.") is True
        assert get_flashed_messages(with_categories=True) == [("success", "Obszar 3.")]
    db.session.rollback()
    assert _areas(db) == 1
