"""Form pieces shared by every module, and the base every form inherits."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from babel import support
from flask import g, has_request_context
from flask_babel import format_number, get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_translations
from wtforms import (
    Field,
    FieldList,
    FileField,
    FormField,
    HiddenField,
    PasswordField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields import DateTimeLocalField
from wtforms.fields.choices import SelectChoice
from wtforms.form import BaseForm as AnyForm
from wtforms.i18n import messages_path
from wtforms.widgets import CheckboxInput, ListWidget, TextArea

from consult.core.inputs import MAX_ID
from consult.core.labels import content_attributes
from consult.core.text import untypable_characters
from consult.core.time import from_local, to_local

# Dates a consultation, a meeting or a letter can have; outside them a date is a typing mistake
# (year 0001 has no UTC moment before it, year 9999 none after, and "2912110 days left" helps nobody).
FIRST_YEAR = 2000
LAST_YEAR = 2099


def date_range_message() -> str:
    return _("Enter a date between the years %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)


def _leaf_fields(form):
    """Every field of ``form``, those of sub-forms and lists included (the list itself is no input)."""
    for field in form:
        if isinstance(field, FormField):
            yield from _leaf_fields(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                yield from _leaf_fields(entry.form) if isinstance(entry, FormField) else [entry]
        else:
            yield field


def _field_name(field: Field) -> str:
    return str(field.label.text or "") or field.name


def input_error(field: Field) -> str | None:
    """Why what was typed into ``field`` cannot be taken, before the field's own rules look at it:
    a control character (NUL included; tab and new line only in multi-line fields), or a date
    outside the years Consult knows, or a number no database column holds."""
    multi_line = isinstance(field, TextAreaField) or isinstance(field.widget, TextArea)
    # Text is judged as the field hands it on: a field whose filter cleans pasted text (the draft
    # editor takes Word's vertical tabs out with core.text.clean_text) is not refused for them.
    values = [field.data] if isinstance(field.data, str) else field.raw_data or ()
    for value in values:
        text = value if isinstance(value, str) else getattr(value, "filename", None)  # an upload: its name
        if text and untypable_characters(text, multi_line=multi_line):
            return _(
                "“%(field)s” contains a control character (for example a NUL byte, often pasted "
                "invisibly from another program). Remove it and send the form again.",
                field=_field_name(field),
            )
    if isinstance(field.data, int) and not isinstance(field.data, bool) and abs(field.data) > MAX_ID:
        return _(
            "“%(field)s” must be a whole number between %(min)s and %(max)s.",
            field=_field_name(field),
            min=format_number(-MAX_ID),
            max=format_number(MAX_ID),
        )
    data = field.data if isinstance(field.data, date | datetime) else None
    year = data.year if data is not None else None
    if isinstance(data, datetime) and data.tzinfo is not None:
        try:
            year = to_local(data).year  # the year the person typed, in Kraków
        except OverflowError:  # the last hour of year 9999
            year = None if data.year < LAST_YEAR else data.year
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        return f"{_field_name(field)}: {date_range_message()}"
    return None


@lru_cache(maxsize=16)
def _wtforms_catalog(locale: str) -> support.NullTranslations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class BaseForm(FlaskForm):
    """Every form in Consult: the one filter on the way in.

    Text that no keyboard types (control characters, which PostgreSQL refuses and SQLite stores
    silently), dates outside :data:`FIRST_YEAR`..:data:`LAST_YEAR` and numbers beyond the database's
    integer are refused with a message naming the field, before any validator or operation sees
    them. A form sent with an expired CSRF token is shown again with what was typed in it
    (:meth:`keep_typed`, called when ``core.errors_handlers`` re-shows the form's page).
    """

    class Meta:
        def get_translations(self, form):
            """WTForms' own messages in the page's language, read from disk once per language:
            Flask-WTF reads the catalogue again in every request that makes a form (a field
            without a label asks it for one)."""
            found = super().get_translations(form)
            locale = get_locale() if found is wtforms_translations and has_request_context() else None
            return found if locale is None else _wtforms_catalog(str(locale))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kept = g.get("expired_form") if has_request_context() else None
        if kept is not None and not args and kwargs.get("formdata") is None and "formdata" not in kwargs:
            self.keep_typed(kept)

    def keep_typed(self, kept) -> None:
        """Show what was typed into this form when it was sent with an expired CSRF token (the error
        handler shows the form's page again). Hidden fields keep what the person saw (the row version
        their text answers, the submission token), so a conflict or a resend is still recognised;
        passwords and files are never sent back."""
        for field in _leaf_fields(self):
            if field.name in kept and not isinstance(field, PasswordField | FileField | SubmitField):
                field.process(kept)
                shown = not isinstance(field, HiddenField) and getattr(field.widget, "input_type", None) != "hidden"
                if shown and any(isinstance(value, str) and value.strip() for value in kept.getlist(field.name)):
                    g.expired_form_kept = True  # the error handler shows this page, not the text to copy

    def validate(self, extra_validators=None) -> bool:
        refused = False
        for field in _leaf_fields(self):
            message = input_error(field)
            if message is None:
                continue
            refused = True
            hidden = isinstance(field, HiddenField) or getattr(field.widget, "input_type", None) == "hidden"
            if hidden:  # not shown next to anything: above the form
                self.form_errors.append(message)
            else:
                field.errors = [*field.errors, message]
        if refused:
            return False  # the field's own rules (and any query they make) never see such text
        return super().validate(extra_validators)


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes (a fieldset with a legend in _forms.html)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LocalDateTimeField(DateTimeLocalField):
    """Typed and shown in Kraków time, held as an aware UTC datetime."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None:
            try:
                self.data = from_local(self.data)
            except OverflowError:  # year 1 has no UTC moment before it
                self.data = None
                raise ValueError(date_range_message()) from None

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return to_local(self.data).strftime("%Y-%m-%dT%H:%M") if self.data else ""


def content_choice(value, label: str) -> SelectChoice:
    """A choice whose label people wrote (an organisation's name, a provision), marked as Polish
    on a page in another language (WCAG 3.1.2). Built per request, like every choice."""
    return SelectChoice(value, label, render_kw=content_attributes())


def show_error_on_form(form, error, default_field: str | None = None) -> None:
    """Put an operation's error next to its field (or ``default_field``), else above the form.

    The view then re-renders the form with everything the user typed still in it. An error
    naming several fields (``InvalidFields``) puts each message by its own field.
    """
    for part in error.parts():
        name = part.field or default_field
        field = getattr(form, name, None) if name else None
        if field is not None:
            if part.message not in field.errors:
                field.errors = [*field.errors, part.message]
        elif part.message not in form.form_errors:
            form.form_errors.append(part.message)


def form_status(form) -> int:
    """The status of a form page that is not the end of a request: 422 when it came back with
    mistakes, 200 when it is shown for the first time."""
    return 422 if form.is_submitted() else 200


@dataclass(frozen=True)
class Mistake:
    """One line of a page's error summary: the message, the label of its field and the id to
    link to (None for a mistake of the whole form, or of a field the person cannot reach)."""

    message: str
    label: str | None = None
    target: str | None = None


_NOT_SHOWN = ("HiddenField", "CSRFTokenField")
_GROUPS = ("RadioField", "MultiCheckboxField")  # rendered as a fieldset: link to the first choice


def _link_target(field) -> str | None:
    if field.type in _NOT_SHOWN or getattr(field.widget, "input_type", None) == "hidden":
        return None
    if field.type in _GROUPS:
        first = next(iter(field), None)
        return first.id if first is not None else field.id
    return field.id


def _field_mistakes(fields) -> Iterator[Mistake]:
    for field in fields:
        if field.type == "FieldList":
            yield from _field_mistakes(field.entries)
        elif field.type == "FormField":
            yield from _field_mistakes(field.form)
        else:
            target = _link_target(field)
            for message in map(str, field.errors):
                # "Justification: Give the justification." says it twice; "Name: This field is
                # required." needs the name. The label goes first only where the message lacks it.
                label = str(field.label.text) if target else None
                if label and label.lower() in message.lower():
                    label = None
                yield Mistake(message, label, target)


def form_mistakes(form) -> list[Mistake]:
    """Every mistake of ``form``, the form's own first, then field by field in page order."""
    return [Mistake(str(message)) for message in form.form_errors] + list(_field_mistakes(form))


def page_mistakes(values: Iterable[Any]) -> list[Mistake]:
    """The mistakes of every form among ``values`` (a template's context: forms, and dicts or
    lists of forms), each once: the error summary at the top of the page lists them."""
    found: list[Mistake] = []
    seen: set[int] = set()
    for value in values:
        candidates = (
            value.values() if isinstance(value, dict) else value if isinstance(value, list | tuple) else [value]
        )
        for candidate in candidates:
            if isinstance(candidate, AnyForm) and id(candidate) not in seen:
                seen.add(id(candidate))
                found.extend(m for m in form_mistakes(candidate) if m not in found)
    return found
