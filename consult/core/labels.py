"""Words for the domain's codes, in the page's language: one place for every module.

Each function takes the enum member or its stored code ("partly_accepted"), since
pages hold model rows and reports hold the snapshot's codes. The strings are lazy,
so a page of thousands of comments looks each one up once per render.
"""

import enum
import re
from collections.abc import Mapping
from datetime import datetime

from flask import Flask
from flask_babel import format_datetime, get_locale, lazy_pgettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

CONTENT_LANGUAGE = "pl"  # what organisations and officials write: drafts, titles, comments, positions

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

ROLES = {
    "admin": _l("Administrator"),
    "official": _l("Official"),
    "member": _l("Member"),
}
CONSULTATION_STATUSES = {
    "draft": _l("Draft"),
    "announced": _l("Announced"),
    "open": _l("Open for comments"),
    "closed": _l("Closed"),
    "report_published": _l("Report published"),
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

# The audit log: what an official did, and to what (the codes stay searchable in the filter).
AUDIT_ACTIONS = {
    "comment.approve": _l("comment approved"),
    "comment.assign": _l("comment assigned"),
    "comment.entered_from_letter": _l("comment entered from a letter"),
    "comment.hide": _l("comment hidden"),
    "comment.restore": _l("comment shown again"),
    "consultation.close_early": _l("consultation closed early"),
    "consultation.create": _l("consultation created"),
    "consultation.document_added": _l("document added"),
    "consultation.document_removed": _l("document removed"),
    "consultation.extend": _l("consultation extended"),
    "consultation.invite": _l("organisations invited"),
    "consultation.publish": _l("consultation published"),
    "consultation.team": _l("team changed"),
    "consultation.update": _l("consultation changed"),
    "draft.discard": _l("draft version discarded"),
    "draft.import": _l("draft version imported"),
    "draft.link_comments": _l("comments linked to changes"),
    "draft.publish": _l("draft version published"),
    "draft.rematch": _l("provision matched again"),
    "group.answer": _l("group answered"),
    "group.confirm": _l("group confirmed"),
    "group.merge": _l("groups merged"),
    "group.split": _l("group split"),
    "letter.file_attached": _l("file attached to a letter"),
    "mail.resend": _l("message sent again"),
    "meeting.cancelled": _l("meeting cancelled"),
    "meeting.changed": _l("meeting changed"),
    "meeting.minutes_saved": _l("meeting minutes saved"),
    "meeting.planned": _l("meeting planned"),
    "organisation.created_from_letter": _l("organisation added from a letter"),
    "organisation.reject": _l("organisation rejected"),
    "organisation.verify": _l("organisation verified"),
    "position.publish": _l("position published"),
    "position.save": _l("position saved"),
    "report.publish": _l("report published"),
    "report_draft.update": _l("report draft changed"),
    "theme.accept": _l("theme accepted"),
    "theme.define": _l("theme defined"),
    "theme.edit": _l("theme changed"),
    "theme.reject": _l("theme rejected"),
    "user.create": _l("account created"),
    "user.delete": _l("account deleted"),
    "user.recovery_codes": _l("recovery codes renewed"),
    "user.two_factor_disable": _l("two-step sign-in switched off"),
    "user.two_factor_enable": _l("two-step sign-in switched on"),
    "user.two_factor_reset": _l("two-step sign-in reset"),
}
AUDIT_OBJECTS = {
    "attachments": _l("file"),
    "analysis_groups": _l("group of comments"),
    "analysis_themes": _l("theme"),
    "comments": lazy_pgettext("a remark", "comment"),
    "consultations": _l("consultation"),
    "draft_versions": _l("draft version"),
    "letters": _l("letter"),
    "mail_outbox": _l("message"),
    "meetings": _l("meeting"),
    "organisations": _l("organisation"),
    "paragraphs": _l("provision"),
    "positions": _l("position"),
    "published_reports": _l("report"),
    "report_drafts": _l("report draft"),
    "users": _l("account"),
}
AUDIT_FIELDS = {
    "address": _l("address"),
    "addresses": _l("addresses"),
    "areas": _l("areas"),
    "assignee_id": _l("assigned official (number)"),
    "attempts": _l("attempts"),
    "characters": _l("characters"),
    "closes_at": _l("closes"),
    "conclusion": _l("conclusion"),
    "department": _l("department"),
    "description": _l("description"),
    "email": _l("e-mail"),
    "error": _l("error"),
    "file": _l("file"),
    "filename": _l("file name"),
    "hidden_note": _l("explanation"),
    "hidden_reason": _l("reason for hiding"),
    "introduction": _l("introduction"),
    "kind": _l("kind"),
    "legal_basis": _l("legal basis"),
    "letter_id": _l("letter (number)"),
    "moderation_mode": _l("moderation"),
    "name": _l("name"),
    "number": _l("number"),
    "officials": _l("officials (numbers)"),
    "opens_at": _l("opens"),
    "organiser": _l("organiser"),
    "paragraph": _l("provision"),
    "participation": _l("who may take part"),
    "reason": lazy_pgettext("audit log: why an official did it", "reason"),
    "receipt_prefix": _l("receipt prefix"),
    "role": _l("role"),
    "size": _l("size in bytes"),
    "slug": _l("address of the page"),
    "status": _l("status"),
    "summary": _l("summary"),
    "title": _l("title"),
}


def _code(value) -> str | None:
    return value.value if isinstance(value, enum.Enum) else value


def _label(table: Mapping, value) -> str:
    """The words for a code (an enum or its value); an unknown code stands for itself."""
    code = _code(value)
    return str(table.get(code, code))


def kind_label(kind) -> str:
    return _label(KINDS, kind)


def comment_status_label(status) -> str:
    return _label(COMMENT_STATUSES, status)


def position_label(status) -> str:
    if status is None:
        return str(_l("no position"))
    return _label(POSITIONS, status)


def hide_reason_label(reason) -> str:
    return str(HIDE_REASONS.get(_code(reason) or "", _l("other reason")))


def receipt(prefix: str, number: int) -> str:
    """A comment's receipt number as people quote it: the consultation's prefix, a slash, four digits."""
    return f"{prefix}/{number:04d}"


def receipt_number(item, consultation=None) -> str:
    """The template filter: ``comment|receipt_number``, or ``number|receipt_number(consultation)``."""
    if consultation is None:
        return receipt(item.consultation.receipt_prefix, item.number)
    return receipt(consultation.receipt_prefix, item)


def role_label(role) -> str:
    return _label(ROLES, role)


def consultation_status_label(status) -> str:
    return _label(CONSULTATION_STATUSES, status)


def mail_status_label(status) -> str:
    return _label(MAIL_STATUSES, status)


def notification_kind_label(kind) -> str:
    return _label(NOTIFICATION_KINDS, kind)


def change_kind_label(kind) -> str:
    """What a new version did to a provision."""
    return _label(CHANGE_KINDS, kind)


def channel_label(channel) -> str:
    return _label(CHANNELS, channel)


def entered_from_label(channel, date_text: str) -> str:
    """The mark of a comment entered by the office; empty for one sent on the platform."""
    template = ENTERED_FROM.get(_code(channel) or "")
    return str(template % {"date": date_text}) if template else ""


def audit_action_label(action: str) -> str:
    return str(AUDIT_ACTIONS.get(action, action))


def audit_field_label(name: str) -> str:
    return str(AUDIT_FIELDS.get(name, name))


def audit_object_label(object_type: str) -> str:
    return str(AUDIT_OBJECTS.get(object_type, object_type))


_ISO_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)?")
_VALUE_LABELS = {**KINDS, **COMMENT_STATUSES, **POSITIONS, **HIDE_REASONS, **CHANNELS}


def audit_value(value) -> Markup:
    """A value of an audit entry's before/after as a reader wants it: a code by its label,
    a list joined, Polish letters as letters, what someone wrote marked as Polish on
    pages in another language."""
    if isinstance(value, list):
        return Markup(", ").join(audit_value(v) for v in value)
    if isinstance(value, dict):
        return Markup("; ").join(Markup("{}: {}").format(k, audit_value(v)) for k, v in value.items())
    if isinstance(value, str) and value in _VALUE_LABELS:
        return escape(_VALUE_LABELS[value])
    if value is None:
        return Markup("—")
    if isinstance(value, bool):
        return escape(_l("yes") if value else _l("no"))
    if isinstance(value, str) and _ISO_MOMENT.fullmatch(value):
        return escape(format_datetime(datetime.fromisoformat(value), "dd.MM.y HH:mm"))
    if isinstance(value, str):
        return content(value)
    return escape(value)


def _page_language() -> str:
    locale = get_locale()  # None outside a request (a document rendered by a job): Polish
    return locale.language if locale is not None else CONTENT_LANGUAGE


def content_attributes() -> dict[str, str]:
    """``{"lang": "pl"}`` for an element holding what people wrote, on a page in another language
    (a choice in a drop-down, which cannot hold a ``<span>``); nothing on a Polish page."""
    return {} if _page_language() == CONTENT_LANGUAGE else {"lang": CONTENT_LANGUAGE}


def content(value) -> Markup:
    """What people wrote (a title, a name, a provision), escaped; on a page in another language
    inside ``<span lang="pl">`` (WCAG 3.1.2), so it can stand in a sentence of the interface."""
    if value is None or value == "":
        return Markup("")
    if _page_language() == CONTENT_LANGUAGE:
        return escape(value)
    return Markup('<span lang="{}">{}</span>').format(CONTENT_LANGUAGE, value)


def register_label_filters(app: Flask) -> None:
    app.add_template_filter(content, "content")
    app.add_template_filter(audit_action_label, "audit_action_label")
    app.add_template_filter(audit_object_label, "audit_object_label")
    app.add_template_filter(audit_field_label, "audit_field_label")
    app.add_template_filter(audit_value, "audit_value")
    app.add_template_filter(change_kind_label, "change_kind_label")
    app.add_template_filter(kind_label, "kind_label")
    app.add_template_filter(comment_status_label, "comment_status")
    app.add_template_filter(position_label, "position_label")
    app.add_template_filter(hide_reason_label, "hide_reason_label")
    app.add_template_filter(mail_status_label, "mail_status_label")
    app.add_template_filter(consultation_status_label, "status_label")
    app.add_template_filter(receipt_number, "receipt_number")
    app.add_template_filter(role_label, "role_label")
    app.add_template_filter(notification_kind_label, "notification_kind_label")
    app.add_template_filter(channel_label, "channel_label")
