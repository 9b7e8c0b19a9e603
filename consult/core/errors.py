"""Errors that carry a message a user can read.

Operations raise a subclass of :class:`ConsultError`; views turn it into a flash
message (HTML) or ``{error, message}`` (JSON) with the status code it names, and the
error handler rolls the transaction back so nothing half-written stays.
"""


class ConsultError(Exception):
    """A broken business rule. ``message`` is already translated for the user."""

    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field  # the form field the message belongs to, if any

    def parts(self) -> list["ConsultError"]:
        """The single mistakes this error reports (one, except for :class:`InvalidFields`)."""
        return [self]


class NotFound(ConsultError):
    status_code = 404
    code = "not_found"


class Forbidden(ConsultError):
    status_code = 403
    code = "forbidden"


class Conflict(ConsultError):
    """Someone else changed the row first, or the thing already exists."""

    status_code = 409
    code = "conflict"


class InvalidInput(ConsultError):
    status_code = 422
    code = "invalid_input"


class InvalidFields(InvalidInput):
    """Several fields wrong at once: all of them reported in one answer, not one per attempt."""

    def __init__(self, errors: list[InvalidInput]):
        super().__init__(" ".join(error.message for error in errors), field=None)
        self.errors = list(errors)

    def parts(self) -> list[ConsultError]:
        return list(self.errors)


def raise_all(errors: list[InvalidInput]) -> None:
    """Raise the one mistake, or all of them together; nothing when the list is empty."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise InvalidFields(errors)


class DraftImportError(InvalidInput):
    """A draft file that cannot be turned into a document tree."""

    code = "draft_import_error"


class ConsultationClosed(ConsultError):
    status_code = 409
    code = "consultation_closed"


class TooManyAttempts(ConsultError):
    """A throttle refused the attempt; ``retry_after`` is in seconds (the Retry-After header)."""

    status_code = 429
    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after: int, field: str | None = None):
        super().__init__(message, field=field)
        self.retry_after = retry_after
