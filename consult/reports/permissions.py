"""Who may build, publish and read consultation reports: pure predicates."""

from consult.consultations.models import Consultation, ConsultationState, ConsultationStatus


def _is_official(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_official)


def report_stage_reached(consultation: Consultation) -> bool:
    """Closed for comments (or with a report already out)."""
    return consultation.status in (ConsultationStatus.CLOSED, ConsultationStatus.REPORT_PUBLISHED)


def can_build_report(user, consultation: Consultation) -> bool:
    """Open the report builder and write its introduction and conclusion."""
    return _is_official(user) and report_stage_reached(consultation)


def can_publish_report(user, consultation: Consultation) -> bool:
    """Publish the report (version 1, or a corrected next version)."""
    return _is_official(user) and report_stage_reached(consultation)


def can_view_report(user, consultation: Consultation) -> bool:
    """A published report is public, like the consultation it belongs to."""
    return consultation.state == ConsultationState.PUBLISHED
