"""Telling the organisations of a consultation's areas about a meeting: in the background, once each.

The request that plans the meeting only asks for the job (after its commit); the job
claims each person in ``notification_log`` before queueing their message, so running it
twice (a retry, a second worker) tells nobody twice, and a consultation with thousands of
interested members does not hold the official's page.
"""

from consult.channels.models import Meeting
from consult.consultations.models import ConsultationState
from consult.consultations.notifications import meeting_announced
from consult.core import jobs
from consult.core.mail import external_url
from consult.core.time import utcnow
from consult.extensions import db
from consult.notices.models import Kind
from consult.notices.operations import claim, send_notices
from consult.notifications.queries import interested_members

BATCH = 500


def meeting_link(meeting: Meeting) -> str:
    return external_url("consultations.show_consultation", slug=meeting.consultation.slug) + f"#meeting-{meeting.id}"


def announce_meeting(meeting_id: int) -> int:
    """Tell the interested members of a meeting still ahead; returns how many were told now."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or meeting.cancelled_at is not None or meeting.starts_at <= utcnow():
        return 0
    consultation = meeting.consultation
    if consultation.state != ConsultationState.PUBLISHED:
        return 0
    users = interested_members(consultation)
    told = 0
    for start in range(0, len(users), BATCH):
        chunk = users[start : start + BATCH]
        claimed = claim(Kind.MEETING.value, f"meeting:{meeting.id}", [u.id for u in chunk])
        where = meeting.place or meeting.online_url
        told += send_notices(
            meeting_announced(
                consultation, [u for u in chunk if u.id in claimed], meeting.starts_at, where, meeting_link(meeting)
            )
        )
        db.session.commit()
    return told


def announce_meeting_job(meeting_id: int) -> None:
    app = jobs.job_app()
    with app.app_context():
        try:
            announce_meeting(meeting_id)
        finally:
            db.session.remove()
