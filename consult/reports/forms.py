"""Input shape of the report builder."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import HiddenInput

from consult.core.forms import BaseForm
from consult.reports.operations import FILING_LIMITS, MAX_TEXT


def _limit(name: str) -> list:
    return [Optional(), Length(max=FILING_LIMITS[name])]


class ReportDraftForm(BaseForm):
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
    case_number = StringField(
        _l("Case number"),
        validators=_limit("case_number"),
        description=_l("The office's reference of the case (znak sprawy), e.g. WSS-06.0003.1.2027."),
    )
    organiser_unit = StringField(_l("Organiser's unit"), validators=_limit("organiser_unit"))
    signatory_name = StringField(
        _l("Approved by: name"),
        validators=_limit("signatory_name"),
        description=_l("The signature block is the only place in the report where a person's name appears."),
    )
    signatory_post = StringField(_l("Approved by: post"), validators=_limit("signatory_post"))
    approved_on = DateField(_l("Date of approval"), validators=[Optional()])
    closing_line = TextAreaField(
        _l("Closing line"),
        validators=_limit("closing_line"),
        description=_l("To whom the report goes next: the mayor, the council."),
    )
    produced_by = StringField(
        _l("Information produced by"),
        validators=_limit("produced_by"),
        description=_l("For the BIP record of the published report; the organiser's unit if left empty."),
    )
    responsible = StringField(
        _l("Responsible for the content"),
        validators=_limit("responsible"),
        description=_l("A post or unit; the post of the person approving it if left empty."),
    )
    # The version of the texts this form started from: a save over someone else's is refused.
    row_version = IntegerField(widget=HiddenInput(), validators=[Optional()])


class PublishReportForm(BaseForm):
    draft_version = HiddenField()
