"""Opening a consultation tells the verified organisations of its areas (the official sees who
first), invites addresses of unregistered organisations, and offers the BIP text."""

import io
import re
import zipfile

import pytest
import sqlalchemy as sa
from docx import Document

from consult.accounts.models import OrganisationStatus, UserRole
from consult.consultations.models import ConsultationState
from consult.core.models import AuditEntry
from consult.notices.models import NotificationSettings
from consult.notifications import operations
from consult.notifications.models import Invitation


@pytest.fixture()
def scene(db, areas, create_user, create_organisation, create_consultation):
    """Area 1 organisations A and D (Anna represents both), B in area 2 only, C in area 1 but not verified."""
    anna = create_user(email="anna@example.org")
    adam = create_user(email="adam@example.org")
    bogna = create_user(email="bogna@example.org")
    cezary = create_user(email="cezary@example.org")
    create_organisation("Fundacja A", members=[anna, adam], areas=[areas[0]])
    create_organisation("Stowarzyszenie D", members=[anna], areas=[areas[0], areas[1]])
    create_organisation("Fundacja B", members=[bogna], areas=[areas[1]])
    create_organisation("Fundacja C", status=OrganisationStatus.PENDING, members=[cezary], areas=[areas[0]])
    official = create_user(UserRole.OFFICIAL, email="urzednik@krakow.example")
    consultation = create_consultation(
        "draft", slug="program-2027", officials=[official], areas=[areas[0]], organiser="Wydział Spraw Społecznych"
    )
    return {"official": official, "consultation": consultation, "anna": anna, "adam": adam, "areas": areas}


def test_the_official_sees_who_will_be_told_before_publishing(client, login, scene):
    login(scene["official"])
    page = client.get("/manage/consultations/program-2027/announce").get_data(as_text=True)
    assert "2 organizacje zostaną powiadomione" in page
    assert "Fundacja A" in page and "Stowarzyszenie D" in page
    assert "Fundacja B" not in page and "Fundacja C" not in page
    assert "reprezentuje je 2 osób" in page or "2 osób" in page


def test_publishing_tells_each_matching_member_once_and_invites_unregistered_addresses(
    client, db, login, scene, smtp_server
):
    login(scene["official"])
    response = client.post(
        "/manage/consultations/program-2027/announce",
        data={"addresses": "Biuro@Nowa-Fundacja.example.org\nadam@example.org, biuro@nowa-fundacja.example.org"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert scene["consultation"].state == ConsultationState.PUBLISHED
    recipients = sorted(to for to_list, _m in smtp_server.received for to in to_list)
    assert recipients == ["adam@example.org", "anna@example.org", "biuro@nowa-fundacja.example.org"]
    notice = smtp_server.messages_to("anna@example.org")[0]
    assert notice["Subject"] == "Nowe konsultacje: Program współpracy na rok 2027"
    assert notice["List-Unsubscribe"].startswith("<http://localhost/unsubscribe/")
    assert notice["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    parts = {p.get_content_type(): p.get_content() for p in notice.walk() if not p.is_multipart()}
    assert "http://localhost/consultations/program-2027" in parts["text/plain"]
    assert 'href="http://localhost/unsubscribe/' in parts["text/html"]
    invitation = smtp_server.messages_to("biuro@nowa-fundacja.example.org")[0]
    assert invitation["List-Unsubscribe"] is None
    assert "http://localhost/register" in invitation.get_body(("plain",)).get_content()
    assert [i.email for i in db.session.scalars(sa.select(Invitation))] == ["biuro@nowa-fundacja.example.org"]
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "consultation.invite"))

    # Running the announcement again (a retried job) tells nobody twice.
    assert operations.announce(scene["consultation"].id) == 0
    assert len(smtp_server.received) == 3


def test_publishing_for_many_organisations_only_records_the_work_and_a_job_does_it(
    client, db, login, areas, create_user, create_organisation, create_consultation, count_queries, monkeypatch
):
    """The request's statements do not grow with the organisations to tell; the job composes
    the messages after the commit (bench/announce_consultation.py times it for 2,000)."""
    from consult.core import jobs
    from consult.core.models import OutboxMessage

    started = []
    monkeypatch.setattr(jobs, "enqueue", lambda func, *args, **options: started.append((func, args)))
    official = create_user(UserRole.OFFICIAL)
    few, many = (
        create_consultation("draft", slug=slug, officials=[official], areas=[area])
        for slug, area in (("kilka", areas[3]), ("wiele", areas[4]))
    )
    for n in range(3):
        create_organisation(f"Kilka {n}", members=[create_user()], areas=[areas[3]])
    for n in range(40):
        create_organisation(f"Wiele {n}", members=[create_user()], areas=[areas[4]])
    login(official)
    counted = {}
    for consultation in (few, many):
        with count_queries() as counter:
            response = client.post(f"/manage/consultations/{consultation.slug}/announce", data={"addresses": ""})
        assert response.status_code == 302
        counted[consultation.slug] = counter.count
    assert counted["wiele"] == counted["kilka"]
    db.session.expire_all()
    assert many.state == ConsultationState.PUBLISHED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    assert [(func.__name__, args) for func, args in started] == [
        ("announce_job", (few.id,)),
        ("announce_job", (many.id,)),
    ]
    assert operations.announce(many.id) == 40
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 40


def test_a_bad_address_keeps_the_consultation_unpublished_and_says_which(client, db, login, scene, mail_outbox):
    login(scene["official"])
    response = client.post(
        "/manage/consultations/program-2027/announce", data={"addresses": "ok@example.org\nnie-adres"}
    )
    assert response.status_code == 422
    assert "„nie-adres” nie jest adresem e-mail" in response.get_data(as_text=True)
    db.session.expire_all()
    assert scene["consultation"].state == ConsultationState.DRAFT
    assert mail_outbox == [] and db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


def test_members_who_turned_the_kind_off_are_not_told(client, db, login, scene, mail_outbox):
    db.session.add(NotificationSettings(user_id=scene["adam"].id, muted=["new_consultation"]))
    db.session.commit()
    login(scene["official"])
    client.post("/manage/consultations/program-2027/publish")
    assert [m.to for m in mail_outbox] == ["anna@example.org"]


def test_after_publishing_more_addresses_can_be_invited(client, db, login, scene, mail_outbox):
    login(scene["official"])
    client.post("/manage/consultations/program-2027/publish")
    mail_outbox.clear()
    page = client.get("/manage/consultations/program-2027/announce").get_data(as_text=True)
    assert "Wyślij zaproszenia" in page
    client.post("/manage/consultations/program-2027/announce", data={"addresses": "inna@ngo.example.org"})
    assert [m.to for m in mail_outbox] == ["inna@ngo.example.org"]
    again = client.post("/manage/consultations/program-2027/announce", data={"addresses": "inna@ngo.example.org"})
    assert again.status_code == 422 and len(mail_outbox) == 1


@pytest.mark.parametrize(("role", "status"), [(None, 302), ("member", 403), ("admin", 200)])
def test_members_cannot_announce(client, login, create_user, scene, role, status):
    """Who among officials may is the consultation's rule (can_edit_consultation)."""
    if role:
        login(create_user(UserRole(role)))
    assert client.get("/manage/consultations/program-2027/announce").status_code == status
    assert client.post("/manage/consultations/program-2027/announce").status_code == (
        302 if role is None else status if status == 403 else 302
    )


def test_the_bip_announcement_is_offered_as_text_docx_and_odt(client, db, login, scene):
    consultation = scene["consultation"]
    consultation.title = "Program\x0b współpracy na rok 2027"  # a vertical tab pasted from Word
    db.session.commit()
    login(scene["official"])
    manage = client.get("/manage/consultations/program-2027").get_data(as_text=True)
    assert 'href="/manage/consultations/program-2027/announcement"' in manage  # where the official looks
    page = client.get("/manage/consultations/program-2027/announcement?lang=en").get_data(as_text=True)
    assert 'data-copy-target="announcement-text"' in page and 'id="announcement-text"' in page
    assert "Wydział Spraw Społecznych zaprasza organizacje pozarządowe" in page  # Polish whatever the page
    assert "http://localhost/consultations/program-2027" in page
    assert "pomoc społeczna, w tym pomoc rodzinom" in page  # the area, in Polish
    docx = client.get("/manage/consultations/program-2027/announcement.docx")
    assert docx.status_code == 200 and "attachment" in docx.headers["Content-Disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.get_data())).paragraphs)
    assert "Ogłoszenie o konsultacjach: Program współpracy na rok 2027" in text
    odt = client.get("/manage/consultations/program-2027/announcement.odt")
    content = zipfile.ZipFile(io.BytesIO(odt.get_data())).read("content.xml").decode()
    assert "Program współpracy na rok 2027" in content and "\x0b" not in content
    assert re.search(r"trwają od \d+ \w+ 20\d\d r\., \d\d:\d\d do", content)
