"""Meetings: planning, registration with a limit, minutes.

Registration takes the meeting's row lock first (``SELECT … FOR UPDATE`` on PostgreSQL;
SQLite has one writer at a time), so two organisations asking for the last place at the
same moment get it once: the second is told the meeting is full.
"""

import re
from dataclasses import dataclass, replace
from datetime import datetime

import sqlalchemy as sa
from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from consult.accounts.models import Organisation, User
from consult.attachments.operations import Upload, attach_minutes
from consult.channels.models import Meeting, MeetingRegistration
from consult.channels.permissions import can_manage_meetings, can_register_for_meeting, registration_open
from consult.channels.queries import active_registrations, registration_of
from consult.comments.models import Channel
from consult.comments.operations import LetterData, clean_text
from consult.consultations.models import Consultation
from consult.core import time as clock
from consult.core.audit import record
from consult.core.errors import Conflict, Forbidden, InvalidInput
from consult.extensions import db

MAX_PLACE = 300
MAX_URL = 500
MAX_TEXT = 20000
_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


@dataclass
class MeetingData:
    starts_at: datetime
    ends_at: datetime | None = None
    place: str = ""
    online_url: str = ""
    description: str = ""
    registration_limit: int | None = None


def _validated(data: MeetingData) -> MeetingData:
    place = " ".join(clean_text(data.place).split())
    url = clean_text(data.online_url)
    description = clean_text(data.description)
    if not place and not url:
        raise InvalidInput(_("Give the place of the meeting, or a link to join it online."), field="place")
    if len(place) > MAX_PLACE:
        raise InvalidInput(_("The place may have at most %(max)d characters.", max=MAX_PLACE), field="place")
    if url and (len(url) > MAX_URL or not _URL.match(url)):
        raise InvalidInput(
            _("The link must be a web address starting with https:// (at most %(max)d characters).", max=MAX_URL),
            field="online_url",
        )
    if len(description) > MAX_TEXT:
        raise InvalidInput(_("The description may have at most %(max)d characters.", max=MAX_TEXT), field="description")
    if data.ends_at is not None and data.ends_at <= data.starts_at:
        raise InvalidInput(_("The meeting must end after it starts."), field="ends_at")
    if data.registration_limit is not None and not 0 < data.registration_limit <= 10000:
        raise InvalidInput(
            _("The limit is a number of organisations from 1 to 10,000; leave it empty for no limit."),
            field="registration_limit",
        )
    return MeetingData(data.starts_at, data.ends_at, place, url, description, data.registration_limit)


def _require_manager(actor: User, consultation: Consultation) -> None:
    if not can_manage_meetings(actor, consultation):
        raise Forbidden(_("Only the consultation's team can plan its meetings, until the report is published."))


def _details(meeting: Meeting) -> dict:
    return {
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat() if meeting.ends_at else None,
        "place": meeting.place,
        "online_url": meeting.online_url,
        "registration_limit": meeting.registration_limit,
    }


def plan_meeting(consultation: Consultation, actor: User, data: MeetingData) -> Meeting:
    _require_manager(actor, consultation)
    clean = _validated(data)
    meeting = Meeting(
        consultation_id=consultation.id,
        starts_at=clean.starts_at,
        ends_at=clean.ends_at,
        place=clean.place,
        online_url=clean.online_url,
        description=clean.description,
        registration_limit=clean.registration_limit,
        created_by_id=actor.id,
    )
    db.session.add(meeting)
    db.session.flush()
    record(actor, "meeting.planned", meeting, consultation_id=consultation.id, after=_details(meeting))
    return meeting


def update_meeting(meeting: Meeting, actor: User, data: MeetingData, *, row_version: int | None = None) -> Meeting:
    _require_manager(actor, meeting.consultation)
    if row_version is not None and row_version != meeting.row_version:
        raise Conflict(_("Someone else changed this meeting in the meantime. Open it again."))
    clean = _validated(data)
    registered = active_registrations(meeting.id)
    if clean.registration_limit is not None and clean.registration_limit < registered:
        raise InvalidInput(
            _(
                "%(count)d organisations are registered already: the limit cannot be lower.",
                count=registered,
            ),
            field="registration_limit",
        )
    before = _details(meeting)
    meeting.starts_at, meeting.ends_at = clean.starts_at, clean.ends_at
    meeting.place, meeting.online_url = clean.place, clean.online_url
    meeting.description, meeting.registration_limit = clean.description, clean.registration_limit
    _flush_or_conflict()
    record(
        actor,
        "meeting.changed",
        meeting,
        consultation_id=meeting.consultation_id,
        before=before,
        after=_details(meeting),
    )
    return meeting


def cancel_meeting(meeting: Meeting, actor: User, reason: str, *, now: datetime | None = None) -> Meeting:
    _require_manager(actor, meeting.consultation)
    reason = clean_text(reason)
    if not reason:
        raise InvalidInput(_("Say why the meeting is cancelled."), field="reason")
    if meeting.cancelled_at is None:
        meeting.cancelled_at = now or clock.utcnow()
        _flush_or_conflict()
        record(actor, "meeting.cancelled", meeting, consultation_id=meeting.consultation_id, reason=reason)
    return meeting


def save_minutes(meeting: Meeting, actor: User, text: str, upload: Upload | None) -> Meeting:
    """The minutes written on the page, a file of them, or both; published with the meeting."""
    _require_manager(actor, meeting.consultation)
    text = clean_text(text)
    if len(text) > MAX_TEXT:
        raise InvalidInput(_("The minutes may have at most %(max)d characters.", max=MAX_TEXT), field="minutes")
    if not text and upload is None and not meeting.minutes_file_id:
        raise InvalidInput(_("Write the minutes, or attach a file with them."), field="minutes")
    meeting.minutes = text
    if upload is not None:
        meeting.minutes_file = attach_minutes(meeting.consultation, actor, upload)
    _flush_or_conflict()
    record(
        actor,
        "meeting.minutes_saved",
        meeting,
        consultation_id=meeting.consultation_id,
        after={"characters": len(text), "file": meeting.minutes_file.filename if meeting.minutes_file else None},
    )
    return meeting


def _flush_or_conflict() -> None:
    try:
        db.session.flush()
    except StaleDataError:
        raise Conflict(_("Someone else changed this meeting in the meantime. Open it again.")) from None


def at_meeting(data: LetterData, meeting: Meeting | None) -> LetterData:
    """Comments made at a meeting: the channel is "meeting" and the date received is the meeting's day."""
    if meeting is None:
        return data
    if data.channel != Channel.MEETING:
        raise InvalidInput(
            _("Comments made at a meeting are received by “consultation meeting”: choose that, or no meeting."),
            field="meeting",
        )
    if meeting.cancelled_at is not None:
        raise InvalidInput(_("The meeting was cancelled."), field="meeting")
    return replace(data, received_on=clock.to_local(meeting.starts_at).date(), meeting_id=meeting.id)


# --- registration ----------------------------------------------------------------------------------


def _lock(meeting: Meeting) -> None:
    """Registrations for one meeting one after another (see the module's docstring)."""
    if db.session.connection().dialect.name == "postgresql":
        db.session.execute(sa.select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())
    else:
        db.session.execute(sa.text("UPDATE meetings SET id = id WHERE id = :id"), {"id": meeting.id})


def _closed_message(meeting: Meeting) -> str:
    if meeting.cancelled_at is not None:
        return _("The meeting has been cancelled.")
    return _(
        "Registration closed when the meeting started (%(when)s).",
        when=format_datetime(meeting.starts_at, "d MMMM y, HH:mm"),
    )


def register_for_meeting(
    meeting: Meeting, actor: User, organisation: Organisation, *, now: datetime | None = None
) -> MeetingRegistration:
    """A place for the organisation; asking twice keeps one. Refused clearly when the meeting is full."""
    now = now or clock.utcnow()
    if not registration_open(meeting, now):
        raise Conflict(_closed_message(meeting))
    if not can_register_for_meeting(actor, meeting, organisation, now):
        raise Forbidden(_("You cannot register this organisation for the meeting."), field="organisation")
    _lock(meeting)
    registration = registration_of(meeting.id, organisation.id)
    if registration is not None and registration.cancelled_at is None:
        return registration
    if meeting.registration_limit is not None and active_registrations(meeting.id) >= meeting.registration_limit:
        raise Conflict(
            ngettext(
                "The meeting is full: its only place is taken. Follow the consultation's page: "
                "the place frees up if the organisation cancels.",
                "The meeting is full: all %(num)d places are taken. Follow the consultation's page: "
                "a place frees up when an organisation cancels.",
                meeting.registration_limit,
            )
        )
    if registration is None:
        registration = MeetingRegistration(
            meeting_id=meeting.id, organisation_id=organisation.id, user_id=actor.id, created_at=now
        )
        db.session.add(registration)
    else:
        registration.cancelled_at = None
        registration.user_id = actor.id
    db.session.flush()
    return registration


def cancel_registration(
    meeting: Meeting, actor: User, organisation: Organisation, *, now: datetime | None = None
) -> None:
    now = now or clock.utcnow()
    if not registration_open(meeting, now):
        raise Conflict(_closed_message(meeting))
    if not can_register_for_meeting(actor, meeting, organisation, now):
        raise Forbidden(_("You cannot act on behalf of this organisation."), field="organisation")
    registration = registration_of(meeting.id, organisation.id)
    if registration is not None and registration.cancelled_at is None:
        registration.cancelled_at = now
        db.session.flush()
