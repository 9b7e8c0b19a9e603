"""Input shape of the analysis forms (groups and themes)."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from consult.analysis.operations import MAX_DESCRIPTION, MAX_NAME
from consult.core.forms import BaseForm, MultiCheckboxField
from consult.core.labels import position_label
from consult.moderation.models import PositionStatus
from consult.moderation.operations import MAX_REASON


class GroupAnswerForm(BaseForm):
    status = SelectField(_l("Position"))
    reason = TextAreaField(
        lazy_pgettext("the organiser's answer", "Reason"),
        validators=[DataRequired(), Length(max=MAX_REASON)],
        description=_l("Saved as a draft position on every comment of the group; each stays its own row."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [SelectChoice(s.value, position_label(s)) for s in PositionStatus]


class SplitForm(BaseForm):
    comments = MultiCheckboxField(_l("Comments to take out of the group"), coerce=int)


class MergeForm(BaseForm):
    other = SelectField(_l("Group to merge into this one"), coerce=int)


class ThemeForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=MAX_NAME)])
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=MAX_DESCRIPTION)],
        description=_l("The words you use here help Consult find the comments of this theme."),
    )


class ThemeEditForm(ThemeForm):
    summary_answer = TextAreaField(
        _l("The office's answer on this theme (in the report)"), validators=[Optional(), Length(max=MAX_DESCRIPTION)]
    )


class ProposeForm(BaseForm):
    count = IntegerField(
        _l("Number of themes"),
        validators=[Optional(), NumberRange(min=1, max=100)],
        description=_l("Leave empty to let Consult choose from the comments."),
    )
