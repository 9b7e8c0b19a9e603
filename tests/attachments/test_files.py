"""What a file is, judged by its content: the types taken, and every way a file is refused."""

import io
import zipfile

import pytest

from consult.attachments.files import DOCUMENT_TYPES, LETTER_TYPES, inspect_file, safe_filename
from consult.core.errors import InvalidInput

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def zipped(members: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(zipfile.ZipInfo(stored_first), members.pop(stored_first), zipfile.ZIP_STORED)
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx() -> bytes:
    return zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def odt(manifest: bytes = b"<manifest:manifest/>") -> bytes:
    return zipped(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": b"<office:document-content/>",
            "META-INF/manifest.xml": manifest,
        },
        stored_first="mimetype",
    )


def encrypted_zip() -> bytes:
    """A DOCX whose members say they are encrypted (bit 0 of the general-purpose flags)."""
    data = bytearray(docx())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (found := data.find(signature, start)) != -1:
            data[found + offset] |= 0x1
            start = found + 4
    return bytes(data)


def zip_bomb() -> bytes:
    return zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (60 * 1024 * 1024)})


EML = b"From: Fundacja <biuro@fundacja.example>\r\nTo: urzad@krakow.example\r\nSubject: Uwagi\r\nDate: Mon, 1 Mar 2027 10:00:00 +0100\r\n\r\nTresc.\r\n"


@pytest.mark.parametrize(
    ("data", "name", "allowed", "code"),
    [
        (PDF, "stanowisko.pdf", DOCUMENT_TYPES, "pdf"),
        (PDF, "stanowisko", DOCUMENT_TYPES, "pdf"),  # no extension: the content names it
        (PDF, "STANOWISKO.PDF", DOCUMENT_TYPES, "pdf"),
        (docx(), "stanowisko.docx", DOCUMENT_TYPES, "docx"),
        (odt(), "stanowisko.odt", DOCUMENT_TYPES, "odt"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 100, "skan.jpg", LETTER_TYPES, "jpeg"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "skan.png", LETTER_TYPES, "png"),
        (EML, "wiadomosc.eml", LETTER_TYPES, "eml"),
    ],
)
def test_files_are_recognised_by_their_content(app, data, name, allowed, code):
    with app.app_context():
        assert inspect_file(data, name, allowed).code == code


@pytest.mark.parametrize(
    ("data", "name", "allowed", "message"),
    [
        (b"", "pusty.pdf", DOCUMENT_TYPES, "The file is empty."),
        (b"MZ\x90\x00 not a document", "stanowisko.pdf", DOCUMENT_TYPES, "is not a PDF, DOCX (Word), ODT"),
        (b"<html><script>alert(1)</script></html>", "stanowisko.pdf", DOCUMENT_TYPES, "content is checked"),
        (docx(), "stanowisko.pdf", DOCUMENT_TYPES, "is called “stanowisko.pdf” but its content is DOCX (Word)"),
        (PDF, "stanowisko.exe", DOCUMENT_TYPES, "is called “stanowisko.exe” but its content is PDF"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 100, "skan.jpg", DOCUMENT_TYPES, "is not a PDF, DOCX (Word), ODT"),
        (PDF + b"trailer << /Encrypt 5 0 R >>", "tajne.pdf", DOCUMENT_TYPES, "protected with a password"),
        (odt(b"<manifest:encryption-data/>"), "tajne.odt", DOCUMENT_TYPES, "protected with a password"),
        (encrypted_zip(), "tajne.docx", DOCUMENT_TYPES, "The file is encrypted."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "tajne.docx", DOCUMENT_TYPES, "password-protected Office"),
        (zip_bomb(), "bomba.docx", DOCUMENT_TYPES, "zip bomb"),
        (zipped({"a.txt": b"x"}), "archiwum.docx", DOCUMENT_TYPES, "is not a PDF"),
        (b"PK\x03\x04 broken archive", "zepsuty.docx", DOCUMENT_TYPES, "is not a PDF"),
        (b"Subject only\r\n\r\nbody", "list.eml", LETTER_TYPES, "is not a PDF"),
    ],
)
def test_files_that_are_not_what_they_say_are_refused_with_a_message(app, data, name, allowed, message):
    with app.test_request_context("/?lang=en"), pytest.raises(InvalidInput) as refused:
        inspect_file(data, name, allowed)
    assert message in refused.value.message
    assert refused.value.field == "file"


def test_a_file_over_the_limit_is_refused_naming_its_size(app, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", 1024 * 1024)
    with app.test_request_context("/?lang=en"), pytest.raises(InvalidInput) as refused:
        inspect_file(PDF + b"\0" * (1024 * 1024), "duzy.pdf", DOCUMENT_TYPES)
    assert "The file is 1.0 MB; files may have at most 1 MB." == refused.value.message


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("Stanowisko Fundacji.pdf", "Stanowisko Fundacji.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\anna\\uwagi.PDF", "uwagi.pdf"),
        ('zły "plik"\r\n<script>.pdf', "zły _plik____script_.pdf"),
        ("...", "plik.pdf"),
        ("stanowisko.docx", "stanowisko.pdf"),  # the real type's extension
        ("a" * 300 + ".pdf", "a" * 120 + ".pdf"),
    ],
)
def test_the_download_name_is_safe(app, name, safe):
    with app.app_context():
        file_type = inspect_file(PDF, "x.pdf", DOCUMENT_TYPES)
    assert safe_filename(name, file_type) == safe
