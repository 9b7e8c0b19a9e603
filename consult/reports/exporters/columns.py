"""The columns of the one-row-per-comment formats (CSV and XLSX): the same in both."""

from collections.abc import Iterator

from flask_babel import gettext as _
from flask_babel import pgettext

from consult.reports.builder import Report, ReportRow
from consult.reports.labels import channel_label, group_label, kind_label, part_label, position_label


def resulting_version(report: Report) -> int | None:
    """The newest version of the draft, when the report has a "resulting wording" column."""
    return next((row.resulting_version for row in report.rows() if row.resulting_version is not None), None)


def resulting_header(number: int) -> str:
    return _("Resulting wording (version %(number)d)", number=number)


def headers(report: Report | None = None) -> list[str]:
    resulting = resulting_version(report) if report is not None else None
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
        pgettext("the organiser's answer", "Reason"),
        _("Channel"),
        _("Date received by the office"),
        _("Themes"),
        _("Group of the same comments"),
    ] + ([resulting_header(resulting)] if resulting is not None else [])


def _cells(section: str, row: ReportRow, resulting: bool) -> list:
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
        channel_label(row.channel),
        row.received_on,  # ISO date; empty for a comment sent on the platform
        "; ".join(row.themes),
        row.group or "",
    ] + ([row.resulting_text if row.resulting_text is not None else ""] if resulting else [])


def rows(report: Report) -> Iterator[list]:
    """One list of cells per listed comment, in document order; generated, not collected."""
    resulting = resulting_version(report) is not None
    for group in report.sections:
        section = group_label(group.label, group.heading)
        for row in group.rows:
            yield _cells(section, row, resulting)
