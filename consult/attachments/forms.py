"""Input shape of the file forms (choices are set per request, so they are translated)."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired

from consult.attachments.files import max_bytes
from consult.attachments.operations import Upload
from consult.core.forms import BaseForm


def uploaded(field) -> Upload | None:
    """The file sent in a FileField, read up to one byte over the limit (the check then names the size)."""
    storage = field.data
    if storage is None or not getattr(storage, "filename", ""):
        return None
    return Upload(storage.filename, storage.stream.read(max_bytes() + 1))


class PositionPaperForm(BaseForm):
    file = FileField(
        _l("Position paper"),
        validators=[FileRequired(message=_l("Choose the file to attach."))],
        description=_l("PDF, DOCX or ODT, up to 10 MB. Its content is checked, not only its name."),
    )


class DocumentForm(BaseForm):
    kind = SelectField(_l("What it is"), validators=[InputRequired(message=_l("Choose what the document is."))])
    title = StringField(
        _l("Title on the consultation's page"), validators=[InputRequired(message=_l("Give the document a title."))]
    )
    file = FileField(
        _l("File"),
        validators=[FileRequired(message=_l("Choose the file to publish."))],
        description=_l("PDF, DOCX or ODT, up to 10 MB."),
    )
