"""Form pieces shared by every module."""

from wtforms import SelectMultipleField
from wtforms.fields import DateTimeLocalField
from wtforms.widgets import CheckboxInput, ListWidget

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


def show_error_on_form(form, error, default_field: str | None = None) -> None:
    """Put an operation's error next to its field (or ``default_field``), else above the form.

    The view then re-renders the form with everything the user typed still in it.
    """
    name = error.field or default_field
    field = getattr(form, name, None) if name else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def form_status(form) -> int:
    """The status of a form page that is not the end of a request: 422 when it came back with
    mistakes, 200 when it is shown for the first time."""
    return 422 if form.is_submitted() else 200
