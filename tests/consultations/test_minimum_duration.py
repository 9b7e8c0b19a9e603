"""A consultation shorter than the minimum (7 days by the act, more if the organiser says so)
is refused at publishing unless an administrator publishes it with a reason, which goes into the
audit log and the report."""

from datetime import datetime

import pytest
import sqlalchemy as sa

from consult.accounts.models import UserRole
from consult.consultations.models import ConsultationState
from consult.consultations.operations import (
    ConsultationData,
    lasting_days,
    publish_consultation,
    update_consultation,
)
from consult.core.errors import Forbidden, InvalidInput
from consult.core.models import AuditEntry
from consult.core.time import from_local, utcnow


def _at(day: int, hour: int, minute: int = 0, month: int = 12):
    return from_local(datetime(2027, month, day, hour, minute))


@pytest.mark.parametrize(
    ("opens", "closes", "days"),
    [
        (_at(1, 8), _at(8, 23, 59), 7),  # the day it opens is not counted; the 8th counts whole
        (_at(1, 0), _at(8, 23, 59), 7),
        (_at(1, 8), _at(8, 16), 6),  # the 8th is not over at 16:00
        (_at(1, 8), _at(9, 0), 7),  # midnight: the end of the 8th
        (_at(1, 8), _at(7, 23, 59), 6),
        (_at(1, 8), _at(22, 23, 59), 21),
        (_at(1, 8), _at(1, 9), 0),
        (_at(8, 8), _at(1, 8), 0),
        (_at(25, 8, month=3), _at(1, 23, 59, month=4), 7),  # across the change to summer time
    ],
)
def test_days_are_counted_as_the_civil_code_counts_a_term(opens, closes, days):
    assert lasting_days(opens, closes) == days


def _short(create_consultation, days: int = 6):
    """A draft consultation opening tomorrow at 8:00 and lasting ``days`` days."""
    from datetime import timedelta

    from consult.core.time import LOCAL_TZ

    tomorrow = utcnow().astimezone(LOCAL_TZ).date() + timedelta(days=1)
    opens = from_local(datetime.combine(tomorrow, datetime.min.time()).replace(hour=8))
    closes = from_local(
        datetime.combine(tomorrow + timedelta(days=days), datetime.min.time()).replace(hour=23, minute=59)
    )
    return create_consultation("draft", opens_at=opens, closes_at=closes)


def _audit(db):
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "consultation.publish")).all()


def test_an_official_cannot_publish_a_consultation_shorter_than_seven_days(db, create_user, create_consultation):
    consultation = _short(create_consultation, 6)
    with pytest.raises(Forbidden, match="trwają 6 dni, mniej niż wymagane minimum 7"):
        publish_consultation(consultation, create_user(UserRole.OFFICIAL), "Pilne")
    db.session.rollback()
    assert consultation.state == ConsultationState.DRAFT and _audit(db) == []
    publish_consultation(_short(create_consultation, 7), create_user(UserRole.OFFICIAL))  # 7 days is enough


@pytest.mark.parametrize("reason", ["", "   ", "\x00\x00", "\n\t"])
def test_an_administrator_must_give_a_reason(db, create_user, create_consultation, reason):
    consultation = _short(create_consultation, 3)
    with pytest.raises(InvalidInput) as refused:
        publish_consultation(consultation, create_user(UserRole.ADMIN), reason)
    assert refused.value.field == "short_reason"
    db.session.rollback()
    assert consultation.state == ConsultationState.DRAFT


def test_a_reason_longer_than_2000_characters_is_refused(db, create_user, create_consultation):
    with pytest.raises(InvalidInput, match="2000"):
        publish_consultation(_short(create_consultation, 3), create_user(UserRole.ADMIN), "x" * 2001)


def test_an_administrator_publishes_it_and_the_reason_is_kept(db, create_user, create_consultation):
    consultation = _short(create_consultation, 3)
    admin = create_user(UserRole.ADMIN)
    publish_consultation(consultation, admin, "  Termin uchwalenia\x00 programu przez Radę: 30 listopada. ")
    db.session.commit()
    assert consultation.state == ConsultationState.PUBLISHED
    assert consultation.short_duration_reason == "Termin uchwalenia programu przez Radę: 30 listopada."
    assert consultation.short_duration_minimum == 7
    (entry,) = _audit(db)
    assert entry.actor_id == admin.id and entry.reason == consultation.short_duration_reason
    assert entry.after == {"days": 3, "minimum_days": 7}


def test_a_long_enough_consultation_keeps_no_reason(db, create_user, create_consultation):
    consultation = create_consultation("draft")
    publish_consultation(consultation, create_user(UserRole.ADMIN), "niepotrzebny powód")
    assert consultation.short_duration_reason is None and consultation.short_duration_minimum is None
    assert _audit(db)[0].reason is None


def test_the_organiser_may_require_more_than_seven_days(app, db, create_user, create_consultation, monkeypatch):
    monkeypatch.setitem(app.config, "CONSULTATION_MIN_DAYS", 21)
    with pytest.raises(Forbidden, match="minimum 21 dni"):
        publish_consultation(_short(create_consultation, 14), create_user(UserRole.OFFICIAL))
    db.session.rollback()
    publish_consultation(_short(create_consultation, 21), create_user(UserRole.OFFICIAL))
    monkeypatch.setitem(app.config, "CONSULTATION_MIN_DAYS", 3)  # never below the act's 7
    with pytest.raises(Forbidden, match="minimum 7 dni"):
        publish_consultation(_short(create_consultation, 6), create_user(UserRole.OFFICIAL))


@pytest.mark.parametrize("value", ["6", "0", "366", "21 dni", "-7", "٢١", "1e3"])
def test_a_minimum_the_configuration_cannot_mean_stops_the_start(monkeypatch, value):
    import config

    monkeypatch.setenv("CONSULTATION_MIN_DAYS", value)
    with pytest.raises(RuntimeError, match="CONSULTATION_MIN_DAYS"):
        config._days("CONSULTATION_MIN_DAYS", 7, 7, 365)


def test_an_announced_consultation_is_not_shortened_below_the_minimum(db, create_user, create_consultation):
    consultation = create_consultation("announced")
    data = ConsultationData(
        slug=consultation.slug,
        title=consultation.title,
        opens_at=consultation.opens_at,
        closes_at=_short(create_consultation, 2).closes_at,
    )
    with pytest.raises(InvalidInput, match="skrócić do mniej niż"):
        update_consultation(consultation, create_user(UserRole.OFFICIAL), data)


def test_the_publish_page_asks_an_administrator_for_the_reason(client, db, login, create_user, create_consultation):
    consultation = _short(create_consultation, 5)
    official = create_user(UserRole.OFFICIAL)
    consultation.officials = [official]
    db.session.commit()
    url = f"/manage/consultations/{consultation.slug}/announce"

    login(official)
    page = client.get(url).get_data(as_text=True)
    assert "trwają 5 dni" in page and 'name="short_reason"' not in page
    refused = client.post(url, data={"addresses": ""})
    assert refused.status_code == 422 and "administrator" in refused.get_data(as_text=True)
    assert consultation.state == ConsultationState.DRAFT
    client.post("/logout")

    login(create_user(UserRole.ADMIN))
    page = client.get(url).get_data(as_text=True)
    assert 'name="short_reason"' in page
    missing = client.post(url, data={"addresses": "", "short_reason": " "})
    assert missing.status_code == 422 and "podaj powód" in missing.get_data(as_text=True).lower()
    done = client.post(url, data={"addresses": "", "short_reason": "Uchwała musi zapaść do 30 listopada."})
    assert done.status_code == 302
    db.session.refresh(consultation)
    assert consultation.state == ConsultationState.PUBLISHED
    assert consultation.short_duration_reason == "Uchwała musi zapaść do 30 listopada."
