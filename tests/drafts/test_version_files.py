"""A version as DOCX, ODT and PDF, clean or with the changes from an earlier version as
tracked changes, read back the way a word processor reads them."""

import io
import shutil
import subprocess
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from odfdo import Document

from consult.drafts.importers import parse_markdown
from consult.drafts.operations import import_draft, publish_version

FIRST = (
    "# Program współpracy\n\n## Rozdział I. Cele\n\n"
    "§ 1. 1. Celem programu jest budowanie partnerstwa między Gminą a organizacjami.\n\n"
    "2. Program obowiązuje od dnia 1 stycznia do dnia 31 grudnia.\n\n"
    "3. Zadania zleca się w trybie otwartego konkursu ofert.\n"
)
SECOND = (
    "# Program współpracy\n\n## Rozdział I. Cele\n\n"
    "§ 1. 1. Celem programu jest budowanie partnerstwa między Gminą a organizacjami.\n\n"
    "2. Nowy ustęp o wolontariacie w mieście.\n\n"
    "3. Program obowiązuje od dnia 1 stycznia do dnia 30 grudnia.\n"
)


@pytest.fixture()
def revised(db, create_consultation):
    consultation = create_consultation("open", draft=FIRST, organiser="Wydział Spraw Społecznych")
    version = import_draft(consultation, parse_markdown(SECOND), None)
    publish_version(version, None, comments_open_confirmed=True)
    db.session.commit()
    return consultation


def _get(client, url: str, content_type: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return response.data


def test_docx_carries_real_tracked_changes_by_the_organiser(client, revised):
    data = _get(
        client,
        f"/consultations/{revised.slug}/versions/1..2.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    body = docx.Document(io.BytesIO(data)).element.body
    insertions, deletions = body.findall(".//" + qn("w:ins")), body.findall(".//" + qn("w:del"))
    assert insertions and deletions
    assert {element.get(qn("w:author")) for element in insertions + deletions} == {"Wydział Spraw Społecznych"}
    inserted = "".join(t.text for ins in insertions for t in ins.iter(qn("w:t")))
    deleted = "".join(t.text for d in deletions for t in d.iter(qn("w:delText")))
    assert "Nowy ustęp o wolontariacie w mieście." in inserted and "30" in inserted
    assert "31" in deleted and "Zadania zleca się w trybie otwartego konkursu ofert." in deleted
    # accepting every change gives the new version's text
    accepted = []
    for paragraph in body.iter(qn("w:p")):
        properties = paragraph.find(qn("w:pPr"))
        marks = properties.find(qn("w:rPr")) if properties is not None else None
        if marks is not None and marks.find(qn("w:del")) is not None:
            continue
        accepted.append("".join(t.text for t in paragraph.iter(qn("w:t"))))
    assert "3. Program obowiązuje od dnia 1 stycznia do dnia 30 grudnia." in accepted
    assert not any("31 grudnia" in text for text in accepted)


def test_odt_carries_tracked_changes_read_back_with_odfdo(client, revised):
    data = _get(client, f"/consultations/{revised.slug}/versions/1..2.odt", "application/vnd.oasis.opendocument.text")
    document = Document(io.BytesIO(data))
    tracked = document.body.get_tracked_changes()
    assert tracked is not None
    regions = tracked.get_changed_regions()
    kinds = {region.get_change_element().tag for region in regions}
    assert kinds == {"text:insertion", "text:deletion"}
    creators = {region.get_change_info().get_creator() for region in regions}
    assert creators == {"Wydział Spraw Społecznych"}
    deleted = " ".join(region.get_change_element().text_recursive for region in regions)
    assert "31" in deleted and "Zadania zleca się" in deleted
    content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml").decode()
    assert "text:change-start" in content and "text:change-end" in content and "<text:change " in content


def test_pdf_marks_the_changes_in_words(client, revised):
    pypdf = pytest.importorskip("pypdf")
    data = _get(client, f"/consultations/{revised.slug}/versions/1..2.pdf?lang=en", "application/pdf")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "deleted:" in text and "inserted:" in text and "30" in text


@pytest.mark.parametrize("fmt", ["docx", "odt", "pdf"])
def test_the_clean_version_has_no_changes(client, revised, fmt):
    data = client.get(f"/consultations/{revised.slug}/versions/2.{fmt}").data
    assert data
    if fmt == "docx":
        body = docx.Document(io.BytesIO(data)).element.body
        assert not body.findall(".//" + qn("w:ins")) and not body.findall(".//" + qn("w:del"))
        assert "Nowy ustęp o wolontariacie w mieście." in "".join(t.text for t in body.iter(qn("w:t")))
    elif fmt == "odt":
        document = Document(io.BytesIO(data))
        assert document.body.get_tracked_changes() is None
        assert "Nowy ustęp o wolontariacie" in document.body.text_recursive


def test_files_of_bad_addresses_get_no_server_error(client, revised):
    for address in ("versions/2..1.docx", "versions/3.pdf", "versions/1..9.odt", "versions/1.doc"):
        assert client.get(f"/consultations/{revised.slug}/{address}").status_code in (400, 404), address


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_libreoffice_opens_the_tracked_changes(client, revised, tmp_path, fmt):
    source = tmp_path / f"zmiany.{fmt}"
    source.write_bytes(client.get(f"/consultations/{revised.slug}/versions/1..2.{fmt}").data)
    result = subprocess.run(
        ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "zmiany.pdf").stat().st_size > 1000


@pytest.mark.parametrize("fmt", ["docx", "odt", "pdf"])
@pytest.mark.parametrize("path", ["versions/2", "versions/1..2"])
def test_version_files_are_built_from_stored_control_characters_and_a_long_title(client, db, revised, fmt, path):
    from consult.drafts.models import Paragraph, Section

    # Stored before input was cleaned: Word's vertical tab, a stray \x01, a title over 255 characters.
    revised.title = "Program\r\n" + "bardzo długi tytuł " * 25 + "\x01"
    revised.organiser = "Wydział\x0bSpraw " + "Społecznych " * 20
    for paragraph in db.session.query(Paragraph):
        paragraph.text = paragraph.text.replace(" ", "\x0b", 1).replace("programu", "pro\x01gramu")
    for section in db.session.query(Section):
        section.heading = f"{section.heading}\x02"
    db.session.commit()
    response = client.get(f"/consultations/{revised.slug}/{path}.{fmt}")
    assert response.status_code == 200
    data = response.data
    if fmt == "docx":
        document = docx.Document(io.BytesIO(data))
        assert len(document.core_properties.title) <= 255 and len(document.core_properties.author) <= 255
        text = "\n".join(p.text for p in document.paragraphs)
    elif fmt == "odt":
        text = zipfile.ZipFile(io.BytesIO(data)).read("content.xml").decode()
    else:
        if shutil.which("pdftotext") is None:
            pytest.skip("pdftotext (poppler-utils) is not installed")
        text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    assert "budowanie partnerstwa" in text and "\x01" not in text and "\x0b" not in text
