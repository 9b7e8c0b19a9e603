"""Words for the codes a report stores, in the current language.

The snapshot keeps codes ("partly_accepted"), so report.json stays language-neutral
open data; pages and documents name them through these functions.
"""

from flask_babel import gettext as _

from consult.core.labels import hide_reason_label, kind_label, position_label


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
    }.get(value, value)


def part_label(part: str) -> str:
    return part or _("the draft as a whole")


def group_label(label: str, heading: str) -> str:
    if not label:
        return _("Remarks on the draft as a whole")
    return f"{label}. {heading}" if heading else label


__all__ = ["FILTERS", "group_label", "hide_reason_label", "kind_label", "part_label", "position_label"]

# The code labels (kind, position, hide reason) are registered by consult.core.labels.
FILTERS = {
    "participation_label": participation_label,
    "moderation_mode_label": moderation_mode_label,
    "form_label": form_label,
    "part_label": part_label,
}
