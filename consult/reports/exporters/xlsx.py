"""XLSX: one row per comment with filters on, and a sheet about the report.

No cell is ever a formula or a link: every text goes through ``write_string`` and
the workbook refuses to turn strings into formulas, numbers or URLs, so a proposal
that starts with "=" stays text in Excel and LibreOffice alike.
"""

from datetime import datetime
from typing import BinaryIO

import xlsxwriter
from flask_babel import format_datetime
from flask_babel import gettext as _

from consult.reports.builder import Report
from consult.reports.exporters import Progress, Ticker, no_progress
from consult.reports.exporters.columns import headers, rows
from consult.reports.labels import duration_note, form_with_count, invited_addresses_note, record_facts, signature_lines

WIDTHS = (6, 9, 28, 18, 30, 30, 16, 45, 45, 45, 16, 45, 18, 14, 30, 10)


def _filing_facts(report: Report) -> list[tuple[str, str]]:
    """The report as the office files it, one fact a row (lists one name a line)."""
    filing = report.filing
    if filing is None:
        return []
    invited = "\n".join(filing.invited)
    if filing.invited_addresses:
        invited = "\n".join(filter(None, [invited, invited_addresses_note(filing)]))
    signature = signature_lines(filing)
    return [
        (_("Case number"), filing.case_number),
        (_("Organiser's unit"), filing.organiser_unit),
        *([(_("Duration"), duration_note(filing))] if duration_note(filing) else []),
        (_("Forms of consultation used"), "\n".join(form_with_count(form, report) for form in report.course.forms)),
        (_("Organisations invited"), invited),
        (_("Organisations that took part"), "\n".join(filing.took_part)),
        (_("Closing line"), filing.closing_line),
        (_("Signature block"), "\n".join(signature)),
        (_("Information record (BIP)"), ""),
        *record_facts(report),
    ]


def export(report: Report, stream: BinaryIO, progress: Progress = no_progress, *, sha256: str | None = None) -> None:
    workbook = xlsxwriter.Workbook(
        stream,
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "constant_memory": True,  # rows go to a temporary file as they are written
            "in_memory": False,
        },
    )
    workbook.set_properties(
        {
            "title": report.title,
            "subject": _("Consultation report"),
            "author": report.course.organiser,
            "comments": sha256 or "",
        }
    )
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E6ECF2", "border": 1})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    sheet = workbook.add_worksheet(_("Comments"))
    names = headers(report)
    for column, (name, width) in enumerate(zip(names, WIDTHS + (45,) * (len(names) - len(WIDTHS)), strict=True)):
        sheet.set_column(column, column, width, wrap)
        sheet.write_string(0, column, name, bold)
    sheet.freeze_panes(1, 0)
    tick = Ticker(progress, report.row_count)
    row_index = 0
    for row_index, cells in enumerate(rows(report), start=1):
        for column, value in enumerate(cells):
            if isinstance(value, int):
                sheet.write_number(row_index, column, value)
            else:
                sheet.write_string(row_index, column, value or "")
        tick(row_index)
    sheet.autofilter(0, 0, max(row_index, 1), len(names) - 1)

    about = workbook.add_worksheet(_("Report"))
    about.set_column(0, 0, 34)
    about.set_column(1, 1, 80)
    facts = [
        (_("Consultation"), report.title),
        (_("Report version"), str(report.number)),
        (_("Published"), format_datetime(datetime.fromisoformat(report.published_at), "d MMMM y, HH:mm")),
        (_("SHA-256 checksum of the report data"), sha256 or ""),
        (_("Organiser"), report.course.organiser),
        (_("Comments received"), str(report.course.comment_count)),
        (_("Supports received"), str(report.course.support_count)),
        (_("Organisations taking part"), str(report.course.organisation_count)),
    ]
    facts += _filing_facts(report)
    for index, (label, value) in enumerate(facts):
        about.write_string(index, 0, label, bold)
        about.write_string(index, 1, value, wrap)
    workbook.close()
