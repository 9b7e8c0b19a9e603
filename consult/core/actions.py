"""The end of a view that changes something: commit and say so, or roll back and say why.

Two shapes, one order (operation → commit → flash → ``after`` → response):

- :func:`perform` for a button without a form of its own: a refusal is flashed and
  the view redirects wherever it redirects anyway;
- :func:`perform_form` for a form: a refusal goes next to its field (or above the
  form) and the page is shown again with everything the user typed, with the status
  the error names; success redirects (POST/redirect/GET).

``after`` gets the operation's result once it is committed: signing
someone in, a follow-up flash (a warning under the success message). It never runs
for a change that did not happen.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash, redirect
from flask.typing import ResponseReturnValue

from consult.core.errors import ConsultError
from consult.core.forms import show_error_on_form
from consult.extensions import db

T = TypeVar("T")

#: What to flash on success: a message, a function of the result giving one, or None for nothing.
Success = str | Callable[[Any], str | None] | None


def _commit_and_tell(result: T, success: Success, after: Callable[[T], Any] | None) -> None:
    db.session.commit()
    message = success(result) if callable(success) else success
    if message:
        flash(message, "success")
    if after is not None:
        after(result)


def perform(operation: Callable[[], T], success: Success, after: Callable[[T], Any] | None = None) -> bool:
    """Run ``operation``; commit and flash ``success``, or roll back and flash its error.

    Returns whether it succeeded; the view redirects either way.
    """
    try:
        result = operation()
    except ConsultError as error:
        db.session.rollback()
        flash(error.message, "error")
        return False
    _commit_and_tell(result, success, after)
    return True


def perform_for_organisation(
    form: Any, organisations: list, operation: Callable[[Any], T], success: Callable[[Any], Success], back: str
) -> ResponseReturnValue:
    """A button that acts for one of the person's organisations (support a comment, register for a
    meeting): the chosen one checked against ``organisations``, the operation performed for it, a
    flash either way, and back to ``back``."""
    form.organisation.choices = [(o.id, o.name) for o in organisations]
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return redirect(back)
    organisation = next(o for o in organisations if o.id == form.organisation.data)
    perform(lambda: operation(organisation), success(organisation))
    return redirect(back)


def perform_form(
    operation: Callable[[], T],
    *,
    form: Any,
    page: Callable[[ConsultError], ResponseReturnValue],
    success: Success,
    redirect_to: str | Callable[[T], str] | None = None,
    respond: Callable[[T], ResponseReturnValue] | None = None,
    after: Callable[[T], Any] | None = None,
    error_field: str | None = None,
) -> ResponseReturnValue:
    """Run the operation of a validated ``form`` and answer the request.

    Refused (``ConsultError``): roll back, put the message on ``form`` (on its field,
    else on ``error_field``, else above the form; ``form=None`` when ``page`` shows the
    message itself) and return ``page(error)``, which renders the page again with
    ``error.status_code``. Done: commit, flash ``success``, call ``after`` and redirect
    to ``redirect_to`` (a URL or a function of the result) — or return
    ``respond(result)`` for the rare page that is not a redirect.
    """
    if (redirect_to is None) == (respond is None):
        raise TypeError("perform_form needs exactly one of redirect_to and respond")
    try:
        result = operation()
    except ConsultError as error:
        db.session.rollback()
        if form is not None:
            show_error_on_form(form, error, default_field=error_field)
        return page(error)
    _commit_and_tell(result, success, after)
    if respond is not None:
        return respond(result)
    return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)
