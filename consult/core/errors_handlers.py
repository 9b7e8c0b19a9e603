"""Error pages: HTML for people, ``{error, message}`` JSON under /api."""

from urllib.parse import parse_qsl, urlsplit

from flask import Flask, current_app, flash, g, jsonify, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from consult.core.errors import ConsultError
from consult.extensions import db


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _messages() -> dict[int, str]:
    return {
        400: _(
            "The form or address sent could not be processed: a value in it was changed or is no longer "
            "offered. Go back, reload the page and try again."
        ),
        403: _("You do not have permission to do this."),
        404: _("The page you are looking for does not exist."),
        405: _("This method is not allowed here."),
        409: _("Someone else changed this in the meantime."),
        413: _("The file is too large."),
        422: _("The data sent could not be processed."),
        429: _("Too many attempts. Please wait a moment and try again."),
        500: _("Something went wrong on our side. Please try again later."),
    }


def _error_code(status: int) -> str:
    return {
        400: "bad_request",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        413: "too_large",
        422: "invalid_input",
        429: "too_many_requests",
    }.get(status, "server_error")


def _size_limit_message() -> str:
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    megabytes = format_decimal(round(limit / (1024 * 1024), 1), format="#,##0.#")
    return _(
        "The file is too large: the server accepts at most %(size)s MB at once, files included. "
        "Send a smaller file (or fewer files), or shorten the text.",
        size=megabytes,
    )


def _message_for(error: HTTPException, status: int) -> str:
    """The page's sentence: the one the code gave with ``abort(status, description=...)``, else ours."""
    if error.description and error.description != type(error).description:
        return str(error.description)
    if status == 413:
        return _size_limit_message()
    return _messages().get(status, error.description)


def _expired_message() -> str:
    return _(
        "This form had expired (it was open for a long time, or you signed in or out in another tab), "
        "so nothing was saved. What you typed is kept: check it and send it again."
    )


def _page_of_the_form() -> tuple[Rule, dict, MultiDict] | None:
    """Rule, view arguments and query of the page the form is on: the address it was sent to when
    that address shows a page, else the same-site page that sent it (the Referer)."""
    rule = request.url_rule
    if rule is not None and "GET" in (rule.methods or ()):
        return rule, dict(request.view_args or {}), request.args
    referrer = urlsplit(request.referrer or "")
    if not request.referrer or f"{referrer.scheme}://{referrer.netloc}/" != request.host_url:
        return None
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        rule, view_args = adapter.match(referrer.path, method="GET", return_rule=True)
    except HTTPException:
        return None
    return rule, view_args, MultiDict(parse_qsl(referrer.query))


def _show_form_again() -> Response | None:
    """The page of the form, as a GET would show it, with what the user typed kept in its fields
    (see :meth:`consult.core.forms.BaseForm.keep_typed`); None when there is no such page or no
    form on it took the text back."""
    page = _page_of_the_form()
    view = current_app.view_functions.get(page[0].endpoint) if page else None
    if page is None or view is None:
        return None
    rule, view_args, args = page
    g.expired_form = request.form.copy()
    posted = (request.method, request.url_rule, request.view_args, request.args)
    # The view takes its page-showing path (nothing is written) and reads the page's own address.
    request.method, request.url_rule, request.view_args, request.args = "GET", rule, view_args, args
    try:
        response = current_app.make_response(view(**view_args))
    except HTTPException:
        return None
    except Exception:  # a page that cannot be shown again must not turn an expired form into a 500
        current_app.logger.exception("The page of an expired form could not be shown again")
        return None
    finally:
        request.method, request.url_rule, request.view_args, request.args = posted
        g.pop("expired_form", None)
    kept = g.pop("expired_form_kept", False)
    if response.status_code not in (200, 422) or response.mimetype != "text/html" or not kept:
        return None
    response.status_code = 400
    return response


def _kept_texts() -> list[tuple[str, str]]:
    skipped = {"csrf_token", "action", "next", "submit"}
    return [
        (name, value)
        for name, value in request.form.items(multi=True)
        if name not in skipped and name.rsplit("-", 1)[-1] not in skipped and value.strip()
    ]


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def handle_expired_form(error: CSRFError):
        """An expired or missing CSRF token: say so, and lose nothing the person typed."""
        db.session.rollback()
        message = _expired_message()
        if _wants_json():
            return jsonify(error="form_expired", message=message), 400
        flash(message, "error")
        response = _show_form_again()
        if response is not None:
            return response
        back = request.referrer if (request.referrer or "").startswith(request.host_url) else None
        return render_template(
            "errors/form_expired.html",
            texts=_kept_texts(),
            back=back or url_for("consultations.list_consultations"),
        ), 400

    # Unhandled exceptions reach this as InternalServerError (500), after Flask
    # has logged them; in tests they propagate instead, with their traceback.
    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        db.session.rollback()
        status = error.code or 500
        message = _message_for(error, status)
        if _wants_json():
            return jsonify(error=_error_code(status), message=message), status
        return render_template("errors/error.html", status=status, message=message), status

    @app.errorhandler(ConsultError)
    def handle_consult_error(error: ConsultError):
        # Views catch the errors they expect and re-show their form; this is the
        # safety net that still rolls back and answers in the user's language.
        db.session.rollback()
        if _wants_json():
            return jsonify(error=error.code, message=error.message), error.status_code
        return render_template("errors/error.html", status=error.status_code, message=error.message), error.status_code
