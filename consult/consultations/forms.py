"""Input shape of the officials' consultation forms."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from consult.consultations.models import ModerationMode, Participation
from consult.core.forms import BaseForm, LocalDateTimeField, MultiCheckboxField


# Date fields use InputRequired, not DataRequired: the latter would replace
# "not a valid date" with "required" when someone types a date we cannot read.
class ConsultationForm(BaseForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=500)])
    slug = StringField(
        _l("Address (slug)"),
        validators=[
            DataRequired(),
            Regexp(
                r"^[a-z0-9][a-z0-9-]{1,78}[a-z0-9]$", message=_l("Use lower-case letters, digits and hyphens (3–80).")
            ),
        ],
        description=_l("Part of the page address, e.g. program-wspolpracy-2027."),
    )
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=5000)])
    organiser = StringField(_l("Organiser (department)"), validators=[Optional(), Length(max=300)])
    legal_basis = TextAreaField(_l("Legal basis"), validators=[Optional(), Length(max=2000)])
    opens_at = LocalDateTimeField(_l("Opens (Kraków time)"), validators=[InputRequired()])
    closes_at = LocalDateTimeField(_l("Closes (Kraków time)"), validators=[InputRequired()])
    areas = MultiCheckboxField(_l("Areas of cooperation"), coerce=int)
    participation = SelectField(
        _l("Who may take part"),
        choices=[
            SelectChoice(Participation.VERIFIED_ORGANISATIONS.value, _l("Verified organisations")),
            SelectChoice(Participation.ALL_ORGANISATIONS.value, _l("All registered organisations")),
        ],
    )
    moderation_mode = SelectField(
        _l("Moderation"),
        choices=[
            SelectChoice(ModerationMode.POST.value, _l("Post-moderation: comments appear at once and can be hidden")),
            SelectChoice(ModerationMode.PRE.value, _l("Pre-moderation: comments appear after approval")),
        ],
    )
    receipt_prefix = StringField(
        _l("Prefix of receipt numbers"),
        default="KONS",
        validators=[
            DataRequired(),
            Length(max=40),
            Regexp(r"^[A-Za-z0-9-]+$", message=_l("Letters, digits and hyphens.")),
        ],
        description=_l("Receipts are numbered like KONS-2027/0045."),
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and self.closes_at.data <= self.opens_at.data:
            self.closes_at.errors.append(_l("The closing time must be later than the opening time."))
            return False
        return valid


class ReasonForm(BaseForm):
    reason = TextAreaField(_l("Reason (kept in the record)"), validators=[DataRequired(), Length(max=2000)])


class ExtendForm(ReasonForm):
    closes_at = LocalDateTimeField(_l("New closing time (Kraków time)"), validators=[InputRequired()])
