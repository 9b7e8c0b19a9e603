"""Words for the codes a report stores, in the current language.

The snapshot keeps codes ("partly_accepted"), so report.json stays language-neutral
open data; pages and documents name them through these functions.
"""

from datetime import date, datetime

from flask_babel import format_date, format_datetime, ngettext
from flask_babel import gettext as _

from consult.core.labels import channel_label, entered_from_label, hide_reason_label, kind_label, position_label


def participation_label(value: str) -> str:
    return {
        "verified_organisations": _("verified organisations"),
        "all_organisations": _("all registered organisations"),
    }.get(value, value)


def moderation_mode_label(value: str) -> str:
    return {
        "pre": _("pre-moderation (comments appeared after approval)"),
        "post": _("post-moderation (comments appeared at once and could be hidden)"),
    }.get(value, value)


def form_label(value: str) -> str:
    return {
        "platform_comments": _(
            "comments on individual provisions of the draft, submitted electronically through the Consult platform"
        ),
        "supports": _("supports: organisations co-signing comments filed by others"),
        "letters": _("comments sent by post, e-mail or ePUAP, entered on the platform by the office"),
        "meetings": _("consultation meetings"),
    }.get(value, value)


def entered_from(row) -> str:
    """ "Entered by the office from a letter received on …" for a row the office entered; "" otherwise."""
    if row.channel == "online" or not row.received_on:
        return ""
    return entered_from_label(row.channel, format_date(date.fromisoformat(row.received_on), "d MMMM y"))


def meeting_fact(meeting) -> str:
    """One meeting of the course of the consultation, in a sentence."""
    starts = datetime.fromisoformat(meeting.starts_at)
    when = format_datetime(starts, "d MMMM y, HH:mm")
    if meeting.ends_at:
        ends = datetime.fromisoformat(meeting.ends_at)
        when += "–" + format_datetime(ends, "HH:mm" if ends.date() == starts.date() else "d MMMM y, HH:mm")
    if meeting.place and meeting.online:
        where = _("%(place)s and online", place=meeting.place)
    else:
        where = meeting.place or _("online")
    if meeting.cancelled:
        return _("%(when)s, %(where)s: cancelled.", when=when, where=where)
    parts = [
        ngettext("%(num)d organisation registered", "%(num)d organisations registered", meeting.registered),
        ngettext("%(num)d comment made at it", "%(num)d comments made at it", meeting.comments),
    ]
    text = f"{when}, {where}: {', '.join(parts)}."
    if meeting.minutes:
        text += " " + _("The minutes are published on the consultation's page.")
    return text


def part_label(part: str) -> str:
    return part or _("the draft as a whole")


def group_label(label: str, heading: str) -> str:
    if not label:
        return _("Remarks on the draft as a whole")
    return f"{label}. {heading}" if heading else label


__all__ = [
    "FILTERS",
    "channel_label",
    "entered_from",
    "group_label",
    "hide_reason_label",
    "kind_label",
    "meeting_fact",
    "part_label",
    "position_label",
]

# The code labels (kind, position, hide reason) are registered by consult.core.labels.
FILTERS = {
    "participation_label": participation_label,
    "moderation_mode_label": moderation_mode_label,
    "form_label": form_label,
    "part_label": part_label,
    "row_entered_from": entered_from,
    "meeting_fact": meeting_fact,
}
