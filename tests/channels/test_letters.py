"""Comments received another way: an official of the team enters a letter and its comments."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from consult.accounts.models import Organisation, OrganisationStatus, UserRole
from consult.comments.models import Channel, Comment, CommentStatus, Letter
from consult.core.models import AuditEntry
from consult.core.time import to_local, utcnow

URL = "/manage/consultations/{slug}/letters/new?lang=en"


@pytest.fixture()
def team(create_user):
    return create_user(UserRole.OFFICIAL, email="urzednik@krakow.example", display_name="Jan Urzędnik")


@pytest.fixture()
def sender(create_organisation):
    return create_organisation(
        "Stowarzyszenie Listowne", status=OrganisationStatus.VERIFIED, contact_email="biuro@listowne.example"
    )


def _today():
    return to_local(utcnow()).date()


def _letter_form(organisation=None, **overrides) -> dict:
    data = {
        "organisation": str(organisation.id) if organisation else "",
        "channel": "paper",
        "received_on": _today().isoformat(),
        "reference": "L.dz. 12/2027",
        "comments-0-paragraph": "par-1-pkt-1",
        "comments-0-kind": "change",
        "comments-0-proposed_text": "ustawie – należy przez to rozumieć ustawę z dnia 24 kwietnia 2003 r.",
        "comments-0-justification": "Pełny tytuł ustawy.",
        "comments-1-paragraph": "",
        "comments-1-kind": "general",
        "comments-1-proposed_text": "",
        "comments-1-justification": "Program powinien mieć harmonogram.",
        "action": "save",
    }
    data.update(overrides)
    return data


def _comments(db, consultation) -> list[Comment]:
    return db.session.scalars(
        sa.select(Comment).where(Comment.consultation_id == consultation.id).order_by(Comment.number)
    ).all()


def test_an_official_of_the_team_enters_a_letter_with_two_comments(
    client, db, login, team, sender, create_consultation, mail_outbox
):
    consultation = create_consultation("open", officials=[team])
    login(team)
    form = client.get(URL.format(slug=consultation.slug))
    assert form.status_code == 200
    assert "Stowarzyszenie Listowne" in form.get_data(as_text=True)

    response = client.post(URL.format(slug=consultation.slug), data=_letter_form(sender))
    assert response.status_code == 302, response.get_data(as_text=True)
    comments = _comments(db, consultation)
    assert [(c.number, c.channel, c.status, c.organisation_id) for c in comments] == [
        (1, Channel.PAPER, CommentStatus.PUBLISHED, sender.id),
        (2, Channel.PAPER, CommentStatus.PUBLISHED, sender.id),
    ]
    letter = db.session.scalar(sa.select(Letter))
    assert (letter.received_on, letter.reference, letter.entered_by_id) == (_today(), "L.dz. 12/2027", team.id)

    # A receipt per comment, to the organisation's address.
    assert [m.to for m in mail_outbox] == ["biuro@listowne.example"] * 2
    assert "KONS/0001" in mail_outbox[0].subject
    assert "Entered by the office from a letter received on" in mail_outbox[0].body

    # The audit log names the official for each comment.
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "comment.entered_from_letter")).all()
    assert sorted((e.actor_id, e.object_id) for e in entries) == sorted((team.id, c.id) for c in comments)

    # The public page marks both comments; the comment page shows the channel.
    page = client.get(f"/consultations/{consultation.slug}/comments?lang=en").get_data(as_text=True)
    assert page.count("Entered by the office from a letter received on") == 2
    polish = client.get(f"/consultations/{consultation.slug}/comments?lang=pl").get_data(as_text=True)
    assert "Wprowadzona przez urząd z pisma otrzymanego" in polish
    one = client.get(f"/consultations/{consultation.slug}/comments/1?lang=en").get_data(as_text=True)
    assert "paper letter" in one and "Receipt number" in one

    listing = client.get(f"/manage/consultations/{consultation.slug}/letters?lang=en").get_data(as_text=True)
    assert "L.dz. 12/2027" in listing and "KONS/0002" in listing and "Jan Urzędnik" in listing


def test_a_new_unverified_organisation_is_created_from_the_letter(client, db, login, team, create_consultation):
    consultation = create_consultation("open", officials=[team])
    login(team)
    data = _letter_form(
        None,
        channel="epuap",
        new_organisation_name="Koło Gospodyń Wiejskich w Nowej Hucie",
        new_organisation_address="ul. Ludźmierska 1\n31-000 Kraków",
    )
    response = client.post(URL.format(slug=consultation.slug), data=data)
    assert response.status_code == 302
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.name.like("Koło%")))
    assert organisation.status == OrganisationStatus.PENDING
    assert organisation.address == "ul. Ludźmierska 1\n31-000 Kraków"
    assert {c.organisation_id for c in _comments(db, consultation)} == {organisation.id}
    assert {c.channel for c in _comments(db, consultation)} == {Channel.EPUAP}
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "organisation.created_from_letter"))


def test_the_organisation_must_be_chosen_or_named(client, db, login, team, create_consultation, sender):
    consultation = create_consultation("open", officials=[team])
    login(team)
    response = client.post(URL.format(slug=consultation.slug), data=_letter_form(None))
    assert response.status_code == 422
    assert "Choose the organisation, or give the name of a new one" in response.get_data(as_text=True)
    duplicate = _letter_form(None, new_organisation_name="stowarzyszenie listowne")
    response = client.post(URL.format(slug=consultation.slug), data=duplicate)
    assert response.status_code == 422
    assert "is already on record: choose it from the list" in response.get_data(as_text=True)
    assert _comments(db, consultation) == []


@pytest.mark.parametrize("spelling", ["FUNDACJA ŹRÓDŁO", "fundacja  źródło", "Fundacja Zrodlo"])
def test_a_name_on_record_is_recognised_whatever_its_case_and_polish_letters(
    client, db, login, team, create_consultation, create_organisation, spelling
):
    create_organisation("Fundacja Źródło")
    consultation = create_consultation("open", officials=[team])
    login(team)
    response = client.post(URL.format(slug=consultation.slug), data=_letter_form(None, new_organisation_name=spelling))
    assert response.status_code == 422
    assert "Fundacja Źródło is already on record" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 1


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (1, "The date received cannot be in the future"),
        (-400, "a letter received before then is not a comment in it"),
    ],
)
def test_a_date_received_outside_the_consultation_is_refused(
    client, db, login, team, sender, create_consultation, days, message
):
    consultation = create_consultation("open", officials=[team])
    login(team)
    data = _letter_form(sender, received_on=(_today() + timedelta(days=days)).isoformat())
    response = client.post(URL.format(slug=consultation.slug), data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _comments(db, consultation) == [] and db.session.scalar(sa.select(sa.func.count(Letter.id))) == 0


def test_a_letter_received_on_the_last_day_is_in_time_and_one_received_the_day_after_is_late(
    client, db, login, team, sender, create_consultation
):
    closes_at = utcnow() - timedelta(days=3)
    consultation = create_consultation(
        "closed", officials=[team], opens_at=closes_at - timedelta(days=21), closes_at=closes_at
    )
    last_day = to_local(closes_at).date()
    login(team)
    late = _letter_form(sender, received_on=(last_day + timedelta(days=1)).isoformat())
    response = client.post(URL.format(slug=consultation.slug), data=late)
    assert response.status_code == 422
    assert "are late and cannot be entered" in response.get_data(as_text=True)
    in_time = _letter_form(sender, received_on=last_day.isoformat())
    assert client.post(URL.format(slug=consultation.slug), data=in_time).status_code == 302
    assert len(_comments(db, consultation)) == 2


@pytest.mark.parametrize("received_on", ["0001-01-01", "2027-02-30", "jutro", "9999-12-31\x00"])
def test_impossible_dates_are_refused_without_an_error_page(
    client, db, login, team, sender, create_consultation, received_on
):
    consultation = create_consultation("open", officials=[team])
    login(team)
    response = client.post(URL.format(slug=consultation.slug), data=_letter_form(sender, received_on=received_on))
    assert response.status_code == 422
    assert _comments(db, consultation) == []


def test_a_mistake_in_one_comment_stores_nothing_and_is_shown_at_that_comment(
    client, db, login, team, create_consultation
):
    consultation = create_consultation("open", officials=[team])
    login(team)
    data = _letter_form(
        None,
        new_organisation_name="Fundacja Nowa",
        **{"comments-1-justification": "", "comments-1-proposed_text": "", "comments-1-kind": "general"},
    )
    data["comments-2-paragraph"] = "par-1-pkt-2"
    data["comments-2-kind"] = "change"
    data["comments-2-proposed_text"] = ""
    data["comments-2-justification"] = "Bez nowego brzmienia."
    response = client.post(URL.format(slug=consultation.slug), data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="comments-2-proposed_text-error"' in page and "Write the proposed wording." in page
    assert "Bez nowego brzmienia." in page  # what was typed stays
    assert _comments(db, consultation) == []
    assert db.session.scalar(sa.select(Organisation).where(Organisation.name == "Fundacja Nowa")) is None


def test_an_empty_letter_is_refused(client, db, login, team, sender, create_consultation):
    consultation = create_consultation("open", officials=[team])
    login(team)
    data = _letter_form(sender, **{"comments-0-justification": "", "comments-0-proposed_text": ""})
    data["comments-1-justification"] = ""
    response = client.post(URL.format(slug=consultation.slug), data=data)
    assert response.status_code == 422
    assert "Enter at least one comment from the letter." in response.get_data(as_text=True)


def test_another_comment_row_can_be_added_keeping_what_was_typed(client, db, login, team, sender, create_consultation):
    consultation = create_consultation("open", officials=[team])
    login(team)
    response = client.post(URL.format(slug=consultation.slug), data=_letter_form(sender, action="add_row"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'name="comments-2-justification"' in page and "Program powinien mieć harmonogram." in page
    assert _comments(db, consultation) == []


def test_a_rejected_organisation_is_refused(client, db, login, team, create_organisation, create_consultation):
    rejected = create_organisation("Spółka z o.o.", status=OrganisationStatus.REJECTED)
    consultation = create_consultation("open", officials=[team])
    login(team)
    response = client.post(URL.format(slug=consultation.slug), data=_letter_form(rejected))
    assert response.status_code == 422
    assert _comments(db, consultation) == []


@pytest.mark.parametrize(
    ("who", "status", "expected"),
    [
        ("team", "open", 302),
        ("team", "closed", 302),
        ("admin", "open", 302),
        ("other_official", "open", 403),
        ("member", "open", 403),
        ("team", "announced", 403),
        ("team", "draft", 403),
        ("team", "report_published", 403),
    ],
)
def test_who_may_enter_comments(
    client, db, login, team, sender, create_user, create_consultation, who, status, expected
):
    users = {
        "team": team,
        "admin": create_user(UserRole.ADMIN),
        "other_official": create_user(UserRole.OFFICIAL),
        "member": create_user(UserRole.MEMBER),
    }
    consultation = create_consultation("closed" if status == "report_published" else status, officials=[team])
    if status == "report_published":
        consultation.report_published_at = utcnow()
        db.session.commit()
    login(users[who])
    received_on = to_local(consultation.closes_at - timedelta(days=2)).date() if status == "closed" else _today()
    data = _letter_form(sender, received_on=received_on.isoformat())
    response = client.post(URL.format(slug=consultation.slug), data=data)
    assert response.status_code == expected
    assert client.get(URL.format(slug=consultation.slug)).status_code == (200 if expected == 302 else 403)
    assert len(_comments(db, consultation)) == (2 if expected == 302 else 0)


def test_a_list_of_comments_runs_as_many_statements_with_entered_comments(
    client, db, login, team, sender, create_consultation, create_comment, count_queries
):
    consultation = create_consultation("open", officials=[team])
    create_comment(consultation, sender)
    with count_queries() as before:
        client.get(f"/consultations/{consultation.slug}/comments")
    login(team)
    client.post(URL.format(slug=consultation.slug), data=_letter_form(sender))
    client.post("/logout")
    with count_queries() as after:
        page = client.get(f"/consultations/{consultation.slug}/comments?lang=en").get_data(as_text=True)
    assert page.count("Entered by the office") == 2
    assert after.count == before.count


def test_moderators_see_how_an_entered_comment_came(client, db, login, team, sender, create_consultation):
    consultation = create_consultation("open", officials=[team])
    login(team)
    client.post(URL.format(slug=consultation.slug), data=_letter_form(sender, channel="epuap"))
    queue = client.get(f"/manage/consultations/{consultation.slug}/moderation?lang=en").get_data(as_text=True)
    assert queue.count("(ePUAP)") == 2
    one = client.get(f"/manage/consultations/{consultation.slug}/comments/1?lang=en").get_data(as_text=True)
    assert "Entered by the office from an ePUAP message received on" in one
