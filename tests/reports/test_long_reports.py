"""What keeps long reports fast, and that it changes nothing in the files: text typed with
spaces, tabs and line breaks reads back the same from DOCX and ODT, the comments table
keeps its column widths and is cut into tables of a bounded length."""

import io
import re

import pytest
from docx import Document as DocxDocument
from odfdo import Document as OdfDocument

TRICKY = "Punkt 1:\n  a)\twcięty  tekst   z odstępami \n\nb) po pustej linii\t"


@pytest.fixture()
def tricky_files(client, closed_consultation, create_organisation, create_comment, create_position, official, publish):
    organisation = create_organisation("Fundacja  Dwóch Spacji")
    comment = create_comment(
        closed_consultation,
        organisation,
        "§ 2 ust. 1",
        proposed_text=TRICKY,
        justification="\tZaczyna się tabulatorem, kończy  dwiema spacjami  ",
    )
    create_position(comment, "rejected", "Odpowiedź\r\nw dwóch liniach.")
    publish(closed_consultation, official)
    return {
        fmt: client.get(f"/consultations/{closed_consultation.slug}/report.{fmt}").get_data() for fmt in ("docx", "odt")
    }


def _comment_row(rows):
    return next(row for row in rows if row and row[0] == "1")


def test_docx_cells_keep_spaces_tabs_and_line_breaks(tricky_files):
    document = DocxDocument(io.BytesIO(tricky_files["docx"]))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Lp.")
    row = _comment_row([[cell.text for cell in row.cells] for row in table.rows])
    assert row[1] == "Fundacja  Dwóch Spacji"
    assert row[4] == "[zmiana brzmienia]\n" + TRICKY
    assert row[5] == "\tZaczyna się tabulatorem, kończy  dwiema spacjami  "
    assert row[7] == "Odpowiedź\nw dwóch liniach."


def test_odt_cells_keep_spaces_tabs_and_line_breaks(tricky_files):
    document = OdfDocument(io.BytesIO(tricky_files["odt"]))
    table = next(t for t in document.body.get_tables() if t.get_rows()[0].get_cells()[0].text_content == "Lp.")
    row = _comment_row([[cell.text_content for cell in row.get_cells()] for row in table.get_rows()])
    assert row[1] == "Fundacja  Dwóch Spacji"
    assert row[4] == "[zmiana brzmienia]\n" + TRICKY
    assert row[5] == "\tZaczyna się tabulatorem, kończy  dwiema spacjami  "
    assert row[7] == "Odpowiedź\nw dwóch liniach."


def test_the_comments_table_has_narrow_and_wide_columns_in_docx_and_odt(tricky_files):
    document = DocxDocument(io.BytesIO(tricky_files["docx"]))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Lp.")
    widths = [column.width for column in table.columns]
    assert widths[0] < widths[1] < widths[3]  # "No." narrow, wordings wide: the grid LibreOffice uses
    assert 'w:tblHeader w:val="true"' in table.rows[0]._tr.xml

    document = OdfDocument(io.BytesIO(tricky_files["odt"]))
    table = next(t for t in document.body.get_tables() if t.get_rows()[0].get_cells()[0].text_content == "Lp.")
    content = document.get_part("content").serialize().decode()
    widths = []
    for column in table.get_columns():
        found = re.search(rf'style:name="{re.escape(column.style)}".*?style:column-width="([0-9.]+)cm"', content)
        widths.append(float(found.group(1)))
    assert len(widths) == 8 and widths[0] < widths[1] < widths[3]
    assert round(sum(widths), 1) == 26.7  # the text width of a landscape page
    assert "<table:table-header-rows>" in table.serialize()


def test_a_long_section_goes_into_several_tables_under_the_same_caption(
    app, filled_consultation, official, publish, monkeypatch
):
    from consult.reports.builder import report_from_json
    from consult.reports.exporters import outline

    monkeypatch.setattr(outline, "TABLE_ROWS", 2)
    report = report_from_json(publish(filled_consultation, official).data)
    with app.test_request_context():
        tables = outline.comment_tables(report)
    assert [(table.caption, [row.cells[0] for row in table.rows]) for table in tables] == [
        ("Uwagi do projektu jako całości", ["1"]),
        ("Rozdział I. Postanowienia ogólne", ["2", "3"]),
        ("Rozdział I. Postanowienia ogólne", ["1 uwaga ukryta przez moderatora — policzone, bez treści."]),
        ("Rozdział II. Cele programu", ["4", "5"]),
        ("Rozdział II. Cele programu", ["6", "1 uwaga wycofana przez autora — policzone, bez treści."]),
    ]
