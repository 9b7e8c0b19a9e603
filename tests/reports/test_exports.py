"""Each of the six files read back and compared with the database: Polish letters, a
comment that starts with "=", multi-line text and HTML typed into user fields."""

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from docx import Document as DocxDocument
from jsonschema import Draft202012Validator
from odfdo import Document as OdfDocument
from pypdf import PdfReader

from consult.comments.models import Channel, CommentKind, HideReason
from consult.moderation.models import PositionStatus
from consult.reports.builder import checksum
from consult.reports.formats import FORMAT_NAMES, REPORT_FORMATS

PERSON_NAMES = ("Jan Kowalski-Prywatny", "jan.prywatny@example.org", "Katarzyna Urzędniczka")


@pytest.fixture()
def files(client, filled_consultation, official, publish):
    published = publish(filled_consultation, official)
    result = {"published": published}
    for fmt in REPORT_FORMATS:
        response = client.get(f"/consultations/{filled_consultation.slug}/report.{fmt.name}")
        assert response.status_code == 200, fmt
        # The download says what the registry says: type, file name, shown or saved.
        assert response.mimetype == fmt.mimetype
        assert response.headers["Content-Type"].count("charset") <= 1
        if fmt.name == "csv":
            assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment" if fmt.attachment else "inline"), disposition
        assert f"filename=raport-program-2027-v{published.number}.{fmt.extension}" in disposition
        result[fmt.name] = response.get_data()
    return result


def _squash(text: str) -> str:
    """Text without any white space: a PDF wraps cells where it likes."""
    return re.sub(r"\s+", "", text)


def _pdf_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def test_csv_has_one_row_per_listed_comment_exactly_as_in_the_database(files, filled_consultation, expected_rows):
    assert files["csv"].startswith(b"\xef\xbb\xbf")  # the byte-order mark: Excel reads Polish letters right
    text = files["csv"].decode("utf-8-sig")
    assert not text.startswith("\ufeff")  # once
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == [
        "Lp.",
        "Nr uwagi",
        "Rozdział",
        "Część dokumentu",
        "Organizacja",
        "Organizacje popierające",
        "Rodzaj uwagi",
        "Dotychczasowe brzmienie",
        "Proponowane brzmienie",
        "Uzasadnienie",
        "Stanowisko",
        "Uzasadnienie stanowiska",
        "Sposób złożenia",
        "Data wpływu do urzędu",
        "Wątki",
        "Grupa tych samych uwag",
    ]
    expected = [
        [
            str(r["lp"]),
            str(r["number"]),
            r["section"],
            r["part"],
            r["organisation"],
            "; ".join(r["supporters"]),
            r["kind"],
            r["current"],
            "'" + r["proposed"] if r["proposed"].startswith("=") else r["proposed"],
            r["justification"],
            r["position"],
            r["reason"],
            "na platformie",
            "",
            "",  # no accepted theme
            "",  # no group of the same comments
        ]
        for r in expected_rows(filled_consultation)
    ]
    assert rows[1:] == expected
    # The tricky values survived: "=" at the start behind an apostrophe (no formula runs), line
    # breaks, HTML and Polish letters exactly.
    assert rows[3][8] == '\'=SUM(A1:A9)+HYPERLINK("x")'
    assert rows[3][9] == "Pierwsza linia.\nDruga linia — żółć.\n\nTrzecia po pustej."
    assert rows[6][8] == "<script>alert('x')</script><b>małych</b> & średnich"


def test_xlsx_rows_match_the_database_and_no_cell_is_a_formula(files, filled_consultation, expected_rows):
    workbook = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    sheet = workbook["Uwagi"]
    assert sheet.auto_filter.ref == "A1:P7"
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Lp." and values[0][11] == "Uzasadnienie stanowiska"
    expected = [
        [
            r["lp"],
            r["number"],
            r["section"],
            r["part"],
            r["organisation"],
            "; ".join(r["supporters"]),
            r["kind"],
            r["current"],
            r["proposed"],
            r["justification"],
            r["position"],
            r["reason"],
            "na platformie",
            "",
            "",  # no accepted theme
            "",  # no group of the same comments
        ]
        for r in expected_rows(filled_consultation)
    ]
    assert values[1:] == expected
    formula_cell = sheet.cell(row=4, column=9)
    assert formula_cell.value == '=SUM(A1:A9)+HYPERLINK("x")'
    assert formula_cell.data_type == "s"  # a string, not a formula ("f")
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    about = {row[0].value: row[1].value for row in workbook["Raport"].iter_rows()}
    assert about["Suma kontrolna SHA-256 danych raportu"] == files["published"].sha256


def test_docx_has_real_headings_and_comments_tables_matching_the_database(files, filled_consultation, expected_rows):
    document = DocxDocument(io.BytesIO(files["docx"]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["1. Przebieg konsultacji", "Zastosowane formy konsultacji"]
    assert "3. Uwagi i stanowiska organizatora" in headings
    assert document.paragraphs[1].style.name == "Title"
    # One table per section, its caption naming the section, its header row repeated on every page.
    tables = [t for t in document.tables if t.rows[0].cells[0].text == "Lp."]
    assert all('w:tblHeader w:val="true"' in table.rows[0]._tr.xml for table in tables)
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions[-len(tables) :] == [
        "Uwagi do projektu jako całości",
        "Rozdział I. Postanowienia ogólne",
        "Rozdział II. Cele programu",
    ]
    all_rows = [[c.text for c in row.cells] for table in tables for row in table.rows[1:]]
    rows = [row for row in all_rows if row[0].isdigit()]
    expected = [
        [
            str(r["lp"]),
            r["organisation"] + ("\npopierają: " + ", ".join(r["supporters"]) if r["supporters"] else ""),
            r["part"],
            r["current"],
            f"[{r['kind']}]" + (f"\n{r['proposed']}" if r["proposed"] else ""),
            r["justification"],
            r["position"],
            r["reason"],
        ]
        for r in expected_rows(filled_consultation)
    ]
    assert rows == expected
    notes = [row[0] for row in all_rows if not row[0].isdigit()]
    assert any("1 uwaga wycofana przez autora" in text for text in notes)
    assert any("1 uwaga ukryta przez moderatora" in text for text in notes)


def test_odt_has_headings_and_comments_tables_matching_the_database(files, filled_consultation, expected_rows):
    document = OdfDocument(io.BytesIO(files["odt"]))
    headings = [h.text_recursive for h in document.body.get_headers()]
    assert "1. Przebieg konsultacji" in headings and "4. Moderacja" in headings
    assert all(h.style.startswith("Heading_20_") for h in document.body.get_headers())
    tables = [t for t in document.body.get_tables() if t.get_rows()[0].get_cells()[0].text_content == "Lp."]
    assert len(tables) == 3  # one per section
    assert all("<table:table-header-rows>" in table.serialize() for table in tables)
    all_rows = [[c.text_content for c in row.get_cells()] for table in tables for row in table.get_rows()[1:]]
    rows = [row for row in all_rows if row[0].isdigit()]
    expected = [
        [
            str(r["lp"]),
            r["organisation"] + ("\npopierają: " + ", ".join(r["supporters"]) if r["supporters"] else ""),
            r["part"],
            r["current"],
            f"[{r['kind']}]" + (f"\n{r['proposed']}" if r["proposed"] else ""),
            r["justification"],
            r["position"],
            r["reason"],
        ]
        for r in expected_rows(filled_consultation)
    ]
    assert rows == expected
    captions = [p.text_recursive for p in document.body.get_paragraphs()]
    assert "Rozdział II. Cele programu" in captions


def test_json_is_the_published_snapshot_with_its_checksum(files, filled_consultation, expected_rows):
    body = json.loads(files["json"])
    published = files["published"]
    assert body["sha256"] == published.sha256 == checksum(published.data)
    assert body["report"] == json.loads(published.data)
    # The recipe docs/report-json.md gives for checking a download against its checksum.
    recomputed = json.dumps(body["report"], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert checksum(recomputed) == body["sha256"]
    rows = [row for group in body["report"]["sections"] for row in group["rows"]]
    assert [row["number"] for row in rows] == [r["number"] for r in expected_rows(filled_consultation)]
    assert rows[2]["proposed_text"] == '=SUM(A1:A9)+HYPERLINK("x")'
    assert rows[5]["proposed_text"] == "<script>alert('x')</script><b>małych</b> & średnich"
    assert rows[2]["position"] == "rejected"


SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "report.schema.json").read_text("utf-8"))


def test_json_export_is_valid_against_the_schema_in_docs(files):
    Draft202012Validator.check_schema(SCHEMA)
    validator = Draft202012Validator(SCHEMA)
    body = json.loads(files["json"])
    assert [error.message for error in validator.iter_errors(body)] == []
    # The schema is closed: a key or a value it does not describe is an error, so it cannot fall behind.
    body["report"]["sections"][0]["rows"][0]["author"] = "Jan Kowalski"
    body["report"]["course"]["participation"] = "everyone"
    assert len(list(validator.iter_errors(body))) == 2


@pytest.mark.parametrize(
    ("definition", "values"),
    [
        ("kind", {k.value for k in CommentKind}),
        ("position", {p.value for p in PositionStatus} | {None}),
        ("channel", {c.value for c in Channel}),
    ],
)
def test_the_schema_names_every_kind_and_position_the_code_knows(definition, values):
    assert set(SCHEMA["$defs"][definition]["enum"]) == values


def test_the_schema_names_every_hide_reason():
    reasons = SCHEMA["$defs"]["moderation"]["properties"]["hidden_by_reason"]["items"]["properties"]["key"]["enum"]
    assert set(reasons) == {r.value for r in HideReason}


def test_pdf_is_a4_tagged_with_embedded_dejavu_and_lists_the_rows_in_order(files, filled_consultation, expected_rows):
    open("/tmp/r.pdf", "wb").write(files["pdf"])
    reader = PdfReader(io.BytesIO(files["pdf"]))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).startswith("pl")
    sizes = {tuple(sorted((round(float(p.mediabox.width)), round(float(p.mediabox.height))))) for p in reader.pages}
    assert sizes == {(595, 842)}  # A4, portrait or landscape
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor  # embedded
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert "DejaVuSans" in fonts

    text = _pdf_text(files["pdf"])
    pages = text.split("\f")
    count = len([p for p in pages if p.strip()])
    for number, page in enumerate(pages[:count], start=1):
        assert f"Strona {number} z {count}" in page
    squashed = _squash(text)
    assert _squash(files["published"].sha256) in squashed
    positions = []
    for row in expected_rows(filled_consultation):
        # Line by line: pdftotext reads a wrapped table row column after column.
        for value in (row["organisation"], row["proposed"], row["justification"], row["reason"]):
            for line in value.splitlines():
                assert _squash(line) in squashed, line
        positions.append(squashed.index(_squash(row["justification"].splitlines()[0])))
    assert positions == sorted(positions)  # document order


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_no_natural_person_appears_in_any_file(files, fmt):
    if fmt == "pdf":
        text = _pdf_text(files["pdf"])
    elif fmt == "docx":
        document = DocxDocument(io.BytesIO(files["docx"]))
        text = "\n".join(
            [p.text for p in document.paragraphs]
            + [c.text for t in document.tables for r in t.rows for c in r.cells]
            + [document.core_properties.author or ""]
        )
    elif fmt == "odt":
        text = OdfDocument(io.BytesIO(files["odt"])).body.serialize()
    elif fmt == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
        text = "\n".join(str(c.value) for ws in workbook for row in ws.iter_rows() for c in row)
    else:
        text = files[fmt].decode("utf-8")
    for name in PERSON_NAMES:
        assert name not in text
    assert "Stowarzyszenie Żółw i Gęś" in text


def test_pdf_repeats_the_table_header_on_every_page_of_a_long_table(
    client, db, closed_consultation, create_organisation, create_comment, official, publish
):
    organisation = create_organisation("Fundacja Długiej Tabeli")
    for index in range(1, 61):
        create_comment(
            closed_consultation,
            organisation,
            "§ 2 ust. 1",
            kind=CommentKind.CHANGE,
            proposed_text=f"Wiersz testowy {index}. " + "Dłuższe brzmienie ustępu. " * 6,
            justification="Uzasadnienie " * 10,
        )
    publish(closed_consultation, official)
    pages = _pdf_text(client.get(f"/consultations/{closed_consultation.slug}/report.pdf").get_data()).split("\f")
    table_pages = [p for p in pages if "Wiersz testowy" in p]
    assert len(table_pages) >= 3
    for page in table_pages:
        assert "Dotychczasowebrzmienie" in _squash(page) and "Uzasadnieniestanowiska" in _squash(page)
