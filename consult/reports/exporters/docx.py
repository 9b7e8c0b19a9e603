"""DOCX: Word's own headings ("Heading 1"…) and tables, so the document can be edited,
navigated and read aloud; the comments table sits on landscape pages and repeats its
header row on each of them."""

from typing import BinaryIO

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from flask_babel import gettext as _

from consult.reports.builder import Report
from consult.reports.exporters import Progress, Ticker, no_progress
from consult.reports.exporters.outline import Bullets, Facts, Heading, Table, Text, outline


def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _write_lines(paragraph, text: str, *, bold: bool = False, italic: bool = False) -> None:
    """Text with its line breaks kept (python-docx would put them in one run as-is)."""
    lines = (text or "").split("\n")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold, run.italic = bold or None, italic or None
        if index < len(lines) - 1:
            run.add_break()


def _set_text(cell, text: str, bold: bool = False) -> None:
    _write_lines(cell.paragraphs[0], text, bold=bold)


def _orientation(document, landscape: bool) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    width, height = section.page_width, section.page_height
    if landscape != (width > height):
        section.page_width, section.page_height = height, width
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT


def _table(document, block: Table, tick) -> None:
    columns = len(block.header)
    document.add_paragraph(block.caption, style="Caption")
    table = document.add_table(rows=1, cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    section = document.sections[-1]
    usable = section.page_width - section.left_margin - section.right_margin
    total = sum(block.widths) if block.widths else columns
    widths = [usable * (w / total) for w in (block.widths or [1] * columns)]
    header = table.rows[0]
    _repeat_as_header(header)
    for cell, text, width in zip(header.cells, block.header, widths, strict=True):
        _set_text(cell, text, bold=True)
        cell.width = int(width)
    for row in block.rows:
        cells = table.add_row().cells
        if row.group:
            merged = cells[0].merge(cells[-1])
            _set_text(merged, row.cells[0], bold=True)
        else:
            for cell, text, width in zip(cells, row.cells, widths, strict=True):
                _set_text(cell, text)
                cell.width = int(width)
            tick()


def export(report: Report, stream: BinaryIO, progress: Progress = no_progress, *,
           sha256: str | None = None) -> None:
    document = Document()
    styles = document.styles
    styles["Normal"].font.name = "DejaVu Sans"
    styles["Normal"].font.size = Pt(10)
    document.core_properties.title = report.title
    document.core_properties.subject = _("Consultation report")
    document.core_properties.author = report.course.organiser or _("the organiser")
    document.core_properties.language = "pl"
    document.core_properties.comments = sha256 or ""
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4, not Letter
        section.left_margin = section.right_margin = Cm(2)

    ticker = Ticker(progress, report.row_count, end=85)
    done = [0]

    def tick() -> None:
        done[0] += 1
        ticker(done[0])

    for block in outline(report, sha256):
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Text):
            _write_lines(document.add_paragraph(), block.text, italic=block.note)
        elif isinstance(block, Facts):
            for label, value in block.items:
                paragraph = document.add_paragraph()
                paragraph.add_run(f"{label}: ").bold = True
                paragraph.add_run(value)
        elif isinstance(block, Bullets):
            for item in block.items:
                document.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Table):
            if block.wide:
                _orientation(document, landscape=True)
            _table(document, block, tick)
            if block.wide:
                _orientation(document, landscape=False)
    progress(90)
    document.save(stream)
