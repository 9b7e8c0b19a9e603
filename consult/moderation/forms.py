"""Input shape of the moderation and position forms."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from consult.comments.models import HideReason
from consult.core.forms import BaseForm, MultiCheckboxField
from consult.core.labels import hide_reason_label, position_label
from consult.moderation.models import PositionStatus
from consult.moderation.operations import MAX_REASON


def _position_choices() -> list[SelectChoice]:
    """Built per request (the labels in the page's language), the official choosing: no position is preselected."""
    return [SelectChoice("", _("— choose the position —"))] + [
        SelectChoice(status.value, position_label(status)) for status in PositionStatus
    ]


def _hide_reason_choices() -> list[SelectChoice]:
    return [SelectChoice("", _("— choose the reason —"))] + [
        SelectChoice(r.value, hide_reason_label(r)) for r in HideReason
    ]


class HideForm(BaseForm):
    reason = SelectField(
        lazy_pgettext("why a comment was hidden", "Reason"),
        validators=[DataRequired(message=_l("Choose the reason for hiding."))],
    )
    note = TextAreaField(
        _l("Explanation (the author and the public log see it)"), validators=[Optional(), Length(max=2000)]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = _hide_reason_choices()


class RestoreForm(BaseForm):
    note = TextAreaField(
        _l("Why it is shown again (the author and the public log see it)"),
        validators=[DataRequired(message=_l("Say why the comment is shown again.")), Length(max=2000)],
    )


class PositionForm(BaseForm):
    status = SelectField(_l("Position"), validators=[DataRequired(message=_l("Choose the position."))])
    reason = TextAreaField(
        lazy_pgettext("the organiser's answer", "Reason"),
        validators=[DataRequired(), Length(max=MAX_REASON)],
        description=_l("Required. The organisation and the report will show it."),
    )
    row_version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = _position_choices()


class BulkForm(BaseForm):
    """Selected comments (by number) and one action applied to each."""

    comments = SelectMultipleField(_l("Comments"), coerce=int)
    status = SelectField(_l("Position"), validators=[Optional()])
    reason = TextAreaField(
        lazy_pgettext("the organiser's answer", "Reason"), validators=[Optional(), Length(max=MAX_REASON)]
    )
    assignee = SelectField(_l("Official"), validators=[Optional()])
    department = StringField(_l("Department"), validators=[Optional(), Length(max=200)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = _position_choices()


class AssignForm(BaseForm):
    assignee = SelectField(_l("Official"), validators=[Optional()])
    department = StringField(_l("Department"), validators=[Optional(), Length(max=200)])


class TeamForm(BaseForm):
    officials = MultiCheckboxField(_l("Officials who moderate and answer"), coerce=int)


class ReportCommentForm(BaseForm):
    reason = TextAreaField(_l("What is wrong with this comment?"), validators=[DataRequired(), Length(max=2000)])


class ReviewRequestForm(BaseForm):
    message = TextAreaField(_l("Why should the comment be shown again?"), validators=[DataRequired(), Length(max=2000)])
