"""Input shape of the draft forms: importing a file as a new version, correcting its matching, publishing it."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, RadioField, StringField
from wtforms.validators import Length, Optional


class ImportDraftForm(FlaskForm):
    file = FileField(
        _l("Draft file"),
        validators=[FileRequired(message=_l("Choose a file."))],
        description=_l("Markdown (.md), plain text (.txt) in UTF-8, Word (.docx) or OpenDocument (.odt), up to 5 MB."),
    )
    title = StringField(_l("Version title (optional)"), validators=[Optional(), Length(max=500)])


class PublishVersionForm(FlaskForm):
    """Publishing, with the confirmations the preview asks for (only those shown are required)."""

    new_text_confirmed = BooleanField(
        _l("I confirm that this version is a new text: none of its provisions continues one of the previous version.")
    )
    comments_open_confirmed = BooleanField(
        _l(
            "I confirm that I publish a new version while comments are open; comments already made stay on the wording they were made on."
        )
    )


class MatchForm(FlaskForm):
    """Which provision of the previous version a provision of the new one is ("new" for none)."""

    old = RadioField(_l("This provision is"), validate_choice=True)
