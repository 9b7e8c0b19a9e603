import re

import pytest
import sqlalchemy as sa

from consult.accounts.models import Membership, MembershipStatus, Organisation, OrganisationStatus, UserRole
from consult.core.models import AuditEntry
from tests.conftest import PASSWORD

VALID = {
    "name": "Fundacja Zielony Kraków",
    "legal_form": "fundacja",
    "krs": "0000123456",
    "nip": "676-246-81-30",
    "regon": "123456785",
    "address": "ul. Długa 1, Kraków",
    "contact_email": "biuro@zielony.example.org",
    "website": "zielony.example.org",
}


@pytest.fixture()
def member(create_user, login):
    user = create_user(UserRole.MEMBER, email="ewa@example.org", display_name="Ewa Nowak")
    login(user)
    return user


def test_a_confirmed_member_creates_a_profile_that_waits_for_verification(client, db, member, areas):
    response = client.post("/organisations/new", data={**VALID, "areas": [areas[0].id, areas[6].id]})
    assert response.status_code == 302
    organisation = db.session.scalar(sa.select(Organisation))
    assert organisation.status == OrganisationStatus.PENDING
    assert (organisation.nip, organisation.website) == ("6762468130", "https://zielony.example.org")
    assert [a.number for a in organisation.areas] == [1, 7]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "czeka na weryfikację" in page and "0000123456" in page


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("nip", "1234567890", "NIP jest nieprawidłowy"),
        ("nip", "12345", "NIP jest nieprawidłowy"),
        ("nip", "0000000000", "NIP jest nieprawidłowy"),
        ("regon", "000000000", "REGON jest nieprawidłowy"),
        ("regon", "123456789", "REGON jest nieprawidłowy"),
        ("regon", "12345678901234", "REGON jest nieprawidłowy"),
        ("krs", "123", "KRS musi mieć dokładnie 10 cyfr"),
        ("krs", "00001234ab", "KRS musi mieć dokładnie 10 cyfr"),
        ("contact_email", "nie-adres", "prawidłowy adres"),
    ],
)
def test_invalid_register_numbers_are_named_in_the_message(client, db, member, field, value, words):
    response = client.post("/organisations/new", data={**VALID, field: value})
    assert response.status_code == 422
    error = re.search(rf'id="{field}-error">([^<]*)<', response.get_data(as_text=True))
    assert error and words in error.group(1)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0


def test_krs_is_optional_and_unique(client, db, member, create_organisation):
    assert client.post("/organisations/new", data={**VALID, "krs": "", "nip": "", "regon": ""}).status_code == 302
    create_organisation("Inna", krs="0000999999")
    response = client.post("/organisations/new", data={**VALID, "name": "Kopia", "krs": "0000999999"})
    assert response.status_code == 409 and "0000999999" in response.get_data(as_text=True)


def test_an_official_verifies_or_rejects_with_a_reason_the_organisation_sees(
    app, client, db, create_user, create_organisation, login, mail_outbox
):
    representative = create_user(email="rep@example.org")
    organisation = create_organisation(
        "Stowarzyszenie Testowe", status=OrganisationStatus.PENDING, members=[representative]
    )
    official = create_user(UserRole.OFFICIAL)
    login(official)
    queue = client.get("/manage/organisations").get_data(as_text=True)
    assert "Stowarzyszenie Testowe" in queue
    empty_reason = client.post(f"/manage/organisations/{organisation.id}/reject", data={"reason": " "})
    assert empty_reason.status_code == 302
    db.session.expire_all()
    assert organisation.status == OrganisationStatus.PENDING

    client.post(f"/manage/organisations/{organisation.id}/reject", data={"reason": "Brak wpisu w KRS pod tym numerem."})
    db.session.expire_all()
    assert organisation.status == OrganisationStatus.REJECTED
    assert mail_outbox[-1].to == "rep@example.org" and "Brak wpisu w KRS" in mail_outbox[-1].body

    client.post(f"/manage/organisations/{organisation.id}/verify")
    db.session.expire_all()
    assert organisation.status == OrganisationStatus.VERIFIED and organisation.verified_by_id == official.id
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["organisation.reject", "organisation.verify"]

    rep_client = app.test_client()
    rep_client.post("/login", data={"email": "rep@example.org", "password": PASSWORD})
    public = client.get(f"/organisations/{organisation.id}").get_data(as_text=True)
    assert "zweryfikowana" in public


def test_the_rejection_reason_is_shown_to_the_organisation(client, db, member, create_organisation):
    organisation = create_organisation(
        "Fundacja",
        status=OrganisationStatus.REJECTED,
        members=[member],
        status_reason="Numer KRS należy do innej organizacji.",
    )
    page = client.get(f"/organisations/{organisation.id}").get_data(as_text=True)
    assert "Numer KRS należy do innej organizacji." in page


def test_changing_the_name_of_a_verified_organisation_sends_it_back_to_verification(
    client, db, member, create_organisation
):
    organisation = create_organisation("Fundacja A", members=[member])
    client.post(f"/organisations/{organisation.id}/edit", data={**VALID, "name": "Fundacja B"})
    db.session.expire_all()
    assert organisation.status == OrganisationStatus.PENDING


def _invitation_link(mail_outbox) -> str:
    return re.search(r"http://localhost(/invitations/\S+)", mail_outbox[-1].body).group(1)


def test_invite_a_member_who_accepts_once(app, client, db, member, create_user, create_organisation, mail_outbox):
    organisation = create_organisation("Fundacja", members=[member])
    response = client.post(f"/organisations/{organisation.id}/members", data={"email": "Jan@Example.org"})
    assert response.status_code == 302 and mail_outbox[-1].to == "jan@example.org"
    link = _invitation_link(mail_outbox)

    jan = create_user(email="jan@example.org")
    other = app.test_client()
    other.post("/login", data={"email": jan.email, "password": PASSWORD})
    assert "Fundacja" in other.get(link).get_data(as_text=True)
    assert other.post(link).status_code == 302
    membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == jan.id))
    assert membership.status == MembershipStatus.ACTIVE
    assert other.get(link).status_code == 422  # used once


def test_inviting_someone_who_already_represents_the_organisation_changes_nothing(
    client, db, member, create_organisation, mail_outbox
):
    organisation = create_organisation("Fundacja", members=[member])
    response = client.post(f"/organisations/{organisation.id}/members", data={"email": "ewa@example.org"})
    assert response.status_code == 409 and "już reprezentuje" in response.get_data(as_text=True)
    assert mail_outbox == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Membership)) == 1


def test_an_invitation_must_be_accepted_by_its_addressee(
    app, client, db, member, create_user, create_organisation, mail_outbox
):
    organisation = create_organisation("Fundacja", members=[member])
    client.post(f"/organisations/{organisation.id}/members", data={"email": "jan@example.org"})
    intruder = create_user(email="obcy@example.org")
    other = app.test_client()
    other.post("/login", data={"email": intruder.email, "password": PASSWORD})
    other.post(_invitation_link(mail_outbox))
    assert db.session.scalar(sa.select(Membership).where(Membership.user_id == intruder.id)) is None


def test_ask_to_join_and_be_accepted_then_remove(app, client, db, member, create_user, create_organisation):
    organisation = create_organisation("Fundacja", members=[member])
    jan = create_user(email="jan@example.org")
    other = app.test_client()
    other.post("/login", data={"email": jan.email, "password": PASSWORD})
    assert other.post(f"/organisations/{organisation.id}/join").status_code == 302
    request_row = db.session.scalar(sa.select(Membership).where(Membership.user_id == jan.id))
    assert request_row.status == MembershipStatus.REQUESTED
    assert "jan@example.org" in client.get(f"/organisations/{organisation.id}/members").get_data(as_text=True)

    client.post(f"/organisations/{organisation.id}/members/{request_row.id}/accept")
    db.session.expire_all()
    assert request_row.status == MembershipStatus.ACTIVE
    client.post(f"/organisations/{organisation.id}/members/{request_row.id}/remove")
    db.session.expire_all()
    assert request_row.status == MembershipStatus.REMOVED


def test_the_last_representative_cannot_leave(client, db, member, create_organisation):
    organisation = create_organisation("Fundacja", members=[member])
    membership = organisation.memberships[0]
    response = client.post(f"/organisations/{organisation.id}/members/{membership.id}/remove", follow_redirects=True)
    assert "ostatniego przedstawiciela" in response.get_data(as_text=True)
    db.session.expire_all()
    assert membership.status == MembershipStatus.ACTIVE


def test_a_user_representing_several_organisations_chooses_whose_behalf(client, db, member, create_organisation):
    first = create_organisation("Alfa", members=[member])
    second = create_organisation("Beta", members=[member])
    stranger = create_organisation("Gamma")
    page = client.get("/my/organisations").get_data(as_text=True)
    assert "Alfa" in page and "Beta" in page and "Gamma" not in page
    assert re.search(rf'value="{first.id}" checked', page)
    client.post("/my/organisations", data={"organisation_id": second.id})
    assert re.search(rf'value="{second.id}" checked', client.get("/my/organisations").get_data(as_text=True))
    assert client.post("/my/organisations", data={"organisation_id": stranger.id}).status_code == 403


@pytest.mark.parametrize(("role", "expected"), [("member", 403), ("official", 403), ("admin", 200)])
def test_only_an_admin_opens_the_users_page(client, create_user, login, role, expected):
    login(create_user(role))
    assert client.get("/admin/users").status_code == expected


def test_an_admin_creates_an_official(client, db, create_user, login):
    from consult.accounts.models import User

    login(create_user(UserRole.ADMIN))
    response = client.post(
        "/admin/users",
        data={
            "display_name": "Jan Urzędnik",
            "email": "jan.urzednik@example.org",
            "role": "official",
            "department": "WSS",
            "password": "długie-hasło-urzędnika",
        },
    )
    assert response.status_code == 302
    official = db.session.scalar(sa.select(User).where(User.email == "jan.urzednik@example.org"))
    assert official.role == UserRole.OFFICIAL and official.department == "WSS"
    assert db.session.scalar(sa.select(AuditEntry.action)) == "user.create"
    duplicate = client.post(
        "/admin/users",
        data={
            "display_name": "X",
            "email": "jan.urzednik@example.org",
            "role": "admin",
            "password": "długie-hasło-urzędnika",
        },
    )
    assert duplicate.status_code == 409


def test_the_edit_form_shows_the_profile_and_warns_when_it_must_be_verified_again(
    client, db, member, create_organisation, areas
):
    organisation = create_organisation("Fundacja A", members=[member], krs="0000123456")
    organisation.areas = [areas[2]]
    db.session.commit()
    form = client.get(f"/organisations/{organisation.id}/edit").get_data(as_text=True)
    assert 'value="Fundacja A"' in form
    assert re.search(rf'<input checked [^>]*value="{areas[2].id}"', form)
    response = client.post(f"/organisations/{organisation.id}/edit", data={**VALID, "name": "Fundacja B"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Profil został zapisany." in page
    assert "urzędnik ponownie zweryfikuje profil" in page
    # The same profile saved again without an identity change: no second warning.
    response = client.post(f"/organisations/{organisation.id}/edit", data={**VALID, "name": "Fundacja B"})
    assert "ponownie zweryfikuje" not in client.get(response.headers["Location"]).get_data(as_text=True)


def test_an_edit_taking_another_organisations_krs_is_refused_on_the_form(client, db, member, create_organisation):
    create_organisation("Fundacja Pierwsza", krs="0000123456")
    mine = create_organisation("Fundacja Druga", members=[member])
    response = client.post(f"/organisations/{mine.id}/edit", data={**VALID, "name": "Fundacja Druga Nowa"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "KRS" in page and 'value="Fundacja Druga Nowa"' in page
    db.session.expire_all()
    assert mine.name == "Fundacja Druga" and mine.krs is None
