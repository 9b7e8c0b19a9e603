"""Who may see and run consultations: pure predicates for views and templates.

The rule, once: a consultation's team (and admins) run it end to end — edit, import
and publish drafts, close and extend, moderate and answer, write and publish the
report. Any official may create a consultation (and joins its team) and read every
consultation on the officials' side. Only admins and the team change the team.
tests/consultations/test_permissions.py checks every rule as a matrix (role ×
consultation status).
"""

from datetime import datetime

from consult.accounts.models import User
from consult.consultations.models import Consultation, ConsultationState, ConsultationStatus
from consult.core.permissions import rule
from consult.core.time import utcnow


def _is_official(user: User) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_official)


def is_on_team(user: User, consultation: Consultation) -> bool:
    return _is_official(user) and any(o.id == user.id for o in consultation.officials)


def runs_consultation(user: User, consultation: Consultation) -> bool:
    """On the team, or an admin: the people who run this consultation."""
    return _is_official(user) and (user.is_admin or is_on_team(user, consultation))


@rule
def can_view_consultation(user: User, consultation: Consultation) -> bool:
    return consultation.state == ConsultationState.PUBLISHED or _is_official(user)


@rule
def can_manage_consultations(user: User) -> bool:
    """Open the officials' side and read every consultation there."""
    return _is_official(user)


@rule
def can_create_consultation(user: User) -> bool:
    return _is_official(user)


@rule
def can_edit_consultation(user: User, consultation: Consultation) -> bool:
    """Change its facts; a published report freezes them (its draft takes new versions at any
    stage: consult.drafts.permissions)."""
    return runs_consultation(user, consultation) and consultation.report_published_at is None


@rule
def can_publish_consultation(user: User, consultation: Consultation) -> bool:
    return can_edit_consultation(user, consultation) and consultation.state == ConsultationState.DRAFT


@rule
def can_change_deadline(user: User, consultation: Consultation) -> bool:
    """Extend (and, while open, close early): a published consultation whose report is not out."""
    return can_edit_consultation(user, consultation) and consultation.state == ConsultationState.PUBLISHED


@rule
def can_close_consultation(user: User, consultation: Consultation, now: datetime | None = None) -> bool:
    """Close early: only while comments may be sent."""
    return (
        can_change_deadline(user, consultation) and consultation.status_at(now or utcnow()) == ConsultationStatus.OPEN
    )


@rule
def can_change_team(user: User, consultation: Consultation) -> bool:
    return runs_consultation(user, consultation)
