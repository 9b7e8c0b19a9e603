"""ODT (OpenDocument text): real headings (text:h with outline levels and LibreOffice's
"Heading N" styles) and tables whose header rows repeat on each page; the comments
table sits on landscape A4 pages."""

from typing import BinaryIO

from flask_babel import gettext as _
from odfdo import Cell, Document, Element, Header, HeaderRows, List, Paragraph, Row, Span, Style
from odfdo import Table as OdfTable

from consult.reports.builder import Report
from consult.reports.exporters import Progress, Ticker, no_progress
from consult.reports.exporters.outline import Bullets, Facts, Heading, Table, Text, outline


def _styles(document: Document) -> None:
    document.insert_style(Style("paragraph", name="ReportTitle", display_name="Title", parent_style="Heading",
                                bold=True, area="text", font_family="DejaVu Sans"), automatic=False)
    document.insert_style(Style("text", name="Strong", display_name="Strong", bold=True, area="text"))
    document.insert_style(Style("text", name="Note", display_name="Note", italic=True, area="text"))
    document.insert_style(Style("table-cell", name="ReportCell", border="0.5pt solid #000000",
                                padding="0.05cm"), automatic=True)
    document.insert_style(Style("table-cell", name="ReportHeadCell", border="0.5pt solid #000000",
                                padding="0.05cm", background_color="#e6ecf2"), automatic=True)
    # Landscape A4 for the comments table, portrait A4 for the rest.
    document.insert_style(Element.from_tag(
        '<style:page-layout style:name="ConsultLandscape"><style:page-layout-properties fo:page-width="29.7cm" '
        'fo:page-height="21cm" style:print-orientation="landscape" fo:margin-top="1.5cm" '
        'fo:margin-bottom="1.5cm" fo:margin-left="1.5cm" fo:margin-right="1.5cm"/></style:page-layout>'),
        automatic=True)
    document.insert_style(Element.from_tag(
        '<style:page-layout style:name="ConsultPortrait"><style:page-layout-properties fo:page-width="21cm" '
        'fo:page-height="29.7cm" style:print-orientation="portrait" fo:margin-top="2cm" '
        'fo:margin-bottom="2cm" fo:margin-left="2cm" fo:margin-right="2cm"/></style:page-layout>'),
        automatic=True)
    document.insert_style(Element.from_tag(
        '<style:master-page style:name="Landscape" style:page-layout-name="ConsultLandscape"/>'))
    document.insert_style(Element.from_tag(
        '<style:master-page style:name="Portrait" style:page-layout-name="ConsultPortrait"/>'))
    document.insert_style(Style("paragraph", name="StartLandscape", parent_style="Caption",
                                master_page="Landscape"), automatic=True)
    document.insert_style(Style("paragraph", name="StartPortrait", parent_style="Standard",
                                master_page="Portrait"), automatic=True)


def _cell(text: str, style: str = "ReportCell", span: int | None = None, bold: bool = False) -> Cell:
    cell = Cell(style=style)
    if span:
        cell.set_attribute("table:number-columns-spanned", str(span))
    paragraph = Paragraph()
    if bold:
        paragraph.append(Span(text or "", style="Strong"))
    else:
        paragraph = Paragraph(text or "")
    cell.append(paragraph)
    return cell


def _table(body, block: Table, name: str, tick) -> None:
    columns = len(block.header)
    body.append(Paragraph(block.caption, style="StartLandscape" if block.wide else "Caption"))
    table = OdfTable(name)
    header_rows = HeaderRows()
    header = Row()
    for text in block.header:
        header.append(_cell(text, "ReportHeadCell", bold=True))
    header_rows.append(header)
    table.append(header_rows)
    for row in block.rows:
        odf_row = Row()
        if row.group:
            odf_row.append(_cell(row.cells[0], "ReportHeadCell", span=columns, bold=True))
            for _column in range(columns - 1):
                odf_row.append(Element.from_tag("<table:covered-table-cell/>"))
        else:
            for text in row.cells:
                odf_row.append(_cell(text))
            tick()
        table.append(odf_row)
    body.append(table)
    if block.wide:
        body.append(Paragraph("", style="StartPortrait"))


def export(report: Report, stream: BinaryIO, progress: Progress = no_progress, *,
           sha256: str | None = None) -> None:
    document = Document("text")
    _styles(document)
    body = document.body
    body.clear()
    document.meta.set_title(report.title)
    document.meta.set_subject(_("Consultation report"))
    document.meta.set_language("pl-PL")
    if sha256:
        document.meta.set_comments(sha256)
    body.append(Paragraph("", style="StartPortrait"))

    ticker = Ticker(progress, report.row_count, end=85)
    done = [0]

    def tick() -> None:
        done[0] += 1
        ticker(done[0])

    tables = 0
    for block in outline(report, sha256):
        if isinstance(block, Heading):
            if block.level == 0:
                body.append(Paragraph(block.text, style="ReportTitle"))
            else:
                heading = Header(block.level, block.text)
                heading.style = f"Heading_20_{block.level}"  # LibreOffice's own "Heading N"
                body.append(heading)
        elif isinstance(block, Text):
            paragraph = Paragraph()
            if block.note:
                paragraph.append(Span(block.text, style="Note"))
            else:
                paragraph = Paragraph(block.text)
            body.append(paragraph)
        elif isinstance(block, Facts):
            for label, value in block.items:
                paragraph = Paragraph()
                paragraph.append(Span(f"{label}: ", style="Strong"))
                paragraph.append_plain_text(value)
                body.append(paragraph)
        elif isinstance(block, Bullets):
            body.append(List(block.items, style="List_20_1"))
        elif isinstance(block, Table):
            tables += 1
            _table(body, block, f"{_('Table')} {tables}", tick)
    progress(90)
    document.save(stream)
