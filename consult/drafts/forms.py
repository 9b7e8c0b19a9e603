"""Input shape of the draft forms: importing a file or editing the text as a new version, correcting
its matching, publishing it."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from consult.core.forms import BaseForm
from consult.core.labels import change_kind_label, receipt
from consult.core.text import clean_text


class ImportDraftForm(BaseForm):
    file = FileField(
        _l("Draft file"),
        validators=[FileRequired(message=_l("Choose a file."))],
        description=_l("Markdown (.md), plain text (.txt) in UTF-8, Word (.docx) or OpenDocument (.odt), up to 5 MB."),
    )
    title = StringField(_l("Version title (optional)"), validators=[Optional(), Length(max=500)])


class EditDraftForm(BaseForm):
    """The whole draft as text, in the importer's grammar (its length is checked by the operation,
    which says what to do instead)."""

    text = TextAreaField(
        _l("Text of the draft"),
        description=_l(
            "One provision a paragraph, with its number as written; a blank line between provisions. "
            "The list above the box says how to change, add, delete, move, split and merge provisions."
        ),
        # The draft is Polish whatever the page's language: spelling and screen readers follow it.
        render_kw={"rows": 24, "lang": "pl", "spellcheck": "true", "class": "draft-text"},
        # A draft is pasted from a word processor: its control characters are taken out, not refused.
        filters=[clean_text],
    )
    revision = HiddenField()


class PublishVersionForm(BaseForm):
    """Publishing, with the confirmations the preview asks for (only those shown are required)."""

    new_text_confirmed = BooleanField(
        _l("I confirm that this version is a new text: none of its provisions continues one of the previous version.")
    )
    comments_open_confirmed = BooleanField(
        _l(
            "I confirm that I publish a new version while comments are open; comments already made stay on the wording they were made on."
        )
    )


class MatchForm(BaseForm):
    """Which provision of the previous version a provision of the new one is ("new" for none)."""

    old = RadioField(_l("This provision is"), validate_choice=True)


def change_links_form(changes, linked: dict[str, list[int]], receipt_prefix: str, formdata=None) -> BaseForm:
    """One field per change: the numbers of the comments behind it ("KONS-2012/0011, 12")."""

    class ChangeLinksForm(BaseForm):
        pass

    for change in changes:
        label = _(
            "Comments behind %(label)s (%(kind)s)",
            label=change.new_label or change.old_label,
            kind=change_kind_label(change.kind),
        )
        setattr(ChangeLinksForm, f"links-{change.key}", StringField(label, validators=[Optional(), Length(max=2000)]))
    form = ChangeLinksForm(formdata=formdata) if formdata is not None else ChangeLinksForm()
    if formdata is None:
        for change in changes:
            numbers = linked.get(change.key, [])
            form[f"links-{change.key}"].data = ", ".join(receipt(receipt_prefix, n) for n in numbers)
    return form
