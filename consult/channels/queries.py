"""Reading meetings with their registrations: one query per page, whatever their number."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from consult.channels.models import Meeting, MeetingRegistration
from consult.core.inputs import MAX_ID
from consult.extensions import db


def meetings_of(consultation_id: int) -> list[Meeting]:
    """In date order, with their registrations, organisations and minutes file (one query)."""
    return (
        db.session.scalars(
            sa.select(Meeting)
            .where(Meeting.consultation_id == consultation_id)
            .options(
                joinedload(Meeting.registrations).joinedload(MeetingRegistration.organisation),
                joinedload(Meeting.minutes_file),
            )
            .order_by(Meeting.starts_at, Meeting.id)
        )
        .unique()
        .all()
    )


def meeting_of(consultation_id: int, meeting_id: int) -> Meeting | None:
    if not 0 < meeting_id <= MAX_ID:
        return None
    return db.session.scalars(
        sa.select(Meeting).where(Meeting.id == meeting_id, Meeting.consultation_id == consultation_id)
    ).first()


def active_registrations(meeting_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(MeetingRegistration.id)).where(
            MeetingRegistration.meeting_id == meeting_id, MeetingRegistration.cancelled_at.is_(None)
        )
    )


def registration_of(meeting_id: int, organisation_id: int) -> MeetingRegistration | None:
    return db.session.scalars(
        sa.select(MeetingRegistration).where(
            MeetingRegistration.meeting_id == meeting_id, MeetingRegistration.organisation_id == organisation_id
        )
    ).first()


def meetings_in(consultation_ids: list[int]) -> list[Meeting]:
    """The meetings (not cancelled) of several consultations, for calendars."""
    if not consultation_ids:
        return []
    return db.session.scalars(
        sa.select(Meeting)
        .where(Meeting.consultation_id.in_(consultation_ids), Meeting.cancelled_at.is_(None))
        .order_by(Meeting.starts_at, Meeting.id)
    ).all()
