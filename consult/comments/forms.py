"""Input shape of the comment forms."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import HiddenInput

from consult.comments.models import MAX_JUSTIFICATION, MAX_PROPOSED_TEXT, CommentKind
from consult.core.forms import BaseForm, content_choice
from consult.core.labels import kind_label


def give_unique_ids(form, suffix: str) -> None:
    """Several comment forms can be open on one page: each field needs its own id (names stay)."""
    for f in form:
        f.id = f"{f.name}-{suffix}"
        f.label.field_id = f.id


def kind_choices(whole_draft: bool) -> list[SelectChoice]:
    if whole_draft:
        return [SelectChoice(CommentKind.GENERAL.value, _("General remark"))]
    return [
        SelectChoice(CommentKind.CHANGE.value, _("Change the wording")),
        SelectChoice(CommentKind.DELETE.value, _("Delete this provision")),
        SelectChoice(CommentKind.ADD.value, _("Add a new provision after this one")),
        SelectChoice(CommentKind.GENERAL.value, _("General remark")),
    ]


class MarkedRequired:
    """Shows "(required)" by the label; the operation checks it, with a message fitting the kind."""

    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        pass


# Made before the text fields: WTForms orders fields by when they were made, and the error
# summary lists mistakes in that order, which must be the page's (the organisation comes first).
_ORGANISATION = SelectField(
    _l("On behalf of"), coerce=int, validators=[InputRequired(message=_l("Choose the organisation."))]
)


# Lengths are checked by the operation (after line endings are normalised, so a
# text the browser sends with CRLF counts as the user sees it); the form states them.
class CommentTextForm(BaseForm):
    kind = RadioField(
        _l("Kind of comment"),
        validators=[InputRequired(message=_l("Choose the kind of comment."))],
        default=CommentKind.CHANGE.value,
    )
    proposed_text = TextAreaField(
        _l("Proposed wording"),
        validators=[Optional()],
        description=_l(
            "Required for a change of wording (edit the current wording) and for a new provision. "
            "Up to %(max)d characters.",
            max=MAX_PROPOSED_TEXT,
        ),
    )
    justification = TextAreaField(
        _l("Justification"),
        validators=[MarkedRequired()],
        description=_l(
            "For a general remark, write the remark here. Up to %(max)d characters. "
            "You may use light Markdown: **bold**, *italics*, lists, links.",
            max=MAX_JUSTIFICATION,
        ),
    )


class NewCommentForm(CommentTextForm):
    organisation = _ORGANISATION
    # Made when the form is shown: the same form sent twice (a double click, a
    # resent page) is recognised and files one comment.
    submission_token = HiddenField()


class EditCommentForm(CommentTextForm):
    # What the editor saw: if another representative saved in between, the edit is refused, not lost.
    row_version = IntegerField(widget=HiddenInput(), validators=[Optional()])


class SupportForm(BaseForm):
    organisation = SelectField(
        _l("Support on behalf of"), coerce=int, validators=[InputRequired(message=_l("Choose the organisation."))]
    )


class ConfirmForm(BaseForm):
    """Withdrawing asks once more; the form only carries the CSRF token."""


class CommentFilterForm(BaseForm):
    class Meta:
        csrf = False  # a GET form: links to a filtered page must work for everyone

    organisation = SelectField(
        _l("Organisation"), coerce=lambda v: int(v) if v not in (None, "") else None, validators=[Optional()]
    )
    kind = SelectField(_l("Kind"), validators=[Optional()])
    sort = SelectField(_l("Order"), validators=[Optional()])

    def set_choices(self, organisations) -> None:
        self.organisation.choices = [SelectChoice("", _("all organisations"))] + [
            content_choice(o.id, o.name) for o in organisations
        ]
        self.kind.choices = [SelectChoice("", _("all kinds"))] + [
            SelectChoice(kind.value, kind_label(kind)) for kind in CommentKind
        ]
        self.sort.choices = [
            SelectChoice("number", _("in the order received")),
            SelectChoice("support", _("most supported first")),
            SelectChoice("newest", _("newest first")),
        ]
