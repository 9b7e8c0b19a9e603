"""Input shape of the draft forms: importing a file as a new version."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import Length, Optional


class ImportDraftForm(FlaskForm):
    file = FileField(
        _l("Draft file"),
        validators=[FileRequired(message=_l("Choose a file."))],
        description=_l("Markdown (.md), plain text (.txt) or Word (.docx), up to 5 MB, in UTF-8."),
    )
    title = StringField(_l("Version title (optional)"), validators=[Optional(), Length(max=500)])
