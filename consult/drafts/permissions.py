"""Who may see and change draft versions: the consultation's rule (consultations.permissions)."""

from consult.consultations.permissions import can_edit_consultation, can_manage_consultations
from consult.core.permissions import rule
from consult.drafts.models import DraftVersion, VersionStatus


@rule
def can_view_version(user, version: DraftVersion) -> bool:
    """Published versions are public; an imported preview is for officials."""
    return version.status == VersionStatus.PUBLISHED or can_manage_consultations(user)


@rule
def can_import_draft(user, consultation) -> bool:
    return can_edit_consultation(user, consultation)


@rule
def can_publish_version(user, version: DraftVersion) -> bool:
    """Publish or discard an imported version."""
    return version.status == VersionStatus.DRAFT and can_edit_consultation(user, version.consultation)
