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


def form_with_count(form: str, report) -> str:
    """A form of consultation with what came through it ("… : 12 comments"), for the report as filed."""
    filing = report.filing
    label = form_label(form)
    if filing is None:
        return label
    counts = {item.key: item.count for item in filing.forms}
    comments = {"platform_comments": counts.get("online"), "letters": counts.get("letters")}
    if form in comments:
        return label + ": " + ngettext("%(num)d comment", "%(num)d comments", comments[form] or 0)
    if form == "supports":
        return label + ": " + ngettext("%(num)d support", "%(num)d supports", report.course.support_count)
    if form == "meetings":
        held = ngettext("%(num)d meeting held", "%(num)d meetings held", filing.meetings_held)
        made = ngettext("%(num)d comment made at them", "%(num)d comments made at them", counts.get("meetings", 0))
        return f"{label}: {held}, {made}"
    return label


def duration_note(filing) -> str:
    """Why a consultation shorter than the minimum was held: "" for one that was not."""
    if filing is None or not filing.short_duration_reason:
        return ""
    return ngettext(
        "The consultation lasted %(num)d day, less than the minimum of %(minimum)d days; an administrator "
        "published it so for this reason: %(reason)s",
        "The consultation lasted %(num)d days, less than the minimum of %(minimum)d days; an administrator "
        "published it so for this reason: %(reason)s",
        filing.duration_days,
        minimum=filing.short_duration_minimum or 0,
        reason=filing.short_duration_reason,
    )


def invited_addresses_note(filing) -> str:
    if filing is None or not filing.invited_addresses:
        return ""
    return ngettext(
        "and %(num)d organisation not registered on the platform, invited by e-mail",
        "and %(num)d organisations not registered on the platform, invited by e-mail",
        filing.invited_addresses,
    )


def long_iso_date(iso: str) -> str:
    return format_date(date.fromisoformat(iso), "d MMMM y") if iso else ""


def record_facts(report) -> list[tuple[str, str]]:
    """The BIP record (metryczka) of the published report."""
    filing = report.filing
    published = format_datetime(datetime.fromisoformat(report.published_at), "d MMMM y, HH:mm")
    return [
        (_("Information produced by"), filing.produced_by or _("not given")),
        (_("Responsible for the content"), filing.responsible or _("not given")),
        (_("Date produced"), long_iso_date(filing.produced_on) or _("not given")),
        (_("Date published"), published),
    ]


def signature_lines(filing) -> list[str]:
    """The signature block: the date of approval, the name and the post of the person approving."""
    lines = []
    if filing.approved_on:
        lines.append(_("Approved on %(date)s", date=long_iso_date(filing.approved_on)))
    if filing.signatory_name:
        lines += [filing.signatory_name, filing.signatory_post]
    return lines


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
    "long_iso_date": long_iso_date,
    "participation_label": participation_label,
    "moderation_mode_label": moderation_mode_label,
    "form_label": form_label,
    "part_label": part_label,
    "row_entered_from": entered_from,
    "meeting_fact": meeting_fact,
    "duration_note": duration_note,
    "invited_addresses_note": invited_addresses_note,
    "signature_lines": signature_lines,
}
