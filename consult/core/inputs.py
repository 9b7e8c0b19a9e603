"""Numbers from the address: the URL converter every ``<int:...>`` uses, and ``int_arg`` for the query.

Ids are 32-bit integers on PostgreSQL (and a bound on SQLite too): a number beyond them names no
row, so the address simply does not exist (404) instead of reaching the database and failing there.
"""

from typing import overload

from flask import abort, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter, PathConverter, UnicodeConverter

from consult.core.text import strip_untypable, untypable_characters

MAX_ID = 2**31 - 1  # the largest value of the databases' INTEGER column


class BoundedIntegerConverter(IntegerConverter):
    """``<int:...>`` for the whole app: digits only, from 0 up to :data:`MAX_ID`; anything else
    does not match the rule, so the address answers 404 (or the next rule that matches it)."""

    def __init__(self, map, fixed_digits=0, min=0, max=MAX_ID, signed=False):  # noqa: A002 (werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=_capped(max), signed=False)


# Path parts (a slug, a provision key, a token) never hold a control character: PostgreSQL refuses
# NUL in a query, so such an address must not match a rule at all.
_TEXT_CHARACTER = r"[^/\x00-\x1f\x7f-\x9f]"


class TextConverter(UnicodeConverter):
    """``<slug>``, ``<string:...>``: as werkzeug's, without control characters (404 instead)."""

    def __init__(self, map, minlength=1, maxlength=None, length=None):  # noqa: A002 (werkzeug's names)
        super().__init__(map, minlength=minlength, maxlength=maxlength, length=length)
        self.regex = self.regex.replace("[^/]", _TEXT_CHARACTER)


class TextPathConverter(PathConverter):
    """``<path:...>``: as werkzeug's, without control characters."""

    regex = _TEXT_CHARACTER + r"(?:[^\x00-\x1f\x7f-\x9f])*?"


def _capped(value: int | None) -> int:
    """A rule may lower the bound (``<int(max=99):n>``), never lift it beyond the database's."""
    return MAX_ID if value is None else min(value, MAX_ID)


def bounded_int(value: str | None, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """The whole number ``value`` spells (ASCII digits, an optional minus), or None when it spells
    none or one outside ``minimum``..``maximum``."""
    text = (value or "").strip()
    digits = text[1:] if text[:1] == "-" else text
    if not digits or len(digits) > 12 or not (digits.isascii() and digits.isdigit()):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


@overload
def int_arg(name: str, default: int, minimum: int = 1, maximum: int = MAX_ID, *, not_found: bool = False) -> int: ...


@overload
def int_arg(
    name: str, default: None = None, minimum: int = 1, maximum: int = MAX_ID, *, not_found: bool = False
) -> int | None: ...


def int_arg(
    name: str, default: int | None = None, minimum: int = 1, maximum: int = MAX_ID, *, not_found: bool = False
) -> int | None:
    """``request.args[name]`` as a whole number in ``minimum``..``maximum``.

    Missing, not a number or out of range: ``default`` (a filter that names no row filters nothing,
    a page beyond the last is the first), or 404 when ``not_found`` (the parameter names the thing the
    page is about)."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    number = bounded_int(raw, minimum, maximum)
    if number is None:
        if not_found:
            abort(404)
        return default
    return number


def int_form(name: str, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """``request.form[name]`` as a whole number in range, or None."""
    return bounded_int(request.form.get(name), minimum, maximum)


def int_list_form(name: str, minimum: int = 1, maximum: int = MAX_ID) -> list[int]:
    """Every ``request.form[name]`` that is a whole number in range (the others are dropped)."""
    numbers = (bounded_int(value, minimum, maximum) for value in request.form.getlist(name))
    return [number for number in numbers if number is not None]


def clean_query() -> None:
    """Before every request: control characters are taken out of the query string (``?q=%00`` is a
    search for nothing, ``?q=żółw%00`` one for "żółw"), so no view passes them to a query
    (PostgreSQL refuses NUL) and every page reads the same clean values."""
    args = request.args
    if any(untypable_characters(name) or untypable_characters(value) for name, value in args.items(multi=True)):
        request.args = ImmutableMultiDict(
            [(strip_untypable(name), strip_untypable(value)) for name, value in args.items(multi=True)]
        )
