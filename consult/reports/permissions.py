"""Who may build, publish and read consultation reports: pure predicates.

The report is the team's (and admins') work, like the rest of the consultation
(consultations.permissions); every official may read the builder's preview.
"""

from consult.accounts.models import User
from consult.consultations.models import Consultation, ConsultationState, ConsultationStatus
from consult.consultations.permissions import runs_consultation
from consult.core.permissions import rule


def _is_official(user: User) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_official)


def report_stage_reached(consultation: Consultation) -> bool:
    """Closed for comments (or with a report already out)."""
    return consultation.status in (ConsultationStatus.CLOSED, ConsultationStatus.REPORT_PUBLISHED)


@rule
def can_view_report_builder(user: User, consultation: Consultation) -> bool:
    """Read the builder: the warnings and the preview of the report."""
    return _is_official(user) and report_stage_reached(consultation)


@rule
def can_build_report(user: User, consultation: Consultation) -> bool:
    """Write the report's introduction and conclusion."""
    return runs_consultation(user, consultation) and report_stage_reached(consultation)


@rule
def can_publish_report(user: User, consultation: Consultation) -> bool:
    """Publish the report (version 1, or a corrected next version)."""
    return runs_consultation(user, consultation) and report_stage_reached(consultation)


@rule
def can_view_report(user: User, consultation: Consultation) -> bool:
    """A published report is public, like the consultation it belongs to."""
    return consultation.state == ConsultationState.PUBLISHED


@rule
def can_retry_export(user, consultation: Consultation) -> bool:
    """Start a failed report file again (and read why it failed): the team and admins."""
    return runs_consultation(user, consultation) and report_stage_reached(consultation)
