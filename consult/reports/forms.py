"""Input shape of the report builder."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import HiddenInput

from consult.reports.operations import MAX_TEXT


class ReportDraftForm(FlaskForm):
    introduction = TextAreaField(
        _l("Introduction"),
        validators=[Optional(), Length(max=MAX_TEXT)],
        description=_l("Opens part 1 of the report: why and how the consultation was held. Markdown is allowed."),
    )
    conclusion = TextAreaField(
        _l("Conclusion"),
        validators=[Optional(), Length(max=MAX_TEXT)],
        description=_l("Closes the report: what happens next with the draft. Markdown is allowed."),
    )
    # The version of the texts this form started from: a save over someone else's is refused.
    row_version = IntegerField(widget=HiddenInput(), validators=[Optional()])


class PublishReportForm(FlaskForm):
    draft_version = HiddenField()
