"""Input shape of the moderation and position forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from consult.comments.models import HideReason
from consult.core.forms import MultiCheckboxField
from consult.core.labels import hide_reason_label, position_label
from consult.moderation.models import PositionStatus
from consult.moderation.operations import MAX_REASON


def _position_choices():
    return [SelectChoice(status.value, position_label(status)) for status in PositionStatus]


class HideForm(FlaskForm):
    reason = SelectField(_l("Reason"), choices=[SelectChoice(r.value, hide_reason_label(r)) for r in HideReason])
    note = TextAreaField(
        _l("Explanation (the author and the public log see it)"), validators=[Optional(), Length(max=2000)]
    )


class PositionForm(FlaskForm):
    status = SelectField(_l("Position"), choices=_position_choices())
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(), Length(max=MAX_REASON)],
        description=_l("Required. The organisation and the report will show it."),
    )
    row_version = HiddenField()


class BulkForm(FlaskForm):
    """Selected comments (by number) and one action applied to each."""

    comments = SelectMultipleField(_l("Comments"), coerce=int)
    status = SelectField(_l("Position"), choices=_position_choices())
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=MAX_REASON)])
    assignee = SelectField(_l("Official"), validators=[Optional()])
    department = StringField(_l("Department"), validators=[Optional(), Length(max=200)])


class AssignForm(FlaskForm):
    assignee = SelectField(_l("Official"), validators=[Optional()])
    department = StringField(_l("Department"), validators=[Optional(), Length(max=200)])


class TeamForm(FlaskForm):
    officials = MultiCheckboxField(_l("Officials who moderate and answer"), coerce=int)


class ReportCommentForm(FlaskForm):
    reason = TextAreaField(_l("What is wrong with this comment?"), validators=[DataRequired(), Length(max=2000)])


class ReviewRequestForm(FlaskForm):
    message = TextAreaField(_l("Why should the comment be shown again?"), validators=[DataRequired(), Length(max=2000)])
