from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from consult.accounts.models import UserRole
from consult.consultations.models import Consultation, ConsultationState, ConsultationStatus
from consult.consultations.operations import (
    ConsultationData,
    close_early,
    extend_consultation,
    publish_consultation,
    short_duration_warning,
    update_consultation,
)
from consult.consultations.operations import (
    create_consultation as create_consultation_op,
)
from consult.core.errors import Conflict, InvalidInput
from consult.core.models import AuditEntry
from consult.core.time import from_local, utcnow


def _data(**overrides) -> ConsultationData:
    now = utcnow()
    values = dict(
        slug="program-2027", title="Program 2027", opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=22)
    )
    values.update(overrides)
    return ConsultationData(**values)


@pytest.mark.parametrize(
    ("state", "opens_in_days", "closes_in_days", "report", "expected"),
    [
        (ConsultationState.DRAFT, -1, 10, False, ConsultationStatus.DRAFT),
        (ConsultationState.PUBLISHED, 1, 10, False, ConsultationStatus.ANNOUNCED),
        (ConsultationState.PUBLISHED, -1, 10, False, ConsultationStatus.OPEN),
        (ConsultationState.PUBLISHED, -10, -1, False, ConsultationStatus.CLOSED),
        (ConsultationState.PUBLISHED, -10, -1, True, ConsultationStatus.REPORT_PUBLISHED),
    ],
)
def test_status_follows_the_clock(state, opens_in_days, closes_in_days, report, expected):
    now = utcnow()
    consultation = Consultation(
        state=state,
        opens_at=now + timedelta(days=opens_in_days),
        closes_at=now + timedelta(days=closes_in_days),
        report_published_at=now if report else None,
    )
    assert consultation.status_at(now) == expected


def test_open_until_the_last_second_and_closed_from_the_closing_moment():
    now = utcnow()
    consultation = Consultation(state=ConsultationState.PUBLISHED, opens_at=now - timedelta(days=7), closes_at=now)
    assert consultation.status_at(now - timedelta(seconds=1)) == ConsultationStatus.OPEN
    assert consultation.status_at(now) == ConsultationStatus.CLOSED


def test_create_writes_an_audit_row(db, create_user):
    official = create_user(UserRole.OFFICIAL)
    consultation = create_consultation_op(official, _data())
    db.session.commit()
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "consultation.create"))
    assert entry.actor_id == official.id and entry.object_id == consultation.id
    assert entry.after["slug"] == "program-2027"


@pytest.mark.parametrize(
    ("overrides", "error", "field", "words"),
    [
        ({"slug": "Zły Slug"}, InvalidInput, "slug", "małe litery"),
        ({"slug": "ab"}, InvalidInput, "slug", "od 3 do 80"),
        ({"title": "   "}, InvalidInput, "title", "Tytuł"),
        ({"closes_at": utcnow() - timedelta(days=1)}, InvalidInput, "closes_at", "później niż otwarcie"),
    ],
)
def test_invalid_consultations_are_refused_with_a_message(db, create_user, overrides, error, field, words):
    with pytest.raises(error) as caught:
        create_consultation_op(create_user(UserRole.OFFICIAL), _data(**overrides))
    assert caught.value.field == field
    assert words in caught.value.message
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Consultation)) == 0


def test_a_duplicate_slug_is_a_conflict(db, create_user, create_consultation):
    create_consultation("open", slug="program-2027")
    with pytest.raises(Conflict, match="program-2027"):
        create_consultation_op(create_user(UserRole.OFFICIAL), _data(slug="program-2027"))


@pytest.mark.parametrize(("days", "warned"), [(6, True), (6.99, True), (7, True), (7.7, False), (21, False)])
def test_a_consultation_shorter_than_seven_days_gets_a_warning(db, days, warned):
    # From 8:00: the day it opens is not counted, so 7 x 24 hours end at 8:00 of a day not over.
    opens = from_local(datetime(2027, 12, 1, 8, 0))
    assert (short_duration_warning(opens, opens + timedelta(days=days)) is not None) == warned


def test_close_early_needs_a_reason_and_logs_it(db, create_user, create_consultation):
    official = create_user(UserRole.OFFICIAL)
    consultation = create_consultation("open")
    with pytest.raises(InvalidInput, match="uzasadnienie"):
        close_early(consultation, official, "  ")
    now = utcnow()
    close_early(consultation, official, "Zmiana harmonogramu prac Rady", now=now)
    db.session.commit()
    assert consultation.status_at(now) == ConsultationStatus.CLOSED
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "consultation.close_early"))
    assert entry.reason == "Zmiana harmonogramu prac Rady"
    assert entry.after["closes_at"] == now.isoformat()


def test_only_an_open_consultation_can_be_closed_early(db, create_user, create_consultation):
    with pytest.raises(InvalidInput, match="trwające"):
        close_early(create_consultation("announced"), create_user(UserRole.OFFICIAL), "powód")


def test_extend_moves_the_deadline_later_with_a_reason(db, create_user, create_consultation):
    official = create_user(UserRole.OFFICIAL)
    consultation = create_consultation("closed")
    new_close = utcnow() + timedelta(days=5)
    with pytest.raises(InvalidInput, match="późniejszy niż obecny"):
        extend_consultation(consultation, official, consultation.closes_at - timedelta(hours=1), "powód")
    extend_consultation(consultation, official, new_close, "Prośba organizacji o więcej czasu")
    db.session.commit()
    assert consultation.status == ConsultationStatus.OPEN
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "consultation.extend"))
    assert entry.reason == "Prośba organizacji o więcej czasu"


def test_dates_of_an_open_consultation_change_only_with_a_reason(db, create_user, create_consultation):
    consultation = create_consultation("open")
    data = _data(
        slug=consultation.slug,
        title=consultation.title,
        opens_at=consultation.opens_at,
        closes_at=consultation.closes_at + timedelta(days=3),
    )
    with pytest.raises(InvalidInput, match="Przedłuż"):
        update_consultation(consultation, create_user(UserRole.OFFICIAL), data)


def test_publishing_needs_a_published_draft_version(db, create_user, create_consultation):
    official = create_user(UserRole.OFFICIAL)
    without_draft = create_consultation("draft", draft=None)
    with pytest.raises(InvalidInput, match="wersję projektu"):
        publish_consultation(without_draft, official)
    with_draft = create_consultation("draft")
    publish_consultation(with_draft, official)
    assert with_draft.state == ConsultationState.PUBLISHED
