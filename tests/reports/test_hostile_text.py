"""Text already in the database that an office tool chokes on: control characters (the
vertical tab Word pastes for a line break, a stray \\x01), carriage returns and titles
longer than the 255 characters a DOCX property holds. Every file of the report is built
and read back; none fails."""

import csv
import html
import io
import json
import re
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
import sqlalchemy as sa
from docx import Document as DocxDocument
from odfdo import Document as OdfDocument
from pypdf import PdfReader

from consult.accounts.models import Organisation
from consult.drafts.models import Paragraph
from consult.reports.formats import REPORT_FORMATS
from consult.reports.models import ExportStatus, ReportDraft, ReportExport

LONG_TITLE = "Program współpracy " + "bardzo długi " * 35  # 474 characters: the column holds 500
LONG_ORGANISER = "Wydział " + "Spraw Społecznych " * 16  # about 300 characters


@pytest.fixture()
def hostile_report(db, create_consultation, create_organisation, create_comment, create_position, official, publish):
    consultation = create_consultation(
        "closed",
        officials=[official],
        slug="wrogi-tekst",
        title=LONG_TITLE + "\x01\r\nkoniec",
        organiser=LONG_ORGANISER,
    )
    # Written as older versions of the forms and the importer left them: uncleaned.
    organisation = create_organisation("Fundacja\x0bNowa\x01 Linia\r\nDruga")
    paragraph = db.session.scalars(sa.select(Paragraph).where(Paragraph.label == "§ 1 pkt 1")).first()
    paragraph.text = "ustawie\x0b– pożytku\x01 publicznego\x1f."
    comment = create_comment(
        consultation,
        organisation,
        "§ 1 pkt 1",
        proposed_text="Nowe\x0bbrzmienie\x02.",
        justification="Bo\x1btak.",
    )
    create_position(comment, "rejected", "Powód\x0bz\x01 pionowym tabulatorem\x0c.")
    db.session.add(
        ReportDraft(
            consultation_id=consultation.id,
            introduction="Wstęp\x0bpo\x01 Wordzie.\n\nDrugi\x07 akapit.",
            conclusion="Zakończenie\x0e.",
            signatory_name="Anna\x0bNowak",
            signatory_post="Dyrektor\x01",
            closing_line="Przekazuje\x0bsię.",
        )
    )
    db.session.commit()
    return consultation, publish(consultation, official)


@pytest.mark.parametrize("fmt", [f.name for f in REPORT_FORMATS])
def test_every_file_is_built_from_hostile_text(client, db, hostile_report, fmt):
    consultation, published = hostile_report
    response = client.get(f"/consultations/{consultation.slug}/report.{fmt}")
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    export = db.session.scalars(sa.select(ReportExport).where(ReportExport.format == fmt)).one()
    assert export.status == ExportStatus.DONE and export.error is None
    data = response.get_data()
    text = READ_BACK[fmt](data)
    # The words around the control characters are all there, without the characters.
    for words in ("Fundacja", "Nowa", "pożytku", "pionowym tabulatorem", "Wstęp"):
        if fmt in ("csv", "xlsx") and words == "Wstęp":
            continue  # the tables hold the comments only
        assert words in text, (fmt, words)
    if fmt in ("docx", "odt", "pdf"):
        assert "\x01" not in text and "\x0b" not in text


def _docx_text(data: bytes) -> str:
    document = DocxDocument(io.BytesIO(data))
    properties = document.core_properties
    assert len(properties.title) <= 255 and properties.title.startswith("Program współpracy")
    assert len(properties.author) <= 255 and properties.author.startswith("Wydział")
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _odt_text(data: bytes) -> str:
    document = OdfDocument(io.BytesIO(data))
    assert document.meta.get_title().startswith("Program współpracy")
    content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml").decode()
    return html.unescape(re.sub(r"<text:(line-break|s|tab)/>", " ", content).replace("<", " <"))


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    assert "Program współpracy" in reader.metadata.title
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return text.replace("\n", " ")


def _xlsx_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)


def _csv_text(data: bytes) -> str:
    return "\n".join("\t".join(row) for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _json_text(data: bytes) -> str:
    report = json.loads(data)
    # Open data keeps what was published, character for character.
    text = json.dumps(report, ensure_ascii=False)
    assert "Fundacja\x0bNowa" in text or "Fundacja\\u000bNowa" in text
    return text


READ_BACK = {
    "docx": _docx_text,
    "odt": _odt_text,
    "pdf": _pdf_text,
    "xlsx": _xlsx_text,
    "csv": _csv_text,
    "json": _json_text,
}


def test_the_report_page_shows_hostile_text(client, hostile_report):
    consultation, _published = hostile_report
    response = client.get(f"/consultations/{consultation.slug}/report")
    assert response.status_code == 200
    assert "Fundacja" in response.get_data(as_text=True)


def test_organisation_names_stay_as_stored(db, hostile_report):
    # The fixture bypasses the forms on purpose: the exporters must cope with such rows.
    assert "\x0b" in db.session.scalars(sa.select(Organisation.name)).first()


# --- cleaned on the way in: what the forms, the importer and the CLI store -----------------


def test_text_is_cleaned_once_on_the_way_in(db, create_user, create_consultation, create_comment, official):
    from datetime import timedelta

    from consult.accounts.operations import OrganisationData, create_organisation
    from consult.consultations.operations import ConsultationData
    from consult.consultations.operations import create_consultation as new_consultation
    from consult.core.time import utcnow
    from consult.drafts.importers import parse_markdown
    from consult.moderation.models import PositionStatus
    from consult.moderation.operations import save_position
    from consult.reports.operations import save_report_draft

    member = create_user()
    organisation = create_organisation(member, OrganisationData(name="Fundacja\x0bNowa\x01\r\nLinia"))
    assert organisation.name == "Fundacja Nowa Linia"

    now = utcnow()
    data = ConsultationData(
        slug="czysty-tytul",
        title="Program\r\nBcc: x@example.org\x01",
        opens_at=now + timedelta(days=1),
        closes_at=now + timedelta(days=30),
        organiser="Wydział\x0bSpraw\nSpołecznych",
        legal_basis="art. 5a\x01",
    )
    consultation = new_consultation(official, data)
    assert (consultation.title, consultation.organiser) == ("Program Bcc: x@example.org", "Wydział Spraw Społecznych")
    assert consultation.legal_basis == "art. 5a"

    parsed = parse_markdown("# Program\n\n## Rozdział I. Zasady\n\n§ 1. Ustawa\x0bo pożytku\x01 publicznym.\n")
    [(_section, paragraph)] = list(parsed.iter_paragraphs())
    assert "\x01" not in paragraph.text and "\x0b" not in paragraph.text and "pożytku publicznym" in paragraph.text

    closed = create_consultation("closed", officials=[official])
    comment = create_comment(closed, organisation)
    position = save_position(official, comment, PositionStatus.REJECTED, "Powód\x0bw dwóch\x01 liniach.\x0c", None)
    assert position.reason == "Powód\nw dwóch liniach."
    draft = save_report_draft(closed, official, "Wstęp\x0bz Worda\x07.", "Koniec\x01.", 0)
    assert (draft.introduction, draft.conclusion) == ("Wstęp\nz Worda.", "Koniec.")
