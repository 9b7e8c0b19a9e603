"""Words for the domain's codes, in the page's language: one place for every module.

Each function takes the enum member or its stored code ("partly_accepted"), since
pages hold model rows and reports hold the snapshot's codes. The strings are lazy,
so a page of thousands of comments looks each one up once per render.
"""

import enum

from flask import Flask
from flask_babel import lazy_gettext as _l

KINDS = {
    "change": _l("change of wording"),
    "delete": _l("deletion"),
    "add": _l("new provision"),
    "general": _l("general remark"),
}
COMMENT_STATUSES = {
    "pending": _l("awaiting moderation"),
    "published": _l("published"),
    "hidden": _l("hidden by a moderator"),
    "withdrawn": _l("withdrawn"),
}
POSITIONS = {
    "accepted": _l("accepted"),
    "partly_accepted": _l("partly accepted"),
    "rejected": _l("rejected"),
    "noted": _l("noted (outside the scope)"),
}
HIDE_REASONS = {
    "offensive": _l("offensive content"),
    "personal_data": _l("personal data"),
    "off_topic": _l("off topic"),
    "spam": _l("spam"),
    "duplicate": _l("duplicate"),
}

MAIL_STATUSES = {
    "queued": _l("waiting to be sent"),
    "sending": _l("being sent"),
    "sent": _l("sent"),
    "failed": _l("failed"),
}
NOTIFICATION_KINDS = {
    "new_consultation": _l("a new consultation in your organisation's areas"),
    "deadline_reminder": _l(
        "reminders 3 days and 1 day before the deadline when your organisation has not commented "
        "or the moderator hid its comment"
    ),
    "position_published": _l("the organiser's answer to your organisation's comment"),
    "new_version": _l("a new version of a draft your organisation commented on"),
    "comment_moderated": _l("your organisation's comment approved, hidden or restored"),
    "supported_changed": _l("a comment your organisation supported was changed or withdrawn"),
    "meeting": _l("consultation meetings"),
    "new_comments": _l("new comments in the consultations of your team (once a day)"),
    "all": _l("all notifications"),
}
CHANNELS = {
    "online": _l("on the platform"),
    "paper": _l("paper letter"),
    "email": _l("e-mail"),
    "epuap": _l("ePUAP"),
    "meeting": _l("consultation meeting"),
}
# "Entered by the office from …": the mark a comment received another way carries everywhere.
ENTERED_FROM = {
    "paper": _l("Entered by the office from a letter received on %(date)s."),
    "email": _l("Entered by the office from an e-mail received on %(date)s."),
    "epuap": _l("Entered by the office from an ePUAP message received on %(date)s."),
    "meeting": _l("Entered by the office from the consultation meeting of %(date)s."),
}

CHANGE_KINDS = {
    "kept": _l("unchanged"),
    "changed": _l("changed"),
    "added": _l("added"),
    "deleted": _l("deleted"),
    "moved": _l("moved"),
    "split": _l("split"),
    "merged": _l("merged"),
}


def _code(value) -> str | None:
    return value.value if isinstance(value, enum.Enum) else value


def kind_label(kind) -> str:
    return str(KINDS.get(_code(kind), _code(kind)))


def comment_status_label(status) -> str:
    return str(COMMENT_STATUSES.get(_code(status), _code(status)))


def position_label(status) -> str:
    if status is None:
        return str(_l("no position"))
    return str(POSITIONS.get(_code(status), _code(status)))


def hide_reason_label(reason) -> str:
    return str(HIDE_REASONS.get(_code(reason) or "", _l("other reason")))


def mail_status_label(status) -> str:
    return str(MAIL_STATUSES.get(_code(status), _code(status)))


def notification_kind_label(kind) -> str:
    return str(NOTIFICATION_KINDS.get(_code(kind), _code(kind)))


def change_kind_label(kind) -> str:
    """What a new version did to a provision."""
    return str(CHANGE_KINDS.get(_code(kind), _code(kind)))


def channel_label(channel) -> str:
    return str(CHANNELS.get(_code(channel), _code(channel)))


def entered_from_label(channel, date_text: str) -> str:
    """The mark of a comment entered by the office; empty for one sent on the platform."""
    template = ENTERED_FROM.get(_code(channel) or "")
    return str(template % {"date": date_text}) if template else ""


def register_label_filters(app: Flask) -> None:
    app.add_template_filter(change_kind_label, "change_kind_label")
    app.add_template_filter(kind_label, "kind_label")
    app.add_template_filter(comment_status_label, "comment_status")
    app.add_template_filter(position_label, "position_label")
    app.add_template_filter(hide_reason_label, "hide_reason_label")
    app.add_template_filter(mail_status_label, "mail_status_label")
    app.add_template_filter(notification_kind_label, "notification_kind_label")
    app.add_template_filter(channel_label, "channel_label")
