"""Input shape of the officials' forms for comments received another way (choices set per request)."""

from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import HiddenInput

from consult.comments.models import MAX_JUSTIFICATION, MAX_PROPOSED_TEXT, OFFICE_CHANNELS, CommentKind
from consult.core.forms import BaseForm, LocalDateTimeField, content_choice
from consult.core.labels import channel_label, kind_label


def _optional_int(value):
    return int(value) if value not in (None, "") and str(value).isdigit() else None


class LetterCommentForm(Form):
    """One remark of a letter (a row of the batch form; no CSRF token of its own)."""

    paragraph = SelectField(_l("Part of the document"), validators=[Optional()])
    kind = SelectField(_l("Kind of comment"), validators=[Optional()], default=CommentKind.GENERAL.value)
    proposed_text = TextAreaField(
        _l("Proposed wording"),
        validators=[Optional()],
        description=_l("For a change of wording or a new provision. Up to %(max)d characters.", max=MAX_PROPOSED_TEXT),
    )
    justification = TextAreaField(
        _l("Justification (for a general remark: the remark)"),
        validators=[Optional()],
        description=_l("Up to %(max)d characters.", max=MAX_JUSTIFICATION),
    )

    def is_empty(self) -> bool:
        return not (self.proposed_text.data or "").strip() and not (self.justification.data or "").strip()


class LetterForm(BaseForm):
    organisation = SelectField(_l("Organisation on record"), coerce=_optional_int, validators=[Optional()])
    new_organisation_name = StringField(
        _l("Or a new organisation: its name"),
        validators=[Optional()],
        description=_l("As the letter gives it. It is recorded as an unverified organisation."),
    )
    new_organisation_address = TextAreaField(_l("The new organisation's address"), validators=[Optional()])
    channel = RadioField(
        _l("Received by"), validators=[InputRequired(message=_l("Choose how the comments were received."))]
    )
    received_on = DateField(
        _l("Date received"),
        validators=[Optional()],
        description=_l(
            "For a letter sent by post, the date of the postmark; for a meeting, its date. "
            "It decides whether the comments came in time."
        ),
    )
    reference = StringField(_l("Reference or subject of the letter"), validators=[Optional()])
    meeting = SelectField(
        _l("Consultation meeting"),
        coerce=_optional_int,
        validators=[Optional()],
        description=_l("For comments made at a meeting: choose it (its date is then the date received)."),
    )
    file = FileField(
        _l("Scan of the letter or the original e-mail"),
        validators=[Optional()],
        description=_l("PDF, DOCX, ODT, JPEG, PNG or EML, up to 10 MB. Only officials can open it."),
    )
    comments = FieldList(FormField(LetterCommentForm), min_entries=1, max_entries=50)

    def set_choices(self, organisations, paragraphs, meetings=()) -> None:
        self.meeting.choices = [SelectChoice("", _("— not a meeting —"))] + [
            # the date in figures, read alike in both languages: the choice is the place's (Polish)
            content_choice(m.id, format_datetime(m.starts_at, "dd.MM.y HH:mm") + (f" – {m.place}" if m.place else ""))
            for m in meetings
        ]
        self.organisation.choices = [SelectChoice("", _("— choose, or give a new one below —"))] + [
            content_choice(o.id, o.name) for o in organisations
        ]
        self.channel.choices = [SelectChoice(c.value, channel_label(c)) for c in OFFICE_CHANNELS]
        provisions = [SelectChoice("", _("the draft as a whole"))] + [
            content_choice(p.key, f"{p.label} – {_shorten(p.text)}") for p in paragraphs
        ]
        kinds = [SelectChoice(kind.value, kind_label(kind)) for kind in CommentKind]
        for entry in self.comments:
            entry.form.paragraph.choices = provisions
            entry.form.kind.choices = kinds


def _shorten(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


# --- meetings ----------------------------------------------------------------------------------------


class MeetingForm(BaseForm):
    starts_at = LocalDateTimeField(
        _l("Starts"), validators=[InputRequired(message=_l("Give the date and time the meeting starts."))]
    )
    ends_at = LocalDateTimeField(_l("Ends"), validators=[Optional()])
    place = StringField(
        _l("Place"),
        validators=[Optional()],
        description=_l("An address and a room, or leave empty for an online meeting."),
    )
    online_url = StringField(_l("Link to join online"), validators=[Optional()], description=_l("https://…"))
    description = TextAreaField(_l("Agenda"), validators=[Optional()], description=_l("You may use light Markdown."))
    registration_limit = IntegerField(
        _l("Places (organisations)"),
        validators=[Optional()],
        description=_l("Leave empty for no limit."),
    )
    row_version = IntegerField(widget=HiddenInput(), validators=[Optional()])


class MinutesForm(BaseForm):
    minutes = TextAreaField(
        _l("Minutes"),
        validators=[Optional()],
        description=_l("Written here (light Markdown), or as a file below, or both."),
    )
    file = FileField(_l("Minutes as a file"), validators=[Optional()], description=_l("PDF, DOCX or ODT, up to 10 MB."))


class CancelMeetingForm(BaseForm):
    reason = TextAreaField(
        _l("Why it is cancelled"), validators=[InputRequired(message=_l("Say why the meeting is cancelled."))]
    )


class RegistrationForm(BaseForm):
    organisation = SelectField(
        _l("Register on behalf of"), coerce=int, validators=[InputRequired(message=_l("Choose the organisation."))]
    )
