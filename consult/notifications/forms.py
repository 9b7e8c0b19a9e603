"""Input shape: a person's e-mail settings, extra addresses to invite."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, TextAreaField
from wtforms.validators import Length, Optional

from consult.core.forms import BaseForm, MultiCheckboxField


class SettingsForm(BaseForm):
    kinds = MultiCheckboxField(
        _l("Tell me by e-mail about"), description=_l("Account messages and receipts for your comments always go out.")
    )
    daily_digest = BooleanField(
        _l("One summary a day instead of a message each time"),
        description=_l("Sent in the morning, only on days with something to tell."),
    )


class InviteForm(BaseForm):
    addresses = TextAreaField(
        _l("Addresses of organisations that are not registered yet"),
        validators=[Optional(), Length(max=60_000)],
        description=_l("One e-mail address per line. They get an invitation to register and comment."),
    )
    # Only on the page of a consultation shorter than the minimum, for an administrator (the view
    # removes it otherwise).
    short_reason = TextAreaField(
        _l("Reason for publishing a consultation shorter than the minimum"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Kept in the audit log and printed in the report."),
    )
