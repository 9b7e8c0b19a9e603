"""Files on the pages: position papers with comments, letters' scans, the consultation's documents."""

import io
import json

import pytest
import sqlalchemy as sa

from consult.accounts.models import UserRole
from consult.attachments.models import Attachment, AttachmentKind
from consult.comments.models import CommentStatus
from consult.core.models import AuditEntry
from consult.core.time import to_local, utcnow
from tests.attachments.test_files import EML, PDF, docx, encrypted_zip, zip_bomb


@pytest.fixture()
def member(create_user):
    return create_user(UserRole.MEMBER, email="anna@fundacja.example", display_name="Anna Nowak")


@pytest.fixture()
def organisation(create_organisation, member):
    return create_organisation("Fundacja Stanowisk", members=[member])


@pytest.fixture()
def team(create_user):
    return create_user(UserRole.OFFICIAL, email="urzednik@krakow.example")


def _send(client, url, data: bytes, name: str, **fields):
    return client.post(url, data={**fields, "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def _files(db) -> list[Attachment]:
    return db.session.scalars(sa.select(Attachment).order_by(Attachment.id)).all()


def test_an_organisation_attaches_a_position_paper_and_everyone_downloads_it_safely(
    client, db, login, member, organisation, create_consultation, create_comment
):
    consultation = create_consultation("open")
    comment = create_comment(consultation, organisation, None, kind="general", proposed_text="", author=member)
    login(member)
    url = f"/consultations/{consultation.slug}/comments/{comment.number}"
    response = _send(client, url + "/files?lang=en", PDF, "Stanowisko Fundacji – żółw.pdf")
    assert response.status_code == 302
    assert "is attached to the comment" in client.get(url + "?lang=en").get_data(as_text=True)
    [paper] = _files(db)
    assert (paper.kind, paper.comment_id, paper.organisation_id, paper.size) == (
        AttachmentKind.POSITION_PAPER,
        comment.id,
        organisation.id,
        len(PDF),
    )
    client.post("/logout")

    page = client.get(f"/consultations/{consultation.slug}/comments").get_data(as_text=True)
    assert f"/consultations/{consultation.slug}/files/{paper.id}" in page
    download = client.get(f"/consultations/{consultation.slug}/files/{paper.id}")
    assert download.status_code == 200
    assert download.data == PDF
    assert download.mimetype == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Stanowisko%20Fundacji%20%E2%80%93%20%C5%BC%C3%B3%C5%82w.pdf" in disposition
    assert 'filename="Stanowisko Fundacji  zow.pdf"' in disposition  # the ASCII fallback


def test_a_hidden_comments_files_are_hidden_too(
    client, db, login, member, organisation, team, create_consultation, create_comment
):
    consultation = create_consultation("open", officials=[team])
    comment = create_comment(consultation, organisation, author=member)
    login(member)
    _send(client, f"/consultations/{consultation.slug}/comments/{comment.number}/files", docx(), "stanowisko.docx")
    [paper] = _files(db)
    comment.status = CommentStatus.HIDDEN
    db.session.commit()
    file_url = f"/consultations/{consultation.slug}/files/{paper.id}"
    assert client.get(file_url).status_code == 200  # its organisation still reads it
    client.post("/logout")
    assert client.get(file_url).status_code == 404
    assert file_url not in client.get(f"/consultations/{consultation.slug}/comments").get_data(as_text=True)
    login(team)
    assert client.get(file_url).status_code == 200


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"GIF89a not a document", "stanowisko.pdf", "is not a PDF, DOCX (Word), ODT"),
        (docx(), "stanowisko.pdf", "but its content is DOCX (Word)"),
        (PDF + b"/Encrypt 9 0 R", "stanowisko.pdf", "protected with a password"),
        (encrypted_zip(), "stanowisko.docx", "The file is encrypted."),
        (zip_bomb(), "stanowisko.docx", "zip bomb"),
    ],
)
def test_a_refused_file_is_said_why_and_nothing_is_stored(
    client, db, login, member, organisation, create_consultation, create_comment, data, name, message
):
    consultation = create_consultation("open")
    comment = create_comment(consultation, organisation, author=member)
    login(member)
    url = f"/consultations/{consultation.slug}/comments/{comment.number}"
    assert _send(client, url + "/files?lang=en", data, name).status_code == 302
    assert message in client.get(url + "?lang=en").get_data(as_text=True)
    assert _files(db) == []


def test_a_file_over_the_limit_is_refused_with_the_limit_and_nothing_is_stored(
    app, client, db, login, member, organisation, create_consultation, create_comment, monkeypatch
):
    consultation = create_consultation("open")
    comment = create_comment(consultation, organisation, author=member)
    login(member)
    url = f"/consultations/{consultation.slug}/comments/{comment.number}"
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", 1024 * 1024)
    assert _send(client, url + "/files?lang=en", PDF + b"\0" * (1536 * 1024), "duzy.pdf").status_code == 302
    assert "files may have at most 1 MB" in client.get(url + "?lang=en").get_data(as_text=True)
    # A body larger than the server reads at all is cut off before the view: still a page that says why.
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2 * 1024 * 1024)
    response = _send(client, url + "/files?lang=pl", PDF + b"\0" * (3 * 1024 * 1024), "ogromny.pdf")
    assert response.status_code == 413
    assert "Plik jest za duży" in response.get_data(as_text=True)
    assert _files(db) == []


def test_only_the_organisation_attaches_and_only_while_it_may_change_the_comment(
    client, db, login, member, organisation, create_user, create_organisation, create_consultation, create_comment
):
    consultation = create_consultation("open")
    comment = create_comment(consultation, organisation, author=member)
    other = create_user(UserRole.MEMBER)
    create_organisation("Inna Fundacja", members=[other])
    login(other)
    url = f"/consultations/{consultation.slug}/comments/{comment.number}/files"
    assert _send(client, url, PDF, "a.pdf").status_code == 403
    closed = create_consultation("closed")
    late = create_comment(closed, organisation, author=member)
    client.post("/logout")
    login(member)
    response = _send(client, f"/consultations/{closed.slug}/comments/{late.number}/files?lang=en", PDF, "a.pdf")
    assert response.status_code == 302
    assert "closed" in client.get(f"/consultations/{closed.slug}/comments/{late.number}?lang=en").get_data(as_text=True)
    assert _files(db) == []
    assert client.post(f"/consultations/{consultation.slug}/comments/99999999999/files").status_code == 404
    assert client.get(f"/consultations/{consultation.slug}/files/99999999999").status_code == 404


def test_the_organisation_takes_a_paper_off_and_the_row_stays(
    client, db, login, member, organisation, create_consultation, create_comment
):
    consultation = create_consultation("open")
    comment = create_comment(consultation, organisation, author=member)
    login(member)
    _send(client, f"/consultations/{consultation.slug}/comments/{comment.number}/files", PDF, "a.pdf")
    [paper] = _files(db)
    assert client.post(f"/consultations/{consultation.slug}/files/{paper.id}/remove").status_code == 302
    db.session.refresh(paper)
    assert paper.removed_at is not None
    client.post("/logout")
    assert client.get(f"/consultations/{consultation.slug}/files/{paper.id}").status_code == 404


def test_the_team_publishes_the_consultations_documents(client, db, login, team, create_user, create_consultation):
    consultation = create_consultation("open", officials=[team])
    url = f"/manage/consultations/{consultation.slug}/documents?lang=en"
    outsider = create_user(UserRole.OFFICIAL)
    login(outsider)
    assert client.get(url).status_code == 200  # officials read the list
    assert _send(client, url, PDF, "uzasadnienie.pdf", kind="justification", title="Uzasadnienie").status_code == 403
    client.post("/logout")
    login(team)
    response = _send(client, url, PDF, "uzasadnienie.pdf", kind="justification", title="Uzasadnienie projektu")
    assert response.status_code == 302
    refused = _send(client, url, b"plain text", "formularz.odt", kind="form", title="Formularz")
    assert refused.status_code == 422 and "is not a PDF" in refused.get_data(as_text=True)
    untitled = _send(client, url, PDF, "x.pdf", kind="form", title="")
    assert untitled.status_code == 422
    [document] = _files(db)
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "consultation.document_added"))
    client.post("/logout")

    page = client.get(f"/consultations/{consultation.slug}?lang=en").get_data(as_text=True)
    assert "Justification of the draft" in page and "Uzasadnienie projektu" in page
    assert client.get(f"/consultations/{consultation.slug}/files/{document.id}").data == PDF

    login(team)
    client.post(f"/consultations/{consultation.slug}/files/{document.id}/remove")
    client.post("/logout")
    assert "Uzasadnienie projektu" not in client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert client.get(f"/consultations/{consultation.slug}/files/{document.id}").status_code == 404


def test_a_letters_scan_is_kept_for_officials_only(client, db, login, team, create_organisation, create_consultation):
    sender = create_organisation("Koło Listowne")
    consultation = create_consultation("open", officials=[team])
    login(team)
    data = {
        "organisation": str(sender.id),
        "channel": "email",
        "received_on": to_local(utcnow()).date().isoformat(),
        "comments-0-paragraph": "",
        "comments-0-kind": "general",
        "comments-0-justification": "Uwaga z wiadomości.",
        "action": "save",
        "file": (io.BytesIO(EML), "wiadomosc.eml"),
    }
    url = f"/manage/consultations/{consultation.slug}/letters/new?lang=en"
    response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    [scan] = _files(db)
    assert (scan.kind, scan.content_type, scan.filename) == (AttachmentKind.LETTER, "message/rfc822", "wiadomosc.eml")
    listing = client.get(f"/manage/consultations/{consultation.slug}/letters").get_data(as_text=True)
    assert f"/files/{scan.id}" in listing
    assert client.get(f"/consultations/{consultation.slug}/files/{scan.id}").data == EML
    client.post("/logout")
    assert client.get(f"/consultations/{consultation.slug}/files/{scan.id}").status_code == 404

    # A file that is not what it says stops the whole letter: nothing is stored.
    login(team)
    data["file"] = (io.BytesIO(b"MZ\x90 program"), "skan.pdf")
    refused = client.post(url, data=data, content_type="multipart/form-data")
    assert refused.status_code == 422 and "is not a PDF" in refused.get_data(as_text=True)
    assert len(_files(db)) == 1
    assert (
        len(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "comment.entered_from_letter")).all())
        == 1
    )


def test_files_can_be_kept_in_a_directory(
    app, client, db, login, member, organisation, create_consultation, create_comment, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "ATTACHMENTS_DIR", str(tmp_path))
    consultation = create_consultation("open")
    comment = create_comment(consultation, organisation, author=member)
    login(member)
    _send(client, f"/consultations/{consultation.slug}/comments/{comment.number}/files", odt_bytes := PDF, "a.pdf")
    [paper] = _files(db)
    assert db.session.scalar(sa.select(Attachment.data).where(Attachment.id == paper.id)) is None
    assert (tmp_path / paper.sha256[:2] / paper.sha256).read_bytes() == odt_bytes
    assert client.get(f"/consultations/{consultation.slug}/files/{paper.id}").data == odt_bytes


def test_the_personal_data_export_lists_the_files_a_person_uploaded(
    client, db, login, member, organisation, create_consultation, create_comment
):
    consultation = create_consultation("open")
    comment = create_comment(consultation, organisation, author=member)
    login(member)
    _send(client, f"/consultations/{consultation.slug}/comments/{comment.number}/files", PDF, "moje.pdf")
    exported = json.loads(client.get("/account/export").data)
    assert [(a["filename"], a["comment"], a["size"]) for a in exported["attachments"]] == [
        ("moje.pdf", comment.number, len(PDF))
    ]


def test_a_list_of_comments_runs_as_many_statements_with_one_paper_as_with_many(
    client, db, login, member, organisation, create_consultation, create_comment, count_queries
):
    consultation = create_consultation("open")
    comments = [create_comment(consultation, organisation, author=member) for _ in range(3)]
    login(member)
    _send(client, f"/consultations/{consultation.slug}/comments/{comments[0].number}/files", PDF, "a.pdf")
    with count_queries() as one:
        client.get(f"/consultations/{consultation.slug}/comments")
    for comment in comments[1:]:
        _send(client, f"/consultations/{consultation.slug}/comments/{comment.number}/files", docx(), "b.docx")
    with count_queries() as many:
        page = client.get(f"/consultations/{consultation.slug}/comments").get_data(as_text=True)
    assert page.count("/files/") == 3
    assert many.count == one.count
