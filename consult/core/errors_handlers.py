"""Error pages: HTML for people, ``{error, message}`` JSON under /api."""

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from consult.core.errors import ConsultError
from consult.extensions import db


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
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


def register_error_handlers(app: Flask) -> None:
    # Unhandled exceptions reach this as InternalServerError (500), after Flask
    # has logged them; in tests they propagate instead, with their traceback.
    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        db.session.rollback()
        status = error.code or 500
        message = _messages().get(status, error.description)
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
