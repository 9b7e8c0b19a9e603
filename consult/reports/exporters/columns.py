"""The columns of the one-row-per-comment formats (CSV and XLSX): the same in both."""

from collections.abc import Iterator

from flask_babel import gettext as _

from consult.reports.builder import Report, ReportRow
from consult.reports.labels import group_label, kind_label, part_label, position_label


def headers() -> list[str]:
    return [
        _("No."),
        _("Comment number"),
        _("Section"),
        _("Part of the document"),
        _("Organisation"),
        _("Supporting organisations"),
        _("Kind of comment"),
        _("Current wording"),
        _("Proposed wording"),
        _("Justification"),
        _("Position"),
        _("Reason"),
        _("Themes"),
        _("Group of the same comments"),
    ]


def _cells(section: str, row: ReportRow) -> list:
    return [
        row.lp,
        row.number,
        section,
        part_label(row.part),
        row.organisation,
        "; ".join(row.supporters),
        kind_label(row.kind),
        row.current_text,
        row.proposed_text,
        row.justification,
        position_label(row.position),
        row.reason,
        "; ".join(row.themes),
        row.group or "",
    ]


def rows(report: Report) -> Iterator[list]:
    """One list of cells per listed comment, in document order; generated, not collected."""
    for group in report.sections:
        section = group_label(group.label, group.heading)
        for row in group.rows:
            yield _cells(section, row)
