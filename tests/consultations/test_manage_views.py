import io
import re

import pytest
import sqlalchemy as sa
from docx import Document

from consult.accounts.models import UserRole
from consult.consultations.models import Consultation, ConsultationState, ConsultationStatus
from consult.core.models import AuditEntry
from consult.drafts.models import DraftVersion, Paragraph, Section, VersionStatus

MANAGE_PAGES = ["/manage/", "/manage/consultations/new"]


@pytest.mark.parametrize("path", MANAGE_PAGES)
@pytest.mark.parametrize(("role", "expected"), [(None, 302), ("member", 403), ("official", 200), ("admin", 200)])
def test_only_officials_reach_the_officials_side(client, create_user, login, path, role, expected):
    if role:
        login(create_user(role))
    response = client.get(path)
    assert response.status_code == expected
    if role is None:
        assert "/login?next=" in response.headers["Location"]


@pytest.fixture()
def official(create_user, login):
    user = create_user(UserRole.OFFICIAL)
    login(user)
    return user


def _form(**overrides):
    data = {
        "title": "Program współpracy na rok 2027",
        "slug": "program-2027",
        "summary": "Zapraszamy.",
        "organiser": "Wydział Spraw Społecznych",
        "legal_basis": "art. 5a ustawy",
        "opens_at": "2030-04-01T08:00",
        "closes_at": "2030-04-22T23:59",
        "participation": "verified_organisations",
        "moderation_mode": "post",
        "receipt_prefix": "KONS-2027",
    }
    data.update(overrides)
    return data


def test_an_official_creates_a_consultation_with_kraków_times_and_areas(client, db, official, areas):
    response = client.post("/manage/consultations/new", data={**_form(), "areas": [areas[0].id, areas[15].id]})
    assert response.status_code == 302
    consultation = db.session.scalar(sa.select(Consultation).where(Consultation.slug == "program-2027"))
    assert consultation.state == ConsultationState.DRAFT
    # Summer time began on 31 March 2030: 08:00 in Kraków is 06:00 UTC.
    assert consultation.opens_at.isoformat() == "2030-04-01T06:00:00+00:00"
    assert consultation.closes_at.isoformat() == "2030-04-22T21:59:00+00:00"
    assert [a.number for a in consultation.areas] == [1, 16]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 kwietnia 2030, 08:00" in page


def test_a_short_consultation_is_created_with_a_warning(client, official):
    response = client.post("/manage/consultations/new", data=_form(closes_at="2030-04-05T08:00"), follow_redirects=True)
    assert response.status_code == 200
    assert "7" in response.get_data(as_text=True)
    assert "flash-warning" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"closes_at": "2030-03-28T08:00"}, "closes_at", "później niż otwarcie"),
        ({"opens_at": "nie-data"}, "opens_at", "Nieprawidłow"),
        ({"slug": "Zły slug!"}, "slug", "małych liter"),
        ({"title": ""}, "title", "wymagane"),
    ],
)
def test_bad_consultation_input_re_shows_the_form_with_the_message(client, db, official, overrides, field, words):
    response = client.post("/manage/consultations/new", data=_form(**overrides))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page)
    assert error and words in error.group(1)
    assert f'aria-describedby="{field}-error"' in page or f"{field}-hint {field}-error" in page
    assert 'aria-invalid="true"' in page
    assert "Program współpracy" in page or overrides.get("title") == ""  # what was typed is kept
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Consultation)) == 0


def test_a_duplicate_slug_is_refused_on_the_form(client, db, official, create_consultation):
    create_consultation("open", slug="program-2027")
    response = client.post("/manage/consultations/new", data=_form())
    assert response.status_code == 409
    assert "program-2027" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Consultation)) == 1


MARKDOWN_DRAFT = (
    "# Program\n\n## Rozdział I. Cele\n\n§ 1. 1. Cel główny.\n\n2. Cele szczegółowe:\n1) pierwszy;\n2) drugi.\n"
)


def _docx_bytes() -> bytes:
    document = Document()
    document.add_heading("Program współpracy", level=0)
    document.add_heading("Rozdział I. Cele", level=1)
    document.add_paragraph("§ 1. 1. Cel główny programu.")
    document.add_paragraph("2. Cele szczegółowe:")
    document.add_paragraph("1) pierwszy;")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("filename", "content", "labels"),
    [
        ("projekt.md", MARKDOWN_DRAFT.encode(), ["§ 1 ust. 1", "§ 1 ust. 2", "§ 1 ust. 2 pkt 2"]),
        ("projekt.docx", _docx_bytes(), ["§ 1 ust. 1", "§ 1 ust. 2 pkt 1"]),
    ],
)
def test_upload_shows_a_preview_and_publishing_makes_it_current(
    client, db, official, create_consultation, filename, content, labels
):
    consultation = create_consultation("draft", draft=None, officials=[official])
    response = client.post(
        f"/manage/consultations/{consultation.slug}/import",
        data={"file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    for label in labels:
        assert label in preview
    version = db.session.scalar(sa.select(DraftVersion).where(DraftVersion.consultation_id == consultation.id))
    assert version.status == VersionStatus.DRAFT

    assert client.post(f"/manage/consultations/{consultation.slug}/versions/1/publish").status_code == 302
    assert client.post(f"/manage/consultations/{consultation.slug}/publish").status_code == 302
    db.session.expire_all()
    assert version.status == VersionStatus.PUBLISHED
    public = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert labels[-1] in public


@pytest.mark.parametrize(
    ("filename", "content", "words"),
    [
        ("pusty.md", b"", "pusty"),
        ("nic.md", b"# Tylko tytul\n\n## Rozdzial I\n", "ustępów"),
        ("obraz.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00", "binarne"),
        ("cp1250.txt", "Zażółć gęślą jaźń".encode("cp1250"), "UTF-8"),
        ("udawany.docx", b"to nie jest plik Worda", "docx"),
        ("arkusz.xlsx", b"PK\x03\x04", ".docx"),
        ("wielki.md", b"a" * (5 * 1024 * 1024 + 1), "5 MB"),
    ],
)
def test_bad_uploads_are_refused_with_a_message_and_nothing_is_stored(
    client, db, official, create_consultation, filename, content, words
):
    consultation = create_consultation("draft", draft=None, officials=[official])
    response = client.post(
        f"/manage/consultations/{consultation.slug}/import",
        data={"file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )
    assert response.status_code in (413, 422)
    assert words.lower() in response.get_data(as_text=True).lower()
    for model in (DraftVersion, Section, Paragraph):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0


def test_discarding_an_unpublished_version_removes_it(client, db, official, create_consultation):
    consultation = create_consultation("draft", draft=None, officials=[official])
    client.post(
        f"/manage/consultations/{consultation.slug}/import",
        data={"file": (io.BytesIO(MARKDOWN_DRAFT.encode()), "a.md")},
        content_type="multipart/form-data",
    )
    assert client.post(f"/manage/consultations/{consultation.slug}/versions/1/discard").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Paragraph)) == 0


def test_close_early_and_extend_through_the_page(client, db, official, create_consultation):
    consultation = create_consultation("open", officials=[official])
    response = client.post(
        f"/manage/consultations/{consultation.slug}/close", data={"close-reason": ""}, follow_redirects=True
    )
    assert "wymagane" in response.get_data(as_text=True).lower()
    db.session.expire_all()
    assert consultation.status == ConsultationStatus.OPEN

    client.post(f"/manage/consultations/{consultation.slug}/close", data={"close-reason": "Decyzja Prezydenta"})
    db.session.expire_all()
    assert consultation.status == ConsultationStatus.CLOSED

    client.post(
        f"/manage/consultations/{consultation.slug}/extend",
        data={"extend-reason": "Wniosek Rady Działalności Pożytku Publicznego", "extend-closes_at": "2099-01-10T23:59"},
    )
    db.session.expire_all()
    assert consultation.status == ConsultationStatus.OPEN
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["consultation.close_early", "consultation.extend"]


def test_a_member_cannot_import_or_close(client, create_user, login, create_consultation):
    consultation = create_consultation("open")
    login(create_user(UserRole.MEMBER))
    assert (
        client.post(f"/manage/consultations/{consultation.slug}/close", data={"close-reason": "x"}).status_code == 403
    )
    assert client.get(f"/manage/consultations/{consultation.slug}/import").status_code == 403


def test_an_official_edits_a_consultation_and_a_refusal_keeps_the_form(client, db, official, create_consultation):
    create_consultation("draft", slug="zajety-adres")
    consultation = create_consultation("draft", slug="program-2027", title="Stary tytuł", officials=[official])
    url = f"/manage/consultations/{consultation.slug}/edit"
    assert 'value="Stary tytuł"' in client.get(url).get_data(as_text=True)

    taken = client.post(url, data=_form(title="Nowy tytuł", slug="zajety-adres"))
    assert taken.status_code == 409
    assert "zajety-adres" in taken.get_data(as_text=True) and 'value="Nowy tytuł"' in taken.get_data(as_text=True)
    db.session.expire_all()
    assert consultation.title == "Stary tytuł"

    saved = client.post(url, data=_form(title="Nowy tytuł", closes_at="2030-04-05T08:00"), follow_redirects=True)
    assert saved.status_code == 200
    page = saved.get_data(as_text=True)
    assert "Zmiany zostały zapisane." in page and "flash-warning" in page  # saved, and too short
    db.session.expire_all()
    assert consultation.title == "Nowy tytuł"
