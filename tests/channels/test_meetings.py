"""Consultation meetings: planned by the team, announced, registration with a limit, minutes,
comments made at a meeting."""

import io
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consult.accounts.models import OrganisationStatus, UserRole
from consult.channels.models import Meeting, MeetingRegistration
from consult.channels.operations import register_for_meeting
from consult.comments.models import Channel, Comment, Letter
from consult.core.errors import Conflict
from consult.core.models import AuditEntry
from consult.core.time import to_local, utcnow
from tests.attachments.test_files import PDF


@pytest.fixture()
def team(create_user):
    return create_user(UserRole.OFFICIAL, email="urzednik@krakow.example")


def _local(moment) -> str:
    return to_local(moment).strftime("%Y-%m-%dT%H:%M")


def _meeting_form(**overrides) -> dict:
    starts = utcnow() + timedelta(days=3)
    data = {
        "starts_at": _local(starts),
        "ends_at": _local(starts + timedelta(hours=2)),
        "place": "Urząd Miasta Krakowa, pl. Wszystkich Świętych 3-4, sala Portretowa",
        "online_url": "",
        "description": "1. Omówienie projektu.\n2. Uwagi organizacji.",
        "registration_limit": "2",
    }
    data.update(overrides)
    return data


def _plan(client, consultation, **overrides):
    return client.post(f"/manage/consultations/{consultation.slug}/meetings?lang=en", data=_meeting_form(**overrides))


def _meeting(db) -> Meeting:
    return db.session.scalars(sa.select(Meeting)).one()


def test_the_team_plans_a_meeting_the_page_shows_it_and_the_areas_organisations_hear_of_it(
    client, db, login, team, areas, create_user, create_organisation, create_consultation, mail_outbox
):
    consultation = create_consultation("open", officials=[team])
    consultation.areas = [areas[0]]
    member = create_user(UserRole.MEMBER, email="czlonek@fundacja.example", email_confirmed_at=utcnow())
    organisation = create_organisation("Fundacja Obszaru", members=[member])
    organisation.areas = [areas[0]]
    db.session.commit()
    login(team)
    response = _plan(client, consultation)
    assert response.status_code == 302, response.get_data(as_text=True)
    meeting = _meeting(db)
    assert meeting.registration_limit == 2
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "meeting.planned")).actor_id == team.id
    assert [m.to for m in mail_outbox] == ["czlonek@fundacja.example"]
    assert "Consultation meeting" in mail_outbox[0].subject or "Spotkanie" in mail_outbox[0].subject
    client.post("/logout")

    page = client.get(f"/consultations/{consultation.slug}?lang=en").get_data(as_text=True)
    assert f'id="meeting-{meeting.id}"' in page
    assert "sala Portretowa" in page and "0 of 2 places taken" in page and "Omówienie projektu." in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"place": "", "online_url": ""}, "Give the place of the meeting, or a link to join it online."),
        ({"online_url": "javascript:alert(1)"}, "The link must be a web address starting with https://"),
        ({"registration_limit": "0"}, "The limit is a number of organisations from 1 to 10,000"),
        ({"ends_at": "2000-01-01T10:00"}, "The meeting must end after it starts."),
    ],
)
def test_a_meeting_with_mistakes_is_refused_with_a_message(
    client, db, login, team, create_consultation, overrides, message
):
    consultation = create_consultation("open", officials=[team])
    login(team)
    response = _plan(client, consultation, **overrides)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 0


@pytest.mark.parametrize("starts_at", ["0001-01-01T00:00", "2027-02-30T10:00", "jutro", "\x00"])
def test_impossible_dates_are_refused_without_an_error_page(client, db, login, team, create_consultation, starts_at):
    consultation = create_consultation("open", officials=[team])
    login(team)
    assert _plan(client, consultation, starts_at=starts_at).status_code == 422


def test_only_the_team_plans_meetings(client, db, login, team, create_user, create_consultation):
    consultation = create_consultation("open", officials=[team])
    login(create_user(UserRole.OFFICIAL))
    assert _plan(client, consultation).status_code == 403
    client.post("/logout")
    login(create_user(UserRole.MEMBER))
    assert client.get(f"/manage/consultations/{consultation.slug}/meetings").status_code == 403


def _registered(db, meeting) -> list[int]:
    return sorted(
        db.session.scalars(
            sa.select(MeetingRegistration.organisation_id).where(
                MeetingRegistration.meeting_id == meeting.id, MeetingRegistration.cancelled_at.is_(None)
            )
        )
    )


def test_organisations_register_until_the_places_are_taken(
    client, db, login, team, create_user, create_organisation, create_consultation
):
    consultation = create_consultation("open", officials=[team])
    login(team)
    _plan(client, consultation, registration_limit="1")
    client.post("/logout")
    meeting = _meeting(db)
    first_member, second_member = create_user(UserRole.MEMBER), create_user(UserRole.MEMBER)
    first = create_organisation("Pierwsza Fundacja", members=[first_member])
    second = create_organisation("Druga Fundacja", members=[second_member])
    url = f"/consultations/{consultation.slug}/meetings/{meeting.id}"

    login(first_member)
    page = client.get(f"/consultations/{consultation.slug}?lang=en").get_data(as_text=True)
    assert 'Register <span lang="pl">Pierwsza Fundacja</span>' in page
    assert client.post(url + "/register", data={"organisation": first.id}).status_code == 302
    assert client.post(url + "/register", data={"organisation": first.id}).status_code == 302  # twice: one place
    assert _registered(db, meeting) == [first.id]
    client.post("/logout")

    login(second_member)
    client.post(url + "/register?lang=en", data={"organisation": second.id})
    page = client.get(f"/consultations/{consultation.slug}?lang=en").get_data(as_text=True)
    assert "The meeting is full: its only place is taken." in page and "1 of 1 place taken" in page
    assert _registered(db, meeting) == [first.id]
    assert client.post(url + "/register", data={"organisation": first.id}).status_code == 302  # not theirs
    assert _registered(db, meeting) == [first.id]
    client.post("/logout")

    login(first_member)
    client.post(url + "/unregister", data={"organisation": first.id})
    client.post("/logout")
    login(second_member)
    client.post(url + "/register", data={"organisation": second.id})
    assert _registered(db, meeting) == [second.id]


def test_registration_closes_when_the_meeting_starts_and_for_a_cancelled_meeting(
    client, db, login, team, create_user, create_organisation, create_consultation
):
    consultation = create_consultation("open", officials=[team])
    login(team)
    _plan(client, consultation)
    meeting = _meeting(db)
    response = client.post(
        f"/manage/consultations/{consultation.slug}/meetings/{meeting.id}/cancel", data={"cancel-reason": "Choroba."}
    )
    assert response.status_code == 302
    client.post("/logout")
    member = create_user(UserRole.MEMBER)
    organisation = create_organisation("Fundacja Spóźniona", members=[member])
    login(member)
    client.post(
        f"/consultations/{consultation.slug}/meetings/{meeting.id}/register?lang=en",
        data={"organisation": organisation.id},
    )
    page = client.get(f"/consultations/{consultation.slug}?lang=en").get_data(as_text=True)
    assert "The meeting has been cancelled." in page and "This meeting has been cancelled." in page
    assert _registered(db, meeting) == []


def test_simultaneous_registrations_never_exceed_the_limit(
    app, db, team, create_user, create_organisation, create_consultation
):
    consultation = create_consultation("open", officials=[team])
    meeting = Meeting(
        consultation_id=consultation.id, starts_at=utcnow() + timedelta(days=2), place="Sala", registration_limit=2
    )
    db.session.add(meeting)
    members = [create_user(UserRole.MEMBER) for _ in range(5)]
    organisations = [create_organisation(f"Organizacja {n}", members=[m]) for n, m in enumerate(members)]
    db.session.commit()
    ids = [(m.id, o.id) for m, o in zip(members, organisations, strict=True)]
    meeting_id = meeting.id
    outcomes: list[str] = []
    barrier = threading.Barrier(len(ids))

    def register(user_id: int, organisation_id: int) -> None:
        from consult.accounts.models import Organisation, User

        with app.test_request_context():
            session = db.session
            try:
                barrier.wait()
                register_for_meeting(
                    session.get(Meeting, meeting_id),
                    session.get(User, user_id),
                    session.get(Organisation, organisation_id),
                )
                session.commit()
                outcomes.append("registered")
            except Conflict:
                session.rollback()
                outcomes.append("full")
            except Exception as error:  # reported below with the others
                session.rollback()
                outcomes.append(repr(error))
            finally:
                session.remove()

    threads = [threading.Thread(target=register, args=pair) for pair in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["full"] * 3 + ["registered"] * 2
    assert len(_registered(db, db.session.get(Meeting, meeting_id))) == 2


def test_minutes_are_written_or_uploaded_after_the_meeting_and_shown_on_the_page(
    client, db, login, team, create_consultation
):
    consultation = create_consultation("open", officials=[team])
    login(team)
    _plan(client, consultation)
    meeting = _meeting(db)
    url = f"/manage/consultations/{consultation.slug}/meetings/{meeting.id}/minutes?lang=en"
    empty = client.post(url, data={"minutes-minutes": ""})
    assert empty.status_code == 422 and "Write the minutes, or attach a file with them." in empty.get_data(as_text=True)
    response = client.post(
        url,
        data={
            "minutes-minutes": "W spotkaniu wzięło udział 12 organizacji.",
            "minutes-file": (io.BytesIO(PDF), "protokol.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(meeting)
    assert meeting.minutes_file.filename == "protokol.pdf"
    client.post("/logout")
    page = client.get(f"/consultations/{consultation.slug}?lang=en").get_data(as_text=True)
    assert "W spotkaniu wzięło udział 12 organizacji." in page
    assert f"/files/{meeting.minutes_file_id}" in page
    assert client.get(f"/consultations/{consultation.slug}/files/{meeting.minutes_file_id}").data == PDF


def test_comments_made_at_a_meeting_are_entered_with_its_date(
    client, db, login, team, create_organisation, create_consultation
):
    consultation = create_consultation("open", officials=[team])
    sender = create_organisation("Fundacja Mówiona", status=OrganisationStatus.VERIFIED)
    meeting = Meeting(consultation_id=consultation.id, starts_at=utcnow() - timedelta(hours=3), place="Sala")
    db.session.add(meeting)
    db.session.commit()
    login(team)
    data = {
        "organisation": str(sender.id),
        "channel": "paper",
        "meeting": str(meeting.id),
        "received_on": "",
        "comments-0-paragraph": "",
        "comments-0-kind": "general",
        "comments-0-justification": "Powiedziane na spotkaniu.",
        "action": "save",
    }
    url = f"/manage/consultations/{consultation.slug}/letters/new?lang=en"
    refused = client.post(url, data=data)
    assert refused.status_code == 422
    assert "Comments made at a meeting are received by “consultation meeting”" in refused.get_data(as_text=True)
    data["channel"] = "meeting"
    assert client.post(url, data=data).status_code == 302
    letter = db.session.scalars(sa.select(Letter)).one()
    assert (letter.meeting_id, letter.received_on) == (meeting.id, to_local(meeting.starts_at).date())
    assert db.session.scalars(sa.select(Comment.channel)).all() == [Channel.MEETING]
    page = client.get(f"/consultations/{consultation.slug}/comments?lang=en").get_data(as_text=True)
    assert "Entered by the office from the consultation meeting of" in page


def test_meetings_are_in_the_calendars(client, db, team, areas, create_consultation):
    from icalendar import Calendar

    consultation = create_consultation("open", officials=[team], areas=[areas[4]])
    create_consultation("open", areas=[areas[5]])  # another area's calendar has no meeting of this one
    starts = utcnow() + timedelta(days=5)
    db.session.add_all(
        [
            Meeting(consultation_id=consultation.id, starts_at=starts, place="Sala Obrad"),
            Meeting(
                consultation_id=consultation.id,
                starts_at=starts + timedelta(days=1),
                place="Odwołane",
                cancelled_at=utcnow(),
            ),
        ]
    )
    db.session.commit()
    for path in (
        f"/consultations/{consultation.slug}/calendar.ics",
        "/calendar/consultations.ics",
        "/calendar/areas/5.ics",
    ):
        calendar = Calendar.from_ical(client.get(path + "?lang=en").data)
        meetings = [e for e in calendar.walk("VEVENT") if str(e["uid"]).startswith("meeting-")]
        assert [(e["dtstart"].dt, str(e["description"]).split("\n")[0]) for e in meetings] == [
            (starts.replace(microsecond=0), "Sala Obrad")
        ], path
    other_area = Calendar.from_ical(client.get("/calendar/areas/6.ics").data)
    assert not [e for e in other_area.walk("VEVENT") if str(e["uid"]).startswith("meeting-")]


def test_the_report_tells_the_course_of_the_meetings(
    client, db, login, team, create_organisation, create_consultation, official_publishes
):
    closes_at = utcnow() - timedelta(days=1)
    consultation = create_consultation(
        "closed", officials=[team], opens_at=closes_at - timedelta(days=21), closes_at=closes_at
    )
    organisation = create_organisation("Fundacja Spotkań")
    meeting = Meeting(
        consultation_id=consultation.id,
        starts_at=closes_at - timedelta(days=7),
        ends_at=closes_at - timedelta(days=7) + timedelta(hours=2),
        place="Sala Obrad",
        minutes="Protokół.",
    )
    db.session.add(meeting)
    db.session.flush()
    db.session.add(MeetingRegistration(meeting_id=meeting.id, organisation_id=organisation.id))
    db.session.commit()
    login(team)
    data = {
        "organisation": str(organisation.id),
        "channel": "meeting",
        "meeting": str(meeting.id),
        "comments-0-paragraph": "",
        "comments-0-kind": "general",
        "comments-0-justification": "Powiedziane na spotkaniu.",
        "action": "save",
    }
    assert client.post(f"/manage/consultations/{consultation.slug}/letters/new", data=data).status_code == 302
    official_publishes(consultation, team)
    report = client.get(f"/consultations/{consultation.slug}/report.json").get_json()["report"]
    [fact] = report["course"]["meetings"]
    assert (fact["place"], fact["registered"], fact["comments"], fact["minutes"], fact["cancelled"]) == (
        "Sala Obrad",
        1,
        1,
        True,
        False,
    )
    assert "meetings" in report["course"]["forms"]
    assert {i["key"]: i["count"] for i in report["statistics"]["by_channel"]}["meeting"] == 1
    page = client.get(f"/consultations/{consultation.slug}/report?lang=en").get_data(as_text=True)
    assert "Sala Obrad: 1 organisation registered, 1 comment made at it." in page


def test_the_consultation_page_runs_as_many_statements_with_one_meeting_as_with_many(
    client, db, login, create_user, create_organisation, create_consultation, count_queries
):
    member = create_user(UserRole.MEMBER)
    organisation = create_organisation("Fundacja Liczona", members=[member])
    consultation = create_consultation("open")

    def add_meeting(day: int) -> None:
        meeting = Meeting(consultation_id=consultation.id, starts_at=utcnow() + timedelta(days=day), place="Sala")
        db.session.add(meeting)
        db.session.flush()
        db.session.add(MeetingRegistration(meeting_id=meeting.id, organisation_id=organisation.id))
        db.session.commit()

    add_meeting(1)
    login(member)
    with count_queries() as one:
        client.get(f"/consultations/{consultation.slug}")
    for day in (2, 3, 4):
        add_meeting(day)
    with count_queries() as many:
        page = client.get(f"/consultations/{consultation.slug}?lang=en").get_data(as_text=True)
    assert page.count('class="meeting"') == 4
    assert page.count('Cancel the registration of <span lang="pl">Fundacja Liczona</span>') == 4
    assert many.count == one.count


def test_the_meeting_notice_goes_once_however_often_the_job_runs(
    app, db, areas, create_user, create_organisation, create_consultation, mail_outbox
):
    from consult.channels.notifications import announce_meeting

    consultation = create_consultation("open")
    consultation.areas = [areas[0]]
    members = [create_user(UserRole.MEMBER, email=f"czlonek{n}@fundacja.example") for n in range(3)]
    for n, member in enumerate(members):
        create_organisation(f"Fundacja {n}", members=[member]).areas = [areas[0]]
    ahead = Meeting(consultation_id=consultation.id, starts_at=utcnow() + timedelta(days=2), place="Sala")
    past = Meeting(consultation_id=consultation.id, starts_at=utcnow() - timedelta(days=2), place="Sala")
    db.session.add_all([ahead, past])
    db.session.commit()
    with app.test_request_context():
        assert announce_meeting(ahead.id) == 3
        assert announce_meeting(ahead.id) == 0
        assert announce_meeting(past.id) == 0
    assert sorted(m.to for m in mail_outbox) == sorted(m.email for m in members)
