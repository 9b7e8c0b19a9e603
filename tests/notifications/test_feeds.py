"""Atom feeds of consultations (all, per area) and of one consultation's news; iCal calendars of
deadlines (all, per area, per consultation); linked from the pages where a reader looks."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from icalendar import Calendar

from consult.accounts.models import UserRole
from consult.core.time import utcnow

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture()
def published(db, areas, create_consultation):
    now = utcnow()
    social = create_consultation(
        "open", slug="pomoc-spoleczna", title="Pomoc społeczna 2027", areas=[areas[0]], summary="O pomocy."
    )
    culture = create_consultation("open", slug="kultura", title="Kultura 2027", areas=[areas[9]])
    create_consultation("draft", slug="szkic", title="Jeszcze nie", areas=[areas[0]])
    old = create_consultation(
        "closed", slug="dawne", title="Dawne", opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=30)
    )
    old.report_published_at = now - timedelta(days=5)
    db.session.commit()
    return {"social": social, "culture": culture, "old": old}


def _entries(response) -> list[str]:
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.get_data())
    return [entry.find(f"{ATOM}title").text for entry in root.findall(f"{ATOM}entry")]


def test_the_feed_of_all_consultations_lists_published_ones_only(client, published):
    titles = _entries(client.get("/feeds/consultations.atom"))
    assert set(titles) == {"Pomoc społeczna 2027", "Kultura 2027", "Dawne"}


def test_an_area_feed_lists_the_consultations_of_that_area(client, published):
    assert _entries(client.get("/feeds/areas/1.atom")) == ["Pomoc społeczna 2027"]
    assert _entries(client.get("/feeds/areas/10.atom")) == ["Kultura 2027"]


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/areas/17.atom",
        "/feeds/areas/0.atom",
        "/feeds/areas/99999999999999999999.atom",
        "/calendar/areas/99999999999999999999.ics",
        "/consultations/szkic/news.atom",
        "/consultations/szkic/calendar.ics",
        "/consultations/nie-ma/news.atom",
    ],
)
def test_unknown_areas_and_unpublished_consultations_are_not_found(client, published, path):
    assert client.get(path).status_code == 404


def test_the_news_feed_of_a_consultation_tells_its_story(client, published):
    titles = _entries(client.get("/consultations/dawne/news.atom"))
    assert titles == [
        "Raport z konsultacji został opublikowany",
        "Konsultacje zostały zamknięte: Dawne",
        "Konsultacje są otwarte: Dawne",
    ]


def test_a_new_version_is_news_in_the_consultations_feed(client, db, create_user, published):
    from consult.drafts.importers import parse_markdown
    from consult.drafts.operations import import_draft, publish_version
    from tests.conftest import SMALL_DRAFT

    official = create_user(UserRole.OFFICIAL)
    version = import_draft(
        published["culture"], parse_markdown(SMALL_DRAFT + "\n§ 3. Nowy paragraf.\n"), official, title="Po uwagach"
    )
    publish_version(version, official, comments_open_confirmed=True)
    db.session.commit()
    response = client.get("/consultations/kultura/news.atom")
    root = ET.fromstring(response.get_data())
    entries = {entry.find(f"{ATOM}title").text: entry for entry in root.findall(f"{ATOM}entry")}
    assert list(entries) == ["Wersja 2 projektu", "Konsultacje są otwarte: Kultura 2027"]
    link = entries["Wersja 2 projektu"].find(f"{ATOM}link").get("href")
    assert link == "http://localhost/consultations/kultura/versions/2"
    assert entries["Wersja 2 projektu"].find(f"{ATOM}content").text == "Po uwagach"


def test_calendars_hold_the_time_for_comments_and_the_deadline(client, published):
    response = client.get("/calendar/consultations.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.get_data())
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    deadline = events["Termin zgłaszania uwag: Pomoc społeczna 2027"]
    assert deadline.decoded("dtend") == published["social"].closes_at.replace(microsecond=0)
    assert str(deadline["url"]) == "http://localhost/consultations/pomoc-spoleczna"
    assert "Konsultacje: Jeszcze nie" not in events
    area = Calendar.from_ical(client.get("/calendar/areas/10.ics").get_data())
    assert {str(e["summary"]) for e in area.walk("VEVENT")} == {
        "Konsultacje: Kultura 2027",
        "Termin zgłaszania uwag: Kultura 2027",
    }
    one = Calendar.from_ical(client.get("/consultations/kultura/calendar.ics").get_data())
    assert len(one.walk("VEVENT")) == 2
    uids = [str(e["uid"]) for e in calendar.walk("VEVENT")]
    assert len(uids) == len(set(uids))


def test_feeds_and_calendars_are_linked_where_readers_look(client, published):
    home = client.get("/").get_data(as_text=True)
    assert 'type="application/atom+xml"' in home and 'href="/feeds"' in home
    page = client.get("/consultations/kultura").get_data(as_text=True)
    assert 'href="/consultations/kultura/news.atom"' in page and 'href="/consultations/kultura/calendar.ics"' in page
    feeds = client.get("/feeds").get_data(as_text=True)
    assert 'href="/feeds/areas/16.atom"' in feeds and 'href="/calendar/areas/16.ics"' in feeds


def test_a_member_finds_the_feeds_of_their_organisations_areas_beside_the_e_mail_settings(
    client, login, areas, create_user, create_organisation
):
    anna = create_user(email="anna@example.org")
    create_organisation("Fundacja A", members=[anna], areas=[areas[11], areas[0]])
    create_organisation("Fundacja B", members=[anna], areas=[areas[0]])
    create_organisation("Cudza", areas=[areas[15]])
    login(anna)
    page = client.get("/account/notifications").get_data(as_text=True)
    feeds = re.findall(r'href="/(?:feeds|calendar)/areas/(\d+)\.(atom|ics)"', page)
    assert feeds == [("1", "atom"), ("1", "ics"), ("12", "atom"), ("12", "ics")]
    assert 'href="/feeds"' in page
    client.post("/logout")
    login(create_user(UserRole.OFFICIAL))
    page = client.get("/account/notifications").get_data(as_text=True)
    assert "/areas/" not in page and 'href="/feeds"' in page


@pytest.mark.parametrize("path", ["/feeds/consultations.atom", "/feeds/areas/1.atom", "/calendar/consultations.ics"])
def test_feeds_run_a_fixed_number_of_statements(client, db, areas, create_consultation, count_queries, path):
    create_consultation("open", areas=[areas[0]])
    with count_queries() as few:
        assert client.get(path).status_code == 200
    for _n in range(12):
        create_consultation("open", areas=[areas[0]])
    with count_queries() as many:
        assert client.get(path).status_code == 200
    assert many.count == few.count
