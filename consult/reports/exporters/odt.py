"""ODT (OpenDocument text): real headings (text:h with outline levels and LibreOffice's
"Heading N" styles) and tables whose header rows repeat on each page; the comments
table sits on landscape A4 pages."""

import re
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

from flask_babel import gettext as _
from odfdo import Document, Element, Header, List, Paragraph, Span, Style

from consult.core.text import one_line
from consult.reports.builder import Report
from consult.reports.exporters import Progress, Ticker, no_progress
from consult.reports.exporters.outline import Bullets, Facts, Heading, Table, Text, outline


def _styles(document: Document) -> None:
    document.insert_style(
        Style(
            "paragraph",
            name="ReportTitle",
            display_name="Title",
            parent_style="Heading",
            bold=True,
            area="text",
            font_family="DejaVu Sans",
        ),
        automatic=False,
    )
    document.insert_style(Style("text", name="Strong", display_name="Strong", bold=True, area="text"))
    document.insert_style(Style("text", name="Note", display_name="Note", italic=True, area="text"))
    document.insert_style(
        Element.from_tag(
            '<style:style style:family="paragraph" style:name="SignatureBlock" style:parent-style-name="Standard">'
            '<style:paragraph-properties fo:text-align="end" fo:margin-top="0.8cm"/></style:style>'
        ),
        automatic=True,
    )
    document.insert_style(
        Style("table-cell", name="ReportCell", border="0.5pt solid #000000", padding="0.05cm"), automatic=True
    )
    document.insert_style(
        Style(
            "table-cell",
            name="ReportHeadCell",
            border="0.5pt solid #000000",
            padding="0.05cm",
            background_color="#e6ecf2",
        ),
        automatic=True,
    )
    # Landscape A4 for the comments table, portrait A4 for the rest.
    document.insert_style(
        Element.from_tag(
            '<style:page-layout style:name="ConsultLandscape"><style:page-layout-properties fo:page-width="29.7cm" '
            'fo:page-height="21cm" style:print-orientation="landscape" fo:margin-top="1.5cm" '
            'fo:margin-bottom="1.5cm" fo:margin-left="1.5cm" fo:margin-right="1.5cm"/></style:page-layout>'
        ),
        automatic=True,
    )
    document.insert_style(
        Element.from_tag(
            '<style:page-layout style:name="ConsultPortrait"><style:page-layout-properties fo:page-width="21cm" '
            'fo:page-height="29.7cm" style:print-orientation="portrait" fo:margin-top="2cm" '
            'fo:margin-bottom="2cm" fo:margin-left="2cm" fo:margin-right="2cm"/></style:page-layout>'
        ),
        automatic=True,
    )
    document.insert_style(
        Element.from_tag('<style:master-page style:name="Landscape" style:page-layout-name="ConsultLandscape"/>')
    )
    document.insert_style(
        Element.from_tag('<style:master-page style:name="Portrait" style:page-layout-name="ConsultPortrait"/>')
    )
    # A table's caption stays on the page of its table.
    document.insert_style(
        Element.from_tag(
            '<style:style style:family="paragraph" style:name="StartLandscape" style:parent-style-name="Caption" '
            'style:master-page-name="Landscape"><style:paragraph-properties fo:keep-with-next="always"/>'
            "</style:style>"
        ),
        automatic=True,
    )
    document.insert_style(
        Element.from_tag(
            '<style:style style:family="paragraph" style:name="TableCaption" style:parent-style-name="Caption">'
            '<style:paragraph-properties fo:keep-with-next="always"/></style:style>'
        ),
        automatic=True,
    )
    document.insert_style(
        Style("paragraph", name="StartPortrait", parent_style="Standard", master_page="Portrait"), automatic=True
    )


# Table rows are written as ODF markup and parsed once: odfdo builds each cell, paragraph
# and line break by parsing a fragment of XML of its own and looks the table's columns
# up again for every appended row, which made a table of 10,000 comments take minutes.
# The cells are marked up as odfdo itself marks them up.
_SPACE_RUN = re.compile(r"^ +| +$| {2,}")


def _spacer(count: int) -> str:
    return "<text:s/>" if count == 1 else f'<text:s text:c="{count}"/>'


def _spaces(match: re.Match) -> str:
    """Runs of spaces kept as ODF has them: it collapses runs and drops them at line ends."""
    count = len(match.group(0))
    if match.start() == 0 or match.end() == len(match.string):
        return _spacer(count)
    return " " + _spacer(count - 1)


def _inline(text: str) -> str:
    """Plain text as the content of a text:p: line breaks, tabs and spaces kept."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<text:line-break/>".join(
        "<text:tab/>".join(_SPACE_RUN.sub(_spaces, escape(piece)) for piece in line.split("\t")) for line in lines
    )


def _cell(text: str, style: str = "ReportCell", span: int | None = None, bold: bool = False) -> str:
    spanned = f' table:number-columns-spanned="{span}"' if span else ""
    content = _inline(text)
    if bold:
        content = f'<text:span text:style-name="Strong">{content}</text:span>'
    return f'<table:table-cell table:style-name="{style}"{spanned}><text:p>{content}</text:p></table:table-cell>'


def _column_styles(document: Document, block: Table, known: dict) -> list[str]:
    """The automatic styles of a table of this shape: the table's own, then one per column
    with its share of the text width. Made once per shape (``known``): inserting a style
    searches the whole document, which grows with every table."""
    relative = tuple(block.widths or [1] * len(block.header))
    key = (relative, block.wide)
    if key not in known:
        name = f"ReportTable{len(known) + 1}"
        width = 26.7 if block.wide else 17.0  # the text width of the landscape and portrait pages, cm
        document.insert_style(
            Element.from_tag(
                f'<style:style style:name="{name}" style:family="table"><style:table-properties '
                f'style:width="{width}cm" table:align="margins"/></style:style>'
            ),
            automatic=True,
        )
        for index, share in enumerate(relative, start=1):
            document.insert_style(
                Element.from_tag(
                    f'<style:style style:name="{name}.C{index}" style:family="table-column">'
                    f'<style:table-column-properties style:column-width="{width * share / sum(relative):.3f}cm"/>'
                    f"</style:style>"
                ),
                automatic=True,
            )
        known[key] = [name] + [f"{name}.C{index}" for index in range(1, len(relative) + 1)]
    return known[key]


def _table(
    document: Document, body, block: Table, number: int, tick, styles: dict, *, first_landscape: bool = False
) -> None:
    columns = len(block.header)
    name = f"{_('Table')} {number}"
    body.append(Paragraph(block.caption, style="StartLandscape" if first_landscape else "TableCaption"))
    table_style, *column_styles = _column_styles(document, block, styles)
    head = [f"<table:table table:name={quoteattr(name)} table:style-name={quoteattr(table_style)}>"]
    head += [f"<table:table-column table:style-name={quoteattr(style)}/>" for style in column_styles]
    head.append("<table:table-header-rows><table:table-row>")
    head += [_cell(text, "ReportHeadCell", bold=True) for text in block.header]
    head.append("</table:table-row></table:table-header-rows></table:table>")
    table = Element.from_tag("".join(head))
    body.append(table)

    rows = ["<table:table-rows>"]  # a plain container: odfdo would add columns to a table
    covered = "<table:covered-table-cell/>" * (columns - 1)
    for row in block.rows:
        if row.group:
            rows.append(
                f"<table:table-row>{_cell(row.cells[0], 'ReportHeadCell', span=columns, bold=True)}"
                f"{covered}</table:table-row>"
            )
        else:
            rows.append("<table:table-row>" + "".join(_cell(text) for text in row.cells) + "</table:table-row>")
            tick()
    rows.append("</table:table-rows>")
    target = table._xml_element
    # Row by row: lxml moves a large subtree into another document in quadratic time
    # (a 10,000-row table at once took longer than building it), a small one at once.
    for row in list(Element.from_tag("".join(rows))._xml_element):
        target.append(row)


def _write_text_block(body, block) -> None:
    """One part of the outline other than a table, as ODF paragraphs."""
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
            paragraph = Paragraph(block.text, style="SignatureBlock" if block.end else None)
        body.append(paragraph)
    elif isinstance(block, Facts):
        for label, value in block.items:
            paragraph = Paragraph()
            paragraph.append(Span(f"{label}: ", style="Strong"))
            paragraph.append_plain_text(value)
            body.append(paragraph)
    elif isinstance(block, Bullets):
        body.append(List(block.items, style="List_20_1"))


def export(report: Report, stream: BinaryIO, progress: Progress = no_progress, *, sha256: str | None = None) -> None:
    document = Document("text")
    _styles(document)
    body = document.body
    body.clear()
    document.meta.set_title(one_line(report.title))
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
    table_styles: dict = {}
    landscape = False
    for block in outline(report, sha256):
        wide = isinstance(block, Table) and block.wide
        if landscape and not wide:  # back to portrait pages after the comments tables
            body.append(Paragraph("", style="StartPortrait"))
        if not isinstance(block, Table):
            _write_text_block(body, block)
        else:
            tables += 1
            _table(document, body, block, tables, tick, table_styles, first_landscape=wide and not landscape)
        landscape = wide
    progress(90)
    document.save(stream)
