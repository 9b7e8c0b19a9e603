"""Who may see and change draft versions."""

from consult.consultations.permissions import can_edit_consultation, can_manage_consultations
from consult.drafts.models import DraftVersion, VersionStatus


def can_view_version(user, version: DraftVersion) -> bool:
    """Published versions are public; an imported preview is for officials."""
    return version.status == VersionStatus.PUBLISHED or can_manage_consultations(user)


def can_import_draft(user, consultation) -> bool:
    return can_edit_consultation(user, consultation)


def can_publish_version(user, version: DraftVersion) -> bool:
    return version.status == VersionStatus.DRAFT and can_edit_consultation(user, version.consultation)
