"""Words for the codes a report stores, in the current language.

The snapshot keeps codes ("partly_accepted"), so report.json stays language-neutral
open data; pages and documents name them through these functions.
"""

from flask_babel import gettext as _


def kind_label(kind: str) -> str:
    return {
        "change": _("change of wording"),
        "delete": _("deletion"),
        "add": _("addition"),
        "general": _("general remark"),
    }.get(kind, kind)


def position_label(status: str | None) -> str:
    if status is None:
        return _("no position")
    return {
        "accepted": _("accepted"),
        "partly_accepted": _("partly accepted"),
        "rejected": _("rejected"),
        "noted": _("noted (outside the scope)"),
    }.get(status, status)


def hide_reason_label(reason: str | None) -> str:
    return {
        "offensive": _("offensive content"),
        "personal_data": _("personal data"),
        "off_topic": _("off topic"),
        "spam": _("spam"),
        "duplicate": _("duplicate"),
    }.get(reason or "", _("other reason"))


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
        "platform_comments": _("comments on individual provisions of the draft, submitted electronically "
                               "through the Consult platform"),
        "supports": _("supports: organisations co-signing comments filed by others"),
    }.get(value, value)


def part_label(part: str) -> str:
    return part or _("the draft as a whole")


def group_label(label: str, heading: str) -> str:
    if not label:
        return _("Remarks on the draft as a whole")
    return f"{label}. {heading}" if heading else label


FILTERS = {
    "kind_label": kind_label, "position_label": position_label, "hide_reason_label": hide_reason_label,
    "participation_label": participation_label, "moderation_mode_label": moderation_mode_label,
    "form_label": form_label, "part_label": part_label,
}
