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
            self.data = from_local(self.data)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return to_local(self.data).strftime("%Y-%m-%dT%H:%M") if self.data else ""


def show_error_on_form(form, error) -> None:
    """Put an operation's error next to its field, or above the form if it has none.

    The view then re-renders the form with everything the user typed still in it.
    """
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
