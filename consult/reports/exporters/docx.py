"""DOCX: Word's own headings ("Heading 1"…) and tables, so the document can be edited,
navigated and read aloud; the comments table sits on landscape pages and repeats its
header row on each of them."""

from typing import BinaryIO

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt
from flask_babel import gettext as _

from consult.core.text import one_line
from consult.reports.builder import Report
from consult.reports.exporters import Progress, Ticker, no_progress
from consult.reports.exporters.outline import Bullets, Facts, Heading, Table, Text, outline

PROPERTY_LIMIT = 255


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


def _orientation(document, landscape: bool) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    width, height = section.page_width, section.page_height
    if landscape != (width > height):
        section.page_width, section.page_height = height, width
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT


# Table rows are written as WordprocessingML directly: python-docx's add_row(), cell
# access and add_run() rebuild proxies and search the XML on every call, which made a
# table of 10,000 comments take minutes. The markup is python-docx's own, with one run
# per cell whose lines are joined by w:br (python-docx reads them back as "\n").
_TR, _TC, _TC_PR, _TC_W, _GRID_SPAN = qn("w:tr"), qn("w:tc"), qn("w:tcPr"), qn("w:tcW"), qn("w:gridSpan")
_P, _R, _R_PR, _B, _T, _BR, _TAB = qn("w:p"), qn("w:r"), qn("w:rPr"), qn("w:b"), qn("w:t"), qn("w:br"), qn("w:tab")
_W, _TYPE, _VAL, _SPACE = qn("w:w"), qn("w:type"), qn("w:val"), "{http://www.w3.org/XML/1998/namespace}space"


def _child(parent, tag: str, attributes: dict | None = None):
    child = parent.makeelement(tag, attributes or {})
    parent.append(child)
    return child


def _cell(tr, text: str, width: int, *, bold: bool = False, span: int = 1) -> None:
    """One w:tc of ``width`` twips holding ``text``: one run, its lines joined by w:br."""
    tc = _child(tr, _TC)
    properties = _child(tc, _TC_PR)
    _child(properties, _TC_W, {_W: str(width), _TYPE: "dxa"})
    if span > 1:
        _child(properties, _GRID_SPAN, {_VAL: str(span)})
    paragraph = _child(tc, _P)
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if not text:
        return
    run = _child(paragraph, _R)
    if bold:
        _child(_child(run, _R_PR), _B)
    for index, line in enumerate(text.split("\n")):
        if index:
            _child(run, _BR)
        for piece_index, piece in enumerate(line.split("\t")):
            if piece_index:
                _child(run, _TAB)
            if piece:
                _child(run, _T, {_SPACE: "preserve"}).text = piece


def _table(document, block: Table, tick) -> None:
    columns = len(block.header)
    document.add_paragraph(block.caption, style="Caption").paragraph_format.keep_with_next = True  # with its table
    table = document.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # fixed layout: the widths below hold, and a long table opens faster
    section = document.sections[-1]
    usable = section.page_width - section.left_margin - section.right_margin
    relative = block.widths or [1] * columns
    widths = [Emu(int(usable * w / sum(relative))) for w in relative]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid LibreOffice lays the table out by
    twips = [width.twips for width in widths]
    tbl = table._tbl
    header = _child(tbl, _TR)
    for text, width in zip(block.header, twips, strict=True):
        _cell(header, text, width, bold=True)
    _repeat_as_header(table.rows[0])
    for row in block.rows:
        tr = _child(tbl, _TR)
        if row.group:
            _cell(tr, row.cells[0], sum(twips), bold=True, span=columns)
        else:
            for text, width in zip(row.cells, twips, strict=True):
                _cell(tr, text, width)
            tick()


def _write_block(document, block, tick) -> None:
    """One part of the outline as Word paragraphs or a table."""
    if isinstance(block, Heading):
        document.add_heading(block.text, level=block.level)
    elif isinstance(block, Text):
        paragraph = document.add_paragraph()
        _write_lines(paragraph, block.text, italic=block.note)
        if block.end:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif isinstance(block, Facts):
        for label, value in block.items:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)
    elif isinstance(block, Bullets):
        for item in block.items:
            document.add_paragraph(item, style="List Bullet")
    elif isinstance(block, Table):
        _table(document, block, tick)


def export(report: Report, stream: BinaryIO, progress: Progress = no_progress, *, sha256: str | None = None) -> None:
    document = Document()
    styles = document.styles
    styles["Normal"].font.name = "DejaVu Sans"
    styles["Normal"].font.size = Pt(10)
    # Core properties hold at most 255 characters (python-docx refuses more); a title
    # may have 500 and an organiser 300.
    document.core_properties.title = one_line(report.title, PROPERTY_LIMIT)
    document.core_properties.subject = _("Consultation report")
    document.core_properties.author = one_line(report.course.organiser or _("the organiser"), PROPERTY_LIMIT)
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

    landscape = False
    for block in outline(report, sha256):
        wide = isinstance(block, Table) and block.wide
        if wide != landscape:  # the comments tables get landscape pages of their own
            _orientation(document, landscape=wide)
            landscape = wide
        _write_block(document, block, tick)
    progress(90)
    document.save(stream)
