"""Links in the documents: only http, https and mailto stay links; anything else the official
typed in Markdown (javascript:, file:, a relative address WeasyPrint would resolve against
the server's static folder) is plain text."""

import io
import re
import zipfile

import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader

from consult.reports.models import ReportDraft

KEPT = ("https://www.bip.krakow.pl/", "mailto:konsultacje@um.krakow.pl")
REFUSED = (
    "javascript%3A__x(447)",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "/static/css/report.css",
    "static/x",
    "data:text/html,x",
    "ftp://example.org/x",
)
INTRODUCTION = "\n\n".join(
    [f"[ważne {n}]({url})" for n, url in enumerate(KEPT)]
    + [f"[odrzucone {n}]({url})" for n, url in enumerate(REFUSED)]
    + ["<javascript:alert(2)> i <file:///etc/shadow>"]
)
ALLOWED = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)


@pytest.fixture()
def linked_report(db, closed_consultation, official, publish):
    db.session.add(
        ReportDraft(consultation_id=closed_consultation.id, introduction=INTRODUCTION, conclusion="Zob. [x](../x).")
    )
    db.session.commit()
    publish(closed_consultation, official)
    return closed_consultation


def _download(client, consultation, fmt: str) -> bytes:
    response = client.get(f"/consultations/{consultation.slug}/report.{fmt}")
    assert response.status_code == 200
    return response.get_data()


def test_the_pdf_links_only_to_http_https_and_mailto(client, linked_report):
    reader = PdfReader(io.BytesIO(_download(client, linked_report, "pdf")))
    targets = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            if annotation.get("/Subtype") == "/Link" and action is not None and "/URI" in action:
                targets.append(str(action["/URI"]))
    assert targets, "the allowed links are still links"
    assert all(ALLOWED.match(target) for target in targets), targets
    assert not any("file:" in target or "static" in target for target in targets)
    assert {t.rstrip("/") for t in targets} >= {k.rstrip("/") for k in KEPT}
    text = "".join(page.extract_text() for page in reader.pages)
    assert "odrzucone 0" in text  # the refused link's words are still there, as text


def test_the_web_report_keeps_the_same_links(client, linked_report):
    page = client.get(f"/consultations/{linked_report.slug}/report").get_data(as_text=True)
    hrefs = re.findall(r'<a href="([^"]*)" rel="nofollow', page)
    assert sorted(hrefs) == sorted(KEPT)
    assert "odrzucone 3" in page and '<a href="/static' not in page


def test_docx_and_odt_hold_no_link_but_http_https_and_mailto(client, linked_report):
    docx = _download(client, linked_report, "docx")
    document = DocxDocument(io.BytesIO(docx))
    targets = [rel.target_ref for rel in document.part.rels.values() if rel.reltype.endswith("/hyperlink")]
    assert all(ALLOWED.match(target) for target in targets), targets
    assert "odrzucone 1" in "\n".join(p.text for p in document.paragraphs)

    odt = _download(client, linked_report, "odt")
    content = zipfile.ZipFile(io.BytesIO(odt)).read("content.xml").decode()
    targets = re.findall(r'xlink:href="([^"]*)"', content)
    assert all(ALLOWED.match(target) for target in targets), targets
    assert "odrzucone 1" in content
