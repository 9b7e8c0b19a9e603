"""The report as the office files it: case number, the organiser's unit, the organisations invited
and those that took part, the forms used with their counts, the signature block, the date of
approval, the closing line and the BIP record, in every format, frozen with the snapshot."""

import io
import json
import re
import shutil
import subprocess
import zipfile
from datetime import timedelta

import openpyxl
import pytest
import sqlalchemy as sa
from docx import Document as DocxDocument

from consult.core.time import LOCAL_TZ, utcnow
from consult.notifications.models import Invitation
from consult.reports.builder import report_from_dict, report_from_json
from consult.reports.formats import FORMAT_NAMES
from consult.reports.models import PublishedReport, ReportDraft
from consult.reports.operations import FilingData, save_report_draft

CASE = "WSS-06.0003.7.2027"
SIGNATORY, POST = "Ewa Zatwierdzająca", "Dyrektor Wydziału Spraw Społecznych"
CLOSING = "Sprawozdanie przekazuje się Prezydentowi Miasta Krakowa."
INVITED_ONLY = "Fundacja Zaproszona Nieobecna"


def _filing(consultation, **overrides) -> FilingData:
    values = {
        "case_number": CASE,
        "organiser_unit": "Wydział Spraw Społecznych UMK",
        "signatory_name": SIGNATORY,
        "signatory_post": POST,
        "approved_on": consultation.closes_at.astimezone(LOCAL_TZ).date() + timedelta(days=1),
        "closing_line": CLOSING,
        "produced_by": "Wydział Spraw Społecznych UMK",
        "responsible": "Dyrektor Wydziału",
    }
    values.update(overrides)
    return FilingData(**values)


@pytest.fixture()
def filed(db, filled_consultation, official, create_organisation, publish):
    create_organisation(INVITED_ONLY)
    db.session.add(Invitation(consultation_id=filled_consultation.id, email="biuro@niezarejestrowana.example.org"))
    save_report_draft(filled_consultation, official, "Wstęp.", "Zakończenie.", None, _filing(filled_consultation))
    db.session.commit()
    return publish(filled_consultation, official)


def _pdf_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def _text(fmt: str, data: bytes) -> str:
    if fmt == "pdf":
        return _pdf_text(data)
    if fmt == "docx":
        document = DocxDocument(io.BytesIO(data))
        return "\n".join(p.text for p in document.paragraphs)
    if fmt == "odt":
        content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml").decode()
        return re.sub(r"<text:line-break/>", "\n", re.sub(r"</text:(p|h|list-item)>", "\n", content))
    if fmt == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(data))
        return "\n".join(str(c.value) for row in workbook.worksheets[1].iter_rows() for c in row if c.value)
    return data.decode("utf-8-sig")


def _words(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_every_format_carries_the_case_number_the_signature_block_and_the_invited(client, filed, fmt):
    response = client.get(f"/consultations/program-2027/report.{fmt}")
    assert response.status_code == 200
    data = response.get_data()
    if fmt == "csv":  # one row per comment, for spreadsheets: the filing facts are in the others
        assert data.startswith(b"\xef\xbb\xbf") and response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert data.count(b"\xef\xbb\xbf") == 1
        return
    if fmt == "json":
        filing = json.loads(data)["report"]["filing"]
        assert filing["case_number"] == CASE
        assert (filing["signatory_name"], filing["signatory_post"]) == (SIGNATORY, POST)
        assert INVITED_ONLY in filing["invited"] and INVITED_ONLY not in filing["took_part"]
        assert filing["invited_addresses"] == 1 and "biuro@" not in data.decode()
        assert filing["took_part"] == ["Fundacja Łąka", "Klub Śródmieście", "Stowarzyszenie Żółw i Gęś"]
        assert {f["key"]: f["count"] for f in filing["forms"]} == {"online": 8, "letters": 0, "meetings": 0}
        return
    text = _words(_text(fmt, data))
    assert CASE in text, fmt
    assert SIGNATORY in text and POST in text, fmt
    assert INVITED_ONLY in text and "Stowarzyszenie Żółw i Gęś" in text, fmt
    assert CLOSING in text, fmt
    assert "Organizacje zaproszone" in text and "Organizacje, które wzięły udział" in text, fmt
    assert "Metryczka informacji (BIP)" in text and "Informację wytworzył" in text, fmt
    assert "zatwierdzono" in text.lower(), fmt


def test_the_web_page_shows_the_filing_in_order(client, filed):
    page = _words(client.get("/consultations/program-2027/report").get_data(as_text=True))
    assert f"Znak sprawy {CASE}" in page
    assert "Organizacje zaproszone" in page and "oraz 1 organizacja niezarejestrowana na platformie" in page
    assert page.index("Organizacje zaproszone") < page.index("Statystyki")  # in part 1
    assert page.index("Zatwierdzenie") > page.index("Zakończenie")  # at the end
    assert "8 uwag" in page  # the platform's comments, counted
    english = _words(client.get("/consultations/program-2027/report?lang=en").get_data(as_text=True))
    assert f"Case number {CASE}" in english and "Organisations invited" in english


def test_the_pdf_looks_signed(filed, client):
    """The signature block sits at the right margin of its page, below the closing line."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = _pdf_text(client.get("/consultations/program-2027/report.pdf").get_data())
    lines = text.splitlines()
    signed = next(line for line in lines if SIGNATORY in line)
    closing = next(line for line in lines if "Sprawozdanie przekazuje" in line)
    assert len(signed) - len(signed.lstrip()) > 30  # indented far right, as signatures are
    assert lines.index(signed) > lines.index(closing)


def test_the_filing_is_part_of_the_frozen_snapshot(db, client, filed, filled_consultation, official, publish):
    first = report_from_json(filed.data)
    save_report_draft(
        filled_consultation,
        official,
        "Wstęp.",
        "Zakończenie.",
        db.session.scalar(sa.select(ReportDraft.row_version)),
        _filing(filled_consultation, signatory_name="Adam Inny", signatory_post="Sekretarz Miasta"),
    )
    db.session.commit()
    assert report_from_json(db.session.get(PublishedReport, filed.id).data).filing.signatory_name == SIGNATORY
    second = publish(filled_consultation, official)  # a change of the signature is a new version
    assert second.number == 2 and report_from_json(second.data).filing.signatory_name == "Adam Inny"
    assert first.filing.case_number == CASE
    old_page = client.get("/consultations/program-2027/report/v1").get_data(as_text=True)
    assert SIGNATORY in old_page and "Adam Inny" not in old_page


def test_a_report_published_before_the_filing_existed_still_reads(filed):
    data = json.loads(filed.data)
    del data["filing"]
    assert report_from_dict(data).filing is None


def _builder(client, slug="program-2027", **fields):
    data = {
        "introduction": "",
        "conclusion": "",
        "row_version": "0",
        "case_number": CASE,
        "organiser_unit": "",
        "signatory_name": SIGNATORY,
        "signatory_post": POST,
        "approved_on": "",
        "closing_line": "",
        "produced_by": "",
        "responsible": "",
    }
    data.update(fields)
    return client.post(f"/manage/consultations/{slug}/report", data=data)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("case_number", "W" * 61, "60"),
        ("case_number", "<script>alert(1)</script>", "znak sprawy"),
        ("case_number", "-WSS", "znak sprawy"),
        ("signatory_name", "x" * 121, "120"),
        ("signatory_post", "", "imię i nazwisko, jak i stanowisko"),
        ("closing_line", "x" * 1001, "1000"),
        ("approved_on", "0001-01-01", "z lat od 2000 do 2099"),  # every date field's bound
        ("approved_on", "2099-01-01", "między dniem zakończenia konsultacji"),
        ("approved_on", "2027-02-30", ""),  # WTForms' own message: not a date
        ("approved_on", "30.02.2027", ""),
    ],
)
def test_bad_filing_input_is_refused_and_nothing_is_saved(
    client, db, login, filled_consultation, official, field, value, words
):
    login(official)
    response = _builder(client, **{field: value})
    assert response.status_code == 422
    error = re.search(rf'id="{field}-error"[^>]*>(.*?)</', response.get_data(as_text=True), re.S)
    assert error, field
    assert words.lower() in error.group(1).lower()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportDraft)) == 0


def test_the_builder_saves_the_filing_and_warns_of_what_is_missing(client, db, login, filled_consultation, official):
    login(official)
    page = client.get("/manage/consultations/program-2027/report").get_data(as_text=True)
    assert "Raport nie ma znaku sprawy." in page and "Nie podano daty zatwierdzenia." in page
    assert 'value="Wydział Spraw Społecznych"' in page  # the unit offered from the consultation
    approved = utcnow().astimezone(LOCAL_TZ).date()
    response = _builder(
        client,
        signatory_name="  Ewa Zatwierdzająca ",
        approved_on=approved.isoformat(),
        closing_line="Przekazuje się\r\nRadzie Miasta.",
    )
    assert response.status_code == 302
    draft = db.session.scalar(sa.select(ReportDraft))
    assert (draft.case_number, draft.signatory_name, draft.approved_on) == (CASE, SIGNATORY, approved)
    assert draft.closing_line == "Przekazuje się\nRadzie Miasta."
    page = client.get("/manage/consultations/program-2027/report").get_data(as_text=True)
    assert "Raport nie ma znaku sprawy." not in page and SIGNATORY in page


def test_a_short_consultation_s_reason_is_in_the_report(client, db, filled_consultation, official, publish):
    filled_consultation.short_duration_reason = "Uchwała musiała zapaść przed 30 listopada."
    filled_consultation.short_duration_minimum = 21
    db.session.commit()
    published = publish(filled_consultation, official)
    assert report_from_json(published.data).filing.short_duration_reason.startswith("Uchwała")
    page = _words(client.get("/consultations/program-2027/report").get_data(as_text=True))
    assert "mniej niż wymagane minimum 21 dni" in page and "Uchwała musiała zapaść przed 30 listopada." in page


def test_the_date_filter_reads_an_iso_date(app):
    from consult.reports.labels import long_iso_date

    with app.test_request_context("/?lang=pl"):
        assert long_iso_date("2027-03-12") == "12 marca 2027"
        assert long_iso_date("") == ""
