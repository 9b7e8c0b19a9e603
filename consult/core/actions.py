"""The end of a view that changes one thing: commit and say so, or roll back and say why."""

from collections.abc import Callable
from typing import Any

from flask import flash

from consult.core.errors import ConsultError
from consult.extensions import db


def perform(operation: Callable[[], Any], success: str, after: Callable[[Any], None] | None = None) -> bool:
    """Run ``operation``; commit and flash ``success``, or roll back and flash its error.

    ``after`` gets the operation's result once it is committed (to send e-mail: never
    for a change that did not happen). Returns whether it succeeded.
    """
    try:
        result = operation()
    except ConsultError as error:
        db.session.rollback()
        flash(error.message, "error")
        return False
    db.session.commit()
    if after is not None:
        after(result)
    flash(success, "success")
    return True
