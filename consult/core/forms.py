"""Form pieces shared by every module."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from wtforms import SelectMultipleField
from wtforms.fields import DateTimeLocalField
from wtforms.fields.choices import SelectChoice
from wtforms.form import BaseForm
from wtforms.widgets import CheckboxInput, ListWidget

from consult.core.labels import content_attributes
from consult.core.time import from_local, to_local


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
                raise ValueError(self.gettext("Not a valid datetime value.")) from None

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
            if isinstance(candidate, BaseForm) and id(candidate) not in seen:
                seen.add(id(candidate))
                found.extend(m for m in form_mistakes(candidate) if m not in found)
    return found
