"""Who may see and manage consultations: pure predicates for views and templates."""

from consult.consultations.models import Consultation, ConsultationState


def _is_official(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_official)


def can_view_consultation(user, consultation: Consultation) -> bool:
    return consultation.state == ConsultationState.PUBLISHED or _is_official(user)


def can_manage_consultations(user) -> bool:
    """Create consultations, import drafts, open the officials' side."""
    return _is_official(user)


def can_edit_consultation(user, consultation: Consultation) -> bool:
    return _is_official(user) and consultation.report_published_at is None


def can_change_deadline(user, consultation: Consultation) -> bool:
    """Close early or extend: only a published consultation whose report is not out."""
    return can_edit_consultation(user, consultation) and consultation.state == ConsultationState.PUBLISHED
