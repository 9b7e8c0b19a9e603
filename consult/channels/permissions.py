"""Who may run meetings and register for them: pure predicates."""

from datetime import datetime

from consult.accounts.models import User
from consult.channels.models import Meeting
from consult.comments.permissions import acts_for, organisation_may_take_part
from consult.consultations.models import Consultation, ConsultationState
from consult.consultations.permissions import runs_consultation
from consult.core.permissions import rule


def _is_official(user: User) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_official)


@rule
def can_manage_meetings(user: User, consultation: Consultation) -> bool:
    """Plan meetings, change them, write their minutes: the team, until the report is published."""
    return runs_consultation(user, consultation) and consultation.report_published_at is None


def registration_open(meeting: Meeting, now: datetime) -> bool:
    return (
        meeting.consultation.state == ConsultationState.PUBLISHED
        and meeting.cancelled_at is None
        and now < meeting.starts_at
    )


@rule
def can_register_for_meeting(user: User, meeting: Meeting, organisation, now: datetime, organisation_ids=None) -> bool:
    """A representative of an organisation that may take part, before the meeting starts (the limit is the operation's)."""
    return (
        registration_open(meeting, now)
        and acts_for(user, organisation, organisation_ids)
        and organisation_may_take_part(organisation, meeting.consultation)
    )
