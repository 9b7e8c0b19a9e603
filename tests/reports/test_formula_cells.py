"""CSV injection: a cell a spreadsheet program would run as a formula is neutralised in the
CSV with a leading apostrophe (OWASP); the XLSX stores the same text as text, the JSON exactly."""

import csv
import io
import json

import openpyxl
import pytest

HYPERLINK = '=HYPERLINK("http://x","y")'
DDE = "@SUM(1+1)*cmd|'/C calc'!A0"
HOSTILE = {
    "organisation": "+48 Fundacja",
    "proposed": HYPERLINK,
    "justification": DDE,
    "reason": "-2+3",
}


@pytest.fixture()
def formula_report(db, create_consultation, create_organisation, create_comment, create_position, official, publish):
    consultation = create_consultation("closed", officials=[official], slug="formuly")
    organisation = create_organisation(HOSTILE["organisation"])
    comment = create_comment(
        consultation, organisation, proposed_text=HOSTILE["proposed"], justification=HOSTILE["justification"]
    )
    create_position(comment, "rejected", HOSTILE["reason"])
    other = create_comment(consultation, organisation, proposed_text="\t=1+1", justification="\r=2+2")
    create_position(other, "noted", "Zwykły powód.")
    publish(consultation, official)
    return consultation


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Zwykły tekst = 1", "Zwykły tekst = 1"),
        ("'=już", "'=już"),
        (7, 7),
    ],
)
def test_a_cell_starting_like_a_formula_gets_an_apostrophe(value, written):
    from consult.reports.exporters.csv import neutralise

    assert neutralise(value) == written


def test_the_csv_neutralises_formulas_and_the_xlsx_and_json_keep_the_text(client, formula_report):
    slug = formula_report.slug
    text = client.get(f"/consultations/{slug}/report.csv").get_data().decode("utf-8-sig")
    header, first, second = list(csv.reader(io.StringIO(text, newline="")))
    assert first[4] == "'" + HOSTILE["organisation"]
    assert first[8] == "'" + HYPERLINK and first[9] == "'" + DDE and first[11] == "'-2+3"
    assert (second[8], second[9]) == ("'\t=1+1", "'\r=2+2")
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in (header, first, second) for cell in row)

    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/consultations/{slug}/report.xlsx").get_data()))
    cells = {c.value: c for row in book["Uwagi"].iter_rows() for c in row if c.value is not None}
    for value in (HYPERLINK, DDE, HOSTILE["organisation"], HOSTILE["reason"]):
        assert cells[value].data_type == "s", value  # the exact text, stored as text

    data = client.get(f"/consultations/{slug}/report.json").get_data(as_text=True)
    rows = [row for section in json.loads(data)["report"]["sections"] for row in section["rows"]]
    assert rows[0]["proposed_text"] == HYPERLINK and rows[0]["justification"] == DDE
    assert rows[0]["organisation"] == HOSTILE["organisation"]
